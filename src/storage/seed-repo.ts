import type { HyperDb, InstanceRow } from './db';
import { capReport, type NewDataset } from './datasets-repo';
import { addInstances } from './instances-repo';
import type { PairRecord } from '../domain/instance';
import { newId } from './ids';

/**
 * Writes a whole small project (project, one dataset, its records) in one transaction. With a flag, the
 * write happens only if the flag is not yet set, so two tabs starting at once seed only one demo.
 */
export async function seedProject(
  db: HyperDb,
  input: { flag: string | null; projectName: string; dataset: Omit<NewDataset, 'projectId'>; records: readonly PairRecord[] },
): Promise<string | null> {
  return db.transaction('rw', [db.projects, db.datasets, db.instanceBlocks, db.searchBlocks, db.meta], async () => {
    if (input.flag && (await db.meta.get(input.flag))) return null;
    const now = Date.now();
    const projectId = newId('project');
    const datasetId = newId('dataset');
    await db.projects.add({ id: projectId, name: input.projectName, isDemo: true, createdAt: now, updatedAt: now, guidelines: '' });
    await db.datasets.add({
      ...input.dataset,
      report: capReport(input.dataset.report),
      projectId,
      id: datasetId,
      status: 'ready',
      rowCount: input.records.length,
      createdAt: now,
    });
    const rows: InstanceRow[] = input.records.map((r, idx) => ({ ...r, datasetId, idx }));
    await addInstances(db, rows);
    if (input.flag) await db.meta.put({ key: input.flag, value: now });
    return projectId;
  });
}
