// Small helpers shared across the domain: a string hash, a seeded shuffle, cancellation checks.

/** FNV-1a over a string's UTF-16 code units: a stable 32-bit number for names and ids (not a security hash). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 53-bit FNV-1a-style hash of `s` (two 32-bit lanes; fnv1a32 is too narrow to key a million texts). */
export function hash53(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}

/** murmur3's finaliser: every output bit depends on every input bit (use after fnv1a32 for coin flips). */
export function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Fisher-Yates in place, from the end; `below(k)` must return a uniform integer in [0, k) from a seeded
 * generator, so the same seed gives the same order.
 */
export function shuffleInPlace<T>(items: { length: number; [i: number]: T }, below: (k: number) => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}

/** Throws `cancelled()` when the signal has fired (call between steps of long work). */
export function throwIfAborted(signal: AbortSignal | undefined, cancelled: () => Error): void {
  if (signal?.aborted) throw cancelled();
}

/**
 * Settles with the promise, or rejects with `reason()` as soon as the signal fires, even when the promise
 * itself ignores the signal (a foreign fetch, a sleep).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, reason: () => Error): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** SHA-256 of bytes as 64 lowercase hex digits (Web Crypto: browsers, workers and Node alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Runs `run` over `tasks` with at most `concurrency` at once, in order of the list, until `stop` fires. `isStop`
 * says which errors only mean "stop this worker" (a cancel); any other error aborts `stop` (so the other workers
 * stop too) and rejects the whole run.
 */
export async function runPool<T>(
  tasks: readonly T[],
  concurrency: number,
  run: (task: T) => Promise<void>,
  stop: AbortController,
  isStop: (e: unknown) => boolean,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !stop.signal.aborted) {
      const task = tasks[next++]!;
      try {
        await run(task);
      } catch (e) {
        if (isStop(e)) return;
        stop.abort();
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(concurrency)), tasks.length) }, () => worker()));
}
