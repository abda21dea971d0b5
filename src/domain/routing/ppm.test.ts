import { describe, expect, it } from 'vitest';
import { TAG_COUNT } from '../tags/tags';
import { isRoutingError } from './errors';
import { linearPpm, predictRows, quadraticPpm, type PpmEvaluator } from './ppm';

const F = TAG_COUNT;

describe('plain JS PPMs', () => {
  it('linear: y = b + w . v', async () => {
    const w = new Float32Array(F);
    w[0] = 0.5;
    w[89] = -2;
    const counts = new Float32Array(2 * F);
    counts[0] = 4;
    counts[89] = 1;
    counts[F + 1] = 10;
    expect([...(await linearPpm(w, 1).predict(counts, 2))]).toEqual([1, 1]);
  });

  it('quadratic: y = b + w . v + v^T Q v', async () => {
    const w = new Float64Array(F);
    const Q = new Float64Array(F * F);
    w[2] = 1;
    Q[2 * F + 2] = 0.5; // 0.5 v2^2
    Q[2 * F + 5] = 1; // v2 v5 (Q not symmetric: v^T Q v sees it once)
    const counts = new Float32Array(F);
    counts[2] = 2;
    counts[5] = 3;
    // 0.25 + 2 + 0.5 * 4 + 2 * 3 = 10.25
    expect([...(await quadraticPpm(0.25, w, Q).predict(counts, 1))]).toEqual([10.25]);
  });

  it('rejects weights of the wrong length or with NaN', () => {
    expect(() => linearPpm(new Float32Array(3))).toThrow(/weights has 3 entries/);
    expect(() => quadraticPpm(0, new Float32Array(F), new Float32Array(F * F).fill(Number.NaN))).toThrow(/Q\[0\] is not a finite number/);
  });
});

describe('predictRows', () => {
  it('splits big batches and joins the answers; each call gets its own buffer', async () => {
    const calls: number[] = [];
    const inner = linearPpm(Float32Array.from({ length: F }, (_, t) => t));
    const ppm: PpmEvaluator = {
      featureCount: F,
      async predict(counts, rows) {
        calls.push(rows);
        expect(counts.length).toBe(rows * F);
        return inner.predict(counts, rows);
      },
    };
    const rows = 25;
    const counts = new Float32Array(rows * F);
    for (let r = 0; r < rows; r++) counts[r * F + 1] = r;
    const out = await predictRows(ppm, counts, rows, { maxRowsPerCall: 10 });
    expect(calls).toEqual([10, 10, 5]);
    expect([...out]).toEqual(Array.from({ length: rows }, (_, r) => r));
  });

  it('fails clearly on a wrong number of scores or a non-finite score', async () => {
    const bad = (out: Float32Array): PpmEvaluator => ({ featureCount: F, predict: async () => out });
    const err = async (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => (isRoutingError(e) ? `${e.code}: ${e.message}` : String(e)),
      );
    expect(await err(predictRows(bad(new Float32Array(1)), new Float32Array(2 * F), 2))).toBe(
      'bad-ppm-output: the PPM returned 1 scores for 2 rows',
    );
    expect(await err(predictRows(bad(Float32Array.of(0, Number.NaN)), new Float32Array(2 * F), 2))).toMatch(
      /non-finite score \(NaN\) for row 1/,
    );
  });

  it('stops when the signal fires', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(predictRows(linearPpm(new Float32Array(F)), new Float32Array(F), 1, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });
});
