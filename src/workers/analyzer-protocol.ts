import type { AnalyzerError } from '../domain/tags/analyzer/run';

export interface AnalyzerSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  /** Cost per 1,000 input / output tokens; leave out for no cost estimate. */
  price?: { inputPer1k: number; outputPer1k: number };
}

export interface AnalyzerRunSummary {
  total: number;
  tagged: number;
  cached: number;
  failed: number;
  requests: number;
  estimatedCost: number | null;
  cancelled: boolean;
  fatal?: string;
  errors: AnalyzerError[];
}

export type AnalyzerRequest = { type: 'analyze'; id: number; datasetId: string; settings: AnalyzerSettings; onlyMissing: boolean };

export interface AnalyzerResults {
  analyze: AnalyzerRunSummary;
}
