import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { gramCols, symmetricEigen, timesTransposed } from './linalg';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const next = mulberry32(seed);
  return Float64Array.from({ length: rows * cols }, () => next() * 2 - 1);
}

/** max |A V - V diag(values)| and max |V^T V - I|. */
function residuals(A: Float64Array, n: number, values: Float64Array, V: Float64Array): { av: number; orth: number } {
  let av = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * V[j * n + k]!;
      av = Math.max(av, Math.abs(s - values[k]! * V[i * n + k]!));
    }
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += V[i * n + k]! * V[i * n + l]!;
      orth = Math.max(orth, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  return { av, orth };
}

describe('symmetricEigen', () => {
  it.each([1, 2, 3, 7, 40, 120])('decomposes a random symmetric %i x %i matrix', (n) => {
    const R = randomMatrix(n, n, n);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = R[i * n + j]! + R[j * n + i]!;
    const { values, vectors } = symmetricEigen(A, n);
    const r = residuals(A, n, values, vectors);
    expect(r.av).toBeLessThan(1e-10 * n);
    expect(r.orth).toBeLessThan(1e-12 * n);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]!;
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
  });

  it('finds the null space of a rank-deficient Gram matrix', () => {
    // 30 rows, 12 columns of which column 11 = column 0 + column 1 (rank 11), and a zero column 5.
    const rows = 30;
    const cols = 12;
    const X = randomMatrix(rows, cols, 7);
    for (let r = 0; r < rows; r++) {
      X[r * cols + 11] = X[r * cols]! + X[r * cols + 1]!;
      X[r * cols + 5] = 0;
    }
    const G = gramCols(X, rows, cols);
    const { values, vectors } = symmetricEigen(G, cols);
    expect(values[cols - 3]!).toBeGreaterThan(1e-3);
    expect(Math.abs(values[cols - 2]!)).toBeLessThan(1e-12 * values[0]!);
    expect(Math.abs(values[cols - 1]!)).toBeLessThan(1e-12 * values[0]!);
    const r = residuals(G, cols, values, vectors);
    expect(r.av).toBeLessThan(1e-10);
    expect(r.orth).toBeLessThan(1e-12);
  });

  it('handles diagonal and repeated eigenvalues', () => {
    const A = Float64Array.from([2, 0, 0, 0, 2, 0, 0, 0, 5]);
    const { values, vectors } = symmetricEigen(A, 3);
    expect(Array.from(values)).toEqual([5, 2, 2]);
    expect(residuals(A, 3, values, vectors).orth).toBeLessThan(1e-15);
  });
});

describe('Gram products', () => {
  it('X^T X and X X^T agree with a direct sum', () => {
    const X = randomMatrix(5, 4, 3);
    const G = gramCols(X, 5, 4);
    const K = timesTransposed(X, 5, X, 5, 4);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let r = 0; r < 5; r++) s += X[r * 4 + i]! * X[r * 4 + j]!;
        expect(G[i * 4 + j]!).toBeCloseTo(s, 14);
      }
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) {
        let s = 0;
        for (let c = 0; c < 4; c++) s += X[i * 4 + c]! * X[j * 4 + c]!;
        expect(K[i * 5 + j]!).toBeCloseTo(s, 14);
      }
  });
});
