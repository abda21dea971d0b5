// Room on disk before a large write into IndexedDB. Chromium's IndexedDB does not survive a full disk: when a
// write fails for lack of space it may drop the whole database of the site, every project with it (seen here:
// a failed import on a nearly full disk left only a re-seeded demo). navigator.storage.estimate() does not
// help: its quota ignores the disk (1 GB reported on an 80 MB one). So before a large write the space is
// tried for real: a file of that size is written in the origin-private file system (where running out of
// space fails only that file) and removed again. Run in a dedicated worker (synchronous file access).
import { HyperError } from '../domain/errors';

/** Writes below this size are not probed (a probe costs a write of its own). */
export const PROBE_FROM_BYTES = 16 * 1024 * 1024;
/** Headroom kept on top of what a write needs (IndexedDB's log and compaction need room to work). */
export const HEADROOM_BYTES = 64 * 1024 * 1024;
const PROBE_FILE = '.hyper-space-probe';
const CHUNK = 4 * 1024 * 1024;

/** There is not enough room for a write; nothing has been written. */
export class StorageSpaceError extends HyperError<'disk-full'> {
  constructor(message: string) {
    super('disk-full', message);
  }
}

interface SyncHandle {
  write(buffer: Uint8Array, options?: { at?: number }): number;
  flush(): void;
  close(): void;
}
interface ProbeDir {
  getFileHandle(name: string, options?: { create?: boolean }): Promise<{ createSyncAccessHandle?: () => Promise<SyncHandle> }>;
  removeEntry(name: string): Promise<void>;
}

const mb = (n: number) => `${Math.ceil(n / 1e6).toLocaleString('en-US')} MB`;

/**
 * Makes sure about `bytes` (plus headroom) can be written, or throws StorageSpaceError naming `what`. Where
 * the browser offers neither check (no storage manager, no origin-private file system), it does nothing.
 */
export async function ensureRoomFor(bytes: number, what: string): Promise<void> {
  const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
  if (!storage) return;
  const needed = bytes + HEADROOM_BYTES;
  const estimate = await storage.estimate().catch(() => null);
  if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < needed) {
    throw new StorageSpaceError(
      `${what} needs about ${mb(needed)} of browser storage, and this site may use only ${mb(estimate.quota - estimate.usage)} more. Nothing was written. Delete a project you have backed up, or free disk space, and try again.`,
    );
  }
  if (bytes < PROBE_FROM_BYTES || typeof storage.getDirectory !== 'function') return;
  const dir = (await storage.getDirectory()) as unknown as ProbeDir;
  const file = await dir.getFileHandle(PROBE_FILE, { create: true });
  if (!file.createSyncAccessHandle) return;
  const handle = await file.createSyncAccessHandle();
  const zeros = new Uint8Array(CHUNK);
  let written = 0;
  let failed = false;
  try {
    while (written < needed) {
      const n = handle.write(zeros.subarray(0, Math.min(CHUNK, needed - written)), { at: written });
      if (n <= 0) {
        failed = true;
        break;
      }
      written += n;
    }
    if (!failed) handle.flush();
  } catch {
    failed = true;
  } finally {
    handle.close();
    await dir.removeEntry(PROBE_FILE).catch(() => undefined);
  }
  if (failed) {
    throw new StorageSpaceError(
      `${what} needs about ${mb(needed)} on disk, and only about ${mb(written)} could be written. Nothing was stored, and your projects are as they were: a full disk can make the browser drop all of this site's data, so the write was not tried. Free disk space (or delete a project you have backed up) and try again.`,
    );
  }
}

/** Asks the browser to keep this site's data under storage pressure (no prompt in Chromium; a no-op where refused). */
export async function askPersistentStorage(): Promise<boolean> {
  const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
  if (!storage?.persist) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}
