// TanStack Query hooks of the annotation area: the plan in force, the annotator's queue state, items, annotations.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { annotationId, type Annotation } from '../../domain/annotation';
import { buildQueue, resumePosition, type QueueOrder } from '../../domain/annotate/queue';
import {
  assignPacks,
  checkResultsTarget,
  PACK_FORMAT,
  packIdOf,
  type AnnotationPack,
  type ImportPlan,
  type ResultsReading,
} from '../../domain/annotate/pack';
import { serializeAnnotationsFile, type AnnotationsFileProblem } from '../../domain/merge';
import {
  getAnnotatorState,
  importAnnotations,
  listAnnotationsOf,
  listImportedResults,
  putAnnotatorState,
  removeImportedResults,
} from '../../storage/annotations-repo';
import { annotatedDatasetOf, getDataset } from '../../storage/datasets-repo';
import { readInstances } from '../../storage/instances-repo';
import { instanceQuery, keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { openDb, type AnnotatorStateRow, type PlanRow, type ProjectRow } from '../../storage/db';
import { setGuidelines } from '../../storage/projects-repo';
import { currentPlan, listPlans } from '../../storage/routing-repo';

/**
 * The annotator's place in the current plan's queue. On the first visit to a plan's queue (a new or newly picked
 * plan) it starts at the first item they have not done there, which after a re-route skips the carried labels.
 */
export const annotatorStateKey = keys.annotatorState;

export function useAnnotatorState(projectId: string, annotator: string, plan: PlanRow | null | undefined) {
  return useQuery({
    queryKey: annotatorStateKey(projectId, annotator, plan?.id),
    enabled: !!plan && annotator !== '',
    queryFn: async (): Promise<AnnotatorStateRow> => {
      const db = openDb();
      const s = await getAnnotatorState(db, projectId, annotator);
      if (s && s.planId === plan!.id) return s;
      const order = s?.order ?? 'gain';
      const seed = s?.seed ?? 1;
      const position = resumePosition(buildQueue(plan!.humanIdx, order, seed, annotator), await listAnnotationsOf(db, plan!.id, annotator));
      const fresh: AnnotatorStateRow = {
        id: `${projectId}|${annotator}`,
        projectId,
        annotator,
        planId: plan!.id,
        order,
        seed,
        position,
        updatedAt: Date.now(),
      };
      await putAnnotatorState(db, fresh);
      return fresh;
    },
  });
}

export function useSetAnnotatorState() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (row: AnnotatorStateRow) => {
      await putAnnotatorState(openDb(), row);
      return row;
    },
    onMutate: (row) => qc.setQueryData(annotatorStateKey(row.projectId, row.annotator, row.planId), row),
  });
}

export function queueOf(plan: PlanRow, order: QueueOrder, seed: number, annotator: string): Uint32Array {
  return buildQueue(plan.humanIdx, order, seed, annotator);
}

/** Reads the items around the current one ahead of time, so moving on shows them at once. */
export function usePrefetchNeighbours(datasetId: string, queue: Uint32Array, position: number) {
  const qc = useQueryClient();
  useEffect(() => {
    for (const p of [position + 1, position + 2, position - 1]) {
      const idx = queue[p];
      if (idx !== undefined) void qc.prefetchQuery(instanceQuery(datasetId, idx));
    }
  }, [qc, datasetId, queue, position]);
}

export function useSaveGuidelines(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => setGuidelines(openDb(), projectId, text),
    onSuccess: () => announce(qc, [keys.projects.one(projectId)]),
  });
}

