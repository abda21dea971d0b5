import type { HyperDb, ProjectRow } from './db';
import { newId } from './ids';
import { HyperError } from '../domain/errors';
import { deleteInstancesOf } from './instances-repo';

export class ProjectNameError extends HyperError<'bad-project-name'> {
  constructor(message: string) {
    super('bad-project-name', message);
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ProjectNameError('A project needs a name.');
  if (trimmed.length > 120) throw new ProjectNameError('Project names are at most 120 characters.');
  return trimmed;
}

/** All projects, most recently changed first. */
export async function listProjects(db: HyperDb): Promise<ProjectRow[]> {
  return await db.projects.orderBy('updatedAt').reverse().toArray();
}

export async function getProject(db: HyperDb, id: string): Promise<ProjectRow | undefined> {
  return db.projects.get(id);
}

export async function createProject(db: HyperDb, name: string, opts: { isDemo?: boolean; id?: string } = {}): Promise<ProjectRow> {
  const now = Date.now();
  const row: ProjectRow = {
    id: opts.id ?? newId('project'),
    name: cleanName(name),
    isDemo: opts.isDemo ?? false,
    createdAt: now,
    updatedAt: now,
    guidelines: '',
  };
  await db.projects.add(row);
  return row;
}

export async function renameProject(db: HyperDb, id: string, name: string): Promise<void> {
  const changed = await db.projects.update(id, { name: cleanName(name), updatedAt: Date.now() });
  if (changed === 0) throw new Error(`Project ${id} does not exist.`);
}

export async function touchProject(db: HyperDb, id: string): Promise<void> {
  await db.projects.update(id, { updatedAt: Date.now() });
}

/** Deletes a project with all its datasets and their instances, in one transaction. */
export async function deleteProject(db: HyperDb, id: string): Promise<void> {
  await db.transaction(
    'rw',
    [
      db.projects,
      db.datasets,
      db.instanceBlocks,
      db.searchBlocks,
      db.featureSets,
      db.analyzerTags,
      db.judgeLabels,
      db.judgeAnswers,
      db.semanticScores,
      db.plans,
      db.annotations,
      db.annotatorStates,
      db.meta,
    ],
    async () => {
      const datasets = await db.datasets.where('projectId').equals(id).primaryKeys();
      for (const datasetId of datasets) {
        await deleteInstancesOf(db, datasetId);
        await db.featureSets.delete(datasetId);
        await db.semanticScores.delete(datasetId);
        await db.analyzerTags.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
        await db.judgeLabels.where('[datasetId+idx]').between([datasetId, -Infinity], [datasetId, Infinity]).delete();
        await db.judgeAnswers.where('datasetId').equals(datasetId).delete();
        await db.meta.delete(`judge-ensemble:${datasetId}`);
      }
      await db.datasets.bulkDelete(datasets);
      await db.plans.where('[projectId+version]').between([id, -Infinity], [id, Infinity]).delete();
      await db.annotations.where('projectId').equals(id).delete();
      await db.annotatorStates.where('projectId').equals(id).delete();
      await db.projects.delete(id);
    },
  );
}

export async function setGuidelines(db: HyperDb, id: string, guidelines: string): Promise<void> {
  await db.projects.update(id, { guidelines, updatedAt: Date.now() });
}
