// Lexical features (token counts, ROUGE-1, entity overlap, binning) for 10k and 100k pairs resampled from
// ../shared/data/pairs, computed by the app's worker pool in headless Chromium, with 1 and with 2 workers.
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { longTasks, observeLongTasks, rng } from './harness.mjs';

export const name = 'lexical features';
const SIZES = (process.env.BENCH_FEATURE_SIZES ?? '10000,100000').split(',').map(Number);

async function makeFile(n) {
  const shared = resolve(process.cwd(), '../shared/data/pairs');
  const sources = ['pandalm.jsonl', 'prd_vicuna80.jsonl'].map((f) => resolve(shared, f)).filter(existsSync);
  if (sources.length === 0) return null;
  const rows = sources.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}features-${n}.jsonl`;
  const out = createWriteStream(path);
  const random = rng(7 + n);
  for (let i = 0; i < n; i++) {
    const row = rows[Math.floor(random() * rows.length)];
    if (!out.write(`${JSON.stringify({ ...row, id: `${row.id}#${i}` })}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return path;
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
  for (const n of SIZES) {
    const path = await makeFile(n);
    if (!path) return [{ benchmark: name, metric: 'skipped', value: '../shared/data/pairs not found', target: '' }];
    const context = await browser.newContext({ baseURL });
    await observeLongTasks(context);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('New project name').fill(`features ${n}`);
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
        metric: `${n.toLocaleString('en-US')} pairs, 1 worker: pairs/s (scoring only / incl. start-up, assembly, storage)`,
        value: `${rate(one.computeMs).toLocaleString('en-US')} / ${rate(one.wall).toLocaleString('en-US')}`,
        target: '',
      },
      {
        benchmark: name,
        metric: `${n.toLocaleString('en-US')} pairs, 2 workers: pairs/s (scoring only / incl. start-up, assembly, storage)`,
        value: `${rate(two.computeMs).toLocaleString('en-US')} / ${rate(two.wall).toLocaleString('en-US')}`,
        target: '>= 2,000',
        ok: rate(two.wall) >= 2000,
      },
      {
        benchmark: name,
        metric: `${n.toLocaleString('en-US')} pairs, speed-up 1 -> 2 workers (scoring)`,
        value: `${(one.computeMs / two.computeMs).toFixed(2)}x`,
        target: '',
      },
      {
        benchmark: name,
        metric: `${n.toLocaleString('en-US')} pairs, longest main-thread task (ms)`,
        value: tasks.reduce((m, t) => Math.max(m, t.duration), 0).toFixed(0),
        target: '< 100',
        ok: tasks.every((t) => t.duration < 100),
      },
    );
  }
  return rows;
}
