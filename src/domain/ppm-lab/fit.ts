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
import { buildLinearPpm, buildQuadraticPpm } from '../ppm/builders';
import { mixSeed, Rng } from '../routing/rng';
import { PpmLabError, throwIfAborted } from './errors';
import { gramCols, symmetricEigen, timesTransposed } from './linalg';
import { shuffleInPlace } from '../util';

export type PpmFitKind = 'linear' | 'quadratic';

/** Rows to fit: raw tag counts and the score of each mix. */
export interface FitData {
  /** Feature strings, the column order of X. */
  features: readonly string[];
  /** n x F row-major raw counts. */
  X: Float64Array;
  /** n scores. */
  y: Float64Array;
  n: number;
  /** Candidate ids, when known (carried to the out-of-fold predictions). */
  ids?: readonly string[];
}

/** Relative lambdas tried by default (0 = minimum-norm least squares). */
export const DEFAULT_LAMBDAS: readonly number[] = [0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];
/** For lambda = 0, eigenvalues below this share of the largest are treated as zero (singular values below 1e-5). */
export const MIN_NORM_RCOND = 1e-10;
/** The largest min(rows, terms) the dense solver accepts (its cost grows with the cube). */
export const MAX_SOLVER_SIZE = 3000;

export interface FitProgress {
  stage: 'cv' | 'final';
  done: number;
  total: number;
}

export interface FitOptions {
  kind: PpmFitKind;
  /** Cross-validation folds (default 5; at least 2, at most n). */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
  /** Relative lambdas to try (default DEFAULT_LAMBDAS); one value skips the choice. */
  lambdas?: readonly number[];
  /** How lambda is chosen: lowest mean fold RMSE (default) or highest mean fold Spearman. */
  select?: 'rmse' | 'spearman';
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
}

/** A metric over the folds: mean and population standard deviation of the finite fold values. */
export interface Spread {
  mean: number;
  std: number;
  /** One value per fold (NaN where undefined, e.g. Spearman of a constant prediction). */
  folds: number[];
}

export interface LambdaScore {
  lambda: number;
  lambdaAbsolute: number;
  spearman: Spread;
  rmse: Spread;
}

/** A fitted PPM over raw counts: y = bias + w.v (+ v^T Q v). */
export interface FittedPpm {
  kind: PpmFitKind;
  features: string[];
  bias: number;
  /** Linear weights (length F). */
  w: Float64Array;
  /** quadratic: symmetric F x F, row-major (squared terms on the diagonal, each cross term split in half). */
  Q?: Float64Array;
}

export interface OutOfFold {
  id?: string;
  actual: number;
  predicted: number;
  fold: number;
}

export interface FitResult {
  kind: PpmFitKind;
  n: number;
  folds: number;
  seed: number;
  select: 'rmse' | 'spearman';
  /** Features with any variance over the rows (the others get weight 0). */
  usedFeatures: string[];
  /** Basis terms with any variance (excluding the bias). */
  terms: number;
  /** Solver of the final fit. */
  solver: 'primal' | 'dual';
  lambda: number;
  lambdaAbsolute: number;
  /** The cross-validation report at the chosen lambda. */
  cv: { spearman: Spread; rmse: Spread };
  /** Every lambda tried, in the order given. */
  grid: LambdaScore[];
  /** Out-of-fold prediction of every row at the chosen lambda (predicted against actual). */
  outOfFold: OutOfFold[];
  /** In-sample fit of the final model. */
  train: { spearman: number; rmse: number };
  model: FittedPpm;
  /** Per feature (data.features order): the least and most count seen in the rows fitted on. */
  range: { min: number[]; max: number[] };
}

/** Spearman rank correlation (average ranks for ties); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}

function ranks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => v[x]! - v[y]!);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]!] === v[order[i]!]) j++;
    for (let k = i; k <= j; k++) out[order[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  if (n < 2) return Number.NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return Number.NaN;
  return sab / Math.sqrt(saa * sbb);
}

export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

function spread(values: number[]): Spread {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: Number.NaN, std: Number.NaN, folds: values };
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const std = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length);
  return { mean, std, folds: values };
}

/** Basis term: feature i alone (j = -1) or the product of features i and j (i <= j). */
interface Basis {
  i: Int32Array;
  j: Int32Array;
  size: number;
}

function basisOf(kind: PpmFitKind, used: readonly number[]): Basis {
  const u = used.length;
  const size = kind === 'linear' ? u : u + (u * (u + 1)) / 2;
  const bi = new Int32Array(size);
  const bj = new Int32Array(size).fill(-1);
  let k = 0;
  for (const f of used) bi[k++] = f;
  if (kind === 'quadratic') {
    for (let a = 0; a < u; a++) {
      for (let b = a; b < u; b++) {
        bi[k] = used[a]!;
        bj[k++] = used[b]!;
      }
    }
  }
  return { i: bi, j: bj, size };
}

