// The routing plan as one value: what a strategy chose (dataset positions in routing order, their gains, the
// predictions) with the parameters that reproduce it. The routing worker and `hyper route` both make it with
// `routePlan`; storage keeps it as it is (plus ids and a version), and plan-file.ts converts it to and from
// the plan file that `hyper merge` reads.
import { describeFitRangeExcess, outsideFitRange, type PpmInfo } from '../ppm/contract';
import { budgetCost, type BudgetKind } from './budget';
import { toDatasetPositions, type EligibleIndex } from './eligible';
import { RoutingError } from './errors';
import type { Router } from './router';
import { gainRanks, type LocalSearchResult, type RoutingResult } from './strategies';

/** The strategies, by the names the page, the worker protocol and `hyper route --strategy` use. */
export type StrategyName = 'topk' | 'simulated' | 'positive' | 'best' | 'risk' | 'hybrid';
export const STRATEGY_NAMES: readonly StrategyName[] = ['topk', 'simulated', 'positive', 'best', 'risk', 'hybrid'];
/** The strategies that need the LM judge's risk per pair (judge signals stored with the dataset). */
export const RISK_STRATEGIES: readonly StrategyName[] = ['risk', 'hybrid'];
/** Weight of the PPM gain in `hybrid` (the judge risk gets 1 - weight). */
export const DEFAULT_HYBRID_WEIGHT = 0.5;

/** The name plans, plan files, manifests and dataset cards record for a strategy. */
export type RecordedStrategy = 'topk' | 'simulated' | 'positive' | 'best-over-budgets' | 'risk' | 'hybrid';
/** A plan's strategy; 'pack' is the plan of a project opened from an annotation pack (every pair of the pack). */
export type PlanStrategy = RecordedStrategy | `${RecordedStrategy}+local-search` | 'pack';
const RECORDED: Record<StrategyName, RecordedStrategy> = {
  topk: 'topk',
  simulated: 'simulated',
  positive: 'positive',
  best: 'best-over-budgets',
  risk: 'risk',
  hybrid: 'hybrid',
};

/** Whether a strategy draws candidate mixes (then K and a seed apply). */
export function drawsCandidates(name: StrategyName): name is 'simulated' | 'best' {
  return name === 'simulated' || name === 'best';
}

/** What to route with: a strategy and its parameters, optionally refined by local search (beyond the paper). */
export type StrategySpec = (
  | { strategy: 'topk'; budget: number }
  | { strategy: 'simulated'; budget: number; K: number; seed: number }
  | { strategy: 'positive' }
  /** Best over random budgets up to `maxBudget` (the budget the user gave is the most that may be spent). */
  | { strategy: 'best'; maxBudget: number; K: number; seed: number }
  /** The pairs the judge most likely got wrong (highest risk first). */
  | { strategy: 'risk'; budget: number }
  /** weight x gain rank + (1 - weight) x judge risk. */
  | { strategy: 'hybrid'; budget: number; weight: number }
) & { refine?: { seed: number } };

/**
 * The spec for a strategy name and the user's settings, over `routable` pairs: budgets above what can be routed
 * route every routable pair; best over budgets without a budget may spend up to routable - 1.
 */
export function strategySpec(
  name: StrategyName,
  settings: { budget: number | null; K: number; seed: number; refine: boolean; weight?: number },
  routable: number,
): StrategySpec {
  const refine = settings.refine ? { refine: { seed: settings.seed } } : {};
  const budget = settings.budget === null ? null : Math.min(settings.budget, routable);
  const need = (): number => {
    if (budget === null) throw new RoutingError('bad-budget', `${name} needs a budget`);
    return budget;
  };
  switch (name) {
    case 'topk':
      return { strategy: 'topk', budget: need(), ...refine };
    case 'simulated':
      return { strategy: 'simulated', budget: need(), K: settings.K, seed: settings.seed, ...refine };
    case 'positive':
      return { strategy: 'positive', ...refine };
    case 'best':
      return { strategy: 'best', maxBudget: budget ?? Math.max(1, routable - 1), K: settings.K, seed: settings.seed, ...refine };
    case 'risk':
      return { strategy: 'risk', budget: need(), ...refine };
    case 'hybrid': {
      const weight = settings.weight ?? DEFAULT_HYBRID_WEIGHT;
      if (!(weight >= 0 && weight <= 1)) throw new RoutingError('bad-option', `the hybrid weight must be between 0 and 1, got ${weight}`);
      return { strategy: 'hybrid', budget: need(), weight, ...refine };
    }
    default: {
      const never: never = name;
      throw new RoutingError('bad-option', `unknown strategy ${JSON.stringify(never)}`);
    }
  }
}

declare const datasetPosition: unique symbol;
/**
 * Positions of pairs in their dataset (0-based, file order). Strategies work on positions of the routable pairs
 * only (EligibleIndex); the brand keeps those from being stored or merged as dataset positions.
 */
