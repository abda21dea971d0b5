/// <reference lib="webworker" />
// Thin adapter: reads the dataset, plan and annotations from IndexedDB, runs the merge and the chosen
// writer chunk by chunk (domain/export), and hands back one zip (data file, manifest.json, README.md).
import { tagsOf } from '../domain/tags/tag-set';
import { createFormatWriter, dataFileName, exportZip, fastDeflateRaw, ZipWriter } from '../domain/export';
import { entryBytes, projectBackupEntries } from '../storage/backup-repo';
import { Merger } from '../domain/merge';
import { isRoutingError, type PlanFile } from '../domain/routing';
import { listProjectAnnotations } from '../storage/annotations-repo';
import { getDataset } from '../storage/datasets-repo';
import { readInstanceRange } from '../storage/instances-repo';
import { openDb, type DatasetRow } from '../storage/db';
import { getTagSet } from '../storage/tags-repo';
import { planFileOf } from '../storage/routing-repo';
import type { ExportRequest, ExportResults, ExportSpec } from './export-protocol';
import type { JobContext } from './worker-host';
import { serveWorker } from './worker-host';
import { generalError, type GeneralErrorCode } from '../domain/errors';
import type { ProgressPhase } from './protocol';
import { calibrationReport, storedSignals, withJudgeResult, type CalibrationItem } from '../domain/judge';
import { readJudgeLabels } from '../storage/judge-repo';
import { annotatorMajorities } from '../domain/annotation';

const CHUNK = 1000;

function fail(code: GeneralErrorCode, message: string): never {
  throw generalError(code, message);
}

async function load(spec: ExportSpec) {
  const db = openDb();
  const dataset = await getDataset(db, spec.datasetId);
  if (!dataset || dataset.status !== 'ready') fail('not-found', 'The dataset no longer exists.');
  const plan = spec.planId ? await db.plans.get(spec.planId) : undefined;
  if (spec.planId && !plan) fail('not-found', 'The routing plan no longer exists.');
  if (plan && plan.datasetId !== dataset.id) fail('plan-mismatch', 'The routing plan belongs to another dataset.');
  let planFile: PlanFile | null = null;
  if (plan) {
    try {
      planFile = await planFileOf(db, plan, { app: 'hyper-workbench', version: spec.appVersion });
    } catch (e) {
      if (isRoutingError(e) && e.code === 'bad-plan') fail('plan-mismatch', 'The routing plan names pairs the dataset no longer has.');
      throw e;
    }
  }
  const annotations = (await listProjectAnnotations(db, spec.projectId)).filter((a) => a.datasetId === dataset.id);
  return { dataset, planFile, annotations };
}

/** The dataset's pairs in chunks, with the judge labels of each chunk beside. */
async function* judgedChunks(datasetId: string, n: number, ctx: JobContext, phase: ProgressPhase) {
  const db = openDb();
  for (let from = 0; from < n; from += CHUNK) {
    ctx.progress({ phase, done: from, total: n });
    const rows = await readInstanceRange(db, datasetId, from, CHUNK);
    // A judge run's labels where the file has none (the file's own LM label wins), and its signals.
    const judged = await readJudgeLabels(db, datasetId, from, from + CHUNK);
    yield { rows: judged.size === 0 ? rows : rows.map((r) => withJudgeResult(r, judged.get(r.idx))), judged };
  }
  ctx.progress({ phase, done: n, total: n });
}

async function* chunks(datasetId: string, n: number, ctx: JobContext, phase: ProgressPhase) {
  for await (const c of judgedChunks(datasetId, n, ctx, phase)) yield c.rows;
}

function baseName(d: DatasetRow): string {
  return (
    d.name
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'dataset'
  );
}

