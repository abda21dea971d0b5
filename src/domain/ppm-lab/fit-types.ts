// The shapes of a PPM fit: its data, options, report and model (fit.ts makes them).
import type { Spread } from './metrics';

export type PpmFitKind = 'linear' | 'quadratic';

/** Rows to fit: raw tag counts and the score of each mix. */
export interface FitData {
  /** Feature strings, the column order of X. */
  features: readonly string[];
  /** n x F row-major raw counts. */
  X: Float64Array;
  /** n scores. */
  y: Float64Array;
  n: number;
  /** Candidate ids, when known (carried to the out-of-fold predictions). */
  ids?: readonly string[];
}

export interface FitProgress {
  stage: 'cv' | 'final';
  done: number;
  total: number;
}

export interface FitOptions {
  kind: PpmFitKind;
  /** Cross-validation folds (default 5; at least 2, at most n). */
  folds?: number;
  /** Seed of the fold assignment (default 1). */
  seed?: number;
  /** Relative lambdas to try (default DEFAULT_LAMBDAS); one value skips the choice. */
  lambdas?: readonly number[];
  /** How lambda is chosen: lowest mean fold RMSE (default) or highest mean fold Spearman. */
  select?: 'rmse' | 'spearman';
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
}

export interface LambdaScore {
  lambda: number;
  lambdaAbsolute: number;
  spearman: Spread;
  rmse: Spread;
}

/** A fitted PPM over raw counts: y = bias + w.v (+ v^T Q v). */
export interface FittedPpm {
  kind: PpmFitKind;
  features: string[];
  bias: number;
  /** Linear weights (length F). */
  w: Float64Array;
  /** quadratic: symmetric F x F, row-major (squared terms on the diagonal, each cross term split in half). */
  Q?: Float64Array;
}

export interface OutOfFold {
  id?: string;
  actual: number;
  predicted: number;
  fold: number;
}

export interface FitResult {
  kind: PpmFitKind;
  n: number;
  folds: number;
  seed: number;
  select: 'rmse' | 'spearman';
  /** Features with any variance over the rows (the others get weight 0). */
  usedFeatures: string[];
  /** Basis terms with any variance (excluding the bias). */
  terms: number;
  /** Solver of the final fit. */
  solver: 'primal' | 'dual';
  lambda: number;
  lambdaAbsolute: number;
  /** The cross-validation report at the chosen lambda. */
  cv: { spearman: Spread; rmse: Spread };
  /** Every lambda tried, in the order given. */
  grid: LambdaScore[];
  /** Out-of-fold prediction of every row at the chosen lambda (predicted against actual). */
  outOfFold: OutOfFold[];
  /** In-sample fit of the final model. */
  train: { spearman: number; rmse: number };
  model: FittedPpm;
  /** Per feature (data.features order): the least and most count seen in the rows fitted on. */
  range: { min: number[]; max: number[] };
}
