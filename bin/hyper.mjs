#!/usr/bin/env node
// Entry of `npx hyper`: builds the CLI from src/ with Vite when it is missing or older than the sources
// (a second or two, once), then runs it. The CLI is the app's own domain code, not a copy.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist-cli', 'hyper.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

if (!existsSync(out) || statSync(out).mtimeMs < Math.max(newestSource(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs)) {
  const { build } = await import('vite');
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'src/cli/main.ts'),
      outDir: join(root, 'dist-cli'),
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: { output: { entryFileNames: 'hyper.mjs', format: 'es' } },
    },
  });
}

const { main } = await import(pathToFileURL(out).href);
process.exitCode = await main(process.argv.slice(2));