async function backup(projectId: string, appVersion: string, ctx: JobContext): Promise<ExportResults['backup']> {
  const db = openDb();
  const project = await db.projects.get(projectId);
  if (!project) fail('not-found', 'The project no longer exists.');
  const parts: Uint8Array[] = [];
  const zip = new ZipWriter((b) => void parts.push(b), { deflate: () => fastDeflateRaw() });
  let entries = 0;
  let pairs = 0;
  let annotations = 0;
  for await (const e of projectBackupEntries(db, projectId, { name: 'hyper-workbench', version: appVersion })) {
    if (ctx.signal.aborted) fail('cancelled', 'Cancelled.');
    await zip.addFile(e.name, entryBytes(e), { compress: !e.name.endsWith('.onnx') });
    if (e.name.includes('/instances.part-') && 'text' in e) pairs += e.text.split('\n').length - 1;
    if (e.name === 'annotations.jsonl' && 'text' in e) annotations = e.text === '' ? 0 : e.text.split('\n').length - 1;
    ctx.progress({ phase: 'backing-up', done: ++entries, total: entries + 1 });
  }
  await zip.finish();
  const safe =
    project.name
      .replace(/[^\w.-]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'project';
  return {
    zip: new Blob(parts as BlobPart[], { type: 'application/zip' }),
    fileName: `${safe}-backup-${new Date().toISOString().slice(0, 10)}.zip`,
    pairs,
    annotations,
  };
}

async function mergerFor(spec: ExportSpec) {
  const { dataset, planFile, annotations } = await load(spec);
  return {
    dataset,
    planFile,
    merger: new Merger({ plan: { human: planFile?.human ?? [], dataset: { n: dataset.rowCount } }, annotations, options: spec.options }),
  };
}

async function summary(spec: ExportSpec, ctx: JobContext): Promise<ExportResults['summary']> {
  const { dataset, merger } = await mergerFor(spec);
  for await (const c of chunks(dataset.id, dataset.rowCount, ctx, 'merging')) {
    if (ctx.signal.aborted) fail('cancelled', 'Cancelled.');
    merger.decide(c);
  }
  return merger.finish();
}

async function exportDataset(req: Extract<ExportRequest, { type: 'export' }>, ctx: JobContext): Promise<ExportResults['export']> {
  const { dataset, planFile, merger } = await mergerFor(req);
  const fs = await getTagSet(openDb(), dataset.id);
  const stamp = new Date().toISOString();
  const dataFile = dataFileName(baseName(dataset), req.format);
  const parts: Uint8Array[] = [];
  const { manifest, summary } = await exportZip({
    chunks: chunks(dataset.id, dataset.rowCount, ctx, 'exporting'),
    merger,
    writer: createFormatWriter(req.format, {
      ...(fs ? { hyperTags: (m) => tagsOf(fs.tagBits, m.idx) } : {}),
      csvGuardFormulas: req.csvGuardFormulas ?? true,
    }),
    signal: ctx.signal,
    zipSink: (b) => void parts.push(b),
    ...(req.compress ? { deflate: () => fastDeflateRaw() } : {}),
    context: {
      app: { name: 'hyper-workbench', version: req.appVersion },
      dataset: { name: dataset.name, sha256: dataset.contentHash },
      plan: planFile,
      format: req.format,
      createdAt: stamp,
      dataFile,
    },
  });
  const zip = new Blob(parts as BlobPart[], { type: 'application/zip' });
  return { zip, fileName: `${baseName(dataset)}-hybrid-${req.format}.zip`, manifest, summary };
}

/**
 * The judge's calibration against people: every pair with judge signals and a human label (the file's, or the
 * majority of the submitted annotations of the pair, latest per annotator).
 */
async function calibration(projectId: string, datasetId: string, ctx: JobContext): Promise<ExportResults['calibration']> {
  const db = openDb();
  const dataset = await getDataset(db, datasetId);
  if (!dataset || dataset.status !== 'ready') fail('not-found', 'The dataset no longer exists.');
  const tagSet = await getTagSet(db, datasetId);
  const people = annotatorMajorities(await listProjectAnnotations(db, projectId), datasetId);
  const items: CalibrationItem[] = [];
  // Each judge's own labels, where several judges answered (the combined label is in `items`).
  const perJudge = new Map<string, CalibrationItem[]>();
  let judged = 0;
  for await (const chunk of judgedChunks(datasetId, dataset.rowCount, ctx, 'reading-pairs')) {
    if (ctx.signal.aborted) fail('cancelled', 'Cancelled.');
    for (const r of chunk.rows) {
      const signals = storedSignals(r);
      if (!signals) continue;
      judged++;
      const human = r.human?.value ?? people.get(r.idx);
      if (!human) continue;
      const tags = tagSet ? tagsOf(tagSet.tagBits, r.idx) : [];
      items.push({
        judge: r.lm?.value ?? null,
        human,
        swapInconsistent: signals.judge_swap_inconsistent,
        confidence: signals.judge_confidence,
        tags,
      });
      for (const [name, one] of Object.entries(chunk.judged.get(r.idx)?.perJudge ?? {})) {
        const list = perJudge.get(name) ?? [];
        list.push({ judge: one.label, human, swapInconsistent: one.swapInconsistent, confidence: null, tags });
        perJudge.set(name, list);
      }
    }
  }
  if (judged === 0) return null;
  const judges = [...perJudge]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([judge, list]) => {
      const r = calibrationReport(list, { topTags: 0 });
      return { judge, n: r.n, accuracy: r.accuracy, kappa: r.kappa, positionBiasRate: r.positionBiasRate };
    });
  return { report: calibrationReport(items), judged, judges };
}

