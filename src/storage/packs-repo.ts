// Opening an annotation pack in the annotator's browser: a project of its own (dataset + one locked plan)
// that remembers where every item came from, so results map back to the lead's project.
import type { AnnotationPack } from '../domain/annotate/pack';
import { DEFAULT_MAP_OPTIONS } from '../domain/formats/types';
import type { PairRecord } from '../domain/instance';
import { asDatasetPositions } from '../domain/routing/plan';
import type { HyperDb, InstanceRow, PlanRow, ProjectRow } from './db';
import { newId } from './ids';

const zero = { 'A>>B': 0, 'A>B': 0, 'A=B': 0, 'B>A': 0, 'B>>A': 0 };

/** Opens a pack as a project (once: opening the same pack again returns the existing project). */
export async function openPackProject(
  db: HyperDb,
  pack: AnnotationPack,
  fileName: string,
): Promise<{ projectId: string; created: boolean }> {
  return db.transaction('rw', [db.projects, db.datasets, db.instances, db.plans], async () => {
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
    await db.datasets.add({
      id: datasetId,
      projectId,
      name: `Pack ${pack.packId}`,
      fileName,
      format: 'json',
      compressed: false,
      shape: 'pairs',
      options: DEFAULT_MAP_OPTIONS,
      rowCount: records.length,
      contentHash: pack.packId,
      status: 'ready',
      createdAt: now,
      report: {
        fileName,
        format: 'json',
        compressed: false,
        shape: 'pairs',
        columns: ['prompt', 'responseA', 'responseB'],
        rowsRead: records.length,
        importable: records.length,
        rejected: [],
        warnings: [],
        withLmLabel: 0,
        withHumanLabel: 0,
        lmCounts: zero,
        humanCounts: zero,
        withModelNames: 0,
        withTags: 0,
        withScores: 0,
        withMessages: records.filter((r) => r.messages).length,
      },
    });
    await db.instances.bulkAdd(records);
    const plan: PlanRow = {
      id: newId('plan'),
      projectId,
      datasetId,
      version: 1,
      ppmHash: '',
      ppmName: `annotation pack ${pack.packId}`,
      strategy: 'pack',
      budget: { kind: 'count', value: records.length, count: records.length },
      seed: null,
      candidates: null,
      humanIdx: asDatasetPositions(Uint32Array.from(records, (_, i) => i)),
      gains: new Float32Array(records.length),
      predicted: 0,
      predictedAllLm: 0,
      predictedAllHuman: 0,
      backend: '',
      featureSetCreatedAt: 0,
      createdAt: now,
    };
    await db.plans.add(plan);
    return { projectId, created: true };
  });
}
