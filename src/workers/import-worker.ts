/// <reference lib="webworker" />
// Thin adapter: reads files with the domain readers, keeps the parsed rows until the user decides, and
// writes accepted records to IndexedDB in chunks. A failed or cancelled commit removes what it wrote.
import { readTable } from '../domain/formats/container';
import { ImportSession } from '../domain/formats/import-session';
import { ImportError } from '../domain/errors';
import type { PairRecord } from '../domain/instance';
import { DEFAULT_MAP_OPTIONS, type MapOptions, type LayoutId } from '../domain/formats/types';
import { defaultChosenLabelSource } from '../domain/formats/layouts';
import { INSTANCE_BLOCK, openDb } from '../storage/db';
import { appendInstances, beginImport, deleteDataset, finishImport } from '../storage/datasets-repo';
import { seedProject } from '../storage/seed-repo';
import { serveWorker, type JobContext } from './worker-host';
import { ensureRoomFor } from './storage-guard';
import { unzipSync } from 'fflate';
import { BACKUP_MANIFEST, BackupError, parseBackupManifest, restoreProject } from '../storage/backup-repo';
import type { ImportRequest, ImportResults, InspectResult } from './import-protocol';
import { sha256Hex } from '../domain/util';

interface Held {
  session: ImportSession;
  fileName: string;
  format: InspectResult['format'];
  compressed: boolean;
  contentHash: string;
  notes: string[];
  /** Bytes of the file's content (after gzip): what storing its rows will take, roughly. */
  contentBytes: number;
}

const sessions = new Map<string, Held>();
// Whole blocks per transaction (a block split across two appends is read back to be extended).
const CHUNK_ROWS = 8 * INSTANCE_BLOCK;

function held(sessionId: string): Held {
  const h = sessions.get(sessionId);
  if (!h) throw new ImportError('no-rows', 'This import was discarded; choose the file again.');
  return h;
}

function checkCancelled(ctx: JobContext): void {
  if (ctx.signal.aborted) throw new ImportError('cancelled', 'Import cancelled.');
}

async function inspect(file: Blob, fileName: string, ctx: JobContext): Promise<InspectResult> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  checkCancelled(ctx);
  const session = new ImportSession();
  const { format, compressed, notes, contentBytes } = await readTable(bytes, fileName, session, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ phase: 'reading', done, total }),
  });
  const contentHash = await sha256Hex(bytes);
  checkCancelled(ctx);
  const guesses = session.recognise();
  const best = guesses[0];
  const sessionId = crypto.randomUUID();
  sessions.clear(); // one import at a time per worker: drop rows of abandoned imports
  sessions.set(sessionId, { session, fileName, format, compressed, contentHash, notes, contentBytes });
  const meta = { fileName, format, compressed, notes };
  ctx.progress({ phase: 'checking', done: 0, total: 1 });
  const report = best && best.score > 0 ? session.evaluate(best.shape, defaultOptionsFor(best.shape), meta) : null;
  return {
    sessionId,
    fileName,
    format,
    compressed,
    contentHash,
    columns: report?.columns ?? session.columns(),
    guesses,
    sample: session.sampleRows(20).map((r) => r.value),
    report,
    notes,
    readProblems: session.problems.slice(0, 50),
    rowsRead: session.rows.length,
  };
}

function defaultOptionsFor(shape: LayoutId): MapOptions {
  return { ...DEFAULT_MAP_OPTIONS, chosenLabelSource: defaultChosenLabelSource(shape) };
}

async function commit(req: Extract<ImportRequest, { type: 'commit' }>, ctx: JobContext): Promise<ImportResults['commit']> {
  const h = held(req.sessionId);
  const db = openDb();
  const report = h.session.evaluate(req.shape, req.options, {
    fileName: h.fileName,
    format: h.format,
    compressed: h.compressed,
    notes: h.notes,
  });
  if (report.importable === 0) throw new ImportError('no-rows', 'No row of this file can be imported with these settings.');
  // IndexedDB keeps the records about as large as their text (compressed, but with its log and indexes).
  await ensureRoomFor(Math.round(h.contentBytes * 1.5), `Importing ${h.fileName}`);
  const datasetId = await beginImport(db, {
    projectId: req.projectId,
    name: req.datasetName,
    fileName: h.fileName,
    format: h.format,
    compressed: h.compressed,
    shape: req.shape,
    options: req.options,
    ...(req.options.mapping ? { mapping: req.options.mapping } : {}),
    contentHash: h.contentHash,
    report,
  });
  let written = 0;
  try {
    let chunk: PairRecord[] = [];
    for (const record of h.session.records(req.shape, req.options)) {
      chunk.push(record);
      if (chunk.length === CHUNK_ROWS) {
        checkCancelled(ctx);
        await appendInstances(db, datasetId, written, chunk);
        written += chunk.length;
        chunk = [];
        ctx.progress({ phase: 'storing', done: written, total: report.importable });
      }
    }
    checkCancelled(ctx);
    if (chunk.length) await appendInstances(db, datasetId, written, chunk);
    written += chunk.length;
    await finishImport(db, datasetId, written);
  } catch (e) {
    // Roll back at once; if even that fails (the disk is full), start-up removes the unfinished dataset later.
    // Either way the error reported is the one that stopped the import, not the rollback's.
    try {
      await deleteDataset(db, datasetId);
    } catch (rollback) {
      console.warn('rollback of a failed import failed; start-up removes it', rollback);
    }
    throw e;
  }
  sessions.delete(req.sessionId);
  return { datasetId, rowCount: written };
}

