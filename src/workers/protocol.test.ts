import { describe, expect, it } from 'vitest';
import { WorkerClient } from './worker-client';
import { serveWorker } from './worker-host';
import { generalError } from '../domain/errors';
import { isQuotaError, QUOTA_MESSAGE, toErrorValue, WorkerJobError } from './protocol';

type Req = { type: 'count'; id: number; to: number } | { type: 'fail'; id: number } | { type: 'wait'; id: number };
interface Results {
  count: number;
  fail: never;
  wait: string;
}

/** Connects a WorkerClient to serveWorker through a real MessageChannel (no browser needed). */
function connect() {
  const { port1, port2 } = new MessageChannel();
  const workerSide = {
    postMessage: (m: unknown, t?: Transferable[]) => port2.postMessage(m, t ?? []),
    addEventListener: (_: 'message', l: (ev: MessageEvent) => void) => port2.addEventListener('message', l),
  };
  serveWorker<Req, Results>(workerSide, {
    count: async (req, ctx) => {
      for (let i = 1; i <= req.to; i++) ctx.progress({ phase: 'counting', done: i, total: req.to });
      return req.to;
    },
    fail: async () => {
      throw generalError('bad-json', 'the file is broken');
    },
    wait: async (_req, ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      throw new Error('aborted');
    },
  });
  port2.start();
  const fakeWorker = {
    postMessage: (m: unknown, t?: Transferable[]) => port1.postMessage(m, t ?? []),
    addEventListener: (type: string, l: (ev: MessageEvent) => void) => type === 'message' && port1.addEventListener('message', l),
    terminate: () => port1.close(),
  } as unknown as Worker;
  port1.start();
  return { client: new WorkerClient<Req, Results>(fakeWorker), close: () => (port1.close(), port2.close()) };
}

describe('worker protocol', () => {
  it('returns results and reports progress (throttled, last one always sent)', async () => {
    const { client, close } = connect();
    const seen: number[] = [];
    const result = await client.request({ type: 'count', to: 1000 }, { onProgress: (p) => seen.push(p.done) });
    expect(result).toBe(1000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(1000);
    expect(seen[seen.length - 1]).toBe(1000);
    close();
  });

  it('turns thrown errors into typed errors with their code', async () => {
    const { client, close } = connect();
    const err = await client.request({ type: 'fail' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerJobError);
    expect(err).toMatchObject({ code: 'bad-json', message: 'the file is broken' });
    close();
  });

  it('forwards an AbortSignal as a cancel message and reports the job as cancelled', async () => {
    const { client, close } = connect();
    const controller = new AbortController();
    const pending = client.request({ type: 'wait' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    close();
  });

  it('keeps concurrent requests apart', async () => {
    const { client, close } = connect();
    const [a, b] = await Promise.all([client.request({ type: 'count', to: 3 }), client.request({ type: 'count', to: 5 })]);
    expect([a, b]).toEqual([3, 5]);
    close();
  });
});

describe('storage-full errors', () => {
  it('are recognised bare and wrapped (Dexie: an aborted transaction with the quota error inside, or a bulk failure)', () => {
    const quota = new DOMException('The disk is full.', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    const aborted = Object.assign(new Error('The transaction was aborted, so the request cannot be fulfilled.'), {
      name: 'AbortError',
      inner: quota,
    });
    expect(isQuotaError(aborted)).toBe(true);
    expect(
      isQuotaError(Object.assign(new Error('Could not delete some values.'), { name: 'BulkError', failures: [new Error('x'), aborted] })),
    ).toBe(true);
    expect(isQuotaError(Object.assign(new Error('x'), { failures: { 3: quota } }))).toBe(true);
    expect(isQuotaError(new Error('The transaction was aborted'))).toBe(false);
    expect(toErrorValue(aborted)).toEqual({ code: 'quota', message: QUOTA_MESSAGE });
    // A coded error that wraps one is still a storage error.
    expect(toErrorValue(Object.assign(aborted, { code: 'whatever' })).code).toBe('quota');
  });
});
