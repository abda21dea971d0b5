// The page's data layer: one query-key factory and one queryOptions factory per stored thing, shared by every
// UI area, so an area never copies another's query (and a change invalidates the same key everywhere).
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DatasetQuery } from '../domain/dataset-query';
import { generalError } from '../domain/errors';
import { parsePpmIndex } from '../domain/ppm';
import { sha256Hex } from '../domain/util';
import { listAnnotationsOf } from '../storage/annotations-repo';
import { getDataset, listDatasets } from '../storage/datasets-repo';
import { readInstances } from '../storage/instances-repo';
import { openDb } from '../storage/db';
import { getProject, listProjects } from '../storage/projects-repo';
import { currentPlan, listPlans, listPpms, planLabelCounts, putPpm } from '../storage/routing-repo';
import { getTagSet } from '../storage/tags-repo';

/** Every query key of the app. A key's first element names what it holds; invalidating a prefix refreshes all of it. */
export const keys = {
  bootstrap: ['bootstrap'] as const,
  projects: {
    all: ['projects'] as const,
    one: (id: string) => ['projects', id] as const,
  },
  datasets: {
    list: (projectId: string) => ['datasets', projectId] as const,
    one: (id: string) => ['dataset', id] as const,
    query: (id: string, q: DatasetQuery) => ['dataset-query', id, q] as const,
    page: (id: string, q: DatasetQuery, page: number) => ['dataset-page', id, q, page] as const,
    distinct: (sessionId: string, column: string) => ['distinct', sessionId, column] as const,
  },
  instance: (datasetId: string, idx: number) => ['instance', datasetId, idx] as const,
  tagSet: (datasetId: string) => ['tag-set', datasetId] as const,
  /** The LM judges with answers stored on a dataset. */
  judges: (datasetId: string) => ['judges', datasetId] as const,
  ppms: ['ppms'] as const,
  plans: {
    all: ['plans'] as const,
    list: (projectId: string) => ['plans', projectId] as const,
    current: (projectId: string) => ['plans', projectId, 'current'] as const,
  },
  annotations: {
    all: ['annotations'] as const,
    mine: (planId: string | undefined, annotator: string) => ['annotations', planId, annotator] as const,
    project: (projectId: string) => ['annotations', 'project', projectId] as const,
    imported: (projectId: string) => ['annotations', 'imported', projectId] as const,
    planCounts: (projectId: string) => ['annotations', 'plan-counts', projectId] as const,
    review: (projectId: string) => ['annotations', 'review', projectId] as const,
    /** The LM judge against people: under annotations, since a new human label changes it. */
    judgeCalibration: (projectId: string, datasetId: string) => ['annotations', 'judge-calibration', projectId, datasetId] as const,
  },
  annotatorState: (projectId: string, annotator: string, planId: string | undefined) =>
    ['annotator-state', projectId, annotator, planId] as const,
  routing: {
    prepare: (session: string) => ['routing-prepare', session] as const,
    curve: (session: string, strategy: string, candidates: number, seed: number) =>
      ['routing-curve', session, strategy, candidates, seed] as const,
    route: (session: string, strategy: string, spec: unknown) => ['routing-route', session, strategy, spec] as const,
    riskCurve: (session: string, strategy: string, weight: number | null, adaptive: boolean) =>
      ['routing-risk-curve', session, strategy, weight, adaptive] as const,
    explain: (session: string, idx: number | null) => ['routing-explain', session, idx] as const,
  },
  lab: {
    pool: (datasetId: string, tagSetAt: number, goldShare: number, seed: number) =>
      ['ppm-lab-pool', datasetId, tagSetAt, goldShare, seed] as const,
  },
  export: {
    inputs: (projectId: string) => ['export-inputs', projectId] as const,
    summary: (spec: unknown) => ['export-summary', spec] as const,
  },
};

export const projectsQuery = () => queryOptions({ queryKey: keys.projects.all, queryFn: () => listProjects(openDb()) });
export const projectQuery = (id: string) =>
  queryOptions({ queryKey: keys.projects.one(id), queryFn: async () => (await getProject(openDb(), id)) ?? null });
