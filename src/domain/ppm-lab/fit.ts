// Fitting a PPM from candidate mixes and the scores of the reward models trained on them (spec section 3).
//
// Basis: linear = the F raw counts; quadratic = the F counts and every product v_i v_j with i <= j (the
// paper's degree-2 polynomial: 90 + 4,095 terms and a bias). Columns that never vary are dropped. Inside
// the fit every column is standardised (training-fold mean and standard deviation) and y is centred, so the
// penalty treats all terms alike and the intercept is not penalised; the exported model takes raw counts,
// with the scaling folded into its weights and bias.
//
// Solver: ridge for each lambda, and minimum-norm least squares for lambda = 0, from one symmetric
// eigen-decomposition per training set: of Z^T Z (primal, when terms <= rows) or of Z Z^T (dual, when there
// are more terms than rows, as for the quadratic basis on a few hundred mixes). Eigenvalues below
// MIN_NORM_RCOND x the largest count as zero for lambda = 0, so exactly collinear tags (the three bins of a
// score sum to the mix size) get the minimum-norm solution instead of huge coefficients.
//
// Lambdas are given relative to the mean non-zero eigenvalue of Z^T Z over all rows (n x terms / min(n,
// terms)), so one grid suits both bases. Lambda is chosen by seeded k-fold cross-validation (lowest mean
// fold RMSE by default), and the report is the per-fold Spearman and RMSE at that lambda, mean and spread,
// as the paper's Table 2. The same folds choose lambda and score it, so the report is slightly optimistic.
//
// The parts live beside this file: basis.ts (terms), solver.ts (ridge / minimum norm), metrics.ts (Spearman,
// RMSE, spread), cross-validation.ts (folds, choosing between fits), ppm-export.ts (the ONNX file).
import { PpmLabError, throwIfAborted } from './errors';
import { basisOf, countRange, expand, varyingColumns, type Basis } from './basis';
import { foldAssignment } from './cross-validation';
import type { FitData, FitOptions, FitResult, FittedPpm, LambdaScore, PpmFitKind } from './fit-types';
import { rmse, spearman, spread } from './metrics';
import { RidgeSolver } from './solver';

export type { FitData, FitOptions, FitProgress, FitResult, FittedPpm, LambdaScore, OutOfFold, PpmFitKind } from './fit-types';
export type { Spread } from './metrics';
export { rmse, spearman } from './metrics';
export { MAX_SOLVER_SIZE, MIN_NORM_RCOND } from './solver';
export { chooseFit, foldAssignment, type FitChoice } from './cross-validation';
export { describeFit, exportFittedPpm, FITTED_SOURCE, restrictModel, type ExportMeta } from './ppm-export';

/** Relative lambdas tried by default (0 = minimum-norm least squares). */
export const DEFAULT_LAMBDAS: readonly number[] = [0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];

function checkData(data: FitData): void {
  const F = data.features.length;
  if (F === 0) throw new PpmLabError('bad-fit', 'no feature columns to fit on');
  if (!Number.isInteger(data.n) || data.n < 0) throw new PpmLabError('bad-fit', `n must be a whole number, got ${data.n}`);
  if (data.X.length !== data.n * F)
    throw new PpmLabError('bad-fit', `X has ${data.X.length} values; ${data.n} rows of ${F} features need ${data.n * F}`);
  if (data.y.length !== data.n) throw new PpmLabError('bad-fit', `y has ${data.y.length} values for ${data.n} rows`);
  for (let i = 0; i < data.X.length; i++) {
    if (!Number.isFinite(data.X[i]!))
      throw new PpmLabError('bad-fit', `row ${Math.floor(i / F) + 1}, ${data.features[i % F]}: not a finite number`);
  }
  for (let i = 0; i < data.n; i++)
    if (!Number.isFinite(data.y[i]!)) throw new PpmLabError('bad-fit', `row ${i + 1}: the score is not a finite number`);
}

