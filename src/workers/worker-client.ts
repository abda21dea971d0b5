// The page side of the worker protocol: typed requests, progress callbacks, and AbortSignal -> cancel message.
import { WorkerJobError, type JobProgress, type WorkerResponse } from './protocol';

export interface RequestOptions {
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
  transfer?: Transferable[];
}

/** Omit over each member of a union (plain Omit would merge the union). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress?: (p: JobProgress) => void;
}

/** A typed client over one worker. `Results` maps each request `type` to its result. */
export class WorkerClient<Req extends { type: string; id: number }, Results extends { [K in Req['type']]: unknown }> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (ev: MessageEvent<WorkerResponse<unknown>>) => this.receive(ev.data));
    worker.addEventListener('error', (ev) => {
      const err = new WorkerJobError('worker-crashed', `A background worker failed: ${ev.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  request<C extends DistributiveOmit<Req, 'id'>>(req: C, opts: RequestOptions = {}): Promise<Results[C['type']]> {
    const id = this.nextId++;
    if (opts.signal?.aborted) return Promise.reject(new WorkerJobError('cancelled', 'Cancelled.'));
    return new Promise<Results[C['type']]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress });
      opts.signal?.addEventListener('abort', () => this.worker.postMessage({ type: 'cancel', id: this.nextId++, target: id }), {
        once: true,
      });
      this.worker.postMessage({ ...req, id }, opts.transfer ?? []);
    });
  }

  terminate(): void {
    this.worker.terminate();
    const err = new WorkerJobError('cancelled', 'The worker was stopped.');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private receive(msg: WorkerResponse<unknown>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    switch (msg.status) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'done':
        this.pending.delete(msg.id);
        p.resolve(msg.result);
        return;
      case 'error':
        this.pending.delete(msg.id);
        p.reject(new WorkerJobError(msg.error.code, msg.error.message));
        return;
      default: {
        const never: never = msg;
        throw new Error(`Unknown worker response ${JSON.stringify(never)}`);
      }
    }
  }
}