/** n x basis.size matrix of basis values of the raw rows. */
function expand(X: Float64Array, n: number, F: number, basis: Basis): Float64Array {
  const P = basis.size;
  const out = new Float64Array(n * P);
  for (let r = 0; r < n; r++) {
    const x = r * F;
    const o = r * P;
    for (let k = 0; k < P; k++) {
      const j = basis.j[k]!;
      const v = X[x + basis.i[k]!]!;
      out[o + k] = j < 0 ? v : v * X[x + j]!;
    }
  }
  return out;
}

/** One training set, decomposed once: ridge or minimum-norm weights for any lambda. */
class RidgeSolver {
  readonly mu: Float64Array;
  readonly sd: Float64Array;
  /** Basis columns with variance in this training set. */
  readonly keep: Int32Array;
  readonly ybar: number;
  readonly mode: 'primal' | 'dual';
  private readonly Z: Float64Array;
  private readonly rows: number;
  private readonly eig: { values: Float64Array; vectors: Float64Array };
  private readonly c: Float64Array;

  constructor(Phi: Float64Array, P: number, y: Float64Array, rows: readonly number[]) {
    const nT = rows.length;
    this.rows = nT;
    const mu = new Float64Array(P);
    const sd = new Float64Array(P);
    for (const r of rows) for (let k = 0; k < P; k++) mu[k]! += Phi[r * P + k]!;
    for (let k = 0; k < P; k++) mu[k] = mu[k]! / nT;
    for (const r of rows) {
      for (let k = 0; k < P; k++) {
        const d = Phi[r * P + k]! - mu[k]!;
        sd[k]! += d * d;
      }
    }
    const keep: number[] = [];
    for (let k = 0; k < P; k++) {
      sd[k] = Math.sqrt(sd[k]! / nT);
      // Relative test: a column that is constant up to rounding is constant.
      if (sd[k]! > 1e-12 * Math.max(1, Math.abs(mu[k]!))) keep.push(k);
    }
    this.mu = mu;
    this.sd = sd;
    this.keep = Int32Array.from(keep);
    const Pk = keep.length;
    let ybar = 0;
    for (const r of rows) ybar += y[r]!;
    ybar /= nT;
    this.ybar = ybar;
    const yc = Float64Array.from(rows, (r) => y[r]! - ybar);
    const Z = new Float64Array(nT * Pk);
    rows.forEach((r, a) => {
      for (let q = 0; q < Pk; q++) {
        const k = keep[q]!;
        Z[a * Pk + q] = (Phi[r * P + k]! - mu[k]!) / sd[k]!;
      }
    });
    this.Z = Z;
    this.mode = Pk <= nT ? 'primal' : 'dual';
    if (Math.min(Pk, nT) > MAX_SOLVER_SIZE) {
      throw new PpmLabError('bad-fit', `${nT} rows and ${Pk} terms: the solver takes at most ${MAX_SOLVER_SIZE} of the smaller; use fewer rows or the linear kind`);
    }
    if (this.mode === 'primal') {
      const G = gramCols(Z, nT, Pk);
      this.eig = symmetricEigen(G, Pk);
      // c = V^T (Z^T yc)
      const b = new Float64Array(Pk);
      for (let a = 0; a < nT; a++) for (let q = 0; q < Pk; q++) b[q]! += Z[a * Pk + q]! * yc[a]!;
      this.c = project(this.eig.vectors, Pk, b);
    } else {
      const K = timesTransposed(Z, nT, Z, nT, Pk);
      this.eig = symmetricEigen(K, nT);
      this.c = project(this.eig.vectors, nT, yc);
    }
  }

  /** Standardised-space weights (one per kept column) at an absolute lambda. */
  weights(lambda: number): Float64Array {
    const { values, vectors } = this.eig;
    const m = values.length;
    const top = Math.max(0, values[0] ?? 0);
    const tol = MIN_NORM_RCOND * top;
    const g = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      const e = Math.max(0, values[k]!);
      g[k] = lambda > 0 ? this.c[k]! / (e + lambda) : e > tol ? this.c[k]! / e : 0;
    }
    // u = vectors * g
    const u = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      const row = i * m;
      for (let k = 0; k < m; k++) s += vectors[row + k]! * g[k]!;
      u[i] = s;
    }
    if (this.mode === 'primal') return u;
    // dual: w = Z^T alpha
    const Pk = this.keep.length;
    const w = new Float64Array(Pk);
    for (let a = 0; a < this.rows; a++) {
      const al = u[a]!;
      if (al === 0) continue;
      for (let q = 0; q < Pk; q++) w[q]! += this.Z[a * Pk + q]! * al;
    }
    return w;
  }

  /** Predictions for rows of Phi under standardised weights w. */
  predict(Phi: Float64Array, P: number, rows: readonly number[], w: Float64Array): Float64Array {
    const out = new Float64Array(rows.length);
    const { keep, mu, sd } = this;
    rows.forEach((r, a) => {
      let s = this.ybar;
      for (let q = 0; q < keep.length; q++) {
        const k = keep[q]!;
        s += (w[q]! * (Phi[r * P + k]! - mu[k]!)) / sd[k]!;
      }
      out[a] = s;
    });
    return out;
  }
}

