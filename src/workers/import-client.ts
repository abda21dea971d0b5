// The only place that constructs the import worker.
import { WorkerClient } from './worker-client';
import type { ImportRequest, ImportResults } from './import-protocol';

let client: WorkerClient<ImportRequest, ImportResults> | null = null;

export function importWorker(): WorkerClient<ImportRequest, ImportResults> {
  client ??= new WorkerClient<ImportRequest, ImportResults>(
    new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: 'import' }),
  );
  return client;
}
