// TanStack Query hooks of the annotation area: the plan in force, the annotator's queue state, items, annotations.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { annotationId, type Annotation } from '../../domain/annotation';
import { buildQueue, resumePosition, type QueueOrder } from '../../domain/annotate/queue';
import { assignPacks, PACK_FORMAT, packIdOf, RESULTS_FORMAT, type AnnotationPack, type ResultsFile } from '../../domain/annotate/pack';
import { getAnnotatorState, importAnnotations, listAnnotationsOf, listProjectAnnotations, putAnnotatorState } from '../../storage/annotations-repo';
import { getDataset, readInstances } from '../../storage/datasets-repo';
import { openDb, type AnnotatorStateRow, type PlanRow, type ProjectRow } from '../../storage/db';
import { getProject, setGuidelines } from '../../storage/projects-repo';
import { currentPlan } from '../../storage/routing-repo';

export function useAnnotateProject(projectId: string) {
  return useQuery({ queryKey: ['projects', projectId], queryFn: async () => (await getProject(openDb(), projectId)) ?? null });
}

export function useCurrentPlan(projectId: string) {
  return useQuery({ queryKey: ['plans', projectId, 'current'], queryFn: async () => (await currentPlan(openDb(), projectId)) ?? null });
}

/**
 * The annotator's place in the current plan's queue. On the first visit to a plan's queue (a new or newly picked
 * plan) it starts at the first item they have not done there, which after a re-route skips the carried labels.
 */
export function useAnnotatorState(projectId: string, annotator: string, plan: PlanRow | null | undefined) {
  return useQuery({
    queryKey: ['annotator-state', projectId, annotator, plan?.id],
    enabled: !!plan && annotator !== '',
    queryFn: async (): Promise<AnnotatorStateRow> => {
      const db = openDb();
      const s = await getAnnotatorState(db, projectId, annotator);
      if (s && s.planId === plan!.id) return s;
      const order = s?.order ?? 'gain';
      const seed = s?.seed ?? 1;
      const position = resumePosition(buildQueue(plan!.humanIdx, order, seed, annotator), await listAnnotationsOf(db, plan!.id, annotator));
      const fresh: AnnotatorStateRow = { id: `${projectId}|${annotator}`, projectId, annotator, planId: plan!.id, order, seed, position, updatedAt: Date.now() };
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
    onMutate: (row) => qc.setQueryData(['annotator-state', row.projectId, row.annotator, row.planId], row),
  });
}

export function queueOf(plan: PlanRow, order: QueueOrder, seed: number, annotator: string): Uint32Array {
  return buildQueue(plan.humanIdx, order, seed, annotator);
}

function instanceQuery(datasetId: string, idx: number) {
  return { queryKey: ['instance', datasetId, idx], queryFn: async () => (await readInstances(openDb(), datasetId, [idx]))[0] ?? null };
}

export function useInstance(datasetId: string | undefined, idx: number | undefined) {
  return useQuery({ ...instanceQuery(datasetId ?? '', idx ?? -1), enabled: datasetId !== undefined && idx !== undefined });
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

export function useMyAnnotations(planId: string | undefined, annotator: string) {
  return useQuery({ queryKey: ['annotations', planId, annotator], enabled: !!planId && annotator !== '', queryFn: () => listAnnotationsOf(openDb(), planId!, annotator) });
}

export function useProjectAnnotations(projectId: string) {
  return useQuery({ queryKey: ['annotations', 'project', projectId], queryFn: () => listProjectAnnotations(openDb(), projectId) });
}

export function useSaveGuidelines(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => setGuidelines(openDb(), projectId, text),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['projects', projectId] }),
  });
}

/** Builds one pack per annotator from the plan's queue (in routing order). */
export async function buildPacks(project: ProjectRow, plan: PlanRow, annotators: string[], overlap: number, seed: number): Promise<AnnotationPack[]> {
  const db = openDb();
  const split = assignPacks(plan.humanIdx, annotators, overlap, seed);
  const packs: AnnotationPack[] = [];
  for (const [annotator, items] of split) {
    const rows = await readInstances(db, plan.datasetId, items);
    packs.push({
      format: PACK_FORMAT, version: 1, packId: packIdOf(plan.id, annotator, items), annotator, projectName: project.name, projectId: project.id, planId: plan.id,
      datasetId: plan.datasetId, guidelines: project.guidelines, createdAt: new Date().toISOString(),
      items: rows.map((r) => ({ idx: r.idx, instanceId: r.id, prompt: r.prompt, ...(r.messages ? { messages: r.messages } : {}), responseA: r.responseA, responseB: r.responseB })),
    });
  }
  return packs;
}

/** The annotator's results of a pack project, mapped back to the lead's project, plan and instances. */
export async function packResults(project: ProjectRow): Promise<ResultsFile> {
  const pack = project.pack!;
  const db = openDb();
  const plan = await currentPlan(db, project.id);
  const mine = plan ? await listAnnotationsOf(db, plan.id, pack.annotator) : [];
  const annotations = mine.map((a): Annotation => {
    const src = pack.items[a.idx]!;
    return {
      ...a, id: annotationId(pack.sourcePlanId, src.idx, pack.annotator), projectId: pack.sourceProjectId, datasetId: pack.sourceDatasetId,
      planId: pack.sourcePlanId, idx: src.idx, instanceId: src.instanceId,
    };
  });
  return { format: RESULTS_FORMAT, version: 1, packId: pack.packId, annotator: pack.annotator, exportedAt: new Date().toISOString(), annotations };
}

export function useImportResults(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, results }: { file: string; results: ResultsFile }) => {
      const db = openDb();
      const wrong = results.annotations.find((a) => a.projectId !== projectId);
      if (wrong) throw Object.assign(new Error(`${file} holds annotations of another project (${wrong.projectId}); open the project the pack was made from.`), { code: 'wrong-project' });
      const datasets = new Set(results.annotations.map((a) => a.datasetId));
      for (const d of datasets) if (!(await getDataset(db, d))) throw Object.assign(new Error(`${file} refers to a dataset that is not in this project any more.`), { code: 'wrong-project' });
      return importAnnotations(db, results.annotations, `pack:${results.packId ?? file}`);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['annotations'] }),
  });
}