/** V^T x for the m x m column-eigenvector matrix V. */
function project(V: Float64Array, m: number, x: Float64Array): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * m;
    for (let k = 0; k < m; k++) out[k]! += V[row + k]! * xi;
  }
  return out;
}

/** Seeded fold of each row: a shuffle dealt round-robin, so fold sizes differ by at most one. */
export function foldAssignment(n: number, folds: number, seed: number): Int32Array {
  const perm = Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(mixSeed(seed >>> 0, 0xf01d));
  shuffleInPlace(perm, (k) => rng.below(k));
  const fold = new Int32Array(n);
  perm.forEach((r, a) => (fold[r] = a % folds));
  return fold;
}

function checkData(data: FitData): void {
  const F = data.features.length;
  if (F === 0) throw new PpmLabError('bad-fit', 'no feature columns to fit on');
  if (!Number.isInteger(data.n) || data.n < 0) throw new PpmLabError('bad-fit', `n must be a whole number, got ${data.n}`);
  if (data.X.length !== data.n * F) throw new PpmLabError('bad-fit', `X has ${data.X.length} values; ${data.n} rows of ${F} features need ${data.n * F}`);
  if (data.y.length !== data.n) throw new PpmLabError('bad-fit', `y has ${data.y.length} values for ${data.n} rows`);
  for (let i = 0; i < data.X.length; i++) {
    if (!Number.isFinite(data.X[i]!)) throw new PpmLabError('bad-fit', `row ${Math.floor(i / F) + 1}, ${data.features[i % F]}: not a finite number`);
  }
  for (let i = 0; i < data.n; i++) if (!Number.isFinite(data.y[i]!)) throw new PpmLabError('bad-fit', `row ${i + 1}: the score is not a finite number`);
}

/** Fits a linear or quadratic PPM with lambda chosen by k-fold cross-validation. */
export function fitPpm(data: FitData, opts: FitOptions): FitResult {
  checkData(data);
  const { n, X, y } = data;
  const F = data.features.length;
  const kind = opts.kind;
  if (kind !== 'linear' && kind !== 'quadratic') throw new PpmLabError('bad-option', `kind must be linear or quadratic, got ${String(kind)}`);
  const folds = opts.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new PpmLabError('bad-option', `folds must be a whole number >= 2, got ${folds}`);
  if (n < Math.max(3, folds)) throw new PpmLabError('too-few-rows', `${n} rows: ${folds}-fold cross-validation needs at least ${Math.max(3, folds)}`);
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new PpmLabError('bad-option', `seed must be an integer, got ${seed}`);
  const lambdas = opts.lambdas ?? DEFAULT_LAMBDAS;
  if (lambdas.length === 0) throw new PpmLabError('bad-option', 'give at least one lambda');
  for (const l of lambdas) if (!(l >= 0 && Number.isFinite(l))) throw new PpmLabError('bad-option', `lambda ${l}: lambdas are finite numbers >= 0`);
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
    lambda, lambdaAbsolute: lambda * scale, spearman: spread(foldSpearman[l]!), rmse: spread(foldRmse[l]!),
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
    kind, n, folds, seed, select,
    usedFeatures: used.map((f) => data.features[f]!),
    terms: termsVarying,
    solver: final.mode,
    lambda: chosen.lambda,
    lambdaAbsolute: chosen.lambdaAbsolute,
    cv: { spearman: chosen.spearman, rmse: chosen.rmse },
    grid,
    outOfFold: Array.from({ length: n }, (_, r) => ({
      ...(data.ids ? { id: data.ids[r]! } : {}), actual: y[r]!, predicted: oof[best]![r]!, fold: fold[r]!,
    })),
    train: { spearman: spearman(y, fitted), rmse: rmse(y, fitted) },
    model,
    range: countRange(X, n, F),
  };
}

/** Per column of an n x F row-major matrix: its least and most value. */
function countRange(X: Float64Array, n: number, F: number): { min: number[]; max: number[] } {
  const min = Array.from({ length: F }, () => Infinity);
  const max = Array.from({ length: F }, () => -Infinity);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < F; f++) {
      const v = X[r * F + f]!;
      if (v < min[f]!) min[f] = v;
      if (v > max[f]!) max[f] = v;
    }
  }
  return { min, max };
}

