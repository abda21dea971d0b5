// The PPM as routing sees it: an async batch evaluator over raw tag counts, plus plain-JS linear and
// quadratic evaluators (tests, benchmarks, and a fallback when no ONNX runtime is at hand).
import { TAG_COUNT } from '../tags/tags';
import { RoutingError, throwIfAborted } from './errors';
import type { PpmEvaluator } from '../ppm/evaluator';

export type { PpmEvaluator };

/**
 * Rows per predict call when a batch is larger (gains over a big dataset, many budget points): 2^17 (about
 * 50 MB of float32 counts at 96 columns, inside WebGPU's default
 * 128 MB storage-buffer binding). One call for 100k rows costs about half of five 20k-row calls in
 * onnxruntime-web (bench/ppm-overhead.bench.mjs).
 */
export const DEFAULT_MAX_ROWS_PER_CALL = 131_072;

export function checkPpm(ppm: PpmEvaluator): void {
  if (ppm.featureCount !== TAG_COUNT) {
    throw new RoutingError('bad-ppm', `the PPM takes ${ppm.featureCount} features; routing feeds it the ${TAG_COUNT} tag counts`);
  }
}

export interface PredictOptions {
  maxRowsPerCall?: number;
  signal?: AbortSignal;
}

/**
 * Predicts `rows` rows of `counts` in as few calls as `maxRowsPerCall` allows (one when it fits). Checks
 * that every answer has one finite score per row. `counts` is handed over: do not reuse it afterwards.
 */
export async function predictRows(ppm: PpmEvaluator, counts: Float32Array, rows: number, opts: PredictOptions = {}): Promise<Float32Array> {
  const F = TAG_COUNT;
  const maxRows = opts.maxRowsPerCall ?? DEFAULT_MAX_ROWS_PER_CALL;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new RoutingError('bad-option', `maxRowsPerCall must be a positive integer, got ${maxRows}`);
  if (rows === 0) return new Float32Array(0);
  throwIfAborted(opts.signal);
  if (rows <= maxRows) {
    const input = counts.length === rows * F ? counts : counts.subarray(0, rows * F);
    const out = await ppm.predict(input, rows);
    throwIfAborted(opts.signal);
    return checkOutput(out, rows, 0);
  }
  const result = new Float32Array(rows);
  for (let from = 0; from < rows; from += maxRows) {
    const m = Math.min(maxRows, rows - from);
    // A view, not a copy: evaluators read what they are given (a worker evaluator posts a copy of a view).
    const out = await ppm.predict(counts.subarray(from * F, (from + m) * F), m);
    throwIfAborted(opts.signal);
    result.set(checkOutput(out, m, from), from);
  }
  return result;
}

function checkOutput(out: Float32Array, rows: number, from: number): Float32Array {
  if (!out || out.length !== rows) {
    throw new RoutingError('bad-ppm-output', `the PPM returned ${out?.length ?? 'no'} scores for ${rows} rows`);
  }
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(out[i]!))
      throw new RoutingError('bad-ppm-output', `the PPM returned a non-finite score (${out[i]}) for row ${from + i}`);
  }
  return out;
}

function toFloat64(values: ArrayLike<number>, length: number, what: string): Float64Array {
  if (values.length !== length) throw new RoutingError('bad-ppm', `${what} has ${values.length} entries, expected ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new RoutingError('bad-ppm', `${what}[${i}] is not a finite number (${v})`);
    out[i] = v;
  }
  return out;
}

/** y = bias + w . v, accumulated in double precision (the answer is rounded to float32 once). */
export function linearPpm(weights: ArrayLike<number>, bias = 0): PpmEvaluator {
  const w = toFloat64(weights, TAG_COUNT, 'weights');
  if (!Number.isFinite(bias)) throw new RoutingError('bad-ppm', `bias is not a finite number (${bias})`);
  const F = TAG_COUNT;
  return {
    featureCount: F,
    predict(counts, rows) {
      const out = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const o = r * F;
        let acc = bias;
        for (let t = 0; t < F; t++) {
          const c = counts[o + t]!;
          if (c !== 0) acc += w[t]! * c;
        }
        out[r] = acc;
      }
      return Promise.resolve(out);
    },
  };
}

/**
 * y = bias + w . v + v^T Q v, Q row-major TAG_COUNT x TAG_COUNT (not necessarily symmetric: v^T Q v only sees Q + Q^T).
 * Skips zero counts, so sparse rows cost little.
 */
export function quadraticPpm(bias: number, w: ArrayLike<number>, Q: ArrayLike<number>): PpmEvaluator {
  const F = TAG_COUNT;
  const lin = toFloat64(w, F, 'w');
  const q = toFloat64(Q, F * F, 'Q');
  if (!Number.isFinite(bias)) throw new RoutingError('bad-ppm', `bias is not a finite number (${bias})`);
  const nz = new Int32Array(F);
  const val = new Float64Array(F);
  return {
    featureCount: F,
    predict(counts, rows) {
      const out = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const o = r * F;
        let m = 0;
        for (let t = 0; t < F; t++) {
          const c = counts[o + t]!;
          if (c !== 0) {
            nz[m] = t;
            val[m++] = c;
          }
        }
        let acc = bias;
        for (let a = 0; a < m; a++) {
          const i = nz[a]!;
          const vi = val[a]!;
          let inner = lin[i]!;
          const qo = i * F;
          for (let b = 0; b < m; b++) inner += q[qo + nz[b]!]! * val[b]!;
          acc += vi * inner;
        }
        out[r] = acc;
      }
      return Promise.resolve(out);
    },
  };
}
