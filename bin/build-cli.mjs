// Bundles the CLI (src/cli/main.ts) into dist-cli/hyper.mjs (and its chunks) with rolldown, a production dependency: an install
// without dev dependencies (npm ci --omit=dev) can build and run it. Packages stay imports; they are the
// package's own dependencies.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const cliBundle = join(root, 'dist-cli', 'hyper.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

/** Whether the bundle is missing or older than the sources or the lockfile. */
export function cliBundleStale() {
  return (
    !existsSync(cliBundle) ||
    statSync(cliBundle).mtimeMs < Math.max(newestSource(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs)
  );
}

/**
 * Builds the bundle: `outFile` (default dist-cli/hyper.mjs) and, beside it in chunks/, each command's code, which
 * the entry loads only when that command runs. Returns the entry's file name.
 */
export async function buildCli(outFile = cliBundle) {
  const { build } = await import('rolldown');
  const outDir = dirname(outFile);
  // Written into a folder beside the target and swapped in whole, so a command started meanwhile never loads half
  // a build (or an entry with another build's chunks).
  const tmp = mkdtempSync(join(dirname(outDir), '.dist-cli-'));
  const old = `${tmp}-old`;
  try {
    await build({
      input: join(root, 'src/cli/main.ts'),
      platform: 'node',
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
      output: { dir: tmp, format: 'esm', entryFileNames: basename(outFile), chunkFileNames: 'chunks/[name]-[hash].mjs' },
      logLevel: 'warn',
    });
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(tmp, outDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
  return outFile;
}

/** Every file of a built CLI (the entry and its chunks), for the packaging test. */
export function cliFiles(outFile = cliBundle) {
  const dir = dirname(outFile);
  const chunks = join(dir, 'chunks');
  return [outFile, ...(existsSync(chunks) ? readdirSync(chunks).map((n) => join(chunks, n)) : [])];
}
