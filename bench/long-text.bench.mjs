// One response of 1 MB and of 10 MB without a single space (the shapes that made scoring quadratic: a run of
// one letter, base64, dashes, hex) through the app's real path in headless Chromium: import, then features in
// the worker pool. Target: linear, under 1 s per MB of text whatever its shape. The pair beside it is normal.
import { mkdirSync, writeFileSync } from 'node:fs';
import { rng } from './harness.mjs';

export const name = 'features, long responses without spaces';
const SIZES = (process.env.BENCH_LONG_SIZES ?? '1000000,10000000').split(',').map(Number);

function shape(kind, n, seed) {
  const random = rng(seed);
  const from = (alphabet) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  switch (kind) {
    case 'one letter':
      return 'A'.repeat(n);
    case 'base64':
      return from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
    case 'dashes':
      return '-'.repeat(n);
    default:
      return `0x${from('0123456789abcdef')}`.slice(0, n);
  }
}

async function featuresOf(browser, baseURL, path, label, n) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('New project name').fill(label);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Dataset file').setInputFiles(path);
  await page.getByRole('button', { name: 'Import 2 pairs' }).click({ timeout: 300_000 });
  await page.getByTestId('match-count').filter({ hasText: '2 pairs' }).waitFor({ timeout: 300_000 });
  await page.getByRole('link', { name: 'Tags', exact: true }).click();
  const t0 = Date.now();
  await page.getByRole('button', { name: /ompute tags/ }).click();
  await page.locator('[data-testid="tag-status"][data-created-at]').waitFor({ timeout: 600_000 });
  const wall = Date.now() - t0;
  const computeMs = Number(await page.getByTestId('tag-status').getAttribute('data-compute-ms'));
  await context.close();
  return { wall, computeMs, mb: n / 1e6 };
}

export async function run({ baseURL, browser }) {
  const dir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const n of SIZES) {
    for (const kind of ['one letter', 'base64', 'dashes', 'hex']) {
      const path = `${dir}long-${kind.replace(' ', '-')}-${n}.jsonl`;
      const pairs = [
        {
          id: 'long',
          prompt: 'Repeat the payload.',
          response_a: shape(kind, n, n + kind.length),
          response_b: 'I cannot repeat that.',
          pref_lm: 'B',
        },
        { id: 'normal', prompt: 'Capital of France?', response_a: 'Paris, on the Seine.', response_b: 'Lyon.', pref_lm: 'A' },
      ];
      writeFileSync(path, `${pairs.map((p) => JSON.stringify(p)).join('\n')}\n`);
      const r = await featuresOf(browser, baseURL, path, `long ${kind} ${n}`, n);
      const perMb = r.computeMs / 1000 / r.mb;
      rows.push({
        benchmark: name,
        metric: `${(n / 1e6).toFixed(0)} MB ${kind}: scoring s (per MB) / wall s incl. start-up and storage`,
        value: `${(r.computeMs / 1000).toFixed(2)} (${perMb.toFixed(2)}) / ${(r.wall / 1000).toFixed(1)}`,
        target: '< 1 s per MB',
        ok: perMb < 1,
        measured: perMb,
        limit: 1,
        was: n === SIZES[0] ? '83 s for 9 pairs of 200k characters (superlinear)' : '',
      });
    }
  }
  return rows;
}
