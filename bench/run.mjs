#!/usr/bin/env node
// Runs every benchmark in bench/*.bench.mjs against the built app (dist/) in headless Chromium and
// prints one Markdown table. Each benchmark exports `name` and `run(ctx)` returning rows.
import { readdirSync } from 'node:fs';
import { startPreview, launchBrowser } from './harness.mjs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const server = await startPreview();
const rows = [];
try {
  for (const file of files) {
    const bench = await import(new URL(file, import.meta.url).href);
    console.error(`[bench] ${bench.name} …`);
    const browser = await launchBrowser();
    try {
      rows.push(...(await bench.run({ baseURL: server.url, browser })));
    } catch (e) {
      rows.push({ benchmark: bench.name, metric: 'error', value: String(e?.message ?? e).split('\n')[0], target: '', ok: false });
    } finally {
      await browser.close();
    }
  }
} finally {
  server.stop();
}

const cell = (v) => String(v ?? '').replace(/\|/g, '\\|');
// A row of the target table carries `measured` and `limit` (numbers) and `better` ('lower', the
// default, or 'higher'): the ratio is how far from the target it is, <= 1 when met. `was` is the figure
// before the work on it, where one was measured.
const ratioOf = (r) => {
  if (typeof r.measured !== 'number' || typeof r.limit !== 'number') return '';
  const x = r.better === 'higher' ? r.limit / r.measured : r.measured / r.limit;
  return `${x.toFixed(2)}`;
};
console.log('\n| benchmark | metric | value | target | vs target (<= 1 meets) | before | ok |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${cell(r.benchmark)} | ${cell(r.metric)} | ${cell(r.value)} | ${cell(r.target)} | ${ratioOf(r)} | ${cell(r.was)} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`,
  );
console.log(`\nmachine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}`);
