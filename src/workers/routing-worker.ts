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

serveWorker<RoutingRequest, RoutingResults>(
  self,
  createRoutingHandler({
    loadTagSet: (datasetId) => getTagSet(openDb(), datasetId),
    loadPpm: (hash) => getPpm(openDb(), hash),
    openSession: createPpmSession,
    loadHumanLabels: (datasetId) => humanLabels(openDb(), datasetId),
    loadStartedPairs: (datasetId) => startedPairs(openDb(), datasetId),
  }),
);
