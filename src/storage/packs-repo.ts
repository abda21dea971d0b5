// Opening an annotation pack in the annotator's browser: a project of its own (dataset + one locked plan)
// that remembers where every item came from, so results map back to the lead's project.
import type { AnnotationPack } from '../domain/annotate/pack';
import { DEFAULT_MAP_OPTIONS } from '../domain/formats/types';
import type { PairRecord } from '../domain/instance';
import { asDatasetPositions } from '../domain/routing/plan';
import type { DatasetRow, HyperDb, InstanceRow, PlanRow, ProjectRow } from './db';
import { newId } from './ids';
import { addInstances } from './instances-repo';

const zero = { 'A>>B': 0, 'A>B': 0, 'A=B': 0, 'B>A': 0, 'B>>A': 0 };

/**
 * The dataset row of pairs someone handed this browser (an annotation pack, a team server's items): plain pairs with
 * no labels, tags or scores, read from `fileName`.
 */
export function handedOutDataset(d: {
  id: string;
  projectId: string;
  name: string;
  fileName: string;
  contentHash: string;
  rows: number;
  withMessages: number;
  createdAt: number;
}): DatasetRow {
  return {
    id: d.id,
    projectId: d.projectId,
    name: d.name,
    fileName: d.fileName,
    format: 'json',
    compressed: false,
    shape: 'pairs',
    options: DEFAULT_MAP_OPTIONS,
    rowCount: d.rows,
    contentHash: d.contentHash,
    status: 'ready',
    createdAt: d.createdAt,
    report: {
      fileName: d.fileName,
      format: 'json',
      compressed: false,
      shape: 'pairs',
      columns: ['prompt', 'responseA', 'responseB'],
      rowsRead: d.rows,
      importable: d.rows,
      rejected: [],
      warnings: [],
      withLmLabel: 0,
      withHumanLabel: 0,
      lmCounts: zero,
      humanCounts: zero,
      withModelNames: 0,
      withTags: 0,
      withScores: 0,
      withMessages: d.withMessages,
    },
  };
}

/** The one plan of handed-out pairs: every pair, in order, for the annotator (strategy "pack"). */
export function handedOutPlan(p: {
  id: string;
  projectId: string;
  datasetId: string;
  name: string;
  rows: number;
  createdAt: number;
}): PlanRow {
  return {
    id: p.id,
    projectId: p.projectId,
    datasetId: p.datasetId,
    version: 1,
    ppmHash: '',
    ppmName: p.name,
    strategy: 'pack',
    budget: { kind: 'count', value: p.rows, count: p.rows },
    seed: null,
    candidates: null,
    humanIdx: asDatasetPositions(Uint32Array.from({ length: p.rows }, (_, i) => i)),
    gains: new Float32Array(p.rows),
    predicted: 0,
    predictedAllLm: 0,
    predictedAllHuman: 0,
    backend: '',
    featureSetCreatedAt: 0,
    createdAt: p.createdAt,
  };
}

/** Opens a pack as a project (once: opening the same pack again returns the existing project). */
export async function openPackProject(
  db: HyperDb,
  pack: AnnotationPack,
  fileName: string,
): Promise<{ projectId: string; created: boolean }> {
  return db.transaction('rw', [db.projects, db.datasets, db.instanceBlocks, db.searchBlocks, db.plans], async () => {
    const existing = (await db.projects.toArray()).find((p) => p.pack?.packId === pack.packId);
    if (existing) return { projectId: existing.id, created: false };
    const now = Date.now();
    const projectId = newId('project');
    const datasetId = newId('dataset');
    const project: ProjectRow = {
      id: projectId,
      name: `${pack.projectName} — pack for ${pack.annotator}`,
      isDemo: false,
      createdAt: now,
      updatedAt: now,
      guidelines: pack.guidelines,
      pack: {
        packId: pack.packId,
        annotator: pack.annotator,
        sourceProjectId: pack.projectId,
        sourceProjectName: pack.projectName,
        sourcePlanId: pack.planId,
        sourceDatasetId: pack.datasetId,
        items: pack.items.map((it) => ({ idx: it.idx, instanceId: it.instanceId })),
        ...(pack.dataset ? { sourceDataset: pack.dataset } : {}),
      },
    };
    await db.projects.add(project);
    const records: InstanceRow[] = pack.items.map((it, idx): InstanceRow => {
      const r: PairRecord = {
        id: it.instanceId,
        sourceRow: idx + 1,
        prompt: it.prompt,
        responseA: it.responseA,
        responseB: it.responseB,
        extra: {},
      };
      if (it.messages) r.messages = it.messages;
      return { ...r, datasetId, idx };
    });
    await db.datasets.add(
      handedOutDataset({
        id: datasetId,
        projectId,
        name: `Pack ${pack.packId}`,
        fileName,
        contentHash: pack.packId,
        rows: records.length,
        withMessages: records.filter((r) => r.messages).length,
        createdAt: now,
      }),
    );
    await addInstances(db, records);
    const plan = handedOutPlan({
      id: newId('plan'),
      projectId,
      datasetId,
      name: `annotation pack ${pack.packId}`,
      rows: records.length,
      createdAt: now,
    });
    await db.plans.add(plan);
    return { projectId, created: true };
  });
}
