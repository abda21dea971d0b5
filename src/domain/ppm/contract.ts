// The PPM contract (docs/ppm-contract.md): what an ONNX file must look like to serve as a performance
// prediction model here, a reader that checks a file against it without running it, and the mapping from
// the model's input columns to the tags a dataset has.
import { TAG_IDS } from '../tags/tags';
import { ProtoDecodeError, readMetadataProps, readModelSummary, type ModelSummary, type ValueInfoSummary } from '../onnx';
import { HyperError } from '../errors';

/** metadata_props keys of the contract. */
export const PPM_META = {
  features: 'hyper.ppm.features',
  kind: 'hyper.ppm.kind',
  output: 'hyper.ppm.output',
  source: 'hyper.ppm.source',
  version: 'hyper.ppm.version',
  trainedOn: 'hyper.ppm.trained_on',
  cvSpearman: 'hyper.ppm.cv_spearman',
  cvRmse: 'hyper.ppm.cv_rmse',
  fitRange: 'hyper.ppm.fit_range',
} as const;

/** Per feature (input-column order): the least and most count in the mixes a fitted PPM was trained on. */
export interface FitRange {
  min: number[];
  max: number[];
}

/** The contract version this code reads and writes (`hyper.ppm.version`). */
export const PPM_CONTRACT_VERSION = '1';

export const PPM_KINDS = ['linear', 'quadratic', 'other'] as const;
export type PpmKind = (typeof PPM_KINDS)[number];

export type PpmErrorCode =
  /** The bytes are not an ONNX ModelProto (protobuf decode failure, or no graph). */
  | 'not-onnx'
  /** A required metadata key is absent. */
  | 'missing-metadata'
  /** A metadata value does not have the expected form. */
  | 'bad-metadata'
  /** `hyper.ppm.version` names a contract version this code does not know. */
  | 'unsupported-version'
  /** The same feature string appears twice in `hyper.ppm.features`. */
  | 'duplicate-feature'
  /** A feature string is not one of the known tag ids. */
  | 'unknown-feature'
  /** The graph inputs do not match: one float32 [N, F]. */
  | 'bad-input'
  /** The graph outputs do not match: one float32 [N, 1]. */
  | 'bad-output';

/** A model that breaks the contract. `key` names the metadata key concerned, when there is one. */
export class PpmError extends HyperError<PpmErrorCode> {
  override readonly name = 'PpmError';
  constructor(
    code: PpmErrorCode,
    message: string,
    readonly key?: string,
  ) {
    super(code, message);
  }
}

export function isPpmError(e: unknown): e is PpmError {
  return e instanceof PpmError;
}

/** What a PPM file declares about itself, checked against its graph. */
export interface PpmInfo {
  /** Feature strings in input-column order (length F). */
  features: string[];
  kind: PpmKind;
  /** What the output means (e.g. "RewardBench Overall 0..1"). */
  output: string;
  /** Where the model came from. */
  source: string;
  version: string;
  trainedOn?: string;
  cvSpearman?: number;
  cvRmse?: number;
  /** The counts the model was fitted on (hyper.ppm.fit_range), when it says. */
  fitRange?: FitRange;
  /** Name of the graph input to feed ([N, F] float32 raw tag counts). */
  inputName: string;
  /** Name of the graph output to read ([N, 1] float32). */
  outputName: string;
  /** The input's batch dim: a fixed size, or null when it is symbolic/unknown (any batch size). */
  fixedBatch: number | null;
  /** Things that do not break the contract but are worth showing (e.g. an unknown output width). */
  warnings: string[];
  /** All metadata_props, including keys outside the contract. */
  metadata: Record<string, string>;
  producerName: string;
  producerVersion: string;
  opsetImports: { domain: string; version: number }[];
}

export interface ReadPpmOptions {
  /** Feature strings a PPM may use (default: TAG_IDS, the paper's 90 tag ids and the 6 judge features). */
  knownFeatures?: readonly string[];
}