/** Basis columns that vary over all rows (for the lambda scale). */
function varyingColumns(Phi: Float64Array, P: number, n: number): number {
  let count = 0;
  for (let k = 0; k < P; k++) {
    const v0 = Phi[k]!;
    for (let r = 1; r < n; r++) {
      if (Phi[r * P + k] !== v0) {
        count++;
        break;
      }
    }
  }
  return count;
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

/** Source written into every PPM fitted here. */
export const FITTED_SOURCE = 'fitted in HyPER Workbench PPM lab';

export interface ExportMeta {
  /** What the output means: the score column's name and meaning (hyper.ppm.output). */
  output: string;
  /** The training data (default: a summary of the fit with its CV spread). */
  trainedOn?: string;
  /** Default FITTED_SOURCE. */
  source?: string;
  /**
   * Keep every input feature in the model (false by default: only the features that varied over the rows,
   * so that routing reports the tags the model knows nothing about as unused rather than as missing).
   */
  allFeatures?: boolean;
}

/** The model over a subset of its features (their weights and interactions; the rest must weigh zero to keep predictions). */
export function restrictModel(model: FittedPpm, features: readonly string[]): FittedPpm {
  const F = model.features.length;
  const at = features.map((f) => {
    const i = model.features.indexOf(f);
    if (i < 0) throw new PpmLabError('bad-option', `restrictModel: "${f}" is not a feature of the model`);
    return i;
  });
  const G = at.length;
  const w = Float64Array.from(at, (i) => model.w[i]!);
  const out: FittedPpm = { kind: model.kind, features: [...features], bias: model.bias, w };
  if (model.Q) {
    const Q = new Float64Array(G * G);
    for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) Q[a * G + b] = model.Q[at[a]! * F + at[b]!]!;
    out.Q = Q;
  }
  return out;
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
    if (Number.isFinite(metric(f).mean) && (!Number.isFinite(metric(fits[top]!).mean) || better(metric(f).mean, metric(fits[top]!).mean))) top = i;
  });
  const clearOver = (i: number) => fits.every((f, j) => {
    if (j === i) return true;
    const a = metric(fits[i]!).folds;
    const b = metric(f).folds;
    const d = a.map((x, k) => x - b[k]!).filter((x) => Number.isFinite(x));
    if (d.length < 2) return false;
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
    return better(mean, 0) && Math.abs(mean) > sd / Math.sqrt(d.length) && metric(fits[i]!).mean.toFixed(digits) !== metric(f).mean.toFixed(digits);
  });
  const all = fits.map(show).join(', ');
  if (clearOver(top)) return { best: top, clear: true, reason: `${select === 'rmse' ? 'lower' : 'higher'} ${name}: ${all}` };
  return { best: simplest, clear: false, reason: `no clear difference in ${name}, ${all}, within their fold-to-fold noise: the simpler ${fits[simplest]!.kind} PPM is kept` };
}

/** One line describing the fit and its cross-validation, for hyper.ppm.trained_on. */
export function describeFit(fit: FitResult, what = 'candidate mixes'): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  return (
    `${fit.n} ${what}; ${fit.kind} ridge, lambda ${fit.lambda} (relative), ${fit.folds}-fold CV seed ${fit.seed}: ` +
    `Spearman ${f(fit.cv.spearman.mean)} +/- ${f(fit.cv.spearman.std)}, RMSE ${f(fit.cv.rmse.mean)} +/- ${f(fit.cv.rmse.std)}`
  );
}

/** The fitted PPM as an ONNX file meeting the contract (docs/ppm-contract.md), metadata filled in. */
export function exportFittedPpm(fit: FitResult, meta: ExportMeta): Uint8Array {
  const m = meta.allFeatures || fit.usedFeatures.length === 0 ? fit.model : restrictModel(fit.model, fit.usedFeatures);
  const at = new Map(fit.model.features.map((f, i) => [f, i]));
  const description = {
    features: m.features,
    output: meta.output,
    source: meta.source ?? FITTED_SOURCE,
    trainedOn: meta.trainedOn ?? describeFit(fit),
    // The counts the model saw, per exported feature: routing warns when it asks about mixes beyond them.
    fitRange: { min: m.features.map((f) => fit.range.min[at.get(f)!]!), max: m.features.map((f) => fit.range.max[at.get(f)!]!) },
    ...(Number.isFinite(fit.cv.spearman.mean) ? { cvSpearman: fit.cv.spearman.mean } : {}),
    ...(Number.isFinite(fit.cv.rmse.mean) ? { cvRmse: fit.cv.rmse.mean } : {}),
  };
  if (m.kind === 'linear') return buildLinearPpm({ ...description, weights: m.w, bias: m.bias });
  return buildQuadraticPpm({ ...description, w: m.w, Q: m.Q!, bias: m.bias });
}
