// The worker side of the protocol: dispatch by `type`, per-request AbortControllers, progress messages.
import { toErrorValue, type CancelRequest, type JobProgress, type WorkerResponse } from './protocol';

export interface JobContext {
  signal: AbortSignal;
  /** Reports progress, at most one message per 50 ms unless `always` (a change the page must not miss). */
  progress(p: JobProgress, always?: boolean): void;
}

type Handler<Req> = (req: Req, ctx: JobContext) => Promise<{ result: unknown; transfer?: Transferable[] }>;

interface Scope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

/** Serves requests in a worker. Progress messages are throttled so the page is never flooded. */
export function serveWorker<Req extends { type: string; id: number }>(scope: Scope, handle: Handler<Req>): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', (ev: MessageEvent<Req | CancelRequest>) => {
    const msg = ev.data;
    if (msg.type === 'cancel') {
      running.get((msg as CancelRequest).target)?.abort();
      return;
    }
    const req = msg as Req;
    const controller = new AbortController();
    running.set(req.id, controller);
    let lastProgress = 0;
    const post = (r: WorkerResponse<unknown>, transfer?: Transferable[]) => scope.postMessage(r, transfer ?? []);
    const ctx: JobContext = {
      signal: controller.signal,
      progress(p, always = false) {
        const now = performance.now();
        if (!always && now - lastProgress < 50 && p.done < p.total) return;
        lastProgress = now;
        post({ id: req.id, status: 'progress', progress: p });
      },
    };
    handle(req, ctx)
      .then(({ result, transfer }) => post({ id: req.id, status: 'done', result }, transfer))
      .catch((e: unknown) => post({ id: req.id, status: 'error', error: controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toErrorValue(e) }))
      .finally(() => running.delete(req.id));
  });
}
