// Bundles the CLI (src/cli/main.ts) into dist-cli/hyper.mjs with rolldown, a production dependency: an install
// without dev dependencies (npm ci --omit=dev) can build and run it. Packages stay imports; they are the
// package's own dependencies.
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** Builds the bundle into `outFile` (default dist-cli/hyper.mjs); returns the output's file name. */
export async function buildCli(outFile = cliBundle) {
  const { build } = await import('rolldown');
  const outDir = dirname(outFile);
  // Written beside the target and renamed into place, so a second command started meanwhile never loads half a file.
  const tmp = mkdtempSync(join(dirname(outDir), '.dist-cli-'));
  try {
    await build({
      input: join(root, 'src/cli/main.ts'),
      platform: 'node',
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
      output: { file: join(tmp, 'hyper.mjs'), format: 'esm' },
      logLevel: 'warn',
    });
    if (!existsSync(outDir)) renameSync(tmp, outDir);
    else renameSync(join(tmp, 'hyper.mjs'), outFile);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return outFile;
}
