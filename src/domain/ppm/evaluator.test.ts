import { describe, expect, it } from 'vitest';
import { TAG_COUNT, TAG_IDS } from '../tags/tags';
import { matchFeatures } from './contract';
import { tagCountEvaluator } from './evaluator';

describe('tagCountEvaluator', () => {
  // The "model": output = sum over its columns of (column + 1) * value, so the column order shows.
  const features = [TAG_IDS[5]!, TAG_IDS[0]!, TAG_IDS[89]!];
  const model = (calls: number[]) => async (input: Float32Array, rows: number) => {
    calls.push(rows);
    expect(input.length).toBe(rows * features.length);
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      for (let c = 0; c < features.length; c++) acc += (c + 1) * input[r * features.length + c]!;
      y[r] = acc;
    }
    return y;
  };
  const available = TAG_IDS.map((tag, t) => ({ tag, available: t !== 89 }));

  it('feeds the model its own columns in its own order; missing features are zero', async () => {
    const match = matchFeatures({ features }, available);
    expect(match.missingInData).toEqual([TAG_IDS[89]]);
    const calls: number[] = [];
    const ev = tagCountEvaluator({ fixedBatch: null }, match, model(calls));
    expect(ev.featureCount).toBe(TAG_COUNT);
    const counts = new Float32Array(2 * TAG_COUNT);
    counts[5] = 2; // column 0 -> 1 * 2
    counts[0] = 3; // column 1 -> 2 * 3
    counts[89] = 7; // missing -> 0
    counts[TAG_COUNT + 0] = 1;
    expect([...(await ev.predict(counts, 2))]).toEqual([8, 2]);
    expect(calls).toEqual([2]);
  });

  it('calls a fixed-batch model batch by batch, padding the last batch', async () => {
    const match = matchFeatures(
      { features },
      TAG_IDS.map((tag) => ({ tag, available: true })),
    );
    const calls: number[] = [];
    const ev = tagCountEvaluator({ fixedBatch: 2 }, match, model(calls));
    const counts = new Float32Array(5 * TAG_COUNT);
    for (let r = 0; r < 5; r++) counts[r * TAG_COUNT + 89] = r;
    expect([...(await ev.predict(counts, 5))]).toEqual([0, 3, 6, 9, 12]);
    expect(calls).toEqual([2, 2, 2]);
  });

  it('reuses its input buffer without carrying values over, and serves calls made at the same time', async () => {
    const match = matchFeatures({ features }, available);
    const ev = tagCountEvaluator({ fixedBatch: null }, match, model([]));
    const big = new Float32Array(3 * TAG_COUNT).fill(9);
    // 9 in every column: 1*9 + 2*9 (+ the missing feature, fed 0).
    expect([...(await ev.predict(big, 3))]).toEqual([27, 27, 27]);
    // A smaller call after it: the buffer holds the old 9s beyond these rows and in the missing column.
    const one = new Float32Array(TAG_COUNT);
    one[0] = 1;
    expect([...(await ev.predict(one, 1))]).toEqual([2]);
    const [a, b] = await Promise.all([ev.predict(big.slice(), 3), ev.predict(one.slice(), 1)]);
    expect([...a]).toEqual([27, 27, 27]);
    expect([...b]).toEqual([2]);
  });
});