/**
 * Checks a list of feature strings: non-empty strings, no duplicates, all known.
 * Throws PpmError ('bad-metadata' | 'duplicate-feature' | 'unknown-feature').
 */
export function validateFeatureList(features: readonly unknown[], knownFeatures: readonly string[] = TAG_IDS): string[] {
  const key = PPM_META.features;
  if (features.length === 0) throw new PpmError('bad-metadata', `${key} is an empty list: a PPM needs at least one feature`, key);
  const known = new Set(knownFeatures);
  const seen = new Map<string, number>();
  const out: string[] = [];
  features.forEach((f, i) => {
    if (typeof f !== 'string' || f === '') {
      throw new PpmError('bad-metadata', `${key}[${i}] is ${JSON.stringify(f)}: expected a non-empty feature string`, key);
    }
    const first = seen.get(f);
    if (first !== undefined) {
      throw new PpmError('duplicate-feature', `${key}: feature "${f}" appears twice (columns ${first} and ${i})`, key);
    }
    seen.set(f, i);
    if (!known.has(f)) {
      throw new PpmError(
        'unknown-feature',
        `${key}[${i}] "${f}" is not a known tag id (expected one of the ${knownFeatures.length} feature strings: the paper's 90 and the judge features, e.g. "${knownFeatures[0] ?? ''}")`,
        key,
      );
    }
    out.push(f);
  });
  return out;
}

function required(meta: Record<string, string>, key: string, expected: string): string {
  const v = meta[key];
  if (v === undefined) throw new PpmError('missing-metadata', `metadata key ${key} is missing (expected ${expected})`, key);
  if (v.trim() === '') throw new PpmError('bad-metadata', `metadata key ${key} is empty (expected ${expected})`, key);
  return v;
}

function optionalNumber(meta: Record<string, string>, key: string): number | undefined {
  const v = meta[key];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.trim());
  if (!Number.isFinite(n)) throw new PpmError('bad-metadata', `metadata key ${key} is "${v}": expected a number (e.g. "0.41")`, key);
  return n;
}

function parseFeatures(meta: Record<string, string>, knownFeatures: readonly string[]): string[] {
  const key = PPM_META.features;
  const raw = required(meta, key, 'a JSON array of feature strings in input-column order');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new PpmError(
      'bad-metadata',
      `metadata key ${key} is not valid JSON (${(e as Error).message}): expected a JSON array of feature strings`,
      key,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new PpmError(
      'bad-metadata',
      `metadata key ${key} is JSON ${parsed === null ? 'null' : typeof parsed}: expected a JSON array of feature strings`,
      key,
    );
  }
  return validateFeatureList(parsed, knownFeatures);
}

function parseFitRange(meta: Record<string, string>, F: number): FitRange | undefined {
  const key = PPM_META.fitRange;
  const raw = meta[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new PpmError(
      'bad-metadata',
      `metadata key ${key} is not valid JSON (${(e as Error).message}): expected {"min": [...], "max": [...]}`,
      key,
    );
  }
  const r = parsed as { min?: unknown; max?: unknown } | null;
  const list = (v: unknown) => Array.isArray(v) && v.length === F && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!r || typeof r !== 'object' || !list(r.min) || !list(r.max)) {
    throw new PpmError('bad-metadata', `metadata key ${key} must be {"min": [${F} numbers], "max": [${F} numbers]} (one per feature)`, key);
  }
  return { min: r.min as number[], max: r.max as number[] };
}

/**
 * Where a mix (tag counts, TAG_IDS order) lies outside the counts a fitted PPM saw: the features whose count
 * is above the most (or below the least) in the fitted mixes, worst first. Empty when the PPM records no range.
 */
