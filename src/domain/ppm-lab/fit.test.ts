import { describe, expect, it } from 'vitest';
import { TAG_IDS } from '../tags/tags';
import { mulberry32 } from '../random';
import { describeFitRangeExcess, outsideFitRange, readPpmInfo } from '../ppm/contract';
import { chooseFit, exportFittedPpm, fitPpm, foldAssignment, predictFitted, spearman, type FitData } from './fit';

const F = TAG_IDS.length;

/** Gaussian noise from a seeded stream (Box-Muller). */
function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** n rows of raw counts: `active` tags get independent counts 0..maxCount, every other tag is 0. */
function randomCounts(n: number, active: readonly number[], seed: number, maxCount = 3000): Float64Array {
  const next = mulberry32(seed);
  const X = new Float64Array(n * F);
  for (let r = 0; r < n; r++) for (const t of active) X[r * F + t] = Math.floor(next() * (maxCount + 1));
  return X;
}

function truth(active: readonly number[], seed: number, quadratic: boolean) {
  const next = mulberry32(seed);
  const w = new Float64Array(F);
  const Q = new Float64Array(F * F);
  for (const t of active) w[t] = (next() * 2 - 1) * 1e-4;
  if (quadratic) {
    for (const i of active) {
      for (const j of active) {
        if (j < i) continue;
        const q = (next() * 2 - 1) * 1e-8;
        Q[i * F + j] = i === j ? q : q / 2;
        Q[j * F + i] = Q[i * F + j]!;
      }
    }
  }
  return { bias: 0.6, w, Q };
}

function scores(X: Float64Array, n: number, t: { bias: number; w: Float64Array; Q: Float64Array }, noise = 0, seed = 1): Float64Array {
  const y = predictFitted({ kind: 'quadratic', features: [...TAG_IDS], ...t }, X, n);
  const g = gaussian(seed);
  if (noise > 0) for (let r = 0; r < n; r++) y[r] = y[r]! + noise * g();
  return y;
}

const data = (X: Float64Array, y: Float64Array, n: number): FitData => ({ features: TAG_IDS, X, y, n });

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('fitPpm, linear', () => {
  const active = Array.from({ length: F }, (_, t) => t);
  const n = 240;
  const X = randomCounts(n, active, 11);
  const t = truth(active, 12, false);

  it('recovers the weights and bias exactly from noise-free scores (lambda = 0)', () => {
    const fit = fitPpm(data(X, scores(X, n, t), n), { kind: 'linear', lambdas: [0] });
    expect(fit.solver).toBe('primal');
    expect(fit.terms).toBe(F);
    expect(maxDiff(fit.model.w, t.w)).toBeLessThan(1e-9 * maxAbs(t.w));
    expect(fit.model.bias).toBeCloseTo(t.bias, 9);
    expect(fit.cv.rmse.mean).toBeLessThan(1e-9);
    expect(fit.cv.spearman.mean).toBeGreaterThan(0.9999);
  });

  it('picks the smallest lambda by CV on noise-free scores and still recovers the weights', () => {
    const fit = fitPpm(data(X, scores(X, n, t), n), { kind: 'linear' });
    expect(fit.lambda).toBe(0);
    expect(maxDiff(fit.model.w, t.w)).toBeLessThan(1e-9 * maxAbs(t.w));
  });

  it('recovers the weights within their standard error from noisy scores', () => {
    const y = scores(X, n, t, 0.01, 5);
    const fit = fitPpm(data(X, y, n), { kind: 'linear', lambdas: [0] });
    // Standard error of a weight: sigma / (sd(count) sqrt(n)) ~ 0.01 / (866 * 15.5) ~ 7.5e-7; allow 5 sigma.
    expect(maxDiff(fit.model.w, t.w)).toBeLessThan(5 * 7.5e-7);
    expect(spearman(fit.model.w, t.w)).toBeGreaterThan(0.99);
    // The CV RMSE is near the noise level, not near zero and not far above it.
    expect(fit.cv.rmse.mean).toBeGreaterThan(0.009);
    expect(fit.cv.rmse.mean).toBeLessThan(0.02);
  });

  it('gives the minimum-norm solution for exactly collinear tags (bins summing to the mix size)', () => {
    // Tags 0, 1, 2 are the three bins of one score: their counts always sum to the number of human instances.
    const next = mulberry32(3);
    const m = 150;
    const Xc = new Float64Array(m * F);
    const y = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      const a = Math.floor(next() * 1000);
      const b = Math.floor(next() * 1000);
      const c = Math.floor(next() * 1000);
      Xc[r * F] = a;
      Xc[r * F + 1] = b;
      Xc[r * F + 2] = c;
      Xc[r * F + 3] = a + b + c; // the mix size as a tag of its own
      y[r] = 0.5 + 1e-4 * a - 2e-4 * b + 5e-5 * c;
    }
    const fit = fitPpm(data(Xc, y, m), { kind: 'linear', lambdas: [0] });
    expect(fit.usedFeatures).toEqual(TAG_IDS.slice(0, 4));
    expect(maxDiff(predictFitted(fit.model, Xc, m), y)).toBeLessThan(1e-10);
    // Weights are finite and small, not the huge cancelling pair plain least squares can return.
    expect(maxAbs(fit.model.w)).toBeLessThan(1e-3);
  });
});

