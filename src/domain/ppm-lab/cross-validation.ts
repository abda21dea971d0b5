// Cross-validation: seeded folds, and the choice between fits compared fold by fold.
import { mixSeed, Rng } from '../routing/rng';
import { shuffleInPlace } from '../util';
import { PpmLabError } from './errors';
import type { FitResult, PpmFitKind } from './fit-types';

/** Seeded fold of each row: a shuffle dealt round-robin, so fold sizes differ by at most one. */
export function foldAssignment(n: number, folds: number, seed: number): Int32Array {
  const perm = Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(mixSeed(seed >>> 0, 0xf01d));
  shuffleInPlace(perm, (k) => rng.below(k));
  const fold = new Int32Array(n);
  perm.forEach((r, a) => (fold[r] = a % folds));
  return fold;
}

export interface FitChoice {
  /** Index of the fit to keep. */
  best: number;
  /** False when the fits' CV numbers do not differ beyond their fold-to-fold noise (then the simplest is kept). */
  clear: boolean;
  /** Why, in a sentence: "lower CV RMSE (...)" or "no clear difference (...): the simpler ... is kept". */
  reason: string;
}

const SIMPLICITY: Record<PpmFitKind, number> = { linear: 0, quadratic: 1 };

/**
 * Which fit to keep. Both kinds are cross-validated on the same folds, so they are compared fold by fold: the
 * better one (by `select`) is kept only when its mean is ahead by more than one standard error of the per-fold
 * differences; otherwise the difference is noise, and the simpler kind (linear) is kept and the reason says so.
 */
export function chooseFit(fits: readonly Pick<FitResult, 'kind' | 'cv'>[], select: 'rmse' | 'spearman' = 'rmse'): FitChoice {
  if (fits.length === 0) throw new PpmLabError('bad-option', 'chooseFit: no fits to choose from');
  const metric = (f: Pick<FitResult, 'cv'>) => (select === 'rmse' ? f.cv.rmse : f.cv.spearman);
  const better = (a: number, b: number) => (select === 'rmse' ? a < b : a > b);
  const name = select === 'rmse' ? 'CV RMSE' : 'CV Spearman';
  const digits = select === 'rmse' ? 4 : 3;
  const show = (f: Pick<FitResult, 'kind' | 'cv'>) => `${f.kind} ${metric(f).mean.toFixed(digits)} ± ${metric(f).std.toFixed(digits)}`;
  const simplest = fits.reduce((a, f, i) => (SIMPLICITY[f.kind] < SIMPLICITY[fits[a]!.kind] ? i : a), 0);
  if (fits.length === 1) return { best: 0, clear: true, reason: `the only fit: ${show(fits[0]!)}` };
  let top = 0;
  fits.forEach((f, i) => {
    if (Number.isFinite(metric(f).mean) && (!Number.isFinite(metric(fits[top]!).mean) || better(metric(f).mean, metric(fits[top]!).mean)))
      top = i;
  });
  const clearOver = (i: number) =>
    fits.every((f, j) => {
      if (j === i) return true;
      const a = metric(fits[i]!).folds;
      const b = metric(f).folds;
      const d = a.map((x, k) => x - b[k]!).filter((x) => Number.isFinite(x));
      if (d.length < 2) return false;
      const mean = d.reduce((s, x) => s + x, 0) / d.length;
      const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
      return (
        better(mean, 0) &&
        Math.abs(mean) > sd / Math.sqrt(d.length) &&
        metric(fits[i]!).mean.toFixed(digits) !== metric(f).mean.toFixed(digits)
      );
    });
  const all = fits.map(show).join(', ');
  if (clearOver(top)) return { best: top, clear: true, reason: `${select === 'rmse' ? 'lower' : 'higher'} ${name}: ${all}` };
  return {
    best: simplest,
    clear: false,
    reason: `no clear difference in ${name}, ${all}, within their fold-to-fold noise: the simpler ${fits[simplest]!.kind} PPM is kept`,
  };
}
