/// <reference lib="webworker" />
// Thin adapter over domain/ppm-lab: reads a dataset and its stored tags from IndexedDB, then writes a candidates
// zip, runs the PROXY reward model on candidates of a prepared plan, or fits a PPM. Several of these workers
// form the proxy pool: each prepares the same plan itself (it is deterministic) and builds the candidates it is
// handed, so no mix ever crosses a worker boundary.
import type { TagSet } from '../domain/tags/tag-set';
import { TAG_COUNT } from '../domain/tags/tags';
import { webDeflateRaw, ZipWriter } from '../domain/export';
import {
  buildManifest,
  CandidateFactory,
  countsCsvHeader,
  countsCsvLine,
  describeFit,
  exportFittedPpm,
  fitPpm,
  generateCandidates,
  humanIds,
  manifestEntry,
  planCandidates,
  preparePool,
  proxyEvaluateCandidate,
  proxyFeatures,
  trlJsonl,
  type CandidateManifestEntry,
  type CandidatePlan,
  type CandidatePool,
  type FitResult,
  type LabelledPair,
  type ProxyFeatures,
} from '../domain/ppm-lab';
import { getDataset } from '../storage/datasets-repo';
import { readInstanceRange } from '../storage/instances-repo';
import { openDb, type DatasetRow } from '../storage/db';
import { getTagSet } from '../storage/tags-repo';
import type { CandidateTable, LabRunSettings, PoolSummary, PpmLabRequest, PpmLabResults, ProxyCandidateResult } from './ppm-lab-protocol';
import type { JobContext } from './worker-host';
import { serveWorker, withTransfer } from './worker-host';
import { generalError, type GeneralErrorCode } from '../domain/errors';
import { throwIfAborted } from '../domain/util';

const CHUNK = 2000;
/** Zip bytes are gathered into Blobs of about this size, so a large run is not one huge array in memory. */
const BLOB_BATCH = 16 * 1024 * 1024;

function fail(code: GeneralErrorCode, message: string): never {
  throw generalError(code, message);
}

function checkAborted(ctx: JobContext): void {
  throwIfAborted(ctx.signal, () => generalError('cancelled', 'Cancelled.'));
}

async function loadDataset(datasetId: string, ctx: JobContext): Promise<{ dataset: DatasetRow; fs: TagSet; records: LabelledPair[] }> {
  const db = openDb();
  const dataset = await getDataset(db, datasetId);
  if (!dataset || dataset.status !== 'ready') fail('not-found', 'The dataset no longer exists.');
  const fs = await getTagSet(db, datasetId);
  if (!fs)
    fail(
      'no-features',
      `${dataset.name} has no tags yet (or they were computed by an older version): compute features on the Features page first.`,
    );
  const n = dataset.rowCount;
  if (fs.n !== n) fail('stale-features', `The stored tags cover ${fs.n} pairs but ${dataset.name} has ${n}: compute features again.`);
  const records: LabelledPair[] = [];
  for (let from = 0; from < n; from += CHUNK) {
    checkAborted(ctx);
    ctx.progress({ phase: 'reading-pairs', done: from, total: n });
    for (const r of await readInstanceRange(db, datasetId, from, CHUNK)) {
      // Positions index the tag matrix, so a gap would shift every later pair's tags.
      if (r.idx !== records.length) fail('bad-dataset', `${dataset.name}: pair ${records.length + 1} is missing from the stored rows.`);
      // Only what the lab uses: the rest of a record (extra fields, scores) would double the memory.
      records.push({
        id: r.id,
        prompt: r.prompt,
        responseA: r.responseA,
        responseB: r.responseB,
        lm: r.lm,
        human: r.human,
        humanVotes: r.humanVotes,
      });
    }
  }
  if (records.length !== n) fail('bad-dataset', `${dataset.name} should hold ${n} pairs but ${records.length} were read.`);
  return { dataset, fs, records };
}

function poolSummary(pool: CandidatePool): PoolSummary {
  return {
    n: pool.n,
    size: pool.positions.length,
    disagreements: pool.disagreements,
    excluded: { ...pool.excluded },
    gold: pool.gold.length,
    fingerprint: pool.fingerprint,
  };
}

function planOf(pool: CandidatePool, s: LabRunSettings): CandidatePlan {
  return planCandidates(pool, { k: s.k, budgets: s.budgets, includeExtremes: s.includeExtremes, seed: s.seed, cap: s.cap });
}

function baseName(d: DatasetRow): string {
  return (
    d.name
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'dataset'
  );
}