export function outsideFitRange(
  info: Pick<PpmInfo, 'features' | 'fitRange'>,
  counts: ArrayLike<number>,
): { feature: string; count: number; min: number; max: number }[] {
  const r = info.fitRange;
  if (!r) return [];
  const index = new Map(TAG_IDS.map((t, i) => [t, i]));
  const out: { feature: string; count: number; min: number; max: number; by: number }[] = [];
  info.features.forEach((f, j) => {
    const i = index.get(f);
    const count = i === undefined ? 0 : counts[i]!;
    const min = r.min[j]!;
    const max = r.max[j]!;
    // A small tolerance: counts are whole numbers, the range may come through float32.
    if (count > max + 1e-6) out.push({ feature: f, count, min, max, by: (count - max) / Math.max(1, max) });
    else if (count < min - 1e-6) out.push({ feature: f, count, min, max, by: (min - count) / Math.max(1, min) });
  });
  return out.sort((a, b) => b.by - a.by).map(({ by: _by, ...rest }) => rest);
}

/** One sentence for outsideFitRange's result, or null when the mix is inside the range. */
export function describeFitRangeExcess(excess: ReturnType<typeof outsideFitRange>, what: string): string | null {
  if (excess.length === 0) return null;
  const w = excess[0]!;
  return (
    `${what} lies outside the mixes the PPM was fitted on: ${excess.length} of its features have counts it never saw ` +
    `(e.g. ${w.feature}: ${w.count}, fitted on ${w.min}..${w.max}); its prediction there is an extrapolation`
  );
}

