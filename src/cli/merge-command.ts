import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orientationMismatch, type DatasetOrientation } from '../domain/formats/orientation';
import { parseAnnotationsDocument, type AnnotatedDataset } from '../domain/merge/annotations-file';
import { MergeError } from '../domain/merge/errors';
import { Merger, type MergeSummary } from '../domain/merge/merge';
import { parseAggregation, type MergeOptions } from '../domain/merge/options';
import { parsePlanFile, planOrientation } from '../domain/routing/plan-file';
import { EXPORT_FORMATS, FORMAT_INFO, isExportFormat, type ExportFormat } from '../domain/export/formats';
import { buildManifest, type ExportContext } from '../domain/export/manifest';
import { exportZip, runExport } from '../domain/export/pipeline';
import { createFormatWriter, type WriterStats } from '../domain/export/writers';
import { webDeflateRaw } from '../domain/export/zip';
import type { Annotation } from '../domain/annotation';
import { parseArgs, UsageError } from './args';
import { OutputFile } from './outputs';
import { datasetOptions, readDataset, readInputFile } from './tags-from-file';

export const MERGE_HELP = `hyper merge: merge human and LM labels by a routing plan and export the hybrid dataset

Usage:
  npx hyper merge --input FILE --plan PLAN.json --annotations FILE --format FORMAT --output FILE [options]

A pair people annotated takes its human label (the annotators' aggregate), whatever plan it was annotated
under (--plan-id restricts that to one plan); a routed pair nobody annotated takes the LM label (or is left
out, --unlabelled omit); every other pair takes the LM label. Writes FILE and FILE.manifest.json, or, when
--output ends in .zip, one zip with the data file, manifest.json and a dataset card (README.md).

Options:
  --input FILE         the dataset (any file the app imports; the same layout the plan was made on)
  --plan FILE          the routing plan (hyper route --output, or the app's "Download plan")
  --annotations FILE   annotations: JSONL of annotation objects, or {"format": "hyper-annotations", ...};
                       optional with --file-human use
  --format NAME        ${EXPORT_FORMATS.join(' | ')}
  --output FILE        where to write (.zip for a bundle)
  --aggregate HOW      majority (default; the paper's rule: winners only, no majority = tie) | mean-strength
                       | annotator:NAME (only that annotator's labels)
  --unlabelled WHAT    routed pairs without a human label: lm (default, take the LM label) | omit
  --ties WHAT          drop (default, as the paper) | keep (TRL formats still leave ties out, and count them)
  --file-human WHAT    ignore (default) | use: routed pairs without annotations take the dataset's own human label
  --plan-id ID         count only annotations made under this plan id (default: annotations of every plan)
  --csv-cells WHAT     csv: guard (default: a text cell starting with = + - @ gets a leading apostrophe, so a
                       spreadsheet does not run it as a formula; counted in the manifest) | raw
  --degenerate WHAT    pairs with an empty response or identical responses: drop (default; counted in the
                       manifest) | keep
  --tags FILE          the output of "hyper tags" for this dataset: adds hyper_tags to full/csv/parquet
  --layout NAME        force the input layout (as in hyper tags); --mapping FILE for custom
  --side-seed N        seed of the coin that places TRL/HH chosen responses on A or B; default: the seed the
                       plan or the annotations record (a different one is refused: it would flip labels), else 1
  --help               this text

Load the result in Python: load_dataset("json" | "csv" | "parquet", data_files=FILE, split="train").
`;

const CHUNK = 1000;

/** The app's name and version, from the package.json above this module (source tree or dist-cli). */
export function appInfo(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    dir = dirname(dir);
  }
  return { name: 'hyper-workbench', version: 'unknown' };
}

