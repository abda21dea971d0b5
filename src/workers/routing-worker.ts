/// <reference lib="webworker" />
// Thin adapter: the routing handler (routing-sessions.ts) over IndexedDB and onnxruntime-web.
import { openDb } from '../storage/db';
import { getTagSet } from '../storage/tags-repo';
import { getPpm } from '../storage/routing-repo';
import { humanLabels, startedPairs } from '../storage/judge-repo';
import { createPpmSession } from './onnx-runtime';
import { createRoutingHandler } from './routing-sessions';
import type { RoutingRequest, RoutingResults } from './routing-protocol';
import { serveWorker } from './worker-host';
import { WorkerClient } from './worker-client';
import type { CandidatesRequest, CandidatesResults } from './candidates-protocol';

// A second thread for half of the simulated candidates, where the machine has a second core.
let candidates: WorkerClient<CandidatesRequest, CandidatesResults> | null = null;
const twoCores = (self.navigator?.hardwareConcurrency ?? 1) >= 2;

serveWorker<RoutingRequest, RoutingResults>(
  self,
  createRoutingHandler({
    loadTagSet: (datasetId) => getTagSet(openDb(), datasetId),
    loadPpm: (hash) => getPpm(openDb(), hash),
    openSession: createPpmSession,
    loadHumanLabels: (datasetId) => humanLabels(openDb(), datasetId),
    loadStartedPairs: (datasetId) => startedPairs(openDb(), datasetId),
    ...(twoCores
      ? {
          candidateHelper: (index, key) => {
            candidates ??= new WorkerClient(
              new Worker(new URL('./candidates-worker.ts', import.meta.url), { type: 'module', name: 'routing-candidates' }),
            );
            const client = candidates;
            const bits = index.toBits();
            const sent = client.request({ type: 'index', key, bits, n: index.n }, { transfer: [bits.buffer] });
            // A failure is seen by the first countsAt (and routing then builds every candidate itself).
            sent.catch(() => undefined);
            return {
              countsAt: async (seed, from, to, budgets) => {
                await sent;
                return client.request({ type: 'counts', key, seed, from, to, budgets });
              },
            };
          },
        }
      : {}),
  }),
);
