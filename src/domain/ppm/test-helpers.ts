// Shared by the PPM tests only (no runtime imports): a seeded random generator and a plain-JS PPM.

import { mulberry32 } from '../random';

/** Deterministic pseudo-random numbers in [-1, 1). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}

/** y = b + w.v + v^T Q v for each row of v [n, F], in float64 (Q omitted: linear). */
export function referencePpm(v: ArrayLike<number>, n: number, w: ArrayLike<number>, b: number, Q?: ArrayLike<number>): Float64Array {
  const F = w.length;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let y = b;
    for (let i = 0; i < F; i++) {
      const vi = v[r * F + i]!;
      y += w[i]! * vi;
      if (Q) for (let j = 0; j < F; j++) y += vi * Q[i * F + j]! * v[r * F + j]!;
    }
    out[r] = y;
  }
  return out;
}
