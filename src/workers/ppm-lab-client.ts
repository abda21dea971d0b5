// The only place that constructs PPM-lab workers: one for inspecting, writing candidates and fitting, and a
// small pool that runs the PROXY reward model over a run's candidates (pulled from a shared queue).
import { WorkerClient } from './worker-client';
import { WorkerJobError, type JobProgress } from './protocol';
import type { LabRunSettings, PoolSummary, PpmLabRequest, PpmLabResults, ProxyCandidateResult } from './ppm-lab-protocol';

type Client = WorkerClient<PpmLabRequest, PpmLabResults>;

const spawn = (name: string): Client =>
  new WorkerClient(new Worker(new URL('./ppm-lab-worker.ts', import.meta.url), { type: 'module', name }));

let main: Client | null = null;
const pool: Client[] = [];

/** The worker for inspect, generate and fit. */
export function ppmLabWorker(): Client {
  main ??= spawn('ppm-lab');
  return main;
}

/**
 * Proxy workers: two by default. Each holds the dataset's hashed n-gram features (about 16 MB per 10k pairs)
 * and a weight vector, so more workers cost memory; two already halve the wall time.
 */
export function defaultProxyWorkers(): number {
  return Math.max(1, Math.min(2, globalThis.navigator?.hardwareConcurrency ?? 2));
}

function proxyWorkers(count: number): Client[] {
  while (pool.length < count) pool.push(spawn(`ppm-lab-proxy-${pool.length}`));
  return pool.slice(0, count);
}

export interface ProxyRunOptions {
  workers?: number;
  /** SGD passes of the proxy (default 4, as the CLI). */
  epochs?: number;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** Each result as it arrives (in completion order). */
  onResult?: (r: ProxyCandidateResult) => void;
}

export interface ProxyRun {
  pool: PoolSummary;
  /** In candidate order. */
  results: ProxyCandidateResult[];
  workers: number;
  epochs: number;
  /** Preparing (reading, hashing) and training, wall time. */
  prepareMs: number;
  trainMs: number;
}

let runs = 0;

/** Trains and scores the PROXY reward model on every candidate of a run, in parallel workers. */
export async function runProxy(datasetId: string, settings: LabRunSettings, opts: ProxyRunOptions = {}): Promise<ProxyRun> {
  const size = opts.workers ?? defaultProxyWorkers();
  const epochs = opts.epochs ?? 4;
  const clients = proxyWorkers(size);
  const session = `proxy-${++runs}`;
  const signal = opts.signal ? { signal: opts.signal } : {};
  const t0 = performance.now();
  // Every worker prepares the same deterministic plan at once; only the first reports (they move together).
  const prepared = await Promise.all(
    clients.map((c, slot) =>
      c.request(
        { type: 'proxy-prepare', session, datasetId, settings },
        { ...signal, ...(slot === 0 && opts.onProgress ? { onProgress: opts.onProgress } : {}) },
      ),
    ),
  );
  const { pool, k } = prepared[0]!;
  const t1 = performance.now();
  const results: ProxyCandidateResult[] = [];
  let next = 0;
  let done = 0;
  opts.onProgress?.({ phase: 'training-proxy', done: 0, total: k });
  let failed = false;
  const work = async (client: Client) => {
    try {
      while (!failed && next < k) {
        if (opts.signal?.aborted) throw new WorkerJobError('cancelled', 'Cancelled.');
        const i = next++;
        const [r] = await client.request({ type: 'proxy-run', session, indices: [i], epochs }, signal);
        results[i] = r!;
        done++;
        opts.onResult?.(r!);
        opts.onProgress?.({ phase: 'training-proxy', done, total: k });
      }
    } catch (e) {
      // The other worker stops at its next candidate instead of finishing the queue for nothing.
      failed = true;
      throw e;
    }
  };
  await Promise.all(clients.map(work));
  return { pool, results, workers: size, epochs, prepareMs: t1 - t0, trainMs: performance.now() - t1 };
}