export type DatasetPositions = Uint32Array & { readonly [datasetPosition]: true };

/** Marks positions read from storage or a plan file (already dataset positions). */
export function asDatasetPositions(positions: Uint32Array): DatasetPositions {
  return positions as DatasetPositions;
}

/** The budget as the user gave it, and the number of pairs the plan routes. */
export interface PlanBudget {
  kind: BudgetKind;
  value: number;
  count: number;
  costHuman?: number;
  costLm?: number;
}

export interface RoutingPlan {
  strategy: PlanStrategy;
  budget: PlanBudget;
  /** The seed of the candidate draws (simulated, best) or of the refinement; null when nothing was drawn. */
  seed: number | null;
  /** K, the candidate mixes per budget (Algorithm 1), for simulated and best over budgets; null otherwise. */
  candidates: number | null;
  /** Pairs routed to humans, in routing order. */
  humanIdx: DatasetPositions;
  /** gain_i = PPM(v_i) - PPM(0), aligned with humanIdx (plans locked before this shape stored float32). */
  gains: Float64Array | Float32Array;
  predicted: number;
  predictedAllLm: number;
  predictedAllHuman: number;
  /** best over budgets: the budgets (counts) tried, in the order tried. */
  budgetsTried?: number[];
  /** Refined plans: how the swaps changed the strategy's own mix. */
  refinement?: { startPredicted: number; improvement: number; swapsAccepted: number; localOptimum: boolean };
  /** What the user should know about the numbers (a PPM asked about mixes beyond its fitted range). */
  warnings?: string[];
  /**
   * risk and hybrid plans: the hybrid weight of the PPM gain (null for risk) and, when the judge's errors were
   * learnt from human labels, how many labelled pairs the model was fitted on and the judge's errors among them.
   */
  judge?: { weight: number | null; refit: { n: number; errors: number } | null };
}

/** A routed plan and what it took (not part of the plan: the same plan can be made faster or slower). */
export interface RoutedPlan {
  plan: RoutingPlan;
  spec: StrategySpec;
  /** PPM rows the strategy evaluated (its candidates; gains and the refinement not counted). */
  evaluated: number;
  /** Why the routed mix lies outside the counts the PPM was fitted on, or null. */
  outsideFitRange: string | null;
}

/** The recorded strategy of a spec, with "+local-search" when the plan was refined. */
export function planStrategy(spec: StrategySpec, refined: boolean): PlanStrategy {
  const name = RECORDED[spec.strategy];
  return refined ? `${name}+local-search` : name;
}

/** The budget record of a plan that routes `count` pairs (asked: how the user gave the budget). */
export function planBudget(asked: Omit<PlanBudget, 'count'>, count: number): PlanBudget {
  return { ...asked, count };
}

/**
 * The budget as the Route page takes it: the slider's `count` of `n` pairs, read as the kind of field the user
 * last set (a fraction, a count, or money at the given prices).
 */
export function askedBudget(kind: BudgetKind, count: number, n: number, costHuman: number, costLm: number): Omit<PlanBudget, 'count'> {
  const value = kind === 'fraction' ? count / Math.max(1, n) : kind === 'money' ? budgetCost(count, n, costHuman, costLm) : count;
  return { kind, value, costHuman, costLm };
}

/**
 * Runs a spec on a router over the routable pairs and returns the plan in dataset positions: the one path from
 * strategy to plan, for the routing worker and the CLI. `asked` records how the user gave the budget (default:
 * the count routed); `ppm`, when given, flags mixes beyond the PPM's fitted range.
 */
