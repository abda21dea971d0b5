// Changes, here and in the other tabs of this browser. A write says what it changed (`announce`); this tab
// invalidates those keys, and a BroadcastChannel tells the other tabs, which invalidate the same keys, so no tab
// shows a stale list of projects, datasets or plans. Frequent changes (annotation saves) are sent to other tabs
// at most once a second.
import type { QueryClient, QueryKey } from '@tanstack/react-query';

const CHANNEL = 'hyper-workbench:changes';

interface ChangeMessage {
  keys: QueryKey[];
}

let channel: BroadcastChannel | null | undefined;
function theChannel(): BroadcastChannel | null {
  if (channel === undefined) channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
  return channel;
}

const throttled = new Map<string, QueryKey>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function post(keys: QueryKey[]): void {
  if (keys.length > 0) theChannel()?.postMessage({ keys } satisfies ChangeMessage);
}

/**
 * Says that what `keys` hold has changed: this tab refetches the active queries under them, other tabs are told.
 * `local: 'stale'` only marks this tab's queries stale (they are read again when next shown), for changes this
 * tab has already put in its cache; `throttle` batches the message to other tabs (at most one a second).
 */
export function announce(
  qc: QueryClient,
  keys: readonly QueryKey[],
  opts: { local?: 'refetch' | 'stale'; throttle?: boolean } = {},
): Promise<void> {
  const local = Promise.all(
    keys.map((queryKey) => qc.invalidateQueries({ queryKey, refetchType: opts.local === 'stale' ? 'none' : 'active' })),
  ).then(() => undefined);
  if (!opts.throttle) post([...keys]);
  else {
    for (const k of keys) throttled.set(JSON.stringify(k), k);
    flushTimer ??= setTimeout(() => {
      flushTimer = null;
      const batch = [...throttled.values()];
      throttled.clear();
      post(batch);
    }, 1000);
  }
  return local;
}

/** Invalidates what other tabs announce; returns the function that stops listening. */
export function listenToOtherTabs(qc: QueryClient): () => void {
  const ch = theChannel();
  if (!ch) return () => undefined;
  const onMessage = (ev: MessageEvent<ChangeMessage>) => {
    for (const queryKey of ev.data?.keys ?? []) void qc.invalidateQueries({ queryKey });
  };
  ch.addEventListener('message', onMessage);
  return () => ch.removeEventListener('message', onMessage);
}
