// The PROXY evaluator: a small Bradley-Terry reward model that stands in for real reward-model training so
// that the whole PPM loop can run on one machine. It is not a reward model of the paper's kind (Tulu-2-13B
// scored on RewardBench); its accuracy only says how a bag-of-n-grams model trained on a mix does on the
// held-out gold pairs, and a PPM fitted to it predicts that, nothing more.
//
// Model: r(response) = w . f(response), P(A preferred) = sigmoid(r(A) - r(B)) = sigmoid(w . (f(A) - f(B))),
// no bias (the model must not care which side a response is on). f = signed hashed word unigrams and
// bigrams (presence, L2-normalised per response) plus two length features. Trained by seeded SGD on the
// logistic loss with L2, a few epochs. Each pair's difference vector f(A) - f(B) is computed once per
// dataset (proxyFeatures) and reused by every candidate; a candidate only picks rows and label directions.
import { mixSeed, Rng } from '../routing/rng';
import { PpmLabError, throwIfAborted } from './errors';
import { fnv1a32, mix32 } from '../util';

/** Score column of proxy results (so it is never mistaken for a real RewardBench score). */
export const PROXY_SCORE_COLUMN = 'proxy_accuracy';
export const PROXY_OUTPUT_MEANING =
  'PROXY: pairwise accuracy (0..1) on the held-out gold split of a hashed n-gram Bradley-Terry model trained on the mix; not a RewardBench score';

export interface ProxyFeatureOptions {
  /** Hash buckets, a power of two (default 2^18). */
  dims?: number;
  /** Add word bigrams to the unigrams (default true). */
  bigrams?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Sparse f(A) - f(B) per pair, CSR: pair i has indices[offsets[i] .. offsets[i+1]) (ascending) and values. */
export interface ProxyFeatures {
  n: number;
  /** Width of a weight vector: dims hashed buckets + 2 length features. */
  width: number;
  dims: number;
  offsets: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Sparse features of one response: sorted bucket indices with signed, L2-normalised values, then lengths. */
function responseFeatures(text: string, dims: number, bigrams: boolean, buckets: Map<number, number>): { idx: number[]; val: number[] } {
  buckets.clear();
  const mask = dims - 1;
  const words = text.toLowerCase().match(WORD) ?? [];
  let prev = -1;
  const add = (h: number) => {
    const m = mix32(h);
    // Presence with a hashed sign (collisions cancel on average instead of piling up).
    buckets.set(m & mask, m >>> 31 === 1 ? 1 : -1);
  };
  for (const w of words) {
    const h = fnv1a32(w);
    add(h);
    if (bigrams && prev >= 0) add(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x5bd1e995);
    prev = h;
  }
  const idx = [...buckets.keys()].sort((a, b) => a - b);
  const norm = idx.length > 0 ? 1 / Math.sqrt(idx.length) : 0;
  const val = idx.map((k) => buckets.get(k)! * norm);
  // Length features (log scale, roughly unit range) after the hashed buckets.
  idx.push(dims, dims + 1);
  val.push(Math.log1p(words.length) / 5, Math.log1p(text.length) / 8);
  return { idx, val };
}

/** f(A) - f(B) of every pair, computed once per dataset. */
export function proxyFeatures(pairs: readonly { responseA: string; responseB: string }[], opts: ProxyFeatureOptions = {}): ProxyFeatures {
  const dims = opts.dims ?? 2 ** 18;
  if (!Number.isInteger(dims) || dims < 2 || (dims & (dims - 1)) !== 0 || dims > 2 ** 26) {
    throw new PpmLabError('bad-option', `dims must be a power of two between 2 and 2^26, got ${dims}`);
  }
  const bigrams = opts.bigrams ?? true;
  const n = pairs.length;
  const offsets = new Uint32Array(n + 1);
  let indices = new Uint32Array(Math.max(1024, n * 64));
  let values = new Float32Array(indices.length);
  let q = 0;
  const buckets = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      throwIfAborted(opts.signal, 'proxy feature hashing');
      if (i > 0) opts.onProgress?.(i, n);
    }
    const a = responseFeatures(pairs[i]!.responseA, dims, bigrams, buckets);
    const b = responseFeatures(pairs[i]!.responseB, dims, bigrams, buckets);
    const need = q + a.idx.length + b.idx.length;
    if (need > indices.length) {
      const size = Math.max(need, indices.length * 2);
      const ni = new Uint32Array(size);
      ni.set(indices.subarray(0, q));
      const nv = new Float32Array(size);
      nv.set(values.subarray(0, q));
      indices = ni;
      values = nv;
    }
    // Merge the two sorted lists into the sorted difference, dropping exact zeros.
    let x = 0;
    let y = 0;
    while (x < a.idx.length || y < b.idx.length) {
      const ka = x < a.idx.length ? a.idx[x]! : Infinity;
      const kb = y < b.idx.length ? b.idx[y]! : Infinity;
      let k: number;
      let v: number;
      if (ka === kb) {
        k = ka;
        v = a.val[x++]! - b.val[y++]!;
      } else if (ka < kb) {
        k = ka;
        v = a.val[x++]!;
      } else {
        k = kb;
        v = -b.val[y++]!;
      }
      if (v !== 0) {
        indices[q] = k;
        values[q++] = v;
      }
    }
    offsets[i + 1] = q;
  }
  opts.onProgress?.(n, n);
  return { n, width: dims + 2, dims, offsets, indices: indices.slice(0, q), values: values.slice(0, q) };
}

