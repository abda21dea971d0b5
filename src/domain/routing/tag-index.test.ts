import { describe, expect, it } from 'vitest';
import { countTags as featureCountTags, hasBit, setBit, TAG_WORDS } from '../tags/tag-set';
import { TAG_COUNT } from '../tags/tags';
import { isRoutingError } from './errors';
import { randomTagMatrix } from './synthetic';
import { buildTagIndex } from './tag-index';

describe('TagIndex', () => {
  const n = 500;
  const bits = randomTagMatrix(n, 15, 42, 0.1);
  const index = buildTagIndex(bits, n);

  it('lists, for every tag, exactly the instances carrying it (ascending)', () => {
    for (let t = 0; t < TAG_COUNT; t++) {
      const members = [...index.tagMembers.subarray(index.tagOffsets[t]!, index.tagOffsets[t + 1]!)];
      const expected: number[] = [];
      for (let i = 0; i < n; i++) if (hasBit(bits, i, t)) expected.push(i);
      expect(members).toEqual(expected);
    }
  });

  it('lists the tags of every instance, and the untagged instances', () => {
    const untagged: number[] = [];
    for (let i = 0; i < n; i++) {
      const tags = [...index.rowTags.subarray(index.rowOffsets[i]!, index.rowOffsets[i + 1]!)];
      const expected: number[] = [];
      for (let t = 0; t < TAG_COUNT; t++) if (hasBit(bits, i, t)) expected.push(t);
      expect(tags).toEqual(expected);
      if (expected.length === 0) untagged.push(i);
    }
    expect([...index.untagged]).toEqual(untagged);
    expect(untagged.length).toBeGreaterThan(20);
    expect(index.tagged).toBe(n - untagged.length);
  });

  it('countTags sums the members bit rows, like the feature set counter', () => {
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    expect([...index.countTags(all)]).toEqual([...featureCountTags(bits, n)]);
    expect([...index.countAll()]).toEqual([...featureCountTags(bits, n)]);
    const some = Int32Array.of(3, 7, 7, 11);
    const expected = Array.from({ length: TAG_COUNT }, () => 0);
    for (const i of some) for (let t = 0; t < TAG_COUNT; t++) if (hasBit(bits, i, t)) expected[t]!++;
    expect([...index.countTags(some)]).toEqual(expected);
    // Only the first `count` members, written into a reused buffer.
    const out = new Float32Array(TAG_COUNT).fill(9);
    index.countTags(some, 1, out);
    expect([...out]).toEqual(Array.from({ length: TAG_COUNT }, (_, t) => (hasBit(bits, 3, t) ? 1 : 0)));
  });

  it('reads every bit of the matrix (the 90 paper tags and the 6 judge features) and rejects a matrix too short for n', () => {
    expect(TAG_COUNT).toBe(TAG_WORDS * 32);
    const b = new Uint32Array(2 * TAG_WORDS);
    setBit(b, 0, 89);
    b[TAG_WORDS - 1]! |= 1 << 30; // bit 94: a judge-confidence bin
    b[2 * TAG_WORDS - 1]! |= 1 << 31; // bit 95 of instance 1 only
    const idx = buildTagIndex(b, 2);
    expect([...idx.rowTags]).toEqual([89, 94, 95]);
    expect([...idx.untagged]).toEqual([]);
    expect([...idx.countTags([0, 1])].slice(89)).toEqual([1, 0, 0, 0, 0, 1, 1]);
    let err: unknown;
    try {
      buildTagIndex(new Uint32Array(5), 2);
    } catch (e) {
      err = e;
    }
    expect(isRoutingError(err) && err.code).toBe('bad-matrix');
    expect(() => index.countTags([n])).toThrow(/not an instance position/);
  });
});
