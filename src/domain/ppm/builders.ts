// Writers for PPM files that follow the contract (contract.ts): a linear model y = b + w.v and a quadratic
// model y = b + w.v + v^T Q v, both over a batch of raw tag-count rows [N, F] -> [N, 1]. The bytes depend
// only on the arguments (fixed value and node names, fixed metadata order), so the same inputs always give
// the same file and the same hash.
import { TAG_IDS } from '../tags/tags';
import { attr, encodeModel, GraphBuilder } from '../onnx';
import { PPM_CONTRACT_VERSION, PPM_META, validateFeatureList, type FitRange, type PpmKind } from './contract';

/** Name of the graph input of models built here. */
export const PPM_INPUT_NAME = 'counts';
/** Name of the graph output of models built here. */
export const PPM_OUTPUT_NAME = 'score';
export const PPM_PRODUCER = 'hyper-workbench';
export const PPM_PRODUCER_VERSION = 'ppm-builders/1';

export interface PpmDescription {
  /** Feature strings in input-column order (length F). */
  features: readonly string[];
  /** What the output means (hyper.ppm.output). */
  output: string;
  /** Where the model came from (hyper.ppm.source). */
  source: string;
  trainedOn?: string;
  cvSpearman?: number;
  cvRmse?: number;
  /** The least and most count of each feature (features order) in the mixes the model was fitted on. */
  fitRange?: FitRange;
  /** Graph name (default "linear_ppm" / "quadratic_ppm"). */
  graphName?: string;
  /** Feature strings allowed (default TAG_IDS). */
  knownFeatures?: readonly string[];
}

export interface LinearPpmSpec extends PpmDescription {
  /** One weight per feature (length F). */
  weights: ArrayLike<number>;
  bias: number;
}

export interface QuadraticPpmSpec extends PpmDescription {
  bias: number;
  /** Linear weights (length F). */
  w: ArrayLike<number>;
  /** Symmetric F x F matrix, row-major (length F*F). */
  Q: ArrayLike<number>;
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new RangeError(`${what}[${i}] is ${values[i]}: PPM parameters must be finite numbers`);
  }
}

function nonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what} must be a non-empty string`);
  return value;
}

/** The contract's metadata_props for a model built here, in a fixed key order. */
export function ppmMetadata(kind: PpmKind, d: PpmDescription): Record<string, string> {
  const features = validateFeatureList(d.features, d.knownFeatures ?? TAG_IDS);
  const meta: Record<string, string> = {
    [PPM_META.version]: PPM_CONTRACT_VERSION,
    [PPM_META.kind]: kind,
    [PPM_META.features]: JSON.stringify(features),
    [PPM_META.output]: nonEmpty(d.output, 'output'),
    [PPM_META.source]: nonEmpty(d.source, 'source'),
  };
  if (d.trainedOn !== undefined && d.trainedOn.trim() !== '') meta[PPM_META.trainedOn] = d.trainedOn;
  if (d.cvSpearman !== undefined) {
    checkFinite([d.cvSpearman], 'cvSpearman');
    meta[PPM_META.cvSpearman] = String(d.cvSpearman);
  }
  if (d.cvRmse !== undefined) {
    checkFinite([d.cvRmse], 'cvRmse');
    meta[PPM_META.cvRmse] = String(d.cvRmse);
  }
  if (d.fitRange !== undefined) {
    if (d.fitRange.min.length !== d.features.length || d.fitRange.max.length !== d.features.length)
      throw new RangeError(`fitRange needs ${d.features.length} min and max values`);
    checkFinite(d.fitRange.min, 'fitRange.min');
    checkFinite(d.fitRange.max, 'fitRange.max');
    meta[PPM_META.fitRange] = JSON.stringify({ min: d.fitRange.min, max: d.fitRange.max });
  }
  return meta;
}

/** y = b + w.v: MatMul(counts [N,F], w [F,1]) + b [1] -> [N,1]. */
export function buildLinearPpm(spec: LinearPpmSpec): Uint8Array {
  const F = spec.features.length;
  if (spec.weights.length !== F) throw new RangeError(`buildLinearPpm: ${spec.weights.length} weights for ${F} features`);
  checkFinite(spec.weights, 'weights');
  checkFinite([spec.bias], 'bias');
  const metadata = ppmMetadata('linear', spec);
  const g = new GraphBuilder(spec.graphName ?? 'linear_ppm');
  const v = g.input(PPM_INPUT_NAME, 'float32', ['N', F]);
  const wv = g.op('MatMul', [v, g.float32('w', [F, 1], spec.weights)], { name: 'linear', output: 'wv' });
  g.op('Add', [wv, g.float32('b', [1], [spec.bias])], { name: 'add_bias', output: PPM_OUTPUT_NAME });
  g.output(PPM_OUTPUT_NAME, 'float32', ['N', 1]);
  return encodeModel({ graph: g.build(), producerName: PPM_PRODUCER, producerVersion: PPM_PRODUCER_VERSION, metadata });
}

/**
 * y = b + w.v + v^T Q v over a batch: MatMul(v, Q) * v, ReduceSum over axis 1 (keepdims; opset 13 takes the
 * axes as an int64 input), plus MatMul(v, w) plus b.
 */
export function buildQuadraticPpm(spec: QuadraticPpmSpec): Uint8Array {
  const F = spec.features.length;
  if (spec.w.length !== F) throw new RangeError(`buildQuadraticPpm: ${spec.w.length} linear weights for ${F} features`);
  if (spec.Q.length !== F * F) throw new RangeError(`buildQuadraticPpm: Q has ${spec.Q.length} values; a ${F} x ${F} matrix has ${F * F}`);
  checkFinite(spec.w, 'w');
  checkFinite(spec.Q, 'Q');
  checkFinite([spec.bias], 'bias');
  let scale = 0;
  for (let i = 0; i < spec.Q.length; i++) scale = Math.max(scale, Math.abs(spec.Q[i]!));
  const tol = 1e-6 * scale;
  for (let i = 0; i < F; i++) {
    for (let j = i + 1; j < F; j++) {
      const a = spec.Q[i * F + j]!;
      const b = spec.Q[j * F + i]!;
      if (Math.abs(a - b) > tol) throw new RangeError(`buildQuadraticPpm: Q is not symmetric (Q[${i}][${j}] = ${a}, Q[${j}][${i}] = ${b})`);
    }
  }
  const metadata = ppmMetadata('quadratic', spec);
  const g = new GraphBuilder(spec.graphName ?? 'quadratic_ppm');
  const v = g.input(PPM_INPUT_NAME, 'float32', ['N', F]);
  const vq = g.op('MatMul', [v, g.float32('Q', [F, F], spec.Q)], { name: 'v_Q', output: 'vQ' });
  const vqv = g.op('Mul', [vq, v], { name: 'v_Q_times_v', output: 'vQv_terms' });
  const quad = g.op('ReduceSum', [vqv, g.int64('axes', [1], [1])], {
    name: 'quadratic',
    output: 'vQv',
    attributes: { keepdims: attr.int(1) },
  });
  const lin = g.op('MatMul', [v, g.float32('w', [F, 1], spec.w)], { name: 'linear', output: 'wv' });
  const sum = g.op('Add', [lin, quad], { name: 'add_terms', output: 'wv_plus_vQv' });
  g.op('Add', [sum, g.float32('b', [1], [spec.bias])], { name: 'add_bias', output: PPM_OUTPUT_NAME });
  g.output(PPM_OUTPUT_NAME, 'float32', ['N', 1]);
  return encodeModel({ graph: g.build(), producerName: PPM_PRODUCER, producerVersion: PPM_PRODUCER_VERSION, metadata });
}
