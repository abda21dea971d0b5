// Two tabs, as two copies of the sync module (each with its own BroadcastChannel) over two query caches.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';

async function tab() {
  vi.resetModules();
  const sync = await import('./sync');
  const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  return { sync, qc };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('changes across tabs', () => {
  it('a change announced in one tab invalidates the same key in another, and only that key', async () => {
    const a = await tab();
    const b = await tab();
    const stop = b.sync.listenToOtherTabs(b.qc);
    b.qc.setQueryData(['plans', 'p1'], ['v1']);
    b.qc.setQueryData(['projects'], ['P']);
    await a.sync.announce(a.qc, [['plans', 'p1']]);
    await until(() => b.qc.getQueryState(['plans', 'p1'])?.isInvalidated === true);
    expect(b.qc.getQueryState(['projects'])?.isInvalidated).toBe(false);
    stop();
  });

  it('frequent changes reach other tabs once, batched; this tab only marks them stale when asked', async () => {
    const a = await tab();
    const b = await tab();
    const seen: unknown[] = [];
    const spy = new BroadcastChannel('hyper-workbench:changes');
    spy.onmessage = (ev) => seen.push(ev.data);
    const stop = b.sync.listenToOtherTabs(b.qc);
    let reads = 0;
    a.qc.setQueryData(['annotations', 'plan', 'ana'], []);
    const observer = a.qc.getQueryCache().find({ queryKey: ['annotations', 'plan', 'ana'] })!;
    observer.setOptions({ queryKey: ['annotations', 'plan', 'ana'], queryFn: () => (reads++, []) });
    for (let i = 0; i < 20; i++) void a.sync.announce(a.qc, [['annotations']], { local: 'stale', throttle: true });
    await until(() => seen.length > 0, 3000);
    await new Promise((r) => setTimeout(r, 1200));
    expect(seen).toEqual([{ keys: [['annotations']] }]);
    expect(reads).toBe(0);
    expect(a.qc.getQueryState(['annotations', 'plan', 'ana'])?.isInvalidated).toBe(true);
    spy.close();
    stop();
  });
});
