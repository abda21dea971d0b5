// The fit's basis: linear = the F raw counts; quadratic = the counts and every product v_i v_j (i <= j).
import type { PpmFitKind } from './fit-types';

/** Basis term: feature i alone (j = -1) or the product of features i and j (i <= j). */
export interface Basis {
  i: Int32Array;
  j: Int32Array;
  size: number;
}

export function basisOf(kind: PpmFitKind, used: readonly number[]): Basis {
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
export function expand(X: Float64Array, n: number, F: number, basis: Basis): Float64Array {
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

/** Per column of an n x F row-major matrix: its least and most value. */
export function countRange(X: Float64Array, n: number, F: number): { min: number[]; max: number[] } {
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
export function varyingColumns(Phi: Float64Array, P: number, n: number): number {
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
