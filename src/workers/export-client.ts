// The only place that constructs the export worker.
import { WorkerClient } from './worker-client';
import type { ExportRequest, ExportResults } from './export-protocol';

let client: WorkerClient<ExportRequest, ExportResults> | null = null;

export function exportWorker(): WorkerClient<ExportRequest, ExportResults> {
  client ??= new WorkerClient<ExportRequest, ExportResults>(
    new Worker(new URL('./export-worker.ts', import.meta.url), { type: 'module', name: 'export' }),
  );
  return client;
}
