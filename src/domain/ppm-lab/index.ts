// The PPM lab (issue 7): candidate mixes out, reward-model scores in, a fitted PPM as ONNX. See docs/ppm-lab.md.
export {
  buildManifest,
  CANDIDATE_ID_COLUMN,
  CandidateFactory,
  countsCsvHeader,
  countsCsvLine,
  csvField,
  DEFAULT_CAP,
  generateCandidates,
  humanIds,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  manifestEntry,
  planCandidates,
  trlJsonl,
  trlRows,
} from './candidates';
export type {
  Candidate,
  CandidateManifest,
  CandidateManifestEntry,
  CandidatePlan,
  CandidatePlanItem,
  CandidatePlanOptions,
  GenerateOptions,
  TrlRow,
} from './candidates';
export { isPpmLabError, PpmLabError } from './errors';
export type { PpmLabErrorCode } from './errors';
export {
  chooseFit,
  DEFAULT_LAMBDAS,
  describeFit,
  exportFittedPpm,
  FITTED_SOURCE,
  fitPpm,
  foldAssignment,
  MAX_SOLVER_SIZE,
  MIN_NORM_RCOND,
  predictFitted,
  restrictModel,
  rmse,
  spearman,
} from './fit';
export type {
  ExportMeta,
  FitChoice,
  FitData,
  FitOptions,
  FitProgress,
  FitResult,
  FittedPpm,
  LambdaScore,
  OutOfFold,
  PpmFitKind,
  Spread,
} from './fit';
export { humanWinner, preparePool } from './pool';
export type { CandidatePool, LabelledPair, PoolExclusions, PoolOptions } from './pool';
export { PROXY_OUTPUT_MEANING, PROXY_SCORE_COLUMN, proxyAccuracy, proxyEvaluateCandidate, proxyFeatures, trainProxyRm } from './proxy';
export type { ProxyFeatureOptions, ProxyFeatures, ProxyResult, ProxyTrainOptions } from './proxy';
export { ID_COLUMNS, parseCountsCsv, parseResultsCsv } from './results-csv';
export type { CountsTable, ResultsData, ResultsOptions } from './results-csv';