function choice<T extends string>(value: string | true | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const quote = (s: string) => (/^[\w./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Runs `hyper merge`; returns the process exit code. */
export async function mergeCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'input', value: true, required: true },
    { name: 'plan', value: true, required: true },
    { name: 'annotations', value: true },
    { name: 'format', value: true, required: true },
    { name: 'output', value: true, required: true },
    { name: 'aggregate', value: true },
    { name: 'unlabelled', value: true },
    { name: 'ties', value: true },
    { name: 'file-human', value: true },
    { name: 'plan-id', value: true },
    { name: 'degenerate', value: true },
    { name: 'csv-cells', value: true },
    { name: 'tags', value: true },
    { name: 'features', value: true, renamedTo: 'tags' },
    { name: 'layout', value: true },
    { name: 'mapping', value: true },
    { name: 'side-seed', value: true },
    { name: 'seed', value: true, renamedTo: 'side-seed' },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(MERGE_HELP);
    return 0;
  }
  const format = String(args.format);
  if (!isExportFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const options: Partial<MergeOptions> = {
    aggregate: parseAggregation(typeof args.aggregate === 'string' ? args.aggregate : 'majority'),
    unlabelled: choice(args.unlabelled, 'unlabelled', ['lm', 'omit'] as const, 'lm'),
    ties: choice(args.ties, 'ties', ['drop', 'keep'] as const, 'drop'),
    fileHuman: choice(args['file-human'], 'file-human', ['ignore', 'use'] as const, 'ignore'),
    degenerate: choice(args.degenerate, 'degenerate', ['drop', 'keep'] as const, 'drop'),
    ...(typeof args['plan-id'] === 'string' ? { planId: args['plan-id'] } : {}),
  };
  if (args.annotations === undefined && options.fileHuman !== 'use')
    throw new UsageError("--annotations is required (or pass --file-human use to take the dataset's own human labels)");
  const input = String(args.input);
  const output = String(args.output);
  const started = performance.now();

  const planPath = String(args.plan);
  const plan = parsePlanFile(new TextDecoder().decode(await readInputFile(planPath, '--plan')), basename(planPath));
  const annotationsDoc =
    typeof args.annotations === 'string'
      ? parseAnnotationsDocument(
          new TextDecoder().decode(await readInputFile(args.annotations, '--annotations')),
          basename(args.annotations),
        )
      : null;
  const inputBytes = await readInputFile(input, '--input');
  const datasetSha = createHash('sha256').update(inputBytes).digest('hex');
  if (plan.dataset.sha256 && plan.dataset.sha256 !== datasetSha) {
    log(
      `  warning: the plan was made on a file with another SHA-256 (${plan.dataset.sha256.slice(0, 12)}…, this one ${datasetSha.slice(0, 12)}…); ids are checked instance by instance`,
    );
  }

  // The orientation (layout, side seed) the plan and the annotations were made with travels with them: the data
  // is read the same way, and a merge that would read it another way is refused.
  const recorded: { source: string; orientation: DatasetOrientation }[] = [];
  const fromPlan = planOrientation(plan);
  if (fromPlan) recorded.push({ source: basename(planPath), orientation: fromPlan });
  const annotatedOn = annotationsDoc ? matchAnnotatedDataset(annotationsDoc.head.datasets, datasetSha, log) : null;
  if (annotatedOn) recorded.push({ source: basename(String(args.annotations)), orientation: annotatedOn });
  const readOptions = datasetOptions(args, '--side-seed');
  const seeded = recorded.find((r) => r.orientation.sideSeed !== null);
  if (readOptions.sideSeed === undefined && seeded) readOptions.sideSeed = String(seeded.orientation.sideSeed);
  if (readOptions.layout === undefined && recorded[0]) readOptions.layout = recorded[0].orientation.layout;
  const dataset = await readDataset(input, readOptions, log);
  for (const r of recorded) {
    const why = orientationMismatch(r.orientation, dataset.orientation, r.source);
    if (why) throw new MergeError('orientation-mismatch', why);
  }
  if (recorded.length === 0 && dataset.orientation.sideSeed !== null) {
    log(
      `  warning: neither the plan nor the annotations record how the data's A/B sides were fixed; reading ${basename(input)} with side seed ${dataset.orientation.sideSeed}. If the labels were made on this file read with another seed, pass it with --side-seed`,
    );
  }
  const records = dataset.records;
  let annotations: Annotation[] = annotationsDoc?.annotations ?? [];
  if (annotatedOn) {
    const mine = annotations.filter((a) => a.datasetId === '' || a.datasetId === annotatedOn.id);
    if (mine.length < annotations.length)
      log(`  ${annotations.length - mine.length} annotations are of other datasets of the project and are not used`);
    annotations = mine;
  }
  const tags = typeof args.tags === 'string' ? await readTagsFile(args.tags) : null;
  const csvCells = choice(args['csv-cells'], 'csv-cells', ['guard', 'raw'] as const, 'guard');
  const writer = createFormatWriter(format, {
    ...(tags ? { hyperTags: (m) => tags.get(m.record.id) } : {}),
    csvGuardFormulas: csvCells === 'guard',
  });
  const merger = new Merger({ plan, annotations, options });
  const zip = output.toLowerCase().endsWith('.zip');
  const dataFile = zip ? `${basename(output).slice(0, -4)}.${FORMAT_INFO[format].extension}` : basename(output);
  const context: ExportContext = {
    app: appInfo(),
    dataset: { name: basename(input), sha256: datasetSha },
    plan,
    format,
    createdAt: new Date().toISOString(),
    command: ['hyper', 'merge', ...argv].map(quote).join(' '),
    dataFile,
  };
  const chunks = chunked(records, CHUNK);
  // Nothing is written over an earlier output until the whole export is done: the data file (and its manifest)
  // are written under temporary names and renamed into place together.
  const file = await OutputFile.create(output);
  const manifestFile = zip
    ? null
    : await OutputFile.create(`${output}.manifest.json`).catch(async (e: unknown) => {
        await file.abort();
        throw e;
      });
  let summary: MergeSummary;
  let stats: WriterStats;
  try {
    if (zip) {
      ({ summary, stats } = await exportZip({ chunks, merger, writer, context, deflate: webDeflateRaw, zipSink: (b) => file.write(b) }));
    } else {
      const hash = createHash('sha256');
      ({ summary, stats } = await runExport({
        chunks,
        merger,
        writer,
        sink: async (b) => {
          hash.update(b);
          await file.write(b);
        },
      }));
      const manifest = buildManifest(context, summary, stats, hash.digest('hex'));
      await manifestFile!.write(`${JSON.stringify(manifest, null, 2)}\n`);
    }
    await file.commit();
    await manifestFile?.commit();
  } catch (e) {
    await file.abort();
    await manifestFile?.abort();
    throw e;
  }
  report(summary, stats, format, log);
  log(
    `wrote ${stats.rows} rows to ${output}${zip ? ` (${dataFile}, manifest.json, README.md)` : ` and ${output}.manifest.json`}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}

/**
 * The dataset of an annotations file's head that is the input: the one with the input's SHA-256, else the only
 * one listed. Null when the file lists none (JSONL, or older files).
 */
function matchAnnotatedDataset(
  datasets: readonly AnnotatedDataset[] | undefined,
  sha256: string,
  log: (s: string) => void,
): AnnotatedDataset | null {
  if (!datasets || datasets.length === 0) return null;
  const same = datasets.find((d) => d.sha256 === sha256);
  if (same) return same;
  if (datasets.length === 1) {
    const only = datasets[0]!;
    if (only.sha256)
      log(
        `  warning: the annotations were made on a file with another SHA-256 (${only.sha256.slice(0, 12)}…); ids are checked instance by instance`,
      );
    return only;
  }
  throw new MergeError(
    'annotation-mismatch',
    `the annotations file lists ${datasets.length} datasets (${datasets.map((d) => d.name ?? d.id).join(', ')}) and none has this input's SHA-256: merge the file they were made on`,
  );
}

/** Tags per id from `hyper tags` output ({"id", "scores", "tags"} lines). */
async function readTagsFile(path: string): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: { id?: unknown; tags?: unknown };
    try {
      v = JSON.parse(line) as typeof v;
    } catch {
      throw new UsageError(`${path} line ${i + 1}: not JSON (expected the output of hyper tags)`);
    }
    if (typeof v.id !== 'string' || !Array.isArray(v.tags))
      throw new UsageError(`${path} line ${i + 1}: expected {"id": ..., "tags": [...]} (the output of hyper tags)`);
    map.set(v.id, v.tags as string[]);
  });
  return map;
}

