// Krippendorff's alpha for any number of raters, with missing values, over the coincidence matrix:
// alpha = 1 - (n - 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, where o is the coincidence matrix of pairable values
// (units with at least two values; each unit's pairs weighted 1/(m_u - 1)), n_c its marginals, n = Σ n_c.
import { AgreementError } from './errors';
import type { UndefinedReason } from './kappa';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval';

export interface AlphaResult<C> {
  alpha: number | null;
  undefinedReason?: UndefinedReason;
  level: AlphaLevel;
  /** Units with two or more values (the others cannot be paired and do not count). */
  units: number;
  /** Pairable values n. */
  values: number;
  /** Observed and expected disagreement, D_o = Σ o δ² / n and D_e = Σ n_c n_k δ² / (n (n - 1)). */
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
  categories: readonly C[];
  /** coincidences[c][k], in the order of `categories`. */
  coincidences: number[][];
}

/**
 * `units[u]` lists the values the raters gave unit u (any number of raters; null/undefined = no value).
 * `categories` is the value set in order: the order matters for 'ordinal'; for 'interval' the values
 * themselves are used when they are numbers, otherwise their positions in `categories`.
 */
export function krippendorffAlpha<C>(
  units: ReadonlyArray<ReadonlyArray<C | null | undefined>>,
  level: AlphaLevel,
  categories: readonly C[],
): AlphaResult<C> {
  const k = categories.length;
  const index = new Map<C, number>(categories.map((c, i) => [c, i]));
  const o = categories.map(() => Array.from({ length: k }, () => 0));
  let pairableUnits = 0;
  units.forEach((unit, u) => {
    const present: number[] = [];
    for (const v of unit) {
      if (v === null || v === undefined) continue;
      const i = index.get(v);
      if (i === undefined)
        throw new AgreementError(
          'unknown-category',
          `unit ${u + 1}: value ${String(v)} is not one of the categories ${categories.map(String).join(', ')}`,
        );
      present.push(i);
    }
    const m = present.length;
    if (m < 2) return;
    pairableUnits++;
    const perCat = Array.from({ length: k }, () => 0);
    for (const i of present) perCat[i]!++;
    for (let c = 0; c < k; c++) {
      if (perCat[c] === 0) continue;
      for (let d = 0; d < k; d++) {
        const pairs = perCat[c]! * (c === d ? perCat[d]! - 1 : perCat[d]!);
        if (pairs > 0) o[c]![d]! += pairs / (m - 1);
      }
    }
  });
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  const base = { level, units: pairableUnits, values: n, categories, coincidences: o };
  if (pairableUnits === 0)
    return { ...base, alpha: null, undefinedReason: 'no-items', observedDisagreement: null, expectedDisagreement: null };

  const numeric = categories.map((c, i) => (typeof c === 'number' ? c : i));
  const delta2 = (c: number, d: number): number => {
    if (c === d) return 0;
    if (level === 'nominal') return 1;
    if (level === 'interval') return (numeric[c]! - numeric[d]!) ** 2;
    const lo = Math.min(c, d);
    const hi = Math.max(c, d);
    let sum = 0;
    for (let g = lo; g <= hi; g++) sum += nc[g]!;
    return (sum - (nc[c]! + nc[d]!) / 2) ** 2;
  };
  let dObs = 0;
  let dExp = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      const w = delta2(c, d);
      if (w === 0) continue;
      dObs += o[c]![d]! * w;
      dExp += nc[c]! * nc[d]! * w;
    }
  }
  const observedDisagreement = dObs / n;
  const expectedDisagreement = dExp / (n * (n - 1));
  if (dExp < 1e-12) return { ...base, alpha: null, undefinedReason: 'no-variation', observedDisagreement, expectedDisagreement };
  return { ...base, alpha: 1 - observedDisagreement / expectedDisagreement, observedDisagreement, expectedDisagreement };
}
