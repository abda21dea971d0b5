// Llama-2 token counting speed in Node, one core: our encoder (src/domain/tags/tokenizer) against
// llama-tokenizer-js on every prompt / response of ../shared/data/pairs/*.jsonl. Node only: the TS module is
// loaded through Vite's SSR loader; the `{ baseURL, browser }` that bench/run.mjs passes are not used.
// Standalone: `node bench/tokenizer.bench.mjs` (prints the rows as JSON).
import { loadTsModule } from '../scripts/load-ts.mjs';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const name = 'llama token counting (Node, 1 core)';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAIRS_DIR = resolve(ROOT, '../shared/data/pairs');
const TARGET_MB_S = 4;
const WARM_PASSES = 5;

function loadTexts() {
  if (!existsSync(PAIRS_DIR)) return null;
  const files = readdirSync(PAIRS_DIR).filter((f) => f.endsWith('.jsonl'));
  if (files.length === 0) return null;
  const texts = [];
  let pairs = 0;
  for (const f of files) {
    for (const line of readFileSync(resolve(PAIRS_DIR, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      pairs++;
      for (const k of ['prompt', 'response_a', 'response_b']) texts.push(typeof row[k] === 'string' ? row[k] : String(row[k] ?? ''));
    }
  }
  return { texts, pairs };
}

function timePass(texts, count) {
  const t0 = performance.now();
  let total = 0;
  for (const t of texts) total += count(t);
  return { seconds: (performance.now() - t0) / 1000, total };
}

const round = (x, digits = 2) => Number(x.toFixed(digits));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const data = loadTexts();
  if (!data) return [{ benchmark: name, metric: 'skipped', value: '../shared/data/pairs not found', target: '' }];
  const { texts, pairs } = data;
  const mb = texts.reduce((s, t) => s + Buffer.byteLength(t, 'utf8'), 0) / 1e6;

  const ours = await loadTsModule('/src/domain/tags/tokenizer/index.ts');
  const lib = (await import('llama-tokenizer-js')).default;

  // Ours: first pass with an empty chunk cache, then warm passes (median).
  ours.clearTokenCache();
  const cold = timePass(texts, ours.countTokens);
  const warm = [];
  for (let i = 0; i < WARM_PASSES; i++) warm.push(timePass(texts, ours.countTokens).seconds);
  const warmSeconds = median(warm);
  // Reference package: one pass (it has no cache), after a short warm-up.
  timePass(texts.slice(0, 50), (t) => lib.encode(t, false).length);
  const ref = timePass(texts, (t) => lib.encode(t, false).length);

  let mismatches = 0;
  for (const t of texts) if (ours.countTokens(t) !== lib.encode(t, false).length) mismatches++;

  const row = (metric, value, target = '', ok) => ({ benchmark: name, metric, value, target, ...(ok === undefined ? {} : { ok }) });
  return [
    row('corpus', `${texts.length} texts (${pairs} pairs), ${round(mb)} MB UTF-8`),
    row('ours, cold cache: MB/s', round(mb / cold.seconds, 1), `>= ${TARGET_MB_S}`, mb / cold.seconds >= TARGET_MB_S),
    row('ours, warm cache: MB/s', round(mb / warmSeconds, 1), `>= ${TARGET_MB_S}`, mb / warmSeconds >= TARGET_MB_S),
    row('ours, warm cache: texts/s', Math.round(texts.length / warmSeconds)),
    row('ours, warm cache: pairs/s', Math.round(pairs / warmSeconds), '>= 1000 (2,000/s on 2 cores)', pairs / warmSeconds >= 1000),
    row('llama-tokenizer-js: MB/s', round(mb / ref.seconds, 2)),
    row('llama-tokenizer-js: texts/s', Math.round(texts.length / ref.seconds)),
    row('speed-up (warm) over llama-tokenizer-js', `${round(ref.seconds / warmSeconds, 1)}x`),
    row('texts whose count differs from llama-tokenizer-js', mismatches, '0', mismatches === 0),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
