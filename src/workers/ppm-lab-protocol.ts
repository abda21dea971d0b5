// Messages of the PPM-lab worker (issue 7): look at a dataset's candidate pool, write a candidates zip, run the
// PROXY reward model per candidate (a pool of these workers shares the candidates), and fit a PPM.
import type { FitResult, PoolExclusions, PpmFitKind } from '../domain/ppm-lab';

/** What fixes a run's candidates: the same settings on the same dataset and tags give the same mixes. */
export interface LabRunSettings {
  k: number;
  /** 'random', or fractions of the pool (candidate i takes budgets[i mod length]). */
  budgets: 'random' | number[];
  /** random budgets: candidates 0 and 1 are the all-human and all-LM mixes. */
  includeExtremes: boolean;
  /** Seed of the gold split, the budgets, the mixes and the proxy. */
  seed: number;
  /** Largest mix; null for none. */
  cap: number | null;
  /** Share of the pairs with a human winner held out as the gold set (never in a mix). */
  goldShare: number;
}

export interface PoolSummary {
  /** Pairs in the dataset. */
  n: number;
  /** Pairs with a human and an LM winner, outside the gold set. */
  size: number;
  /** Pool pairs where the two winners differ (only these change between mixes). */
  disagreements: number;
  excluded: PoolExclusions;
  gold: number;
  fingerprint: string;
}

/** Per-candidate numbers of a run: K rows, the counts row-major K x TAG_COUNT (TAG_IDS order). */
export interface CandidateTable {
  ids: string[];
  fraction: number[];
  humanInMix: number[];
  mixSize: number[];
  counts: Int32Array;
}

export interface ProxyCandidateResult {
  index: number;
  id: string;
  /** PROXY score: pairwise accuracy on the gold pairs. */
  accuracy: number;
  trainAccuracy: number;
  fraction: number;
  humanInMix: number;
  mixSize: number;
  counts: Int32Array;
}

/** Rows to fit (a FitData): raw counts and scores. */
export interface FitInput {
  features: string[];
  X: Float64Array;
  y: Float64Array;
  n: number;
  ids?: string[];
}

export type PpmLabRequest =
  | { type: 'inspect'; id: number; datasetId: string; goldShare: number; seed: number }
  | { type: 'generate'; id: number; datasetId: string; settings: LabRunSettings }
  /** Loads a dataset's pool, plan and proxy features into this worker under `session`. */
  | { type: 'proxy-prepare'; id: number; session: string; datasetId: string; settings: LabRunSettings }
  /** Builds the listed candidates of the prepared plan and trains and scores the proxy on each. */
  | { type: 'proxy-run'; id: number; session: string; indices: number[]; epochs: number }
  | {
      type: 'fit';
      id: number;
      data: FitInput;
      kinds: PpmFitKind[];
      folds: number;
      seed: number;
      /** hyper.ppm.output of the exported model: "<score column>: <meaning>". */
      output: string;
      /** Where the scores came from, for hyper.ppm.trained_on (after the fit's own summary). */
      scoresFrom: string;
    };

export interface PpmLabResults {
  inspect: PoolSummary;
  generate: { zip: Blob; fileName: string; pool: PoolSummary; table: CandidateTable; bytes: number; ms: number };
  'proxy-prepare': { pool: PoolSummary; k: number; ms: number };
  'proxy-run': ProxyCandidateResult[];
  /** One fit and its ONNX bytes per kind asked for, in that order. */
  fit: { fits: FitResult[]; models: Uint8Array[]; ms: number };
}