/** Restores a project backup: the zip is read here, checked, and written with restoreProject. */
async function restore(file: Blob, fileName: string, ctx: JobContext): Promise<ImportResults['restore']> {
  ctx.progress({ phase: 'reading-backup', done: 0, total: 3 });
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    throw new BackupError(
      `${fileName} is not a zip file (${e instanceof Error ? e.message : String(e)}); a backup is the .zip the Projects page's "Back up" downloads.`,
    );
  }
  const decoder = new TextDecoder();
  const manifestBytes = entries[BACKUP_MANIFEST];
  if (!manifestBytes) throw new BackupError(`${fileName} holds no ${BACKUP_MANIFEST}: it is not a project backup.`);
  const manifest = parseBackupManifest(decoder.decode(manifestBytes), fileName);
  const size = Object.values(entries).reduce((n, b) => n + b.length, 0);
  await ensureRoomFor(Math.round(size * 1.5), `Restoring ${fileName}`);
  checkCancelled(ctx);
  ctx.progress({ phase: 'writing-project', done: 1, total: 3 });
  const { projectId, copy } = await restoreProject(
    openDb(),
    manifest,
    {
      text: (n) => (entries[n] ? decoder.decode(entries[n]) : undefined),
      bytes: (n) => entries[n],
      names: () => Object.keys(entries),
    },
    fileName,
  );
  const pairs = Object.values(manifest.counts.instances).reduce((a, b) => a + b, 0);
  return {
    projectId,
    name: copy ? `${manifest.project.name} (restored)` : manifest.project.name,
    copy,
    pairs,
    annotations: manifest.counts.annotations,
  };
}

const DEMO_FLAG = 'demo-seeded';

/** The demo goes through the same readers and layouts as any user file. */
async function seedDemo(text: string, fileName: string, force: boolean): Promise<ImportResults['seed-demo']> {
  const db = openDb();
  if (!force && (await db.meta.get(DEMO_FLAG))) return { projectId: null };
  const bytes = new TextEncoder().encode(text);
  const session = await ImportSession.read(bytes, fileName);
  const [best] = session.recognise();
  if (!best || !session.meta) throw new ImportError('no-shape', 'The bundled demo data is not in a recognised layout.');
  const options = defaultOptionsFor(best.shape);
  const report = session.evaluate(best.shape, options);
  const projectId = await seedProject(db, {
    flag: force ? null : DEMO_FLAG,
    projectName: 'Demo project',
    dataset: {
      name: 'Demo pairs',
      fileName,
      format: session.meta.format,
      compressed: session.meta.compressed,
      shape: best.shape,
      options,
      contentHash: await sha256Hex(bytes),
      report,
    },
    records: [...session.records(best.shape, options)],
  });
  return { projectId };
}

serveWorker<ImportRequest, ImportResults>(self, {
  inspect: async (req, ctx) => {
    return await inspect(req.file, req.fileName, ctx);
  },
  evaluate: async (req) => {
    const h = held(req.sessionId);
    return h.session.evaluate(req.shape, req.options, { fileName: h.fileName, format: h.format, compressed: h.compressed });
  },
  distinct: async (req) => {
    return held(req.sessionId).session.distinctValues(req.column, req.limit);
  },
  commit: async (req, ctx) => {
    return await commit(req, ctx);
  },
  discard: async (req) => {
    sessions.delete(req.sessionId);
    return null;
  },
  'seed-demo': async (req) => {
    return await seedDemo(req.text, req.fileName, req.force);
  },
  restore: async (req, ctx) => {
    return await restore(req.file, req.fileName, ctx);
  },
});