export const datasetsQuery = (projectId: string) =>
  queryOptions({ queryKey: keys.datasets.list(projectId), queryFn: () => listDatasets(openDb(), projectId) });
export const datasetQuery = (id: string) =>
  queryOptions({ queryKey: keys.datasets.one(id), queryFn: async () => (await getDataset(openDb(), id)) ?? null });
export const instanceQuery = (datasetId: string, idx: number) =>
  queryOptions({
    queryKey: keys.instance(datasetId, idx),
    queryFn: async () => (await readInstances(openDb(), datasetId, [idx]))[0] ?? null,
  });
export const tagSetQuery = (datasetId: string) =>
  queryOptions({ queryKey: keys.tagSet(datasetId), queryFn: async () => (await getTagSet(openDb(), datasetId)) ?? null });
export const plansQuery = (projectId: string) =>
  queryOptions({ queryKey: keys.plans.list(projectId), queryFn: () => listPlans(openDb(), projectId) });
/** The plan Annotate and Export use (picked by the lead, else the newest). */
export const currentPlanQuery = (projectId: string) =>
  queryOptions({ queryKey: keys.plans.current(projectId), queryFn: async () => (await currentPlan(openDb(), projectId)) ?? null });
/** Submitted labels made under each plan of the project. */
export const planLabelCountsQuery = (projectId: string) =>
  queryOptions({ queryKey: keys.annotations.planCounts(projectId), queryFn: () => planLabelCounts(openDb(), projectId) });
export const myAnnotationsQuery = (planId: string | undefined, annotator: string) =>
  queryOptions({
    queryKey: keys.annotations.mine(planId, annotator),
    enabled: !!planId && annotator !== '',
    queryFn: () => listAnnotationsOf(openDb(), planId!, annotator),
  });

/** Built-in PPMs (generated by scripts/build-ppms.mjs into public/ppm) are stored on first use, then used by hash. */
export const ppmsQuery = () =>
  queryOptions({
    queryKey: keys.ppms,
    queryFn: async () => {
      const db = openDb();
      const res = await fetch(`${import.meta.env.BASE_URL}ppm/index.json`);
      if (!res.ok) throw generalError('not-found', `ppm/index.json could not be loaded (HTTP ${res.status}).`);
      const index = parsePpmIndex(await res.text());
      for (const p of index.models) {
        if (await db.ppms.get(p.sha256)) continue;
        const bytes = new Uint8Array(await (await fetch(`${import.meta.env.BASE_URL}ppm/${p.file}`)).arrayBuffer());
        const hash = await sha256Hex(bytes);
        if (hash !== p.sha256)
          throw generalError('bad-model', `Built-in PPM ${p.file} does not match its recorded hash (rebuild with scripts/build-ppms.mjs).`);
        await putPpm(db, { hash, name: p.name, bytes, builtIn: true, addedAt: Date.now() });
      }
      return (await listPpms(db)).map(({ hash, name, builtIn }) => ({ hash, name, builtIn }));
    },
  });

// The hooks every area shares.
export const useProjects = () => useQuery(projectsQuery());
export const useProject = (id: string) => useQuery(projectQuery(id));
export const useDatasets = (projectId: string) => useQuery(datasetsQuery(projectId));
export const useDataset = (id: string) => useQuery(datasetQuery(id));
export const useTagSet = (datasetId: string | undefined) => useQuery({ ...tagSetQuery(datasetId ?? ''), enabled: datasetId !== undefined });
export const usePlans = (projectId: string) => useQuery(plansQuery(projectId));
export const useCurrentPlan = (projectId: string) => useQuery(currentPlanQuery(projectId));
export const usePlanLabelCounts = (projectId: string) => useQuery(planLabelCountsQuery(projectId));
export const usePpms = () => useQuery(ppmsQuery());
export const useInstance = (datasetId: string | undefined, idx: number | undefined) =>
  useQuery({ ...instanceQuery(datasetId ?? '', idx ?? -1), enabled: datasetId !== undefined && idx !== undefined });
export const useMyAnnotations = (planId: string | undefined, annotator: string) => useQuery(myAnnotationsQuery(planId, annotator));
