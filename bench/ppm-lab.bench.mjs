// The PPM lab in Node, one core: a 10k-pair dataset made from ../shared/data/pairs with every text unique
// (the demo pairs when ../shared is absent), tagged with the app's lexical features; K = 200 candidate mixes
// (random budgets, cap 7,000, 20% gold split); a PROXY reward model trained and scored per candidate; the
// fit of linear and quadratic PPMs to the 200 results (5-fold CV over the default 10-lambda grid), on the
// real counts (the lexical tags only: 18 vary) and on counts from a synthetic 90-tag matrix (4,185 terms,
// the dual solver). The TS modules are loaded through Vite's SSR loader; `{ baseURL, browser }` are unused.
// Standalone: `node bench/ppm-lab.bench.mjs` (prints the rows as JSON). BENCH_PPM_LAB_N / _K change the sizes.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_FIELDS, uniquePairMaker } from './unique-pairs.mjs';
import { loadTsModule } from '../scripts/load-ts.mjs';

export const name = 'PPM lab (Node, 1 core)';

const N = Number(process.env.BENCH_PPM_LAB_N ?? 10_000);
const K = Number(process.env.BENCH_PPM_LAB_K ?? 200);

const round = (x, digits = 1) => Number(x.toFixed(digits));

function sourceRows() {
  const shared = resolve(process.cwd(), '../shared/data/pairs');
  const files = ['pandalm.jsonl', 'prd_vicuna80.jsonl'].map((f) => resolve(shared, f)).filter(existsSync);
  if (files.length > 0)
    return {
      from: 'shared pairs',
      rows: files.flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      ),
    };
  const demo = new URL('../src/demo/demo-pairs.jsonl', import.meta.url);
  return {
    from: 'demo pairs',
    rows: readFileSync(demo, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

export async function run() {
  const lab = await loadTsModule('/src/domain/ppm-lab/index.ts');
  const fsMod = await loadTsModule('/src/domain/tags/tag-set.ts');
  const { lexicalScorers } = await loadTsModule('/src/domain/tags/lexical-scorers.ts');
  const { ImportSession } = await loadTsModule('/src/domain/formats/import-session.ts');
  const { defaultMapOptions } = await loadTsModule('/src/domain/formats/layouts.ts');
  const { randomTagMatrix } = await loadTsModule('/src/domain/routing/synthetic.ts');
  const rows = [];
  const row = (metric, value) => rows.push({ benchmark: name, metric, value, target: '' });

  // The dataset: N rows drawn with replacement, each under a new id.
  const src = sourceRows();
  // Every prompt and response unique (seeded word edits), as in a user's data.
  const maker = uniquePairMaker(src.rows, 17, src.from === 'demo pairs' ? DEMO_FIELDS : undefined);
  const lines = [];
  for (let i = 0; i < N; i++) lines.push(JSON.stringify(maker.next()));
  const session = await ImportSession.read(new TextEncoder().encode(lines.join('\n')), 'bench.jsonl');
  const shape = session.recognise()[0].shape;
  const records = [...session.records(shape, defaultMapOptions(shape))];
  let t0 = performance.now();
  const chunk = fsMod.scoreChunk(records, 0, lexicalScorers);
  const fs = fsMod.assembleTagSet({
    datasetId: 'bench',
    n: records.length,
    columns: chunk.columns,
    descriptiveBits: chunk.descriptiveBits,
    withDescriptive: chunk.withTags,
    defects: chunk.defects,
    semanticSource: 'file',
    computeMs: 0,
    now: 0,
  });
  row(
    `dataset: ${records.length} pairs from ${src.from}; tags (lexical features, not part of the lab)`,
    `${round(performance.now() - t0)} ms`,
  );

  // Candidates.
  t0 = performance.now();
  const pool = lab.preparePool(records, fs.tagBits, { goldShare: 0.2, seed: 1 });
  row('pool + gold split + tag index', `${round(performance.now() - t0)} ms (pool ${pool.positions.length}, gold ${pool.gold.length})`);
  const plan = lab.planCandidates(pool, { k: K, seed: 1 });
  // Warm-up (JIT) on a few candidates.
  for (const c of lab.generateCandidates(pool, lab.planCandidates(pool, { k: 5, seed: 99 }))) void c;
  t0 = performance.now();
  const candidates = [];
  for (const c of lab.generateCandidates(pool, plan)) candidates.push(c);
  const genMs = performance.now() - t0;
  row(`candidates: K=${K}, cap 7000 (mix, labels, counts)`, `${round(genMs)} ms total, ${round(genMs / K, 2)} ms/candidate`);
  t0 = performance.now();
  let bytes = 0;
  for (const c of candidates) bytes += lab.trlJsonl(records, c).length;
  const trlMs = performance.now() - t0;
  row(`candidates: TRL JSONL text of all ${K} mixes (in memory)`, `${round(trlMs)} ms, ${round(bytes / 1e6)} M chars`);
  t0 = performance.now();
  let csv = lab.countsCsvHeader();
  for (const c of candidates) csv += `\n${lab.countsCsvLine(c)}`;
  row('counts.csv text', `${round(performance.now() - t0, 2)} ms, ${csv.length} chars`);

  // Proxy reward models.
  t0 = performance.now();
  const features = lab.proxyFeatures(records);
  row(
    `proxy: hashed features of ${records.length} pairs (2^18 buckets, uni+bigrams)`,
    `${round(performance.now() - t0)} ms, ${features.indices.length} non-zeros`,
  );
  const buffer = new Float64Array(features.width);
  const gold = { positions: pool.gold, preferA: pool.goldA };
  lab.proxyEvaluateCandidate(features, candidates[2], gold, { seed: 1 }, buffer); // warm-up
  const y = new Float64Array(K);
  const perCandidate = [];
  for (const c of candidates) {
    const s = performance.now();
    y[c.index] = lab.proxyEvaluateCandidate(features, c, gold, { seed: 1 + c.index }, buffer).accuracy;
    perCandidate.push(performance.now() - s);
  }
  perCandidate.sort((a, b) => a - b);
  const mean = perCandidate.reduce((s, v) => s + v, 0) / K;
  const mixRows = candidates.reduce((s, c) => s + c.mix.length, 0) / K;
  row(
    `proxy: train (4 epochs) + score on ${pool.gold.length} gold pairs, per candidate (mixes of ~${Math.round(mixRows)} pairs)`,
    `${round(mean, 2)} ms mean, ${round(perCandidate[Math.floor(K / 2)], 2)} ms median, ${round(perCandidate[K - 1], 2)} ms max`,
  );
  const ySorted = [...y].sort((a, b) => a - b);
  row(
    `proxy_accuracy over the candidates, min / median / max (${maker.stats().uniqueTexts.toLocaleString('en-US')} distinct texts; pairs are word-edited copies, so gold pairs resemble mix pairs and these run high)`,
    `${ySorted[0].toFixed(4)} / ${ySorted[K >> 1].toFixed(4)} / ${ySorted[K - 1].toFixed(4)}`,
  );

  // Fits.
  const fitRows = (label, X) => {
    const data = { features: fs.coverage.map((c) => c.tag), X, y, n: K };
    for (const kind of ['linear', 'quadratic']) {
      const s = performance.now();
      const f = lab.fitPpm(data, { kind, folds: 5, seed: 1 });
      row(
        `fit ${kind}, ${K} candidates, ${label}: ${f.terms} terms, ${f.solver}`,
        `${round(performance.now() - s)} ms; CV Spearman ${f.cv.spearman.mean.toFixed(3)} ± ${f.cv.spearman.std.toFixed(3)}, RMSE ${f.cv.rmse.mean.toFixed(4)} ± ${f.cv.rmse.std.toFixed(4)}`,
      );
    }
  };
  // One row of counts per candidate, as wide as the tag vector (the paper's 90 and the judge features).
  const countsOf = (cs) => {
    const width = fs.coverage.length;
    const X = new Float64Array(K * width);
    for (const c of cs) X.set(c.counts, c.index * width);
    return X;
  };
  fitRows('real counts', countsOf(candidates));
  // Same pool labels, a synthetic matrix where all 90 tags vary: the quadratic basis is full (dual solver).
  const synth = lab.preparePool(records, randomTagMatrix(records.length, 15, 3), { goldShare: 0.2, seed: 1 });
  fitRows(
    'synthetic 90-tag counts (proxy scores reused, timing only)',
    countsOf([...lab.generateCandidates(synth, lab.planCandidates(synth, { k: K, seed: 1 }))]),
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
