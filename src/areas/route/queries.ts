// TanStack Query hooks for routing: PPMs, the routing worker's jobs, and plans.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { generalError } from '../../domain/errors';
import { isPpmError, readPpmInfo } from '../../domain/ppm';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { sha256Hex } from '../../domain/util';
import { openDb, type PlanRow } from '../../storage/db';
import { lockPlan, putPpm, removePpm, setActivePlan } from '../../storage/routing-repo';
import { routingWorker } from '../../workers/routing-client';
import type { StrategySpec } from '../../domain/routing';
import type { BackendChoice } from '../../workers/routing-protocol';

/**
 * The largest PPM file taken: a PPM maps 90 tag counts to a score, so even a dense quadratic one is tens of
 * kilobytes; and IndexedDB in Chromium refuses a single value above about 133 MB.
 */
export const MAX_PPM_BYTES = 64 * 1024 * 1024;

/** Checks a file against the PPM contract before storing it: a file that is not a usable PPM is never kept. */
export function useUploadPpm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      if (file.size > MAX_PPM_BYTES) {
        throw generalError(
          'too-large',
          `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; a PPM file here is at most ${MAX_PPM_BYTES / 1024 / 1024} MB (a PPM over the 90 tags is usually a few kilobytes). Is it the right file?`,
        );
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      try {
        readPpmInfo(bytes);
      } catch (e) {
        if (isPpmError(e))
          throw generalError(`ppm-${e.code}`, `${file.name} is not a PPM this app can use: ${e.message}. Nothing was stored.`);
        throw e;
      }
      const hash = await sha256Hex(bytes);
      await putPpm(openDb(), { hash, name: file.name, bytes, builtIn: false, addedAt: Date.now() });
      return hash;
    },
    onSuccess: () => announce(qc, [keys.ppms]),
  });
}

/** Removes an uploaded (or lab-installed) PPM; built-in ones stay. Plans made with it keep its name and hash. */
export function useRemovePpm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (hash: string) => removePpm(openDb(), hash),
    onSuccess: () => announce(qc, [keys.ppms]),
  });
}

/** The routing worker's session for a dataset's feature set, a PPM and a backend choice. */
export function routingSessionKey(datasetId: string, ppmHash: string, tagSetAt: number, backend: BackendChoice): string {
  return `${datasetId}|${ppmHash}|${tagSetAt}|${backend}`;
}

/** Loads the PPM and the dataset's tags into the routing worker (keyed so a new feature set or PPM reloads). */
export function usePreparedRouting(datasetId: string, ppmHash: string | undefined, tagSetAt: number, backend: BackendChoice) {
  const session = ppmHash ? routingSessionKey(datasetId, ppmHash, tagSetAt, backend) : '';
  return useQuery({
    queryKey: keys.routing.prepare(session),
    enabled: ppmHash !== undefined,
    queryFn: ({ signal }) => routingWorker().request({ type: 'prepare', session, datasetId, ppmHash: ppmHash!, backend }, { signal }),
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Expected judge errors caught against the budget, for the risk and hybrid strategies. */
export function useRiskCurve(session: string, strategy: 'risk' | 'hybrid', weight: number, adaptive: boolean, enabled: boolean) {
  return useQuery({
    queryKey: keys.routing.riskCurve(session, strategy, strategy === 'hybrid' ? weight : null, adaptive),
    enabled,
    // Adaptive curves change as people label: refetched when the page comes back to them.
    staleTime: adaptive ? 0 : Infinity,
    queryFn: ({ signal }) => routingWorker().request({ type: 'risk-curve', session, strategy, weight, adaptive, points: 51 }, { signal }),
  });
}

export function useBudgetCurve(session: string, strategy: 'topk' | 'simulated', candidates: number, seed: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.routing.curve(session, strategy, candidates, seed),
    enabled,
    staleTime: Infinity,
    queryFn: ({ signal }) => routingWorker().request({ type: 'curve', session, strategy, points: 21, candidates, seed }, { signal }),
  });
}

/** `adaptive` (risk, hybrid): the judge's errors are learnt from the pairs people labelled (read when the route runs). */
export function useRoute(session: string, spec: StrategySpec, enabled: boolean, adaptive = false) {
  return useQuery({
    queryKey: keys.routing.route(session, spec.strategy, { spec, adaptive }),
    enabled,
    // Adaptive routes read the human labels made so far: a new one changes the route.
    staleTime: adaptive ? 0 : Infinity,
    queryFn: ({ signal }) => routingWorker().request({ type: 'route', session, spec, ...(adaptive ? { adaptive } : {}) }, { signal }),
    // While the slider moves, the last result of the same session and strategy stays (dimmed); after a switch of
    // PPM or strategy nothing old is shown beside the new settings.
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === session && prevQuery.queryKey[2] === spec.strategy ? prev : undefined,
  });
}

export function useExplain(session: string, idx: number | null, enabled: boolean) {
  return useQuery({
    queryKey: keys.routing.explain(session, idx),
    enabled: enabled && idx !== null,
    staleTime: Infinity,
    queryFn: () => routingWorker().request({ type: 'explain', session, idx: idx! }),
  });
}

export function useLockPlan(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (plan: Omit<PlanRow, 'id' | 'version' | 'createdAt' | 'supersededBy'>) => lockPlan(openDb(), plan),
    onSuccess: () => announce(qc, [keys.plans.list(projectId)]),
  });
}

export function useSetActivePlan(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (planId: string | null) => setActivePlan(openDb(), projectId, planId),
    onSuccess: () => announce(qc, [keys.plans.list(projectId), keys.projects.one(projectId)]),
  });
}