/** Fits a linear or quadratic PPM with lambda chosen by k-fold cross-validation. */
export function fitPpm(data: FitData, opts: FitOptions): FitResult {
  checkData(data);
  const { n, X, y } = data;
  const F = data.features.length;
  const kind = opts.kind;
  if (kind !== 'linear' && kind !== 'quadratic')
    throw new PpmLabError('bad-option', `kind must be linear or quadratic, got ${String(kind)}`);
  const folds = opts.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new PpmLabError('bad-option', `folds must be a whole number >= 2, got ${folds}`);
  if (n < Math.max(3, folds))
    throw new PpmLabError('too-few-rows', `${n} rows: ${folds}-fold cross-validation needs at least ${Math.max(3, folds)}`);
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new PpmLabError('bad-option', `seed must be an integer, got ${seed}`);
  const lambdas = opts.lambdas ?? DEFAULT_LAMBDAS;
  if (lambdas.length === 0) throw new PpmLabError('bad-option', 'give at least one lambda');
  for (const l of lambdas)
    if (!(l >= 0 && Number.isFinite(l))) throw new PpmLabError('bad-option', `lambda ${l}: lambdas are finite numbers >= 0`);
  const select = opts.select ?? 'rmse';

  // Features that vary over the rows; the basis is built over them only.
  const used: number[] = [];
  for (let f = 0; f < F; f++) {
    const v0 = X[f]!;
    for (let r = 1; r < n; r++) {
      if (X[r * F + f] !== v0) {
        used.push(f);
        break;
      }
    }
  }
  const basis = basisOf(kind, used);
  const P = basis.size;
  const Phi = expand(X, n, F, basis);
  const termsVarying = varyingColumns(Phi, P, n);
  const scale = termsVarying === 0 ? 1 : (n * termsVarying) / Math.min(n, termsVarying);

  const fold = foldAssignment(n, folds, seed);
  const L = lambdas.length;
  const oof = Array.from({ length: L }, () => new Float64Array(n));
  const foldSpearman = Array.from({ length: L }, () => [] as number[]);
  const foldRmse = Array.from({ length: L }, () => [] as number[]);
  const total = folds + 1;
  for (let f = 0; f < folds; f++) {
    throwIfAborted(opts.signal, 'the fit');
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < n; r++) (fold[r] === f ? test : train).push(r);
    const solver = new RidgeSolver(Phi, P, y, train);
    const actual = Float64Array.from(test, (r) => y[r]!);
    for (let l = 0; l < L; l++) {
      const pred = solver.predict(Phi, P, test, solver.weights(lambdas[l]! * scale));
      test.forEach((r, a) => (oof[l]![r] = pred[a]!));
      foldSpearman[l]!.push(spearman(actual, pred));
      foldRmse[l]!.push(rmse(actual, pred));
    }
    opts.onProgress?.({ stage: 'cv', done: f + 1, total });
  }
  const grid: LambdaScore[] = lambdas.map((lambda, l) => ({
    lambda,
    lambdaAbsolute: lambda * scale,
    spearman: spread(foldSpearman[l]!),
    rmse: spread(foldRmse[l]!),
  }));
  // Ties go to the later lambda (in the default grid: the larger, more regularised one).
  const metric = (g: LambdaScore) => (select === 'rmse' ? -g.rmse.mean : g.spearman.mean);
  let best = -1;
  for (let l = 0; l < L; l++) {
    const v = metric(grid[l]!);
    if (Number.isNaN(v)) continue;
    if (best < 0 || v >= metric(grid[best]!)) best = l;
  }
  if (best < 0) best = 0;
  const chosen = grid[best]!;

  throwIfAborted(opts.signal, 'the fit');
  const all = Array.from({ length: n }, (_, r) => r);
  const final = new RidgeSolver(Phi, P, y, all);
  const wz = final.weights(chosen.lambdaAbsolute);
  const model = foldModel(kind, data.features, basis, final, wz);
  const fitted = final.predict(Phi, P, all, wz);
  opts.onProgress?.({ stage: 'final', done: total, total });

  return {
    kind,
    n,
    folds,
    seed,
    select,
    usedFeatures: used.map((f) => data.features[f]!),
    terms: termsVarying,
    solver: final.mode,
    lambda: chosen.lambda,
    lambdaAbsolute: chosen.lambdaAbsolute,
    cv: { spearman: chosen.spearman, rmse: chosen.rmse },
    grid,
    outOfFold: Array.from({ length: n }, (_, r) => ({
      ...(data.ids ? { id: data.ids[r]! } : {}),
      actual: y[r]!,
      predicted: oof[best]![r]!,
      fold: fold[r]!,
    })),
    train: { spearman: spearman(y, fitted), rmse: rmse(y, fitted) },
    model,
    range: countRange(X, n, F),
  };
}

/** Standardised weights back to raw counts: beta_k = w_k / sd_k, bias = ybar - sum beta_k mu_k. */
function foldModel(kind: PpmFitKind, features: readonly string[], basis: Basis, s: RidgeSolver, wz: Float64Array): FittedPpm {
  const F = features.length;
  const w = new Float64Array(F);
  const Q = kind === 'quadratic' ? new Float64Array(F * F) : undefined;
  let bias = s.ybar;
  s.keep.forEach((k, q) => {
    const beta = wz[q]! / s.sd[k]!;
    bias -= beta * s.mu[k]!;
    const i = basis.i[k]!;
    const j = basis.j[k]!;
    if (j < 0) w[i]! += beta;
    else if (i === j) Q![i * F + i]! += beta;
    else {
      Q![i * F + j]! += beta / 2;
      Q![j * F + i]! += beta / 2;
    }
  });
  return { kind, features: [...features], bias, w, ...(Q ? { Q } : {}) };
}

/** The fitted model's own predictions for n rows of raw counts (float64). */
export function predictFitted(model: FittedPpm, X: ArrayLike<number>, n: number): Float64Array {
  const F = model.features.length;
  if (X.length !== n * F) throw new PpmLabError('bad-fit', `predict: ${X.length} values for ${n} rows of ${F} features`);
  const out = new Float64Array(n);
  const { w, Q } = model;
  for (let r = 0; r < n; r++) {
    const o = r * F;
    let y = model.bias;
    for (let i = 0; i < F; i++) {
      const vi = X[o + i]!;
      if (vi === 0) continue;
      y += w[i]! * vi;
      if (Q) {
        let s = 0;
        for (let j = 0; j < F; j++) s += Q[i * F + j]! * X[o + j]!;
        y += vi * s;
      }
    }
    out[r] = y;
  }
  return out;
}
