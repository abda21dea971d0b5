// Cohen's kappa for two raters over nominal categories, optionally weighted (linear or quadratic
// disagreement weights over the categories' order) for an ordinal scale such as the five-point preference.
import { AgreementError } from './errors';

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/** Why a coefficient could not be computed. */
export type UndefinedReason =
  /** No item was rated by both raters (kappa) / no unit has two or more values (alpha). */
  | 'no-items'
  /**
   * Chance agreement is already total: both raters gave one and the same category to every item (kappa), or
   * every pairable value is the same (alpha). The coefficient is 0/0 there; agreement is perfect but says
   * nothing about reliability, so it is reported as undefined (null), not as 1.
   */
  | 'no-variation';

export interface KappaResult<C> {
  /** null when undefined; see `undefinedReason`. */
  kappa: number | null;
  undefinedReason?: UndefinedReason;
  /** Items rated by both. */
  n: number;
  /** Observed agreement: the share of identical pairs (weighted: 1 - mean weighted disagreement). null when n = 0. */
  observed: number | null;
  /** Agreement expected by chance from the two raters' marginals (weighted likewise). null when n = 0. */
  expected: number | null;
  categories: readonly C[];
  /** counts[i][j]: items the first rater put in categories[i] and the second in categories[j]. */
  counts: number[][];
}

const EPS = 1e-12;

/**
 * Cohen's kappa: (po - pe) / (1 - pe), or with weights 1 - Σ w·o / Σ w·e where w is the disagreement weight
 * (0 on the diagonal, |i-j|/(K-1) linear, ((i-j)/(K-1))² quadratic). `categories` fixes the order (used by
 * the weights) and the set: a pair outside it is an error, not silently dropped.
 */
export function cohenKappa<C>(
  pairs: ReadonlyArray<readonly [C, C]>,
  categories: readonly C[],
  weights: KappaWeights = 'none',
): KappaResult<C> {
  const k = categories.length;
  const index = new Map<C, number>(categories.map((c, i) => [c, i]));
  const counts = categories.map(() => Array.from({ length: k }, () => 0));
  pairs.forEach(([x, y], i) => {
    const a = index.get(x);
    const b = index.get(y);
    if (a === undefined || b === undefined) {
      throw new AgreementError(
        'unknown-category',
        `pair ${i + 1}: value ${String(a === undefined ? x : y)} is not one of the categories ${categories.map(String).join(', ')}`,
      );
    }
    counts[a]![b]!++;
  });
  const n = pairs.length;
  if (n === 0) return { kappa: null, undefinedReason: 'no-items', n, observed: null, expected: null, categories, counts };
  const w = (i: number, j: number): number => {
    if (i === j) return 0;
    if (weights === 'none' || k < 2) return 1;
    const d = Math.abs(i - j) / (k - 1);
    return weights === 'linear' ? d : d * d;
  };
  const rows = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = categories.map((_, j) => counts.reduce((s, r) => s + r[j]!, 0));
  let observedDis = 0;
  let expectedDis = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      observedDis += w(i, j) * (counts[i]![j]! / n);
      expectedDis += w(i, j) * (rows[i]! / n) * (cols[j]! / n);
    }
  }
  const observed = 1 - observedDis;
  const expected = 1 - expectedDis;
  if (expectedDis < EPS) return { kappa: null, undefinedReason: 'no-variation', n, observed, expected, categories, counts };
  return { kappa: 1 - observedDis / expectedDis, n, observed, expected, categories, counts };
}