describe('fitPpm, quadratic', () => {
  const active = [0, 4, 9, 27, 40, 71, 80, 89];
  const n = 200;
  const X = randomCounts(n, active, 21);
  const t = truth(active, 22, true);

  it('recovers w, Q and the bias exactly from noise-free scores (lambda = 0)', () => {
    const fit = fitPpm(data(X, scores(X, n, t), n), { kind: 'quadratic', lambdas: [0] });
    expect(fit.terms).toBe(8 + 36);
    expect(fit.solver).toBe('primal');
    expect(maxDiff(fit.model.w, t.w)).toBeLessThan(1e-7 * maxAbs(t.w));
    expect(maxDiff(fit.model.Q!, t.Q)).toBeLessThan(1e-7 * maxAbs(t.Q));
    expect(fit.model.bias).toBeCloseTo(t.bias, 7);
    // Q is symmetric and zero outside the active tags.
    for (let i = 0; i < F; i++) for (let j = 0; j < F; j++) expect(fit.model.Q![i * F + j]).toBe(fit.model.Q![j * F + i]);
    expect(fit.model.Q![1 * F + 2]).toBe(0);
  });

  it('recovers the coefficients approximately from noisy scores', () => {
    const signal = scores(X, n, t);
    let sd = 0;
    const mean = signal.reduce((s, v) => s + v, 0) / n;
    for (const v of signal) sd += (v - mean) ** 2;
    sd = Math.sqrt(sd / n);
    const y = scores(X, n, t, 0.02 * sd, 9);
    const fit = fitPpm(data(X, y, n), { kind: 'quadratic', lambdas: [0] });
    const est: number[] = [];
    const tru: number[] = [];
    for (const i of active) {
      est.push(fit.model.w[i]!);
      tru.push(t.w[i]!);
      for (const j of active) {
        if (j < i) continue;
        est.push(fit.model.Q![i * F + j]!);
        tru.push(t.Q[i * F + j]!);
      }
    }
    expect(spearman(est, tru)).toBeGreaterThan(0.95);
    expect(maxDiff(fit.model.Q!, t.Q)).toBeLessThan(0.1 * maxAbs(t.Q));
  });

  it('uses the dual form when there are more terms than rows and matches a direct ridge solve', () => {
    // 12 tags: 12 + 78 = 90 terms on 60 rows.
    const act = [1, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    const m = 60;
    const Xd = randomCounts(m, act, 31, 500);
    const td = truth(act, 32, true);
    const y = scores(Xd, m, td, 1e-3, 4);
    const fit = fitPpm(data(Xd, y, m), { kind: 'quadratic', lambdas: [0.01] });
    expect(fit.solver).toBe('dual');
    expect(fit.terms).toBe(90);
    const direct = directRidge(Xd, y, m, act, fit.lambdaAbsolute);
    const probe = randomCounts(20, act, 33, 500);
    expect(maxDiff(predictFitted(fit.model, probe, 20), direct(probe, 20))).toBeLessThan(1e-8);
  });

  it('interpolates the rows with lambda = 0 in the dual form (minimum-norm least squares)', () => {
    const act = [2, 6, 10, 14, 18, 22, 26, 30, 34, 38];
    const m = 40;
    const Xd = randomCounts(m, act, 41, 500);
    const y = Float64Array.from({ length: m }, (_, r) => 0.5 + 0.01 * Math.sin(r));
    const fit = fitPpm(data(Xd, y, m), { kind: 'quadratic', lambdas: [0] });
    expect(fit.solver).toBe('dual');
    expect(maxDiff(predictFitted(fit.model, Xd, m), y)).toBeLessThan(1e-8);
  });
});

/**
 * Ridge on the standardised quadratic basis of `act`, solved directly from the normal equations
 * (Z^T Z + lambda I) w = Z^T (y - ybar) by Gaussian elimination; returns a predictor for raw rows.
 */
function directRidge(X: Float64Array, y: Float64Array, n: number, act: readonly number[], lambda: number) {
  const terms: [number, number][] = act.map((i) => [i, -1]);
  act.forEach((i, a) => act.slice(a).forEach((j) => terms.push([i, j])));
  const P = terms.length;
  const phi = (row: Float64Array, r: number) => terms.map(([i, j]) => (j < 0 ? row[r * F + i]! : row[r * F + i]! * row[r * F + j]!));
  const Phi = Array.from({ length: n }, (_, r) => phi(X, r));
  const mu = terms.map((_, k) => Phi.reduce((s, row) => s + row[k]!, 0) / n);
  const sd = terms.map((_, k) => Math.sqrt(Phi.reduce((s, row) => s + (row[k]! - mu[k]!) ** 2, 0) / n));
  const Z = Phi.map((row) => row.map((v, k) => (v - mu[k]!) / sd[k]!));
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  const A = Array.from({ length: P }, (_, i) =>
    Array.from({ length: P + 1 }, (_, j) => {
      if (j === P) return Z.reduce((s, row, r) => s + row[i]! * (y[r]! - ybar), 0);
      return Z.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? lambda : 0);
    }),
  );
  for (let c = 0; c < P; c++) {
    let piv = c;
    for (let r = c + 1; r < P; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < P; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= P; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const w = A.map((row, i) => row[P]! / row[i]!);
  return (Xp: Float64Array, m: number) =>
    Float64Array.from({ length: m }, (_, r) => phi(Xp, r).reduce((s, v, k) => s + (w[k]! * (v - mu[k]!)) / sd[k]!, ybar));
}

describe('cross-validation', () => {
  const active = [0, 3, 6, 30, 50];
  const n = 120;
  const X = randomCounts(n, active, 51);
  const y = scores(X, n, truth(active, 52, true), 1e-3, 53);

  it('is deterministic for a seed and changes with the seed', () => {
    const a = fitPpm(data(X, y, n), { kind: 'quadratic', folds: 5, seed: 7 });
    const b = fitPpm(data(X, y, n), { kind: 'quadratic', folds: 5, seed: 7 });
    expect(b).toEqual(a);
    const c = fitPpm(data(X, y, n), { kind: 'quadratic', folds: 5, seed: 8 });
    expect(c.outOfFold.map((o) => o.fold)).not.toEqual(a.outOfFold.map((o) => o.fold));
  });

  it('reports per-fold metrics, their mean and spread, and out-of-fold predictions', () => {
    const fit = fitPpm(data(X, y, n), { kind: 'linear', folds: 4, seed: 2 });
    expect(fit.cv.rmse.folds).toHaveLength(4);
    const m = fit.cv.rmse.folds.reduce((s, v) => s + v, 0) / 4;
    expect(fit.cv.rmse.mean).toBeCloseTo(m, 12);
    expect(fit.cv.rmse.std).toBeCloseTo(Math.sqrt(fit.cv.rmse.folds.reduce((s, v) => s + (v - m) ** 2, 0) / 4), 12);
    // The fold RMSE equals the RMSE of the out-of-fold predictions of that fold.
    for (let f = 0; f < 4; f++) {
      const rows = fit.outOfFold.filter((o) => o.fold === f);
      const r = Math.sqrt(rows.reduce((s, o) => s + (o.actual - o.predicted) ** 2, 0) / rows.length);
      expect(fit.cv.rmse.folds[f]).toBeCloseTo(r, 12);
    }
    expect(fit.outOfFold.map((o) => o.actual)).toEqual(Array.from(y));
    expect(fit.grid.map((g) => g.lambda)).toEqual([0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100]);
    const best = Math.min(...fit.grid.map((g) => g.rmse.mean));
    expect(fit.cv.rmse.mean).toBe(best);
  });

  it('deals folds of equal size (within one)', () => {
    const fold = foldAssignment(103, 10, 1);
    const sizes = Array.from({ length: 10 }, (_, f) => fold.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('reports progress and stops on abort', () => {
    const seen: string[] = [];
    fitPpm(data(X, y, n), { kind: 'linear', folds: 3, onProgress: (p) => seen.push(`${p.stage}:${p.done}/${p.total}`) });
    expect(seen).toEqual(['cv:1/4', 'cv:2/4', 'cv:3/4', 'final:4/4']);
    const ac = new AbortController();
    ac.abort();
    expect(() => fitPpm(data(X, y, n), { kind: 'linear', signal: ac.signal })).toThrow(expect.objectContaining({ code: 'cancelled' }));
  });

  it('refuses bad options and data with a code', () => {
    expect(() => fitPpm(data(X, y, n), { kind: 'linear', folds: 1 })).toThrow(expect.objectContaining({ code: 'bad-option' }));
    expect(() => fitPpm(data(X.slice(0, 3 * F), y.slice(0, 3), 3), { kind: 'linear', folds: 5 })).toThrow(
      expect.objectContaining({ code: 'too-few-rows' }),
    );
    expect(() => fitPpm({ ...data(X, y, n), y: y.slice(1) }, { kind: 'linear' })).toThrow(/y has 119 values for 120 rows/);
    const bad = y.slice();
    bad[4] = Number.NaN;
    expect(() => fitPpm(data(X, bad, n), { kind: 'linear' })).toThrow(/row 5: the score is not a finite number/);
    expect(() => fitPpm(data(X, y, n), { kind: 'linear', lambdas: [-1] })).toThrow(/lambdas are finite numbers >= 0/);
  });
});

describe('spearman', () => {
  it('uses average ranks for ties and is NaN for a constant side', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 15);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 15);
    // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505138, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('choosing between the linear and the quadratic fit', () => {
  const spread = (folds: number[]) => {
    const mean = folds.reduce((s, x) => s + x, 0) / folds.length;
    return { mean, std: Math.sqrt(folds.reduce((s, x) => s + (x - mean) ** 2, 0) / (folds.length - 1)), folds };
  };
  const fit = (kind: 'linear' | 'quadratic', rmse: number[]) => ({
    kind,
    cv: { rmse: spread(rmse), spearman: spread(rmse.map(() => 0.9)) },
  });

  it('no clear difference (the same numbers within noise): the simpler linear PPM is kept, and the reason says so', () => {
    const linear = fit('linear', [0.021, 0.019, 0.022, 0.0195, 0.0205]);
    const quadratic = fit('quadratic', [0.0205, 0.02, 0.0212, 0.0196, 0.0207]);
    for (const order of [
      [linear, quadratic],
      [quadratic, linear],
    ]) {
      const c = chooseFit(order);
      expect(order[c.best]!.kind).toBe('linear');
      expect(c.clear).toBe(false);
      expect(c.reason).toMatch(/^no clear difference in CV RMSE, .*, within their fold-to-fold noise: the simpler linear PPM is kept$/);
    }
  });

  it('a difference beyond the fold-to-fold noise picks the better one', () => {
    const linear = fit('linear', [0.03, 0.028, 0.031, 0.029, 0.03]);
    const quadratic = fit('quadratic', [0.02, 0.019, 0.022, 0.02, 0.021]);
    const c = chooseFit([linear, quadratic]);
    expect(c).toMatchObject({ best: 1, clear: true });
    expect(c.reason).toMatch(/^lower CV RMSE: linear 0\.0296 ± .*, quadratic 0\.0204 ± .*$/);
    expect(chooseFit([linear])).toMatchObject({ best: 0, clear: true });
  });
});

describe('the fitted range travels with the model', () => {
  it('is the least and most count of each feature; the exported model carries it, and routing can tell a mix beyond it', () => {
    const active = [3, 17, 40];
    const X = randomCounts(60, active, 5, 700);
    const { w, bias } = truth(active, 9, false);
    const y = Float64Array.from({ length: 60 }, (_, r) => bias + active.reduce((s, t) => s + w[t]! * X[r * F + t]!, 0));
    const result = fitPpm({ features: TAG_IDS, X, y, n: 60 }, { kind: 'linear', seed: 1 });
    for (const t of active) {
      const col = Array.from({ length: 60 }, (_, r) => X[r * F + t]!);
      expect(result.range.max[t]).toBe(Math.max(...col));
      expect(result.range.min[t]).toBe(Math.min(...col));
    }
    const info = readPpmInfo(exportFittedPpm(result, { output: 'test' }));
    expect(info.features).toEqual(active.map((t) => TAG_IDS[t]));
    expect(info.fitRange).toEqual({ min: active.map((t) => result.range.min[t]), max: active.map((t) => result.range.max[t]) });
    const inside = new Float32Array(F);
    for (const t of active) inside[t] = result.range.max[t]!;
    expect(outsideFitRange(info, inside)).toEqual([]);
    const beyond = inside.slice();
    beyond[17] = result.range.max[17]! * 2 + 10;
    const excess = outsideFitRange(info, beyond);
    expect(excess).toEqual([{ feature: TAG_IDS[17], count: beyond[17], min: result.range.min[17], max: result.range.max[17] }]);
    expect(describeFitRangeExcess(excess, 'The all-human mix')).toContain(
      `The all-human mix lies outside the mixes the PPM was fitted on: 1 of its features have counts it never saw (e.g. ${TAG_IDS[17]}: ${beyond[17]}`,
    );
    // A PPM that records no range (the paper prior, one made elsewhere) flags nothing.
    expect(outsideFitRange({ features: info.features }, beyond)).toEqual([]);
  });
});
