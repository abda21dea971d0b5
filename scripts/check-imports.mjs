#!/usr/bin/env node
// Enforces the layering of src/: imports flow one way (domain <- storage <- workers <- areas <- app),
// UI areas never import each other, domain stays free of React/Dexie/browser-only packages, and there are
// no import cycles. Prints every violation with file and line; exits 1 if there is any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const src = join(root, 'src');

// Which top-level areas each area may import from.
const ALLOWED = {
  domain: ['domain'],
  storage: ['domain', 'storage'],
  workers: ['domain', 'storage', 'workers'],
  navigation: ['navigation'],
  components: ['domain', 'components', 'workers'],
  data: ['domain', 'storage', 'workers', 'data'],
  areas: ['domain', 'storage', 'workers', 'components', 'navigation', 'data', 'areas'],
  app: ['domain', 'storage', 'workers', 'components', 'navigation', 'data', 'areas', 'app', 'demo'],
  demo: [],
  server: ['domain', 'server'],
  cli: ['domain', 'cli', 'server'],
};
const ROOT_FILES = ['main.tsx', 'vite-env.d.ts'];
// Packages that must never appear in pure layers.
const FORBIDDEN_PACKAGES = {
  domain: [/^react/, /^dexie/, /^zustand/, /^@tanstack\//, /^onnxruntime/],
  storage: [/^react/, /^zustand/, /^@tanstack\//],
  workers: [/^react/, /^zustand/, /^@tanstack\//],
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

const files = walk(src);
const importRe =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

function resolveLocal(from, spec) {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const cand of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(cand).isFile()) return cand;
    } catch {
      /* try next */
    }
  }
  return null;
}

const areaOf = (file) => {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? null : rel[0];
};
const uiAreaOf = (file) => {
  const rel = relative(src, file).split('/');
  return rel[0] === 'areas' ? rel[1] : null;
};

const problems = [];
const graph = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const area = areaOf(file);
  const deps = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    const where = `${relative(root, file)}:${line}`;
    if (!spec.startsWith('.')) {
      // Tests may bring a runtime in (e.g. onnxruntime-web to run a model the domain code built).
      if (file.endsWith('.test.ts')) continue;
      for (const re of FORBIDDEN_PACKAGES[area] ?? []) {
        if (re.test(spec)) problems.push(`${where}: ${area}/ must not import the package "${spec}"`);
      }
      continue;
    }
    // Tests may read data files from anywhere, including ../shared, which is absent on some machines.
    if (file.endsWith('.test.ts') && /\.(jsonl|json|tsv|csv|txt|gz|parquet|onnx)$/.test(spec)) continue;
    const target = resolveLocal(file, spec);
    if (!target) {
      problems.push(`${where}: cannot resolve "${spec}"`);
      continue;
    }
    if (target.endsWith('.test.ts')) continue;
    deps.push(target);
    // Tests may read fixtures from anywhere (e.g. the demo data); the layering is about shipped code.
    if (file.endsWith('.test.ts') && !/\.(ts|tsx)$/.test(target)) continue;
    // A parity test (*.parity.test.ts) checks that two layers' paths agree, so it may import both of them.
    if (file.endsWith('.parity.test.ts')) continue;
    const targetArea = areaOf(target);
    if (area === null) {
      if (!ROOT_FILES.includes(relative(src, file))) problems.push(`${where}: unexpected file at src/ root`);
      continue;
    }
    if (targetArea === null) {
      problems.push(`${where}: ${area}/ must not import the entry file ${relative(src, target)}`);
      continue;
    }
    const allowed = ALLOWED[area];
    if (!allowed) {
      problems.push(`${where}: src/${area}/ is not a known layer (add it to scripts/check-imports.mjs)`);
    } else if (!allowed.includes(targetArea)) {
      problems.push(`${where}: ${area}/ must not import ${targetArea}/ (${spec})`);
    }
    const fa = uiAreaOf(file);
    const fb = uiAreaOf(target);
    if (fa && fb && fa !== fb) problems.push(`${where}: UI area "${fa}" must not import UI area "${fb}" (${spec})`);
  }
  graph.set(file, deps);
}

// Cycle detection (Tarjan-free DFS with colours); reports each cycle once.
const colour = new Map();
const stack = [];
const seenCycles = new Set();
function dfs(node) {
  colour.set(node, 1);
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (colour.get(next) === 1) {
      const cycle = stack.slice(stack.indexOf(next)).map((f) => relative(root, f));
      const key = [...cycle].sort().join('|');
      if (!seenCycles.has(key)) {
        seenCycles.add(key);
        problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
      }
    } else if (!colour.get(next)) dfs(next);
  }
  stack.pop();
  colour.set(node, 2);
}
for (const f of graph.keys()) if (!colour.get(f)) dfs(f);

if (problems.length) {
  console.error(`check-imports: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-imports: ${files.length} files, layering and cycles OK`);
