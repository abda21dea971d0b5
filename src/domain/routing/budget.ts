// Budgets: how many instances go to humans, from a fraction of the dataset, a count, or money.
import { RoutingError } from './errors';

export type BudgetKind = 'fraction' | 'count' | 'money';

export interface BudgetInput {
  kind: BudgetKind;
  /** fraction: share of n in [0, 1]; count: number of human labels; money: total amount to spend. */
  value: number;
  /** Number of instances in the dataset. */
  n: number;
  /** money only: price of one human label (required). */
  costHuman?: number;
  /** money only: price of one LM label (default 0). */
  costLm?: number;
}

/**
 * The number of human labels a budget buys, an integer in [0, n].
 * - fraction: Math.round(value * n) (so 25% of 800 is 200, and 0.29 * 100 is 29 despite 28.999...).
 * - count: value itself (a non-negative integer), clamped to n.
 * - money: the largest h with h * costHuman + (n - h) * costLm <= value, clamped to [0, n]: every instance
 *   gets a label, LM labels pay for the rest. A total that cannot even pay LM labels for everyone gives 0.
 *   When a human label costs no more than an LM label, h is n if n human labels fit the total, else 0.
 * Throws RoutingError('bad-budget') on non-finite or negative input, a fraction outside [0, 1], a fractional
 * count, or money without costHuman.
 */
export function resolveBudget(input: BudgetInput): number {
  const { kind, value, n } = input;
  if (!Number.isInteger(n) || n < 0) throw new RoutingError('bad-budget', `the dataset size must be a non-negative integer, got ${n}`);
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RoutingError('bad-budget', `the budget must be a finite number, got ${value}`);
  if (value < 0) throw new RoutingError('bad-budget', `the budget cannot be negative (${value})`);
  switch (kind) {
    case 'fraction':
      if (value > 1)
        throw new RoutingError(
          'bad-budget',
          `a fraction budget must be between 0 and 1, got ${value} (use kind 'count' for a number of instances)`,
        );
      return Math.min(n, Math.round(value * n));
    case 'count':
      if (!Number.isInteger(value))
        throw new RoutingError('bad-budget', `a count budget must be a whole number of instances, got ${value}`);
      return Math.min(n, value);
    case 'money': {
      const costHuman = input.costHuman;
      const costLm = input.costLm ?? 0;
      if (costHuman === undefined) throw new RoutingError('bad-budget', 'a money budget needs the cost of one human label (costHuman)');
      for (const [name, c] of [
        ['costHuman', costHuman],
        ['costLm', costLm],
      ] as const) {
        if (typeof c !== 'number' || !Number.isFinite(c) || c < 0)
          throw new RoutingError('bad-budget', `${name} must be a finite non-negative number, got ${c}`);
      }
      if (costHuman > costLm) {
        const h = (value - n * costLm) / (costHuman - costLm);
        // Tolerance for totals that are exact multiples in decimal but not in binary (0.3 / 0.1).
        const whole = Math.floor(h + 1e-9 * Math.max(1, Math.abs(h)));
        return Math.max(0, Math.min(n, whole));
      }
      return n * costHuman <= value * (1 + 1e-12) ? n : 0;
    }
    default:
      throw new RoutingError('bad-budget', `unknown budget kind "${String(kind)}" (expected fraction, count or money)`);
  }
}

/** Total cost of h human labels and n - h LM labels. */
export function budgetCost(h: number, n: number, costHuman: number, costLm = 0): number {
  return h * costHuman + (n - h) * costLm;
}

/** Checks that b is an integer count in [0, n] (the form every strategy takes). */
export function checkBudget(b: number, n: number, what = 'budget'): number {
  if (!Number.isInteger(b) || b < 0 || b > n)
    throw new RoutingError('bad-budget', `${what} must be a whole number between 0 and n = ${n}, got ${b}`);
  return b;
}

/**
 * The prediction at `budget` on a budget curve (points in increasing budget), linear between points and flat
 * beyond the last; null for an empty curve. The Route page's slider reads it while the exact route is computed.
 */
export function interpolateCurve(points: readonly { budget: number; predicted: number }[], budget: number): number | null {
  if (points.length === 0) return null;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (budget <= b.budget) return a.predicted + ((b.predicted - a.predicted) * (budget - a.budget)) / Math.max(1, b.budget - a.budget);
  }
  return points[points.length - 1]!.predicted;
}