function layoutText(v: ValueInfoSummary): string {
  if (v.shape === null) return 'unknown rank';
  return `[${v.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function checkInput(summary: ModelSummary, F: number): { name: string; fixedBatch: number | null } {
  const inputs = summary.inputs;
  if (inputs.length !== 1) {
    throw new PpmError(
      'bad-input',
      `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}): a PPM takes exactly one, float32 [N, ${F}]`,
    );
  }
  const input = inputs[0]!;
  if (input.elemType !== 'float32') {
    throw new PpmError(
      'bad-input',
      `input "${input.name}" is ${input.elemType ?? 'not a tensor'}: a PPM input must be float32 [N, ${F}] (raw tag counts)`,
    );
  }
  if (input.shape === null || input.shape.length !== 2) {
    throw new PpmError('bad-input', `input "${input.name}" has shape ${layoutText(input)}: a PPM input must be rank 2, [N, ${F}]`);
  }
  const width = input.shape[1];
  if (typeof width === 'number' && width !== F) {
    throw new PpmError(
      'bad-input',
      `input "${input.name}" is ${layoutText(input)} but ${PPM_META.features} lists ${F} features: the second dim must be ${F}`,
    );
  }
  const batch = input.shape[0];
  return { name: input.name, fixedBatch: typeof batch === 'number' ? batch : null };
}

function checkOutput(summary: ModelSummary, warnings: string[]): string {
  const outputs = summary.outputs;
  if (outputs.length !== 1) {
    throw new PpmError(
      'bad-output',
      `the model has ${outputs.length} outputs (${outputs.map((o) => o.name).join(', ') || 'none'}): a PPM has exactly one, float32 [N, 1]`,
    );
  }
  const output = outputs[0]!;
  if (output.elemType !== 'float32') {
    throw new PpmError(
      'bad-output',
      `output "${output.name}" is ${output.elemType ?? 'not a tensor'}: a PPM output must be float32 [N, 1]`,
    );
  }
  if (output.shape === null) {
    warnings.push(`output "${output.name}" declares no shape; it must be [N, 1] at run time`);
    return output.name;
  }
  if (output.shape.length !== 2) {
    throw new PpmError('bad-output', `output "${output.name}" has shape ${layoutText(output)}: a PPM output must be rank 2, [N, 1]`);
  }
  const width = output.shape[1];
  if (typeof width === 'number' && width !== 1) {
    throw new PpmError(
      'bad-output',
      `output "${output.name}" is ${layoutText(output)}: a PPM output must be [N, 1] (one predicted score per row)`,
    );
  }
  if (typeof width !== 'number')
    warnings.push(`output "${output.name}" is ${layoutText(output)}: its second dim is not fixed; it must be 1 at run time`);
  return output.name;
}

/**
 * Reads and checks a PPM file without running it: metadata_props and the graph's inputs and outputs.
 * Throws PpmError with a code for every way a file can break the contract.
 */
export function readPpmInfo(bytes: Uint8Array, options: ReadPpmOptions = {}): PpmInfo {
  if (bytes.length === 0) throw new PpmError('not-onnx', 'the file is empty: not an ONNX model');
  let summary: ModelSummary;
  try {
    summary = readModelSummary(bytes);
    // readModelSummary keeps the last value of a repeated key, as readMetadataProps does; read through the
    // public helper so the two can never disagree.
    summary.metadata = readMetadataProps(bytes);
  } catch (e) {
    const why = e instanceof ProtoDecodeError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new PpmError('not-onnx', `not an ONNX model (${why})`);
  }
  const meta = summary.metadata;
  const requiredKeys = [PPM_META.version, PPM_META.features, PPM_META.kind, PPM_META.output, PPM_META.source];
  const absent = requiredKeys.filter((k) => meta[k] === undefined);
  if (absent.length > 0) {
    const none = absent.length === requiredKeys.length;
    throw new PpmError(
      'missing-metadata',
      none
        ? `the model carries no PPM metadata: metadata_props must hold ${requiredKeys.join(', ')} (see docs/ppm-contract.md)`
        : `metadata key${absent.length > 1 ? 's' : ''} ${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} missing (a PPM must declare ${requiredKeys.join(', ')})`,
      absent[0],
    );
  }
  const version = required(meta, PPM_META.version, `"${PPM_CONTRACT_VERSION}"`);
  if (version.trim() !== PPM_CONTRACT_VERSION) {
    throw new PpmError(
      'unsupported-version',
      `metadata key ${PPM_META.version} is "${version}": this app reads PPM contract version "${PPM_CONTRACT_VERSION}"`,
      PPM_META.version,
    );
  }
  const features = parseFeatures(meta, options.knownFeatures ?? TAG_IDS);
  const kind = required(meta, PPM_META.kind, PPM_KINDS.join(' | ')).trim();
  if (!(PPM_KINDS as readonly string[]).includes(kind)) {
    throw new PpmError(
      'bad-metadata',
      `metadata key ${PPM_META.kind} is "${kind}": expected one of ${PPM_KINDS.join(', ')}`,
      PPM_META.kind,
    );
  }
  const output = required(meta, PPM_META.output, 'what the output means, e.g. "RewardBench Overall 0..1"');
  const source = required(meta, PPM_META.source, 'where the model came from');
  const cvSpearman = optionalNumber(meta, PPM_META.cvSpearman);
  const cvRmse = optionalNumber(meta, PPM_META.cvRmse);
  const trainedOn = meta[PPM_META.trainedOn]?.trim() ? meta[PPM_META.trainedOn] : undefined;
  const fitRange = parseFitRange(meta, features.length);

  const warnings: string[] = [];
  const input = checkInput(summary, features.length);
  const outputName = checkOutput(summary, warnings);
  if (input.fixedBatch !== null)
    warnings.push(`input "${input.name}" has a fixed batch size ${input.fixedBatch}: it must be fed exactly that many rows`);

  return {
    features,
    kind: kind as PpmKind,
    output,
    source,
    version: PPM_CONTRACT_VERSION,
    ...(trainedOn !== undefined ? { trainedOn } : {}),
    ...(cvSpearman !== undefined ? { cvSpearman } : {}),
    ...(cvRmse !== undefined ? { cvRmse } : {}),
    ...(fitRange ? { fitRange } : {}),
    inputName: input.name,
    outputName,
    fixedBatch: input.fixedBatch,
    warnings,
    metadata: meta,
    producerName: summary.producerName,
    producerVersion: summary.producerVersion,
    opsetImports: summary.opsetImports,
  };
}

/** A tag as a dataset's feature set reports it (structurally compatible with TagCoverage). */
export interface AvailableTag {
  tag: string;
  available: boolean;
}

export interface FeatureMatch {
  /** PPM features the dataset lacks (absent or unavailable): their input columns are fed zeros. */
  missingInData: string[];
  /** Tags the dataset has (available) that the PPM does not use. */
  unusedDataTags: string[];
  /** For each PPM input column, the index into the dataset's tag list, or -1 (fed zero). */
  order: Int32Array;
}

/** Maps the PPM's input columns to the dataset's tags (by feature string). */
export function matchFeatures(info: Pick<PpmInfo, 'features'>, availableTags: readonly AvailableTag[]): FeatureMatch {
  const index = new Map<string, number>();
  availableTags.forEach((t, i) => {
    if (t.available && !index.has(t.tag)) index.set(t.tag, i);
  });
  const order = new Int32Array(info.features.length).fill(-1);
  const missingInData: string[] = [];
  const used = new Set<string>();
  info.features.forEach((f, col) => {
    const i = index.get(f);
    if (i === undefined) missingInData.push(f);
    else {
      order[col] = i;
      used.add(f);
    }
  });
  const unusedDataTags: string[] = [];
  for (const t of availableTags) if (t.available && !used.has(t.tag) && !unusedDataTags.includes(t.tag)) unusedDataTags.push(t.tag);
  return { missingInData, unusedDataTags, order };
}

/**
 * Builds the PPM input [rows, F] from tag counts laid out [rows, dataWidth] in the dataset's tag order:
 * column c takes data column order[c], or 0 where order[c] is -1. Into `into` (its first rows * F values,
 * returned as a view) when given, so a caller can reuse one buffer across batches.
 */
export function toPpmInput(
  order: Int32Array,
  counts: ArrayLike<number>,
  rows: number,
  dataWidth: number,
  into?: Float32Array,
): Float32Array {
  if (counts.length !== rows * dataWidth) {
    throw new RangeError(`toPpmInput: ${counts.length} counts for ${rows} rows x ${dataWidth} tags (${rows * dataWidth} expected)`);
  }
  const F = order.length;
  for (const j of order) {
    if (j >= dataWidth) throw new RangeError(`toPpmInput: column map points at tag ${j}, but rows have ${dataWidth} tags`);
  }
  if (into && into.length < rows * F) throw new RangeError(`toPpmInput: a buffer of ${into.length} values for ${rows * F}`);
  const out = into ? into.subarray(0, rows * F) : new Float32Array(rows * F);
  // Runs of model columns that read consecutive data columns (the paper prior reads tags 0..89 of 96 in a few
  // runs): a long run is copied as a block, a short one in a loop (a block copy per run and row costs more than
  // it saves); the columns of features the data lacks are set to 0.
  const runs: number[] = [];
  const missing: number[] = [];
  for (let c = 0; c < F;) {
    const j = order[c]!;
    if (j < 0) {
      missing.push(c++);
      continue;
    }
    let len = 1;
    while (c + len < F && order[c + len] === j + len) len++;
    runs.push(c, j, len);
    c += len;
  }
  const typed = counts instanceof Float32Array ? counts : null;
  for (let r = 0; r < rows; r++) {
    const base = r * dataWidth;
    const at = r * F;
    for (let k = 0; k < runs.length; k += 3) {
      const c = runs[k]!;
      const j = runs[k + 1]!;
      const len = runs[k + 2]!;
      if (typed && len >= 64) out.set(typed.subarray(base + j, base + j + len), at + c);
      else if (typed) for (let q = 0; q < len; q++) out[at + c + q] = typed[base + j + q]!;
      else for (let q = 0; q < len; q++) out[at + c + q] = counts[base + j + q]!;
    }
    if (into) for (const c of missing) out[at + c] = 0;
  }
  return out;
}
