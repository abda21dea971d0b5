import type { DatasetRow, HyperDb, InstanceRow } from './db';
import { REPORT_LIST_CAP } from './db';
import { addInstances, deleteInstancesOf } from './instances-repo';
import type { PairRecord } from '../domain/instance';
import type { ImportReport } from '../domain/formats/report';
import { newId } from './ids';
import { orientationOf } from '../domain/formats/orientation';
import type { AnnotatedDataset } from '../domain/merge/annotations-file';
import { touchProject } from './projects-repo';

/** An import still 'importing' whose last chunk is older than this is treated as dead (crashed tab). */
const STALE_IMPORT_MS = 120_000;

export type NewDataset = Omit<DatasetRow, 'id' | 'status' | 'createdAt' | 'rowCount'>;

/** Datasets of a project that finished importing, oldest first. */
export async function listDatasets(db: HyperDb, projectId: string): Promise<DatasetRow[]> {
  const rows = await db.datasets.where('[projectId+createdAt]').between([projectId, -Infinity], [projectId, Infinity]).toArray();
  return rows.filter((d) => d.status === 'ready');
}

export async function getDataset(db: HyperDb, id: string): Promise<DatasetRow | undefined> {
  return db.datasets.get(id);
}

/** The report as stored: its row lists capped so a file with a million bad rows stays small. */
export function capReport(report: ImportReport): ImportReport {
  return {
    ...report,
    rejected: report.rejected.slice(0, REPORT_LIST_CAP),
    warnings: report.warnings.slice(0, REPORT_LIST_CAP),
  };
}

/**
 * Starts an import: the dataset row exists but stays invisible ('importing') until finishImport.
 * Rows go in with appendInstances, one transaction per chunk, so a large import never holds one huge transaction.
 */
export async function beginImport(db: HyperDb, data: NewDataset): Promise<string> {
  const id = newId('dataset');
  const now = Date.now();
  await db.datasets.add({ ...data, report: capReport(data.report), id, status: 'importing', rowCount: 0, createdAt: now });
  await db.meta.put({ key: `import-heartbeat:${id}`, value: now });
  return id;
}

export async function appendInstances(db: HyperDb, datasetId: string, firstIdx: number, records: readonly PairRecord[]): Promise<void> {
  const rows: InstanceRow[] = records.map((r, i) => ({ ...r, datasetId, idx: firstIdx + i }));
  await db.transaction('rw', db.instanceBlocks, db.searchBlocks, db.meta, async () => {
    await addInstances(db, rows);
    await db.meta.put({ key: `import-heartbeat:${datasetId}`, value: Date.now() });
  });
}

export async function finishImport(db: HyperDb, datasetId: string, rowCount: number): Promise<void> {
  await db.transaction('rw', db.datasets, db.meta, db.projects, async () => {
    const dataset = await db.datasets.get(datasetId);
    if (!dataset) throw new Error(`Dataset ${datasetId} vanished during import.`);
    await db.datasets.update(datasetId, { status: 'ready', rowCount });
    await db.meta.delete(`import-heartbeat:${datasetId}`);
    await touchProject(db, dataset.projectId);
  });
}

/** Deletes a dataset and its instances (also used to roll back a failed or cancelled import). */
export async function deleteDataset(db: HyperDb, datasetId: string): Promise<void> {
  await db.transaction(
    'rw',
    [
      db.datasets,
      db.instanceBlocks,
      db.searchBlocks,
      db.meta,
      db.featureSets,
      db.analyzerTags,
      db.semanticScores,
      db.plans,
      db.judgeLabels,
      db.judgeAnswers,
    ],
    async () => {
      await deleteInstancesOf(db, datasetId);
      await db.featureSets.delete(datasetId);
      await db.semanticScores.delete(datasetId);
      await db.plans.where('datasetId').equals(datasetId).delete();
      await db.analyzerTags.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
      await db.judgeLabels.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
      await db.judgeAnswers.where('datasetId').equals(datasetId).delete();
      await db.datasets.delete(datasetId);
      await db.meta.bulkDelete([`import-heartbeat:${datasetId}`, `judge-ensemble:${datasetId}`]);
    },
  );
}

/** Removes imports left half-written by a crashed or closed tab. Returns how many were removed. */
export async function removeStaleImports(db: HyperDb, now: number = Date.now()): Promise<number> {
  const importing = await db.datasets.where('status').equals('importing').toArray();
  let removed = 0;
  for (const d of importing) {
    const beat = (await db.meta.get(`import-heartbeat:${d.id}`))?.value;
    const last = typeof beat === 'number' ? beat : d.createdAt;
    if (now - last > STALE_IMPORT_MS) {
      await deleteDataset(db, d.id);
      removed++;
    }
  }
  return removed;
}

/** A stored dataset as annotation files and packs name it: id, name, file hash, size and A/B orientation. */
export function annotatedDatasetOf(d: DatasetRow): AnnotatedDataset {
  // A pack's local dataset has no file of its own: its "hash" is the pack id.
  const sha256 = /^[0-9a-f]{64}$/.test(d.contentHash) ? { sha256: d.contentHash } : {};
  return { id: d.id, name: d.name, ...sha256, n: d.rowCount, ...orientationOf(d.shape, d.options.seed) };
}
