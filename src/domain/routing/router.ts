// One routing session over a dataset's tag index and a PPM: the gains are computed once and shared by
// every strategy that needs them.
import { predictRows, type PredictOptions, type PpmEvaluator } from './ppm';
import {
  bestOverBudgets,
  byScore,
  budgetCurve,
  gains,
  localSearch,
  positive,
  simulated,
  topk,
  type BestOverBudgetsOptions,
  type BudgetCurve,
  type BudgetCurveOptions,
  type GainTable,
  type LocalSearchOptions,
  type LocalSearchResult,
  type RoutingResult,
  type SimulatedOptions,
  type CandidateHelper,
} from './strategies';
import type { TagIndex } from './tag-index';

export class Router {
  private gainTable: Promise<GainTable> | undefined;
  private allHumanPrediction: Promise<number> | undefined;

  constructor(
    readonly index: TagIndex,
    readonly ppm: PpmEvaluator,
    /** PPM call options, and a helper that builds half of the simulated candidates in another thread. */
    private readonly predictOptions: PredictOptions & { helper?: CandidateHelper } = {},
  ) {}

  /** gain_i = PPM(v_i) - PPM(0) for every instance (computed on first use, then cached). */
  gains(): Promise<GainTable> {
    if (!this.gainTable) {
      this.gainTable = gains(this.index, this.ppm, this.predictOptions);
      this.gainTable.catch(() => (this.gainTable = undefined));
    }
    return this.gainTable;
  }

  /** PPM prediction with every routable instance labelled by humans (computed on first use, then cached). */
  allHuman(): Promise<number> {
    if (!this.allHumanPrediction) {
      this.allHumanPrediction = predictRows(this.ppm, this.index.countAll(), 1, this.predictOptions).then((p) => p[0]!);
      this.allHumanPrediction.catch(() => (this.allHumanPrediction = undefined));
    }
    return this.allHumanPrediction;
  }

  /** The judge-risk strategies (strategies.ts byScore): `scores` per index position. */
  async byScore(budget: number, scores: Float64Array, strategy: 'risk' | 'hybrid'): Promise<RoutingResult> {
    return byScore(this.index, this.ppm, budget, scores, strategy, { ...this.predictOptions, gainTable: await this.gains() });
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