async function generate(req: Extract<PpmLabRequest, { type: 'generate' }>, ctx: JobContext): Promise<PpmLabResults['generate']> {
  const started = performance.now();
  const { dataset, fs, records } = await loadDataset(req.datasetId, ctx);
  const s = req.settings;
  const pool = preparePool(records, fs.tagBits, { goldShare: s.goldShare, seed: s.seed });
  const plan = planOf(pool, s);

  const blobs: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  const zip = new ZipWriter(
    (b) => {
      pending.push(b);
      pendingBytes += b.length;
      bytes += b.length;
      if (pendingBytes >= BLOB_BATCH) {
        blobs.push(new Blob(pending as BlobPart[]));
        pending = [];
        pendingBytes = 0;
      }
    },
    { deflate: webDeflateRaw },
  );
  const enc = new TextEncoder();
  const K = plan.items.length;
  const table: CandidateTable = { ids: [], fraction: [], humanInMix: [], mixSize: [], counts: new Int32Array(K * TAG_COUNT) };
  const countsLines = [countsCsvHeader()];
  const entries: CandidateManifestEntry[] = [];
  ctx.progress({ phase: 'writing-candidates', done: 0, total: K });
  for (const c of generateCandidates(pool, plan, { signal: ctx.signal })) {
    const files = { trl: `candidates/${c.id}.jsonl`, humanIds: `candidates/${c.id}.human-ids.txt` };
    await zip.addFile(files.trl, enc.encode(trlJsonl(records, c)));
    const ids = humanIds(records, c);
    await zip.addFile(files.humanIds, enc.encode(ids.length ? `${ids.join('\n')}\n` : ''));
    countsLines.push(countsCsvLine(c));
    entries.push(manifestEntry(c, files));
    table.ids.push(c.id);
    table.fraction.push(c.fraction);
    table.humanInMix.push(c.humanInMix);
    table.mixSize.push(c.mix.length);
    table.counts.set(c.counts, c.index * TAG_COUNT);
    ctx.progress({ phase: 'writing-candidates', done: c.index + 1, total: K });
  }
  checkAborted(ctx);
  await zip.addFile('counts.csv', enc.encode(`${countsLines.join('\n')}\n`));
  const manifest = buildManifest({ plan, pool, records, entries, dataset: { name: dataset.name, sha256: dataset.contentHash } });
  await zip.addFile('manifest.json', enc.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  await zip.finish();
  const blob = new Blob([...blobs, ...(pending as BlobPart[])], { type: 'application/zip' });
  return {
    zip: blob,
    fileName: `${baseName(dataset)}-candidates-k${K}-seed${plan.seed}.zip`,
    pool: poolSummary(pool),
    table,
    bytes,
    ms: performance.now() - started,
  };
}

/** The proxy state of this worker: one prepared plan at a time. */
interface ProxySession {
  key: string;
  settings: LabRunSettings;
  plan: CandidatePlan;
  factory: CandidateFactory;
  features: ProxyFeatures;
  gold: { positions: Uint32Array; preferA: Uint8Array };
  /** The weight vector, reused by every candidate this worker trains. */
  weights: Float64Array;
}

let proxy: ProxySession | null = null;

async function proxyPrepare(
  req: Extract<PpmLabRequest, { type: 'proxy-prepare' }>,
  ctx: JobContext,
): Promise<PpmLabResults['proxy-prepare']> {
  const started = performance.now();
  proxy = null;
  const { fs, records } = await loadDataset(req.datasetId, ctx);
  const s = req.settings;
  const pool = preparePool(records, fs.tagBits, { goldShare: s.goldShare, seed: s.seed });
  if (pool.gold.length === 0)
    fail(
      'bad-option',
      'The proxy scores each mix on a gold set: set a gold share above 0 (the pairs with a human winner give none at this share).',
    );
  const plan = planOf(pool, s);
  const features = proxyFeatures(records, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ phase: 'hashing-ngrams', done, total }),
  });
  proxy = {
    key: req.session,
    settings: s,
    plan,
    factory: new CandidateFactory(pool),
    features,
    gold: { positions: pool.gold, preferA: pool.goldA },
    weights: new Float64Array(features.width),
  };
  return { pool: poolSummary(pool), k: plan.items.length, ms: performance.now() - started };
}

function proxyRun(req: Extract<PpmLabRequest, { type: 'proxy-run' }>, ctx: JobContext): ProxyCandidateResult[] {
  if (!proxy || proxy.key !== req.session) fail('not-prepared', 'The proxy run was replaced by another one; start it again.');
  const p = proxy;
  return req.indices.map((i) => {
    checkAborted(ctx);
    const item = p.plan.items[i];
    if (!item) fail('bad-option', `There is no candidate ${i} (the plan has ${p.plan.items.length}).`);
    const c = p.factory.build(p.plan, item);
    // The CLI's per-candidate seed, so the app and `hyper candidates --proxy` give the same accuracies.
    const r = proxyEvaluateCandidate(p.features, c, p.gold, { epochs: req.epochs, seed: p.settings.seed + c.index }, p.weights);
    return {
      index: c.index,
      id: c.id,
      accuracy: r.accuracy,
      trainAccuracy: r.trainAccuracy,
      fraction: c.fraction,
      humanInMix: c.humanInMix,
      mixSize: c.mix.length,
      counts: c.counts,
    };
  });
}

function fit(req: Extract<PpmLabRequest, { type: 'fit' }>, ctx: JobContext): PpmLabResults['fit'] {
  const started = performance.now();
  const fits: FitResult[] = [];
  const models: Uint8Array[] = [];
  req.kinds.forEach((kind, k) => {
    const f = fitPpm(req.data, {
      kind,
      folds: req.folds,
      seed: req.seed,
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({
          phase: `fitting-${kind}-${p.stage}`,
          done: k * p.total + p.done,
          total: req.kinds.length * p.total,
        }),
    });
    fits.push(f);
    models.push(exportFittedPpm(f, { output: req.output, trainedOn: `${describeFit(f)}; ${req.scoresFrom}` }));
  });
  return { fits, models, ms: performance.now() - started };
}

serveWorker<PpmLabRequest, PpmLabResults>(self, {
  inspect: async (req, ctx) => {
    const { fs, records } = await loadDataset(req.datasetId, ctx);
    return poolSummary(preparePool(records, fs.tagBits, { goldShare: req.goldShare, seed: req.seed }));
  },
  generate: async (req, ctx) => {
    const result = await generate(req, ctx);
    return withTransfer(result, [result.table.counts.buffer]);
  },
  'proxy-prepare': async (req, ctx) => {
    return await proxyPrepare(req, ctx);
  },
  'proxy-run': async (req, ctx) => {
    const result = proxyRun(req, ctx);
    return withTransfer(
      result,
      result.map((r) => r.counts.buffer),
    );
  },
  fit: async (req, ctx) => {
    const result = fit(req, ctx);
    return withTransfer(
      result,
      result.models.map((m) => m.buffer),
    );
  },
});
