import { describe, expect, it } from 'vitest';
import { parseTyped, stringifyTyped } from './typed-json';

describe('typed JSON', () => {
  it('round-trips typed arrays (NaN, -0, large) and plain values exactly', () => {
    const value = {
      bits: Uint32Array.of(0, 1, 0xffffffff),
      gains: Float32Array.of(0.5, -1.25, Number.NaN),
      cols: { rouge: Float64Array.of(Number.NaN, -0, 1e-300, 0.1 + 0.2) },
      defects: new Uint8Array([0, 2, 1]),
      nested: [{ s: 'text with "quotes" and \u2028', n: 3, b: true, z: null }],
      big: new Uint32Array(100_000).map((_, i) => i * 7),
    };
    const back = parseTyped<typeof value>(stringifyTyped(value));
    expect(back.bits).toBeInstanceOf(Uint32Array);
    expect([...back.bits]).toEqual([0, 1, 0xffffffff]);
    expect(Object.is(back.cols.rouge[1], -0)).toBe(true);
    expect(Number.isNaN(back.gains[2])).toBe(true);
    expect(back.cols.rouge[3]).toBe(0.1 + 0.2);
    expect(back.nested).toEqual(value.nested);
    expect(back.big).toEqual(value.big);
    expect(back.defects).toEqual(value.defects);
  });

  it('refuses a forged typed array', () => {
    expect(() => parseTyped('{"x": {"$typed": "Evil", "base64": ""}}')).toThrow(/bad typed array/);
  });
});
