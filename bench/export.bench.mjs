// Merge + export of 100k records in Node, one core, for each format (and the full JSONL as a deflated zip):
// wall time, records per second, file size, and peak memory (RSS and JS heap, sampled after every 1,000-record
// chunk and every 20 ms). Records are made chunk by chunk from ../shared/data/pairs with every text unique (seeded),
// or the demo pairs when ../shared is absent, as the export worker would read them from IndexedDB; a seeded
// plan routes 25% to humans and 80% of those carry three synthetic annotations.
// Standalone: `node bench/export.bench.mjs` (prints the rows as JSON); BENCH_EXPORT_ROWS=10000 for a smaller run.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTsModule } from '../scripts/load-ts.mjs';
import { rng } from './harness.mjs';
import { RECORD_FIELDS, uniquePairMaker } from './unique-pairs.mjs';

export const name = 'merge + export (Node, 1 core)';

const N = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const CHUNK = 1000;
const PREFS = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'];
const MB = 1024 * 1024;

async function sourceRecords(ImportSession, defaultMapOptions) {
  const shared = resolve(process.cwd(), '../shared/data/pairs');
  const files = ['pandalm.jsonl', 'prd_vicuna80.jsonl'].map((f) => resolve(shared, f)).filter(existsSync);
  const inputs = files.length ? files : [new URL('../src/demo/demo-pairs.jsonl', import.meta.url).pathname];
  const records = [];
  for (const f of inputs) {
    const session = await ImportSession.read(new Uint8Array(readFileSync(f)), f.split('/').pop());
    const shape = session.recognise()[0].shape;
    records.push(...session.records(shape, defaultMapOptions(shape)));
  }
  return { records, from: files.length ? 'shared pairs' : 'demo pairs' };
}

/**
 * N synthetic records, made before any timing: seeded draws from the source with unique ids, their prompt and
 * responses made unique by seeded word edits (bench/unique-pairs.mjs); same seed, same records.
 */
function makeRecords(source, n) {
  const maker = uniquePairMaker(source, 20250601, RECORD_FIELDS);
  const records = Array.from({ length: n }, () => maker.next());
  return { records, uniqueTexts: maker.stats().uniqueTexts };
}

/** The records in chunks of CHUNK, as the export worker reads them from IndexedDB. */
function* recordChunks(records) {
  for (let start = 0; start < records.length; start += CHUNK) yield records.slice(start, start + CHUNK);
}

/** Plan and annotations for the records. */
function planAndAnnotations(records, n) {
  const ids = records.map((r) => r.id);
  const random = rng(7);
  const human = [];
  const annotations = [];
  for (let idx = 0; idx < n; idx++) {
    if (random() >= 0.25) continue;
    human.push({ idx, id: ids[idx], gain: random() });
    if (random() >= 0.8) continue;
    for (const annotator of ['ann', 'bob', 'cyd']) {
      annotations.push({
        id: `plan|${idx}|${annotator}`,
        projectId: 'bench',
        datasetId: 'bench',
        planId: 'plan',
        idx,
        instanceId: ids[idx],
        annotator,
        status: 'submitted',
        overall: PREFS[Math.floor(random() * 5)],
        aspects: {},
        rationale: '',
        swapped: false,
        activeMs: 1000,
        createdAt: 0,
        updatedAt: 0,
        submittedAt: 0,
        rev: 1,
        origin: 'local',
      });
    }
  }
  return { plan: { human, dataset: { n } }, annotations };
}

function memorySampler() {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 20);
  return { sample, stop: () => (clearInterval(timer), sample(), peak) };
}

export async function run() {
  const { ImportSession } = await loadTsModule('/src/domain/formats/import-session.ts');
  const { defaultMapOptions } = await loadTsModule('/src/domain/formats/layouts.ts');
  const { Merger } = await loadTsModule('/src/domain/merge/index.ts');
  const ex = await loadTsModule('/src/domain/export/index.ts');
  const { records: source, from } = await sourceRecords(ImportSession, defaultMapOptions);
  const { records, uniqueTexts } = makeRecords(source, N);
  const { plan, annotations } = planAndAnnotations(records, N);
  const outDir = new URL('./out/', import.meta.url).pathname;
  mkdirSync(outDir, { recursive: true });
  const rows = [];
  const row = (metric, value, target = '', ok) =>
    rows.push({ benchmark: name, metric, value, target, ...(ok === undefined ? {} : { ok }) });
  row(
    'input',
    `${N.toLocaleString('en-US')} records from the ${from}, ${uniqueTexts.toLocaleString('en-US')} distinct texts (made before timing); ${plan.human.length.toLocaleString('en-US')} routed, ${annotations.length.toLocaleString('en-US')} annotations`,
  );

  const cases = [...ex.EXPORT_FORMATS.map((f) => ({ format: f, zip: false })), { format: 'full', zip: true }];
  for (const { format, zip } of cases) {
    const label = zip ? `${format} (zip, deflate)` : format;
    const path = `${outDir}export-${N}.${zip ? 'zip' : ex.FORMAT_INFO[format].extension}`;
    globalThis.gc?.();
    const before = process.memoryUsage();
    const mem = memorySampler();
    const out = createWriteStream(path);
    const sink = (b) => (out.write(b) ? undefined : new Promise((r) => out.once('drain', r)));
    const merger = new Merger({ plan, annotations, options: { ties: 'keep' } });
    const writer = ex.createFormatWriter(format, {
      hyperTags: () => ['rouge::min_val=0.0|max_val=0.33', 'bertscore::min_val=0.33|max_val=0.67'],
    });
    const chunks = recordChunks(records);
    const t0 = performance.now();
    let result;
    if (zip) {
      const context = {
        app: { name: 'hyper-workbench', version: 'bench' },
        dataset: { name: 'bench' },
        plan: null,
        format,
        createdAt: new Date().toISOString(),
        dataFile: `export.${ex.FORMAT_INFO[format].extension}`,
      };
      result = await ex.exportZip({ chunks, merger, writer, context, zipSink: sink, deflate: ex.webDeflateRaw, onProgress: mem.sample });
    } else {
      result = await ex.runExport({ chunks, merger, writer, sink, onProgress: mem.sample });
    }
    await new Promise((r) => out.end(r));
    const ms = performance.now() - t0;
    const peak = mem.stop();
    const size = statSync(path).size;
    row(`${label}: time`, `${(ms / 1000).toFixed(2)} s (${Math.round((N / ms) * 1000).toLocaleString('en-US')} records/s)`);
    row(
      `${label}: file`,
      `${(size / MB).toFixed(1)} MB, ${result.stats.rows.toLocaleString('en-US')} rows${result.stats.skippedTies ? `, ${result.stats.skippedTies.toLocaleString('en-US')} ties skipped` : ''}`,
    );
    row(
      `${label}: peak memory`,
      `RSS ${(peak.rss / MB).toFixed(0)} MB (+${((peak.rss - before.rss) / MB).toFixed(0)}), heap ${(peak.heap / MB).toFixed(0)} MB (+${((peak.heap - before.heapUsed) / MB).toFixed(0)})`,
    );
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
