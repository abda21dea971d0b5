// Performance prediction models: the file contract, its reader, and builders for linear/quadratic models.
export {
  describeFitRangeExcess,
  isPpmError,
  matchFeatures,
  outsideFitRange,
  PPM_CONTRACT_VERSION,
  PPM_KINDS,
  PPM_META,
  PpmError,
  readPpmInfo,
  toPpmInput,
  validateFeatureList,
} from './contract';
export type { AvailableTag, FeatureMatch, FitRange, PpmErrorCode, PpmInfo, PpmKind, ReadPpmOptions } from './contract';
export {
  buildLinearPpm,
  buildQuadraticPpm,
  PPM_INPUT_NAME,
  PPM_OUTPUT_NAME,
  PPM_PRODUCER,
  PPM_PRODUCER_VERSION,
  ppmMetadata,
} from './builders';
export type { LinearPpmSpec, PpmDescription, QuadraticPpmSpec } from './builders';
export {
  buildPaperPriorPpm,
  PAPER_PRIOR,
  PaperPriorParseError,
  paperPriorWeights,
  TABLE13_ABSENT_TAG,
  TABLE13_HEADER,
} from './paper-prior';
export type { PaperPriorErrorCode } from './paper-prior';
export type { PpmIndex, PpmIndexEntry } from './ppm-index';
export { parsePpmIndex } from './ppm-index';
export { tagCountEvaluator } from './evaluator';
export type { PpmEvaluator, PpmRun } from './evaluator';