export async function routePlan(
  router: Router,
  eligible: EligibleIndex,
  spec: StrategySpec,
  opts: {
    signal?: AbortSignal;
    asked?: Omit<PlanBudget, 'count'>;
    ppm?: PpmInfo;
    /** The judge's estimated error probability per dataset position (judge/risk.ts), for risk and hybrid. */
    risk?: ArrayLike<number>;
    /** When `risk` was learnt from human labels: the labelled pairs fitted on and the judge's errors among them. */
    refit?: { n: number; errors: number };
  } = {},
): Promise<RoutedPlan> {
  if (router.index !== eligible.index) throw new RoutingError('bad-option', 'the router does not route over this eligible index');
  const signal = opts.signal ? { signal: opts.signal } : {};
  const risk = opts.risk ? atIndexPositions(eligible, opts.risk) : undefined;
  const start = await runStrategy(router, spec, { ...signal, ...(risk ? { risk } : {}) });
  let chosen: RoutingResult | LocalSearchResult = start;
  const refine = spec.refine && start.budget > 0 && start.budget < router.index.n;
  if (refine) chosen = await router.localSearch(start, { seed: spec.refine!.seed, ...signal });
  const allHuman = await router.allHuman();
  const counts = router.index.countTags(chosen.humanIds);
  // How the routed mix and the all-human mix lie beyond the counts the PPM was fitted on (none: within them).
  const excess = opts.ppm ? outsideFitRange(opts.ppm, counts) : [];
  const warnings = opts.ppm
    ? [
        describeFitRangeExcess(excess, 'The routed mix'),
        describeFitRangeExcess(outsideFitRange(opts.ppm, router.index.countAll()), 'The all-human mix'),
      ].filter((w): w is string => w !== null)
    : [];
  const humanIdx = asDatasetPositions(toDatasetPositions(eligible, chosen.humanIds));
  const plan: RoutingPlan = {
    strategy: planStrategy(spec, Boolean(refine)),
    budget: planBudget(
      opts.asked ?? {
        kind: 'count',
        value: spec.strategy === 'positive' ? humanIdx.length : spec.strategy === 'best' ? spec.maxBudget : spec.budget,
      },
      humanIdx.length,
    ),
    seed: spec.strategy === 'simulated' || spec.strategy === 'best' ? start.seed : refine ? (chosen.seed ?? null) : null,
    candidates: spec.strategy === 'simulated' || spec.strategy === 'best' ? spec.K : null,
    humanIdx,
    gains: chosen.gains,
    predicted: chosen.predicted,
    predictedAllLm: chosen.allLm,
    predictedAllHuman: allHuman,
    ...(start.budgetsTried ? { budgetsTried: [...start.budgetsTried] } : {}),
    ...(refine
      ? {
          refinement: (({ startPredicted, improvement, swapsAccepted, localOptimum }: LocalSearchResult) => ({
            startPredicted,
            improvement,
            swapsAccepted,
            localOptimum,
          }))(chosen as LocalSearchResult),
        }
      : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(spec.strategy === 'risk' || spec.strategy === 'hybrid'
      ? { judge: { weight: spec.strategy === 'hybrid' ? spec.weight : null, refit: opts.refit ?? null } }
      : {}),
  };
  return {
    plan,
    spec,
    evaluated: start.candidatesEvaluated,
    outsideFitRange: describeFitRangeExcess(excess, 'This mix'),
  };
}

/**
 * Runs a spec's strategy (not its refinement) on a router; positions are the router's index positions. A budget
 * above the routable pairs routes them all.
 */
/**
 * The score the judge-risk strategies rank by, per index position: `risk` the judge's estimated error probability,
 * `hybrid` weight x (the gain's percentile rank) + (1 - weight) x risk.
 */
export async function judgeScores(
  router: Router,
  spec: { strategy: 'risk' } | { strategy: 'hybrid'; weight: number },
  risk: Float64Array,
): Promise<Float64Array> {
  if (spec.strategy === 'risk') return risk;
  const ranks = gainRanks(await router.gains());
  const w = spec.weight;
  return Float64Array.from(risk, (r, i) => w * ranks[i]! + (1 - w) * r);
}

/** Values given per dataset position, read at the routable pairs' index positions. */
export function atIndexPositions(eligible: EligibleIndex, values: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: eligible.index.n }, (_, i) => Number(values[eligible.positions ? eligible.positions[i]! : i]));
}

export async function runStrategy(
  router: Router,
  spec: StrategySpec,
  opts: { signal?: AbortSignal; /** Judge risk per index position (risk, hybrid). */ risk?: Float64Array } = {},
): Promise<RoutingResult> {
  const { risk, ...strategyOpts } = opts;
  switch (spec.strategy) {
    case 'topk':
      return router.topk(Math.min(spec.budget, router.index.n));
    case 'simulated':
      return router.simulated(Math.min(spec.budget, router.index.n), { K: spec.K, seed: spec.seed, ...strategyOpts });
    case 'positive':
      return router.positive();
    case 'best': {
      const n = router.index.n;
      if (n === 0) return router.topk(0);
      if (!Number.isInteger(spec.maxBudget) || spec.maxBudget < 1) {
        throw new RoutingError('bad-budget', `best over budgets needs a budget of at least one pair, got ${spec.maxBudget}`);
      }
      return router.bestOverBudgets({ K: spec.K, seed: spec.seed, maxBudget: Math.min(spec.maxBudget, n), ...strategyOpts });
    }
    case 'risk':
    case 'hybrid': {
      if (!risk)
        throw new RoutingError(
          'bad-option',
          `${spec.strategy} routing needs the LM judge's signals for every pair: judge the dataset first`,
        );
      const budget = Math.min(spec.budget, router.index.n);
      return router.byScore(budget, await judgeScores(router, spec, risk), spec.strategy);
    }
    default: {
      const never: never = spec;
      throw new RoutingError('bad-option', `unknown strategy ${JSON.stringify((never as { strategy: unknown }).strategy)}`);
    }
  }
}
