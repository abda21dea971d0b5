// The worker side of the protocol: dispatch by `type`, per-request AbortControllers, progress messages.
import { generalError } from '../domain/errors';
import { toErrorValue, type CancelRequest, type JobProgress, type WorkerResponse } from './protocol';

export interface JobContext {
  signal: AbortSignal;
  /** Reports progress, at most one message per 50 ms unless `always` (a change the page must not miss). */
  progress(p: JobProgress, always?: boolean): void;
}

declare const transferred: unique symbol;
/** A result whose buffers are moved to the page instead of copied. */
export interface Transferred<R> {
  readonly [transferred]: true;
  result: R;
  transfer: Transferable[];
}

/** Moves `transfer` (buffers inside `result`) to the page with the result. */
export function withTransfer<R>(result: R, transfer: Transferable[]): Transferred<R> {
  return { result, transfer } as unknown as Transferred<R>;
}

function isTransferred(v: unknown): v is Transferred<unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.keys(v).length === 2 &&
    'result' in v &&
    Array.isArray((v as { transfer?: unknown }).transfer)
  );
}

/**
 * One handler per request type, each typed with its request and its result (`Results[type]`), so a worker
 * cannot answer a request with another request's result and every request type has a handler.
 */
export type Handlers<Req extends { type: string }, Results extends { [K in Req['type']]: unknown }> = {
  [K in Req['type']]: (req: Extract<Req, { type: K }>, ctx: JobContext) => Promise<Results[K] | Transferred<Results[K]>>;
};

/** Runs the handler of a request's type (for serveWorker, and for tests that call a worker's handlers directly). */
export async function handle<Req extends { type: string }, Results extends { [K in Req['type']]: unknown }>(
  handlers: Handlers<Req, Results>,
  req: Req,
  ctx: JobContext,
): Promise<{ result: Results[Req['type']]; transfer: Transferable[] }> {
  const h = handlers[req.type as Req['type']] as ((r: Req, c: JobContext) => Promise<unknown>) | undefined;
  if (!h) throw generalError('bad-request', `Unknown request ${JSON.stringify(req.type)}.`);
  const out = await h(req, ctx);
  return isTransferred(out)
    ? { result: out.result as Results[Req['type']], transfer: out.transfer }
    : { result: out as Results[Req['type']], transfer: [] };
}

interface Scope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

/** Serves requests in a worker. Progress messages are throttled so the page is never flooded. */
export function serveWorker<Req extends { type: string; id: number }, Results extends { [K in Req['type']]: unknown }>(
  scope: Scope,
  handlers: Handlers<Req, Results>,
): void {
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
    handle(handlers, req, ctx)
      .then(({ result, transfer }) => post({ id: req.id, status: 'done', result }, transfer))
      .catch((e: unknown) =>
        post({
          id: req.id,
          status: 'error',
          error: controller.signal.aborted ? { code: 'cancelled', message: 'Cancelled.' } : toErrorValue(e),
        }),
      )
      .finally(() => running.delete(req.id));
  });
}
