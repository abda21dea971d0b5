// The only place that constructs the dataset query worker.
import { WorkerClient } from './worker-client';
import type { QueryRequest, QueryResults } from './query-protocol';

let client: WorkerClient<QueryRequest, QueryResults> | null = null;

export function queryWorker(): WorkerClient<QueryRequest, QueryResults> {
  client ??= new WorkerClient<QueryRequest, QueryResults>(
    new Worker(new URL('./query-worker.ts', import.meta.url), { type: 'module', name: 'dataset-query' }),
  );
  return client;
}
