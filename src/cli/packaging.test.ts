// The CLI runs on an install without dev dependencies (npm ci --omit=dev): its bundle, and the entry scripts
// that build it, import nothing but Node's built-ins and the package's own dependencies.
import { builtinModules } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The packages a module's text imports (static and dynamic), by package name. */
function importedPackages(text: string): string[] {
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  return [
    ...new Set(
      specs
        .filter((s) => !s.startsWith('.') && !s.startsWith('/'))
        .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)),
    ),
  ];
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe('the CLI needs only production dependencies', () => {
  it(
    'the bundle bin/hyper.mjs builds imports only built-ins and dependencies (none of the dev dependencies)',
    { timeout: 60_000 },
    async () => {
      const { buildCli, cliFiles } = (await import(join(REPO, 'bin/build-cli.mjs'))) as {
        buildCli(out?: string): Promise<string>;
        cliFiles(out?: string): string[];
      };
      const out = await buildCli(join(mkdtempSync(join(tmpdir(), 'hyper-cli-bundle-')), 'hyper.mjs'));
      // The entry and each command's chunk.
      expect(cliFiles(out).length).toBeGreaterThan(1);
      const used = [...new Set(cliFiles(out).flatMap((f) => importedPackages(readFileSync(f, 'utf8'))))];
      expect(used).toContain('onnxruntime-web');
      const missing = used.filter((p) => !isBuiltin(p) && !(p in pkg.dependencies));
      expect(missing).toEqual([]);
    },
  );

  it('the entry scripts import only built-ins and dependencies (the bundler is one of them)', () => {
    for (const file of ['bin/hyper.mjs', 'bin/build-cli.mjs']) {
      const used = importedPackages(readFileSync(join(REPO, file), 'utf8'));
      expect(
        used.filter((p) => !isBuiltin(p) && !(p in pkg.dependencies)),
        file,
      ).toEqual([]);
    }
    expect(pkg.dependencies).toHaveProperty('rolldown');
    expect(pkg.devDependencies).not.toHaveProperty('rolldown');
  });
});
