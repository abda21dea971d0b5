// How the commands write their outputs: never in place. A file is written under a temporary name beside it and
// renamed over the target only when complete, so a failure or Ctrl-C leaves the previous file as it was (not
// truncated, not half-written, not complete-looking but wrong). A folder output (candidates) is built in a
// temporary sibling folder and swapped in whole: a rerun never mixes its files with an earlier run's.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HyperError } from '../domain/errors';

/** Temporary files and folders not yet committed; removed if the process is interrupted. */
const pending = new Set<string>();
let handlersInstalled = false;

function installInterruptHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanUp = (signal: NodeJS.Signals) => {
    for (const p of pending) rmSync(p, { recursive: true, force: true });
    pending.clear();
    process.stderr.write(`\nhyper: interrupted (${signal}); outputs left as they were\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', cleanUp);
  process.once('SIGTERM', cleanUp);
}

function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** An output file being written: bytes go to a temporary file, `commit` renames it over the target. */
export class OutputFile {
  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string, option = '--output'): Promise<OutputFile> {
    installInterruptHandlers();
    if (existsSync(path) && statSync(path).isDirectory()) throw new OutputError(`${option} ${path} is a folder; give a file name`);
    const temp = tempNameFor(path);
    let handle: FileHandle;
    try {
      handle = await open(temp, 'wx');
    } catch (e) {
      throw new OutputError(`${option} ${path}: cannot write there (${e instanceof Error ? e.message : String(e)})`);
    }
    pending.add(temp);
    return new OutputFile(path, temp, handle);
  }

  async write(bytes: Uint8Array | string): Promise<void> {
    if (typeof bytes === 'string') await this.handle.write(bytes);
    else await this.handle.write(bytes);
  }

  /** Makes the output visible under its name (atomically replacing an earlier file). */
  async commit(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temp, this.path);
    pending.delete(this.temp);
  }

  /** Drops what was written; the target is left as it was. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
    pending.delete(this.temp);
  }
}

/** A problem with an output path (it is a folder, it cannot be written, a folder holds files of something else). */
export class OutputError extends HyperError<'bad-output'> {
  constructor(message: string) {
    super('bad-output', message);
  }
}

/** Writes a whole file atomically (see OutputFile). */
export async function writeOutputFile(path: string, data: Uint8Array | string, option = '--output'): Promise<void> {
  const out = await OutputFile.create(path, option);
  try {
    await out.write(data);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/** Writes several files that belong together (a data file and its manifest): all of them appear, or none changes. */
export async function writeOutputFiles(files: readonly { path: string; data: Uint8Array | string; option?: string }[]): Promise<void> {
  const outs: OutputFile[] = [];
  try {
    for (const f of files) {
      const out = await OutputFile.create(f.path, f.option);
      outs.push(out);
      await out.write(f.data);
    }
    for (const out of outs) await out.commit();
  } catch (e) {
    for (const out of outs) await out.abort();
    throw e;
  }
}

/**
 * Builds a folder output: `build` fills a fresh temporary folder beside `target`; on success the target is
 * replaced by it. An existing target is replaced only when `isOurs` says it holds an earlier output of the
 * same kind (or it is empty); a folder with anything else in it is refused, never emptied.
 */
export async function writeOutputFolder(
  target: string,
  isOurs: (dir: string) => Promise<boolean>,
  build: (dir: string) => Promise<void>,
  option = '--output',
): Promise<void> {
  installInterruptHandlers();
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new OutputError(`${option} ${target} is a file; give a folder`);
    if (readdirSync(target).length > 0 && !(await isOurs(target))) {
      throw new OutputError(
        `${option} ${target} holds files that are not an earlier output of this command; choose an empty or new folder`,
      );
    }
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = tempNameFor(target.replace(/\/+$/, ''));
  await mkdir(temp);
  pending.add(temp);
  try {
    await build(temp);
    // The earlier output is moved aside, not deleted, until the new one is in place (never in `pending`: an
    // interrupt between the two renames leaves it recoverable beside the target).
    const old = existsSync(target) ? tempNameFor(`${target.replace(/\/+$/, '')}-old`) : null;
    if (old) await rename(target, old);
    await rename(temp, target);
    pending.delete(temp);
    if (old) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    pending.delete(temp);
    throw e;
  }
}

/** Reads a JSON file's `format` field, or null when it is absent or not JSON. */
export async function jsonFormatOf(path: string): Promise<string | null> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown };
    return typeof v.format === 'string' ? v.format : null;
  } catch {
    return null;
  }
}
