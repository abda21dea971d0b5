// Learning where the LM judge errs from the pairs people have labelled: a small logistic regression of "the judge's
// label disagrees with the human one" on the judge-risk rule's value (risk.ts) and the pair's tags (the paper's 90 and the judge features), fitted by
// Newton's method with an L2 penalty from all-zero weights (deterministic: the same labels give the same model).
// Its predicted error probability then ranks the pairs nobody has labelled yet (adaptive `risk` routing).
import { TAG_WORDS } from '../tags/tag-set';
import { TAG_COUNT } from '../tags/tags';

const D = 2 + TAG_COUNT; // bias, rule risk, tags

export interface JudgeErrorModel {
  weights: Float64Array;
  /** Labelled pairs fitted on, and how many of them the judge got wrong. */
  n: number;
  errors: number;
}

function features(ruleRisk: number, tagBits: Uint32Array, i: number, out: Float64Array): Float64Array {
  out.fill(0);
  out[0] = 1;
  out[1] = Number.isNaN(ruleRisk) ? 0.5 : ruleRisk;
  for (let t = 0; t < TAG_COUNT; t++) if ((tagBits[i * TAG_WORDS + (t >>> 5)]! >>> (t & 31)) & 1) out[2 + t] = 1;
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves (A) x = b for a symmetric positive definite A (row-major d x d), by Cholesky. */
function solve(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      L[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}

/**
 * Fits the model on labelled pairs: `wrong[k]` (1 when the judge's label disagrees with the human one) for dataset
 * position `idx[k]`. `l2` penalises every weight but the bias (default 1).
 */
export function fitJudgeErrors(
  examples: { idx: readonly number[]; wrong: readonly (0 | 1)[] },
  ruleRisk: ArrayLike<number>,
  tagBits: Uint32Array,
  opts: { l2?: number; iterations?: number } = {},
): JudgeErrorModel {
  const l2 = opts.l2 ?? 1;
  const w = new Float64Array(D);
  const x = new Float64Array(D);
  const n = examples.idx.length;
  for (let it = 0; it < (opts.iterations ?? 25); it++) {
    const grad = new Float64Array(D);
    const H = new Float64Array(D * D);
    for (let k = 0; k < n; k++) {
      const i = examples.idx[k]!;
      features(ruleRisk[i]!, tagBits, i, x);
      let z = 0;
      for (let j = 0; j < D; j++) z += w[j]! * x[j]!;
      const p = sigmoid(z);
      const r = p - examples.wrong[k]!;
      const v = p * (1 - p);
      for (let a = 0; a < D; a++) {
        const xa = x[a]!;
        if (xa === 0) continue;
        grad[a]! += r * xa;
        for (let c = 0; c < D; c++) if (x[c] !== 0) H[a * D + c]! += v * xa * x[c]!;
      }
    }
    for (let a = 1; a < D; a++) {
      grad[a]! += l2 * w[a]!;
      H[a * D + a]! += l2;
    }
    H[0]! += 1e-6;
    const step = solve(H, grad, D);
    let moved = 0;
    for (let a = 0; a < D; a++) {
      w[a]! -= step[a]!;
      moved = Math.max(moved, Math.abs(step[a]!));
    }
    if (moved < 1e-8) break;
  }
  return { weights: w, n, errors: examples.wrong.reduce<number>((s, v) => s + v, 0) };
}

/** The model's probability that the judge's label of each pair is wrong (dataset order). */
export function predictJudgeErrors(model: JudgeErrorModel, ruleRisk: ArrayLike<number>, tagBits: Uint32Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const x = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    features(ruleRisk[i]!, tagBits, i, x);
    let z = 0;
    for (let j = 0; j < D; j++) z += model.weights[j]! * x[j]!;
    out[i] = sigmoid(z);
  }
  return out;
}
