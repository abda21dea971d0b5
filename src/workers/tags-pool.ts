// The only place that constructs feature workers: a pool sized to the machine that scores a dataset in
// chunks (pulled from a shared queue, so a slow chunk never idles the others) and assembles the result.
import { WorkerClient } from './worker-client';
import { INSTANCE_BLOCK } from '../storage/db';
import { WorkerJobError, type JobProgress } from './protocol';
import type { TagsRequest, TagsResults } from './tags-protocol';
import type { ScoredChunk, TagCoverage } from '../domain/tags/tag-set';

type Client = WorkerClient<TagsRequest, TagsResults>;

const pool: Client[] = [];

/** Default pool size: one worker per core, at most 8. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 2));
}

function workers(count: number): Client[] {
  while (pool.length < count) {
    pool.push(
      new WorkerClient(new Worker(new URL('./tags-worker.ts', import.meta.url), { type: 'module', name: `features-${pool.length}` })),
    );
  }
  return pool.slice(0, count);
}

export interface TagRunOptions {
  workers?: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
}

export interface TagRunResult {
  n: number;
  coverage: TagCoverage[];
  workers: number;
  computeMs: number;
}

/** Computes and stores the feature set of a dataset of `n` pairs. */
export async function computeTags(datasetId: string, n: number, opts: TagRunOptions = {}): Promise<TagRunResult> {
  const size = opts.workers ?? defaultPoolSize();
  const chunkSize = opts.chunkSize ?? 4 * INSTANCE_BLOCK;
  const clients = workers(size);
  // Start-up (module load, tokenizer tables, NER model) is paid once per worker; keep it out of the timing.
  opts.onProgress?.({ phase: 'starting-workers', done: 0, total: n });
  await Promise.all(clients.map((c) => c.request({ type: 'warm' })));
  const started = performance.now();
  const ranges: [number, number][] = [];
  for (let from = 0; from < n; from += chunkSize) ranges.push([from, Math.min(n, from + chunkSize)]);
  const chunks: ScoredChunk[] = [];
  const inFlight = new Map<number, number>();
  let done = 0;
  let next = 0;
  const report = () => {
    let partial = 0;
    for (const v of inFlight.values()) partial += v;
    opts.onProgress?.({ phase: 'scoring', done: done + partial, total: n });
  };
  const run = async (client: Client, slot: number) => {
    while (next < ranges.length) {
      if (opts.signal?.aborted) throw new WorkerJobError('cancelled', 'Cancelled.');
      const [from, to] = ranges[next++]!;
      const chunk = await client.request(
        { type: 'score', datasetId, from, to },
        {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (p) => {
            inFlight.set(slot, p.done);
            report();
          },
        },
      );
      inFlight.delete(slot);
      done += to - from;
      chunks.push(chunk);
      report();
    }
  };
  await Promise.all(clients.map((c, slot) => run(c, slot)));
  const computeMs = performance.now() - started;
  opts.onProgress?.({ phase: 'assembling', done: n, total: n });
  const buffers = chunks.flatMap((c) => [...Object.values(c.columns).map((a) => a.buffer), c.descriptiveBits.buffer, c.defects.buffer]);
  const { coverage } = await clients[0]!.request(
    { type: 'assemble', datasetId, n, chunks, computeMs },
    { transfer: buffers, ...(opts.signal ? { signal: opts.signal } : {}) },
  );
  return { n, coverage, workers: size, computeMs };
}
