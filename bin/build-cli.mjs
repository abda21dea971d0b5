// Bundles the CLI (src/cli/main.ts) into dist-cli/hyper.mjs (and its chunks) with rolldown, a production dependency: an install
// without dev dependencies (npm ci --omit=dev) can build and run it. Packages stay imports; they are the
// package's own dependencies.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  // Built in a folder beside the target, then moved in file by file, the entry last. Chunks are named by their
  // content's hash and never removed here, so a command started from an earlier build (it loads its chunk after
  // it starts) still finds its own, whatever another command rebuilds meanwhile.
  const tmp = mkdtempSync(join(dirname(outDir), '.dist-cli-'));
  try {
    await build({
      input: join(root, 'src/cli/main.ts'),
      platform: 'node',
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
      output: { dir: tmp, format: 'esm', entryFileNames: basename(outFile), chunkFileNames: 'chunks/[name]-[hash].mjs' },
      logLevel: 'warn',
    });
    mkdirSync(join(outDir, 'chunks'), { recursive: true });
    const built = join(tmp, 'chunks');
    const names = new Set(existsSync(built) ? readdirSync(built) : []);
    for (const name of names) renameSync(join(built, name), join(outDir, 'chunks', name));
    renameSync(join(tmp, basename(outFile)), outFile);
    // Chunks of builds older than ten minutes go: a command loads its chunk right after it starts.
    for (const name of readdirSync(join(outDir, 'chunks'))) {
      const p = join(outDir, 'chunks', name);
      if (!names.has(name) && Date.now() - statSync(p).mtimeMs > 600_000) rmSync(p, { force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return outFile;
}

/** Every file of a built CLI (the entry and its chunks), for the packaging test. */
export function cliFiles(outFile = cliBundle) {
  const dir = dirname(outFile);
  const chunks = join(dir, 'chunks');
  return [outFile, ...(existsSync(chunks) ? readdirSync(chunks).map((n) => join(chunks, n)) : [])];
}
