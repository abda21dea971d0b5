import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { proxyAccuracy, proxyEvaluateCandidate, proxyFeatures, trainProxyRm } from './proxy';

const FILLER = 'the a of to and in is it that for on with as was at by this be from or an are which'.split(' ');

/** Pairs where the better response says "helpful correct" and the worse one "rude wrong", amid filler; better side random. */
function pairs(n: number, seed: number) {
  const next = mulberry32(seed);
  const text = (marker: string) => {
    const words = Array.from({ length: 8 + Math.floor(next() * 20) }, () => FILLER[Math.floor(next() * FILLER.length)]!);
    words.splice(Math.floor(next() * words.length), 0, marker);
    return words.join(' ');
  };
  const preferA = new Uint8Array(n);
  const list = Array.from({ length: n }, (_, i) => {
    const good = text('helpful correct');
    const bad = text('rude wrong');
    preferA[i] = next() < 0.5 ? 1 : 0;
    return preferA[i] ? { responseA: good, responseB: bad } : { responseA: bad, responseB: good };
  });
  return { list, preferA };
}

const { list, preferA } = pairs(400, 1);
const features = proxyFeatures(list, { dims: 2 ** 12 });
const train = Uint32Array.from({ length: 300 }, (_, i) => i);
const gold = Uint32Array.from({ length: 100 }, (_, i) => 300 + i);
const goldA = preferA.slice(300);

describe('proxyFeatures', () => {
  it('stores f(A) - f(B) sorted, antisymmetric in the sides, empty for identical responses', () => {
    const swapped = proxyFeatures(
      list.map((p) => ({ responseA: p.responseB, responseB: p.responseA })),
      { dims: 2 ** 12 },
    );
    expect(swapped.indices).toEqual(features.indices);
    expect(swapped.values).toEqual(features.values.map((v) => -v));
    for (let i = 0; i < features.n; i++) {
      for (let q = features.offsets[i]! + 1; q < features.offsets[i + 1]!; q++)
        expect(features.indices[q]!).toBeGreaterThan(features.indices[q - 1]!);
    }
    const same = proxyFeatures([{ responseA: 'Same words here', responseB: 'same WORDS here' }]);
    expect(same.offsets[1]).toBe(0);
    expect(features.width).toBe(2 ** 12 + 2);
  });

  it('refuses a bucket count that is not a power of two', () => {
    expect(() => proxyFeatures(list, { dims: 1000 })).toThrow(expect.objectContaining({ code: 'bad-option' }));
  });
});

describe('the proxy reward model', () => {
  it('learns a planted preference and fails on flipped labels', () => {
    const w = trainProxyRm(features, train, preferA.slice(0, 300), { seed: 1 });
    expect(proxyAccuracy(features, w, gold, goldA)).toBeGreaterThan(0.95);
    const flipped = trainProxyRm(
      features,
      train,
      preferA.slice(0, 300).map((x) => 1 - x),
      { seed: 1 },
    );
    expect(proxyAccuracy(features, flipped, gold, goldA)).toBeLessThan(0.05);
  });

  it('scores better with more correct labels in the mix', () => {
    const next = mulberry32(9);
    const noisy = (share: number) => preferA.slice(0, 300).map((x) => (next() < share ? 1 - x : x));
    const acc = (share: number) => proxyAccuracy(features, trainProxyRm(features, train, noisy(share), { seed: 2 }), gold, goldA);
    expect(acc(0.1)).toBeGreaterThan(acc(0.45));
  });

  it('is deterministic for a seed and ignores which side a response is on', () => {
    const labels = preferA.slice(0, 300);
    const a = trainProxyRm(features, train, labels, { seed: 3 });
    expect(trainProxyRm(features, train, labels, { seed: 3 })).toEqual(a);
    expect(trainProxyRm(features, train, labels, { seed: 4 })).not.toEqual(a);
    const swapped = proxyFeatures(
      list.map((p) => ({ responseA: p.responseB, responseB: p.responseA })),
      { dims: 2 ** 12 },
    );
    expect(
      trainProxyRm(
        swapped,
        train,
        labels.map((x) => 1 - x),
        { seed: 3 },
      ),
    ).toEqual(a);
  });

  it('evaluates a candidate mix on the gold pairs, reusing a buffer', () => {
    const buffer = new Float64Array(features.width);
    const r = proxyEvaluateCandidate(
      features,
      { mix: train, chosenA: preferA.slice(0, 300) },
      { positions: gold, preferA: goldA },
      {},
      buffer,
    );
    expect(r.rows).toBe(300);
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect(r.trainAccuracy).toBeGreaterThan(0.95);
    expect(buffer.some((x) => x !== 0)).toBe(true);
    expect(() =>
      proxyEvaluateCandidate(
        features,
        { mix: train, chosenA: preferA.slice(0, 300) },
        { positions: new Uint32Array(0), preferA: new Uint8Array(0) },
      ),
    ).toThrow(/the gold set is empty/);
    expect(() => trainProxyRm(features, train, preferA.slice(0, 10))).toThrow(/300 rows but 10 labels/);
  });
});
