// Lexical features (token counts, ROUGE-1, entity overlap, binning) for 10k and 100k pairs made from
// ../shared/data/pairs with every text unique (bench/unique-pairs.mjs), computed by the app's worker pool in
// headless Chromium, with 1 and with 2 workers. The old resampled inputs (texts repeat, so caches hit) are an
// extra row at the first size, labelled as such. BENCH_FEATURE_SIZES=10000 for one size.
import { createWriteStream, mkdirSync } from 'node:fs';
import { longTasks, observeLongTasks } from './harness.mjs';
import { resampledPairMaker, sharedPairs, uniquePairMaker } from './unique-pairs.mjs';

export const name = 'lexical features';
const SIZES = (process.env.BENCH_FEATURE_SIZES ?? '10000,100000').split(',').map(Number);

/** A JSONL of n pairs: unique texts (the default), or resampled whole pairs (the old inputs, an extra row). */
async function makeFile(n, kind) {
  const rows = sharedPairs();
  if (!rows) return null;
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}features-${kind}-${n}.jsonl`;
  const out = createWriteStream(path);
  const maker = kind === 'unique' ? uniquePairMaker(rows, 7 + n) : resampledPairMaker(rows, 7 + n);
  for (let i = 0; i < n; i++) if (!out.write(`${JSON.stringify(maker.next())}\n`)) await new Promise((r) => out.once('drain', r));
  await new Promise((r) => out.end(r));
  return { path, uniqueTexts: maker.stats().uniqueTexts };
}

async function computeWith(page, workers) {
  const status = page.getByTestId('tag-status');
  const before = await status.getAttribute('data-created-at');
  await page.getByLabel('Workers').fill(String(workers));
  const t0 = Date.now();
  await page.getByRole('button', { name: /ompute tags/ }).click();
  await page.locator(`[data-testid="tag-status"][data-created-at]:not([data-created-at="${before}"])`).waitFor({ timeout: 600_000 });
  const wall = Date.now() - t0;
  const computeMs = Number(await status.getAttribute('data-compute-ms'));
  return { wall, computeMs };
}

export async function run({ baseURL, browser }) {
  const rows = [];
  const runs = [...SIZES.map((n) => ({ n, kind: 'unique' })), { n: SIZES[0], kind: 'resampled' }];
  for (const { n, kind } of runs) {
    const made = await makeFile(n, kind);
    if (!made) return [{ benchmark: name, metric: 'skipped', value: '../shared/data/pairs not found', target: '' }];
    const { path, uniqueTexts } = made;
    const what =
      kind === 'unique'
        ? `${n.toLocaleString('en-US')} pairs (unique: ${uniqueTexts.toLocaleString('en-US')} distinct texts)`
        : `${n.toLocaleString('en-US')} pairs RESAMPLED (texts repeat; the old input)`;
    const context = await browser.newContext({ baseURL });
    await observeLongTasks(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('New project name').fill(`features ${kind} ${n}`);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByLabel('Dataset file').setInputFiles(path);
    await page.getByRole('button', { name: `Import ${n.toLocaleString('en-US')} pairs` }).click({ timeout: 300_000 });
    await page
      .getByTestId('match-count')
      .filter({ hasText: `${n.toLocaleString('en-US')} pairs` })
      .waitFor({ timeout: 300_000 });
    await page.getByRole('link', { name: 'Tags', exact: true }).click();
    const since = await page.evaluate(() => performance.now());
    const one = await computeWith(page, 1);
    const two = await computeWith(page, 2);
    const tasks = await longTasks(page, since);
    await context.close();
    const rate = (ms) => Math.round(n / (ms / 1000));
    rows.push(
      {
        benchmark: name,
        metric: `${what}, 1 worker: pairs/s (scoring only / incl. start-up, assembly, storage)`,
        value: `${rate(one.computeMs).toLocaleString('en-US')} / ${rate(one.wall).toLocaleString('en-US')}`,
        target: '',
      },
      {
        benchmark: name,
        metric: `${what}, 2 workers: pairs/s (scoring only / incl. start-up, assembly, storage)`,
        value: `${rate(two.computeMs).toLocaleString('en-US')} / ${rate(two.wall).toLocaleString('en-US')}`,
        target: '>= 2,000 (incl. all)',
        ok: rate(two.wall) >= 2000,
        ...(kind === 'unique'
          ? { measured: rate(two.wall), limit: 2000, better: 'higher', was: '540-830 (unique text, one record a pair)' }
          : { was: '2,270 (the old resampled bench)' }),
      },
      {
        benchmark: name,
        metric: `${what}, speed-up 1 -> 2 workers (scoring)`,
        value: `${(one.computeMs / two.computeMs).toFixed(2)}x`,
        target: kind === 'unique' ? '>= 1.8x' : '',
        ...(kind === 'unique'
          ? {
              ok: one.computeMs / two.computeMs >= 1.8,
              measured: one.computeMs / two.computeMs,
              limit: 1.8,
              better: 'higher',
              was: '1.03-1.14x',
            }
          : {}),
      },
      {
        benchmark: name,
        metric: `${what}, longest main-thread task (ms)`,
        value: tasks.reduce((m, t) => Math.max(m, t.duration), 0).toFixed(0),
        target: '< 100',
        ok: tasks.every((t) => t.duration < 100),
      },
    );
  }
  return rows;
}
