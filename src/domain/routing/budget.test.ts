import { describe, expect, it } from 'vitest';
import { budgetCost, resolveBudget, interpolateCurve } from './budget';
import { isRoutingError } from './errors';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isRoutingError(e) ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return undefined;
}

describe('resolveBudget', () => {
  it('fractions round to the nearest count', () => {
    expect(resolveBudget({ kind: 'fraction', value: 0.25, n: 800 })).toBe(200);
    expect(resolveBudget({ kind: 'fraction', value: 0.29, n: 100 })).toBe(29); // 28.999999999999996
    expect(resolveBudget({ kind: 'fraction', value: 0.25, n: 10 })).toBe(3); // 2.5 rounds up
    expect(resolveBudget({ kind: 'fraction', value: 0, n: 10 })).toBe(0);
    expect(resolveBudget({ kind: 'fraction', value: 1, n: 10 })).toBe(10);
    expect(resolveBudget({ kind: 'fraction', value: 0.5, n: 0 })).toBe(0);
  });

  it('counts are whole numbers, clamped to n', () => {
    expect(resolveBudget({ kind: 'count', value: 7, n: 10 })).toBe(7);
    expect(resolveBudget({ kind: 'count', value: 70, n: 10 })).toBe(10);
    expect(code(() => resolveBudget({ kind: 'count', value: 2.5, n: 10 }))).toMatch(/^bad-budget: .*whole number/);
  });

  it('money buys human labels after paying LM labels for the rest', () => {
    // 1000 instances, human $1.00, LM $0.01: all-LM costs $10; $100 buys floor(90 / 0.99) = 90 human labels.
    const h = resolveBudget({ kind: 'money', value: 100, n: 1000, costHuman: 1, costLm: 0.01 });
    expect(h).toBe(90);
    expect(budgetCost(h, 1000, 1, 0.01)).toBeLessThanOrEqual(100);
    expect(budgetCost(h + 1, 1000, 1, 0.01)).toBeGreaterThan(100);
    // Exact decimal totals: 30 labels at $0.10 with free LM labels is $3.00 (3 / 0.1 = 29.999... in binary).
    expect(resolveBudget({ kind: 'money', value: 3, n: 100, costHuman: 0.1 })).toBe(30);
    expect(resolveBudget({ kind: 'money', value: 0.3, n: 100, costHuman: 0.1 })).toBe(3);
    // Clamped: more than enough money -> n; not even enough for the LM labels -> 0.
    expect(resolveBudget({ kind: 'money', value: 1e6, n: 100, costHuman: 1, costLm: 0.5 })).toBe(100);
    expect(resolveBudget({ kind: 'money', value: 10, n: 100, costHuman: 1, costLm: 0.5 })).toBe(0);
    // Humans no dearer than the LM: all or nothing.
    expect(resolveBudget({ kind: 'money', value: 50, n: 100, costHuman: 0.5, costLm: 0.5 })).toBe(100);
    expect(resolveBudget({ kind: 'money', value: 49, n: 100, costHuman: 0.5, costLm: 0.5 })).toBe(0);
    expect(resolveBudget({ kind: 'money', value: 0, n: 100, costHuman: 0 })).toBe(100);
  });

  it('rejects bad input with clear errors', () => {
    expect(code(() => resolveBudget({ kind: 'fraction', value: 1.5, n: 10 }))).toMatch(
      /^bad-budget: a fraction budget must be between 0 and 1/,
    );
    expect(code(() => resolveBudget({ kind: 'fraction', value: -0.1, n: 10 }))).toMatch(/^bad-budget: .*negative/);
    expect(code(() => resolveBudget({ kind: 'count', value: Number.NaN, n: 10 }))).toMatch(/^bad-budget: .*finite/);
    expect(code(() => resolveBudget({ kind: 'count', value: 1, n: -1 }))).toMatch(/^bad-budget: the dataset size/);
    expect(code(() => resolveBudget({ kind: 'count', value: 1, n: 2.5 }))).toMatch(/^bad-budget: the dataset size/);
    expect(code(() => resolveBudget({ kind: 'money', value: 10, n: 10 }))).toMatch(/^bad-budget: .*costHuman/);
    expect(code(() => resolveBudget({ kind: 'money', value: 10, n: 10, costHuman: -1 }))).toMatch(/^bad-budget: costHuman must be/);
    expect(code(() => resolveBudget({ kind: 'money', value: 10, n: 10, costHuman: 1, costLm: Infinity }))).toMatch(
      /^bad-budget: costLm must be/,
    );
    expect(code(() => resolveBudget({ kind: 'bogus' as 'count', value: 1, n: 10 }))).toMatch(/^bad-budget: unknown budget kind/);
  });
});

describe('interpolateCurve', () => {
  const curve = [
    { budget: 0, predicted: 1 },
    { budget: 10, predicted: 2 },
    { budget: 20, predicted: 4 },
  ];
  it('is linear between points, exact on them, flat beyond the last, and null without points', () => {
    expect(interpolateCurve(curve, 0)).toBe(1);
    expect(interpolateCurve(curve, 5)).toBeCloseTo(1.5, 12);
    expect(interpolateCurve(curve, 10)).toBe(2);
    expect(interpolateCurve(curve, 15)).toBeCloseTo(3, 12);
    expect(interpolateCurve(curve, 25)).toBe(4);
    expect(interpolateCurve([], 3)).toBeNull();
    expect(interpolateCurve([{ budget: 7, predicted: 0.5 }], 3)).toBe(0.5);
  });
});
