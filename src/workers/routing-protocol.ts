export type StrategyId = 'topk' | 'simulated' | 'positive' | 'best';

export interface PpmSummary {
  hash: string;
  name: string;
  kind: string;
  output: string;
  source: string;
  featureCount: number;
  /** PPM features the dataset does not have (they count as zero). */
  missingInData: string[];
  backend: string;
}

export interface TagGain {
  tag: string;
  /** Average predicted gain per instance when up to 100 random instances carrying the tag go to humans. */
  gain: number;
  carriers: number;
}

export interface RouteOutcome {
  strategy: StrategyId;
  budget: number;
  humanIdx: Uint32Array;
  gains: Float32Array;
  predicted: number;
  candidates: number;
  /** Local-search refinement of the same result (beyond the paper), when asked for. */
  refined?: { humanIdx: Uint32Array; predicted: number; swaps: number };
}

export interface CurvePoint {
  budget: number;
  predicted: number;
}

export type RoutingRequest =
  | { type: 'prepare'; id: number; datasetId: string; ppmHash: string; backend: 'auto' | 'wasm' | 'webgpu' }
  | { type: 'route'; id: number; strategy: StrategyId; budget: number; candidates: number; seed: number; refine: boolean }
  | { type: 'curve'; id: number; strategy: StrategyId; points: number; candidates: number; seed: number }
  | { type: 'explain'; id: number; idx: number }
  | { type: 'predict'; id: number; counts: Float32Array; rows: number };

export interface RoutingResults {
  prepare: { ppm: PpmSummary; n: number; allLm: number; allHuman: number; tagGains: TagGain[] };
  route: RouteOutcome;
  curve: { points: CurvePoint[]; allLm: number; allHuman: number };
  explain: { gain: number; tags: { tag: string; contribution: number }[] };
  predict: Float32Array;
}
