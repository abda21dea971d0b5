#!/usr/bin/env node
// Builds the built-in PPMs into public/ppm/: paper-prior.onnx (a linear PPM whose weights are the paper's
// Table 13 tag gains) and index.json (id, name, file, sha256, size, kind, output meaning, source).
// Reads ../shared/data/hyper-paper/table13-tag-gains.tsv; when ../shared is absent it says so and leaves the
// committed files alone (exit 0). The TS domain code is loaded through Vite's SSR loader, as in bench/.
// Usage: node scripts/build-ppms.mjs
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTsModule } from './load-ts.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = resolve(ROOT, '../shared');
const TSV = resolve(SHARED, 'data/hyper-paper/table13-tag-gains.tsv');
const OUT_DIR = resolve(ROOT, 'public/ppm');

function loadDomain() {
  return loadTsModule('/src/domain/ppm/index.ts');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function main() {
  if (!existsSync(SHARED)) {
    console.log(`build-ppms: ${SHARED} not found; keeping the committed files in ${relative(ROOT, OUT_DIR)}/ unchanged`);
    return;
  }
  if (!existsSync(TSV)) {
    console.log(`build-ppms: ${TSV} not found; keeping the committed files in ${relative(ROOT, OUT_DIR)}/ unchanged`);
    return;
  }
  const ppm = await loadDomain();
  const tsv = readFileSync(TSV, 'utf8');
  const bytes = ppm.buildPaperPriorPpm(tsv);
  // Check what we are about to ship against the contract reader.
  const info = ppm.readPpmInfo(bytes);
  const meta = ppm.PAPER_PRIOR;

  mkdirSync(OUT_DIR, { recursive: true });
  const modelPath = resolve(OUT_DIR, meta.file);
  const previous = existsSync(modelPath) ? sha256(readFileSync(modelPath)) : null;
  writeFileSync(modelPath, bytes);
  const entry = {
    id: meta.id,
    name: meta.name,
    file: meta.file,
    sha256: sha256(bytes),
    bytes: bytes.length,
    kind: info.kind,
    output: info.output,
    source: info.source,
    features: info.features.length,
  };
  const index = { version: 1, models: [entry] };
  const indexText = `${JSON.stringify(index, null, 2)}\n`;
  ppm.parsePpmIndex(indexText);
  const indexPath = resolve(OUT_DIR, 'index.json');
  writeFileSync(indexPath, indexText);

  const change = previous === null ? 'new' : previous === entry.sha256 ? 'unchanged' : `changed, was ${previous.slice(0, 12)}`;
  console.log(`build-ppms: read ${relative(ROOT, TSV)}`);
  console.log(`build-ppms: wrote ${relative(ROOT, modelPath)} (${entry.bytes} bytes, sha256 ${entry.sha256}, ${change})`);
  console.log(`  kind ${entry.kind}, ${entry.features} features, input "${info.inputName}" -> output "${info.outputName}"`);
  console.log(`  output: ${entry.output}`);
  console.log(`build-ppms: wrote ${relative(ROOT, indexPath)} (${index.models.length} model)`);
}

await main();
