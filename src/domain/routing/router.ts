// One routing session over a dataset's tag index and a PPM: the gains are computed once and shared by
// every strategy that needs them.
import { RoutingError } from './errors';
import { type PredictOptions, type PpmEvaluator } from './ppm';
import {
  bestOverBudgets, budgetCurve, gains, localSearch, positive, simulated, topk,
  type BestOverBudgetsOptions, type BudgetCurve, type BudgetCurveOptions, type GainTable, type LocalSearchOptions,
  type LocalSearchResult, type RoutingResult, type SimulatedOptions,
} from './strategies';
import type { TagIndex } from './tag-index';

export class Router {
  private gainTable: Promise<GainTable> | undefined;

  constructor(
    readonly index: TagIndex,
    readonly ppm: PpmEvaluator,
    private readonly predictOptions: PredictOptions = {},
  ) {}

  /** gain_i = PPM(v_i) - PPM(0) for every instance (computed on first use, then cached). */
  gains(): Promise<GainTable> {
    if (!this.gainTable) {
      this.gainTable = gains(this.index, this.ppm, this.predictOptions);
      this.gainTable.catch(() => (this.gainTable = undefined));
    }
    return this.gainTable;
  }

  async topk(budget: number): Promise<RoutingResult> {
    return topk(this.index, this.ppm, budget, { ...this.predictOptions, gainTable: await this.gains() });
  }

  async simulated(budget: number, opts: Omit<SimulatedOptions, 'gainTable'> = {}): Promise<RoutingResult> {
    return simulated(this.index, this.ppm, budget, { ...this.predictOptions, ...opts, gainTable: await this.gains() });
  }

  async positive(): Promise<RoutingResult> {
    return positive(this.index, this.ppm, { ...this.predictOptions, gainTable: await this.gains() });
  }

  async bestOverBudgets(opts: Omit<BestOverBudgetsOptions, 'gainTable'> = {}): Promise<RoutingResult> {
    return bestOverBudgets(this.index, this.ppm, { ...this.predictOptions, ...opts, gainTable: await this.gains() });
  }

  async localSearch(result: RoutingResult, opts: Omit<LocalSearchOptions, 'gainTable'> = {}): Promise<LocalSearchResult> {
    return localSearch(this.index, this.ppm, result, { ...this.predictOptions, ...opts, gainTable: await this.gains() });
  }

  async budgetCurve(opts: Omit<BudgetCurveOptions, 'gainTable'>): Promise<BudgetCurve> {
    const gainTable = opts.strategy === 'topk' ? await this.gains() : undefined;
    return budgetCurve(this.index, this.ppm, { ...this.predictOptions, ...opts, ...(gainTable ? { gainTable } : {}) });
  }
}

/**
 * What to route with: a strategy and its parameters. One spec, one dispatch (runStrategy), for the routing
 * worker and the CLI alike, so that page and command line choose the same pairs.
 */
export type StrategySpec =
  | { strategy: 'topk'; budget: number }
  | { strategy: 'simulated'; budget: number; K: number; seed: number }
  | { strategy: 'positive' }
  /** Best over random budgets up to `maxBudget` (the budget the user gave is the most that may be spent). */
  | { strategy: 'best'; maxBudget: number; K: number; seed: number };

/** Runs a strategy spec on a router. */
export async function runStrategy(router: Router, spec: StrategySpec, opts: { signal?: AbortSignal } = {}): Promise<RoutingResult> {
  switch (spec.strategy) {
    case 'topk':
      return router.topk(spec.budget);
    case 'simulated':
      return router.simulated(spec.budget, { K: spec.K, seed: spec.seed, ...opts });
    case 'positive':
      return router.positive();
    case 'best': {
      const n = router.index.n;
      if (n === 0) return router.topk(0);
      if (!Number.isInteger(spec.maxBudget) || spec.maxBudget < 1) {
        throw new RoutingError('bad-budget', `best over budgets needs a budget of at least one pair, got ${spec.maxBudget}`);
      }
      return router.bestOverBudgets({ K: spec.K, seed: spec.seed, maxBudget: Math.min(spec.maxBudget, n), ...opts });
    }
    default: {
      const never: never = spec;
      throw new RoutingError('bad-option', `unknown strategy ${JSON.stringify((never as { strategy: unknown }).strategy)}`);
    }
  }
}
