// Import of a 100k-pair JSONL generated here by resampling ../shared/data/pairs (unique ids), through the
// real UI in headless Chromium: wall time, peak memory of the browser, longest main-thread task.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { browserRssMb, longTasks, observeLongTasks, rng, sampleMemory } from './harness.mjs';

export const name = 'import 100k JSONL';
const N = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

async function makeFile() {
  const shared = resolve(process.cwd(), '../shared/data/pairs');
  const sources = ['pandalm.jsonl', 'prd_vicuna80.jsonl'].map((f) => resolve(shared, f)).filter(existsSync);
  if (sources.length === 0) return null;
  const lines = sources.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  const outDir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(outDir, { recursive: true });
  const path = `${outDir}pairs-${N}.jsonl`;
  const out = createWriteStream(path);
  const random = rng(20241026);
  for (let i = 0; i < N; i++) {
    const row = lines[Math.floor(random() * lines.length)];
    if (!out.write(`${JSON.stringify({ ...row, id: `${row.id}#${i}` })}\n`)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return path;
}

export async function run({ baseURL, browser }) {
  const path = await makeFile();
  if (!path) return [{ benchmark: name, metric: 'skipped', value: '../shared/data/pairs not found', target: '' }];
  const sizeMb = statSync(path).size / 1e6;
  const context = await browser.newContext({ baseURL });
  await observeLongTasks(context);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('New project name').fill('bench');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByLabel('Dataset file').waitFor({ state: 'attached' });
  const baseline = browserRssMb();
  const mem = sampleMemory(100);
  const t0 = Date.now();
  const since = await page.evaluate(() => performance.now());
  await page.getByLabel('Dataset file').setInputFiles(path);
  const importButton = page.getByRole('button', { name: `Import ${N.toLocaleString('en-US')} pairs` });
  await importButton.waitFor({ timeout: 300_000 });
  const t1 = Date.now();
  await importButton.click();
  await page.getByTestId('match-count').filter({ hasText: `${N.toLocaleString('en-US')} pairs` }).waitFor({ timeout: 300_000 });
  const t2 = Date.now();
  const peak = mem.stop();
  const tasks = await longTasks(page, since);
  const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
  await context.close();
  const total = (t2 - t0) / 1000;
  return [
    { benchmark: name, metric: 'file', value: `${N.toLocaleString('en-US')} pairs, ${sizeMb.toFixed(0)} MB`, target: '' },
    { benchmark: name, metric: 'read + validate (s)', value: ((t1 - t0) / 1000).toFixed(2), target: '' },
    { benchmark: name, metric: 'store in IndexedDB (s)', value: ((t2 - t1) / 1000).toFixed(2), target: '' },
    { benchmark: name, metric: 'wall time, file chosen to table shown (s)', value: total.toFixed(2), target: '< 20', ok: total < 20 },
    { benchmark: name, metric: 'peak browser RSS (MB)', value: `${peak.toFixed(0)} (baseline ${baseline.toFixed(0)})`, target: '' },
    { benchmark: name, metric: 'longest main-thread task (ms)', value: longest.toFixed(0), target: '< 100', ok: longest < 100 },
    { benchmark: name, metric: 'main-thread tasks over 50 ms', value: String(tasks.length), target: '' },
  ];
}
