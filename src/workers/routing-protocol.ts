// Messages of the routing worker: prepare a session (feature set + PPM), then route, curve, explain and
// predict against it. Every request after `prepare` names the session it was made for; the worker refuses
// a request for a session it no longer holds instead of answering with another dataset's numbers.
import type { PairDefect } from '../domain/pair-defects';
import type { RoutedPlan, StrategySpec } from '../domain/routing/plan';

export type BackendChoice = 'auto' | 'wasm' | 'webgpu';

export interface PpmSummary {
  hash: string;
  name: string;
  kind: string;
  output: string;
  source: string;
  featureCount: number;
  /** PPM features the dataset does not have (they count as zero). */
  missingInData: string[];
  /** Available dataset tags the PPM does not use. */
  unusedDataTags: string[];
  warnings: string[];
  backend: 'webgpu' | 'wasm';
  /** Whether the PPM records the counts it was fitted on (then extrapolation is flagged). */
  hasFitRange: boolean;
  /** Why the all-human mix lies outside the counts the PPM was fitted on, or null. */
  allHumanOutside: string | null;
}

export interface TagGain {
  tag: string;
  /** Average predicted gain per instance when up to 100 random instances carrying the tag go to humans. */
  gain: number;
  carriers: number;
}

/** A routed plan (the same value `hyper route` writes), and how long it took. */
export interface RouteOutcome extends RoutedPlan {
  ms: number;
}

export interface CurvePoint {
  budget: number;
  predicted: number;
}

export type RoutingRequest =
  | { type: 'prepare'; id: number; session: string; datasetId: string; ppmHash: string; backend: BackendChoice }
  /** `adaptive` (risk, hybrid): learn where the judge errs from the pairs people labelled (domain/judge/adaptive.ts). */
  | { type: 'route'; id: number; session: string; spec: StrategySpec; adaptive?: boolean }
  | { type: 'curve'; id: number; session: string; strategy: 'topk' | 'simulated'; points: number; candidates: number; seed: number }
  /** Expected judge errors caught against the budget (risk, hybrid): `points` budgets from 0 to every routable pair. */
  | { type: 'risk-curve'; id: number; session: string; strategy: 'risk' | 'hybrid'; weight: number; adaptive: boolean; points: number }
  | { type: 'explain'; id: number; session: string; idx: number }
  | { type: 'predict'; id: number; session: string; counts: Float32Array; rows: number };

export interface RoutingResults {
  /** n: pairs in the dataset; routable: those that may go to humans (the others have an empty response or identical responses). */
  prepare: {
    ppm: PpmSummary;
    n: number;
    routable: number;
    excluded: Record<PairDefect, number>;
    allLm: number;
    allHuman: number;
    tagGains: TagGain[];
    /**
     * The LM judge's risk per pair (from judge signals the dataset carries): routable pairs without it. The risk
     * and hybrid strategies need every routable pair to have it; null when no pair has judge signals.
     */
    judgeRisk: { missing: number } | null;
    ms: number;
  };
  route: RouteOutcome;
  curve: { points: CurvePoint[]; allLm: number; allHuman: number; ms: number };
  /**
   * `caught`: the expected judge errors among the first `budget` pairs of the strategy's order (the sum of their
   * estimated error probability; a pair a person labelled counts 1 if the judge got it wrong, else 0); `random`:
   * the same for a random choice of that size; `total`: over every routable pair.
   */
  'risk-curve': {
    points: { budget: number; caught: number; random: number }[];
    total: number;
    ms: number;
    refit?: { n: number; errors: number };
  };
  /** `excluded`: why the pair is not routed (then gain 0, rank -1, no tags), or null. */
  /** `gainRank`: the gain's percentile rank in [0, 1]; `risk`: the judge's risk for the pair (null without judge signals). */
  explain: {
    idx: number;
    excluded: PairDefect | null;
    gain: number;
    rank: number;
    gainRank: number;
    risk: number | null;
    tags: { tag: string; contribution: number }[];
  };
  predict: Float32Array;
}
