// The only place that constructs the routing worker.
import { WorkerClient } from './worker-client';
import type { RoutingRequest, RoutingResults } from './routing-protocol';

let client: WorkerClient<RoutingRequest, RoutingResults> | null = null;

export function routingWorker(): WorkerClient<RoutingRequest, RoutingResults> {
  client ??= new WorkerClient<RoutingRequest, RoutingResults>(
    new Worker(new URL('./routing-worker.ts', import.meta.url), { type: 'module', name: 'routing' }),
  );
  return client;
}