export interface ProxyTrainOptions {
  /** Passes over the mix (default 4). */
  epochs?: number;
  /** Initial step size (default 0.5); it decays as 1 / (1 + step * learningRate * l2). */
  learningRate?: number;
  /** L2 penalty (default 1e-4). */
  l2?: number;
  /** Seed of the row order (default 1). */
  seed?: number;
}

function dot(f: ProxyFeatures, i: number, w: Float64Array): number {
  let s = 0;
  const end = f.offsets[i + 1]!;
  for (let q = f.offsets[i]!; q < end; q++) s += w[f.indices[q]!]! * f.values[q]!;
  return s;
}

/**
 * Trains the proxy reward model on rows (dataset positions) with their label directions (1 = A preferred).
 * `into`, when given (length features.width), is overwritten and returned: workers reuse one buffer.
 */
export function trainProxyRm(
  features: ProxyFeatures,
  rows: Uint32Array,
  preferA: Uint8Array,
  opts: ProxyTrainOptions = {},
  into?: Float64Array,
): Float64Array {
  if (rows.length !== preferA.length) throw new PpmLabError('bad-option', `${rows.length} rows but ${preferA.length} labels`);
  const epochs = opts.epochs ?? 4;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-4;
  if (!Number.isInteger(epochs) || epochs < 1) throw new PpmLabError('bad-option', `epochs must be a whole number >= 1, got ${epochs}`);
  if (!(lr > 0) || !(l2 >= 0)) throw new PpmLabError('bad-option', `learningRate must be > 0 and l2 >= 0 (got ${lr}, ${l2})`);
  const seed = (opts.seed ?? 1) >>> 0;
  const v = into ?? new Float64Array(features.width);
  if (v.length !== features.width)
    throw new PpmLabError('bad-option', `the weight buffer has ${v.length} entries; ${features.width} needed`);
  v.fill(0);
  const m = rows.length;
  const order = new Uint32Array(m);
  for (let a = 0; a < m; a++) order[a] = a;
  const { offsets, indices, values } = features;
  // w = scale * v, so the L2 shrink of every weight is one multiplication.
  let scale = 1;
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    const rng = new Rng(mixSeed(seed, e));
    for (let a = m - 1; a > 0; a--) {
      const b = rng.below(a + 1);
      const x = order[a]!;
      order[a] = order[b]!;
      order[b] = x;
    }
    for (let a = 0; a < m; a++) {
      const r = order[a]!;
      const i = rows[r]!;
      if (i >= features.n) throw new PpmLabError('bad-option', `row ${i} is not a pair of the features (n = ${features.n})`);
      const y = preferA[r] === 1 ? 1 : -1;
      const eta = lr / (1 + lr * l2 * t++);
      const margin = y * scale * dot(features, i, v);
      // d/dz log(1 + exp(-y z)) = -y * sigmoid(-y z)
      const g = -y / (1 + Math.exp(margin));
      scale *= 1 - eta * l2;
      const step = (-eta * g) / scale;
      const end = offsets[i + 1]!;
      for (let q = offsets[i]!; q < end; q++) v[indices[q]!]! += step * values[q]!;
      if (scale < 1e-6) {
        for (let k = 0; k < v.length; k++) v[k] = v[k]! * scale;
        scale = 1;
      }
    }
  }
  if (scale !== 1) for (let k = 0; k < v.length; k++) v[k] = v[k]! * scale;
  return v;
}

/** Share of pairs whose preferred side the model scores higher (a zero margin counts half). */
export function proxyAccuracy(features: ProxyFeatures, weights: Float64Array, rows: Uint32Array, preferA: Uint8Array): number {
  if (rows.length === 0) return Number.NaN;
  let right = 0;
  for (let a = 0; a < rows.length; a++) {
    const s = dot(features, rows[a]!, weights);
    if (s === 0) right += 0.5;
    else if (s > 0 === (preferA[a] === 1)) right++;
  }
  return right / rows.length;
}

export interface ProxyResult {
  /** Pairwise accuracy on the gold set: the proxy score of the mix. */
  accuracy: number;
  /** Pairwise accuracy on the mix itself (against the labels it was trained on). */
  trainAccuracy: number;
  rows: number;
}

/** Trains the proxy RM on one candidate's mix and scores it on the gold pairs (the per-candidate worker job). */
export function proxyEvaluateCandidate(
  features: ProxyFeatures,
  candidate: { mix: Uint32Array; chosenA: Uint8Array },
  gold: { positions: Uint32Array; preferA: Uint8Array },
  opts: ProxyTrainOptions = {},
  into?: Float64Array,
): ProxyResult {
  if (gold.positions.length === 0)
    throw new PpmLabError('bad-option', 'the gold set is empty: hold out a share of the dataset (goldShare > 0) for the proxy evaluator');
  const w = trainProxyRm(features, candidate.mix, candidate.chosenA, opts, into);
  return {
    accuracy: proxyAccuracy(features, w, gold.positions, gold.preferA),
    trainAccuracy: proxyAccuracy(features, w, candidate.mix, candidate.chosenA),
    rows: candidate.mix.length,
  };
}