/** Builds one pack per annotator from the plan's queue (in routing order). */
export async function buildPacks(
  project: ProjectRow,
  plan: PlanRow,
  annotators: string[],
  overlap: number,
  seed: number,
): Promise<AnnotationPack[]> {
  const db = openDb();
  const split = assignPacks(plan.humanIdx, annotators, overlap, seed);
  const dataset = await getDataset(db, plan.datasetId);
  const packs: AnnotationPack[] = [];
  for (const [annotator, items] of split) {
    if (items.length === 0) continue;
    const rows = await readInstances(db, plan.datasetId, items);
    packs.push({
      format: PACK_FORMAT,
      version: 1,
      packId: packIdOf(plan.id, annotator, items),
      annotator,
      projectName: project.name,
      projectId: project.id,
      planId: plan.id,
      datasetId: plan.datasetId,
      guidelines: project.guidelines,
      createdAt: new Date().toISOString(),
      ...(dataset ? { dataset: annotatedDatasetOf(dataset) } : {}),
      items: rows.map((r) => ({
        idx: r.idx,
        instanceId: r.id,
        prompt: r.prompt,
        ...(r.messages ? { messages: r.messages } : {}),
        responseA: r.responseA,
        responseB: r.responseB,
      })),
    });
  }
  return packs;
}

/** The annotator's results of a pack project, mapped back to the lead's project, plan and instances, as a results file. */
export async function packResults(project: ProjectRow): Promise<string> {
  const pack = project.pack!;
  const db = openDb();
  const plan = await currentPlan(db, project.id);
  const mine = plan ? await listAnnotationsOf(db, plan.id, pack.annotator) : [];
  const annotations = mine.map((a): Annotation => {
    const src = pack.items[a.idx]!;
    return {
      ...a,
      id: annotationId(pack.sourcePlanId, src.idx, pack.annotator),
      projectId: pack.sourceProjectId,
      datasetId: pack.sourceDatasetId,
      planId: pack.sourcePlanId,
      idx: src.idx,
      instanceId: src.instanceId,
    };
  });
  return serializeAnnotationsFile(annotations, {
    packId: pack.packId,
    annotator: pack.annotator,
    exportedAt: new Date().toISOString(),
    ...(pack.sourceDataset ? { datasets: [pack.sourceDataset] } : {}),
  });
}

export interface ResultsImport extends ImportPlan {
  /** Records that were not imported, with their line and reason. */
  rejected: AnnotationsFileProblem[];
}

/**
 * Imports an annotator's results: every record is checked as `hyper merge` checks it and against this project
 * (plan, queue item, instance id); the ones that pass are imported idempotently, the others are reported.
 */
export function useImportResults(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ reading }: { file: string; reading: ResultsReading }): Promise<ResultsImport> => {
      const db = openDb();
      const plans = await listPlans(db, projectId);
      const wanted = new Map<string, Set<number>>();
      for (const { annotation: a } of reading.annotations) {
        const set = wanted.get(a.datasetId) ?? new Set<number>();
        set.add(a.idx);
        wanted.set(a.datasetId, set);
      }
      const ids = new Map<string, string>();
      for (const [datasetId, idxs] of wanted) {
        for (const r of await readInstances(db, datasetId, [...idxs])) ids.set(`${datasetId}|${r.idx}`, r.id);
      }
      const checked = checkResultsTarget(reading, {
        projectId,
        plans: new Map(plans.map((p) => [p.id, { datasetId: p.datasetId, version: p.version, routed: new Set(p.humanIdx) }])),
        instanceId: (datasetId, idx) => ids.get(`${datasetId}|${idx}`),
      });
      const origin = `pack:${reading.head.packId ?? 'file'}`;
      const plan =
        checked.annotations.length > 0
          ? await importAnnotations(db, checked.annotations, origin)
          : { add: [], update: [], unchanged: 0, conflicts: [] };
      return { ...plan, rejected: checked.rejected };
    },
    onSuccess: () => announce(qc, [keys.annotations.all]),
  });
}

/** Who brought annotations into the project from results files, and how many. */
export function useImportedResults(projectId: string) {
  return useQuery({ queryKey: keys.annotations.imported(projectId), queryFn: () => listImportedResults(openDb(), projectId) });
}

export function useRemoveImportedResults(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ annotator, origin }: { annotator: string; origin: string }) =>
      removeImportedResults(openDb(), projectId, annotator, origin),
    onSuccess: () => announce(qc, [keys.annotations.all]),
  });
}
