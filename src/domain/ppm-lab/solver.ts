// Ridge and minimum-norm least squares from one symmetric eigen-decomposition per training set (primal
// Z^T Z when terms <= rows, dual Z Z^T otherwise); see fit.ts for how the fit uses it.
import { PpmLabError } from './errors';
import { gramCols, symmetricEigen, timesTransposed } from './linalg';

/** For lambda = 0, eigenvalues below this share of the largest are treated as zero (singular values below 1e-5). */
export const MIN_NORM_RCOND = 1e-10;
/** The largest min(rows, terms) the dense solver accepts (its cost grows with the cube). */
export const MAX_SOLVER_SIZE = 3000;

/** One training set, decomposed once: ridge or minimum-norm weights for any lambda. */
export class RidgeSolver {
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
      throw new PpmLabError(
        'bad-fit',
        `${nT} rows and ${Pk} terms: the solver takes at most ${MAX_SOLVER_SIZE} of the smaller; use fewer rows or the linear kind`,
      );
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