function* chunked<T>(xs: readonly T[], n: number): Generator<T[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

function report(s: MergeSummary, stats: WriterStats, format: ExportFormat, log: (s: string) => void): void {
  log(`merged ${s.instances} pairs: ${s.output} kept (${s.bySource.human} human, ${s.bySource.lm} LM)`);
  log(
    `  routed ${s.routed}: ${s.routedLabelled} with a human label, ${s.routedUnlabelled} without (${s.routedUnlabelledToLm} took the LM label, ${s.omitted.unlabelled} left out)`,
  );
  log(
    `  ties dropped: ${s.tiesDropped.human} human, ${s.tiesDropped.lm} LM; ties kept: ${s.tiesKept}; no label at all: ${s.omitted.noLabel}`,
  );
  const d = s.omitted.degenerate;
  if (d.empty + d.identical > 0)
    log(`  left out: ${d.empty} pairs with an empty response, ${d.identical} with identical responses (--degenerate keep keeps them)`);
  if (s.humanOutsidePlan > 0)
    log(`  ${s.humanOutsidePlan} pairs the plan does not route keep the human label made under another plan (restrict with --plan-id)`);
  log(
    `  annotations: ${s.annotations.given - s.annotations.carried} made${s.annotations.carried ? ` (+${s.annotations.carried} carried copies)` : ''}, ${s.annotations.counted} counted, ${s.annotations.used} used (${s.annotations.notRouted} on pairs not routed), ${s.annotations.incomplete} incomplete, ${s.annotations.superseded} superseded${s.annotations.otherPlan ? `, ${s.annotations.otherPlan} of other plans left out` : ''}`,
  );
  if (s.agreement.rate !== null)
    log(
      `  human-LM agreement on routed pairs with both labels: ${s.agreement.agree}/${s.agreement.compared} (${(100 * s.agreement.rate).toFixed(1)}%)`,
    );
  if (stats.skippedTies > 0) log(`  ${format} cannot express ties: ${stats.skippedTies} kept ties are not in the file`);
  const f = stats.textFixes;
  if (f.formulaGuarded > 0)
    log(
      `  ${f.formulaGuarded} csv cells start like a spreadsheet formula and got a leading apostrophe (--csv-cells raw writes them as they are)`,
    );
  if (f.nulReplaced > 0) log(`  ${f.nulReplaced} cells held NUL characters, written as U+FFFD`);
  if (f.loneSurrogates > 0)
    log(`  ${f.loneSurrogates} cells held an unpaired UTF-16 surrogate, written as U+FFFD (the JSON lines formats keep it escaped)`);
}
