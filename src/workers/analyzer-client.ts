// The only place that constructs the analyzer worker.
import { WorkerClient } from './worker-client';
import type { AnalyzerRequest, AnalyzerResults } from './analyzer-protocol';

let client: WorkerClient<AnalyzerRequest, AnalyzerResults> | null = null;

export function analyzerWorker(): WorkerClient<AnalyzerRequest, AnalyzerResults> {
  client ??= new WorkerClient<AnalyzerRequest, AnalyzerResults>(
    new Worker(new URL('./analyzer-worker.ts', import.meta.url), { type: 'module', name: 'analyzer' }),
  );
  return client;
}