/** Batches of published pairs stay well under the server's 32 MB a request. */
const PUBLISH_BATCH_BYTES = 8 * 1024 * 1024;

/** A JSON POST to the team server (same origin: the session cookie goes with it); its answer, or a clear error. */
async function postToServer<T>(path: string, body: string, signal: AbortSignal): Promise<T> {
  let r: Response;
  try {
    r = await fetch(`/api/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
  } catch (e) {
    if (signal.aborted) fail('cancelled', 'Cancelled.');
    fail('server', `The team server did not answer (${e instanceof Error ? e.message : String(e)}); is hyper serve still running?`);
  }
  const text = await r.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: said below
  }
  if (!r.ok) {
    const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? text.slice(0, 200);
    fail('server', `The team server refused ${path} (${r.status}): ${message}`);
  }
  return parsed as T;
}

async function publish(req: Extract<ExportRequest, { type: 'publish' }>, ctx: JobContext): Promise<ExportResults['publish']> {
  const { dataset, planFile } = await load({ ...req, options: {} as never });
  if (!planFile) fail('not-found', 'Lock a routing plan first: the server hands out its human queue.');
  let datasetId: number | undefined;
  let batch: string[] = [];
  let bytes = 0;
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const body = `{"name":${JSON.stringify(req.name)},"guidelines":${JSON.stringify(req.guidelines)},${
      datasetId === undefined ? '' : `"datasetId":${datasetId},`
    }"pairs":[${batch.join(',')}]}`;
    datasetId = (await postToServer<{ datasetId: number }>('datasets', body, ctx.signal)).datasetId;
    sent += batch.length;
    ctx.progress({ phase: 'publishing', done: sent, total: dataset.rowCount });
    batch = [];
    bytes = 0;
  };
  for await (const rows of chunks(dataset.id, dataset.rowCount, ctx, 'reading-pairs')) {
    for (const r of rows) {
      if (ctx.signal.aborted) fail('cancelled', 'Cancelled.');
      const { datasetId: _local, ...record } = r;
      const one = JSON.stringify({
        idx: r.idx,
        id: r.id,
        prompt: r.prompt,
        responseA: r.responseA,
        responseB: r.responseB,
        lm: r.lm?.value ?? null,
        record,
      });
      if (bytes + one.length > PUBLISH_BATCH_BYTES) await flush();
      batch.push(one);
      bytes += one.length;
    }
  }
  await flush();
  if (datasetId === undefined) fail('bad-dataset', 'The dataset has no pairs to publish.');
  const { planId } = await postToServer<{ planId: number }>(
    'plans',
    JSON.stringify({ datasetId, planFile, overlap: req.overlap, leaseSeconds: req.leaseSeconds, name: req.name }),
    ctx.signal,
  );
  return { datasetId, planId, pairs: sent, items: planFile.human.length };
}

serveWorker<ExportRequest, ExportResults>(self, {
  publish: (req, ctx) => publish(req, ctx),
  calibration: (req, ctx) => calibration(req.projectId, req.datasetId, ctx),
  backup: (req, ctx) => backup(req.projectId, req.appVersion, ctx),
  summary: (req, ctx) => summary(req, ctx),
  export: (req, ctx) => exportDataset(req, ctx),
});
