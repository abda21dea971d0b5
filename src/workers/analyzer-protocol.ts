import type { InconsistencyPolicy, JudgeOrder, JudgePrice, JudgeTemplate } from '../domain/judge';
import type { EnsembleSettings, JudgeSummary } from '../domain/judge/combine';
import type { AnalyzerError } from '../domain/tags/analyzer/run';

/** The endpoint part of an analyzer or judge run. */
export interface EndpointSettings {
  baseUrl: string;
  model: string;
  apiKey?: string;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  /** Cost per million input / output tokens; leave out for no cost estimate. */
  price?: JudgePrice;
}

export type AnalyzerSettings = EndpointSettings;

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

/** An LM judge run: the endpoint (as for the analyzer), the template, both orders or one, samples, the prices. */
export interface JudgeRunSettings extends EndpointSettings {
  template: JudgeTemplate;
  orders: JudgeOrder[];
  samples: number;
  temperature: number;
  logprobs: boolean;
  policy: InconsistencyPolicy;
}

export interface JudgeRunSummary {
  pairs: number;
  answers: number;
  requests: number;
  /** Answers stored before this run (not asked again). */
  stored: number;
  unparseable: number;
  failed: number;
  /** Cost of this run's answers, and of every stored answer of this model and template; null without a price. */
  cost: number | null;
  costAll: number | null;
  /** Pairs with a label from the judge, and how many of them flip with the order. */
  labelled: number;
  /** Of them, how many flip with the order (this run's judge). */
  inconsistent: number;
  /** Judges with answers on the dataset (the label comes from the primary one or their majority). */
  judges: number;
  cancelled: boolean;
  fatal?: string;
  errors: { idx: number; order: JudgeOrder; message: string }[];
}

export type AnalyzerRequest =
  | { type: 'analyze'; id: number; datasetId: string; settings: AnalyzerSettings; onlyMissing: boolean }
  /** Judge the dataset's pairs (only those without an LM label from the file, when `onlyUnlabelled`). */
  | { type: 'judge'; id: number; datasetId: string; settings: JudgeRunSettings; onlyUnlabelled: boolean }
  /** What a judge run would send and cost (token counts of the rendered prompts, `outputTokens` per answer). */
  | { type: 'judge-estimate'; id: number; datasetId: string; settings: JudgeRunSettings; onlyUnlabelled: boolean; outputTokens: number }
  /** The judges with stored answers on the dataset, and how their answers make its label. */
  | { type: 'judges'; id: number; datasetId: string }
  /** Remakes every pair's LM label and signals from the stored answers with other ensemble settings (no request sent). */
  | { type: 'judge-combine'; id: number; datasetId: string; settings: EnsembleSettings };

export interface AnalyzerResults {
  analyze: AnalyzerRunSummary;
  judge: JudgeRunSummary;
  'judge-estimate': { pairs: number; requests: number; promptTokens: number; completionTokens: number; cost: number | null };
  judges: { judges: JudgeSummary[]; settings: EnsembleSettings | null };
  'judge-combine': { judges: JudgeSummary[]; settings: EnsembleSettings; labelled: number };
}
