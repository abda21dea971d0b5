// Agreement statistics for the review of annotations (issue 5).
export { krippendorffAlpha, type AlphaLevel, type AlphaResult } from './alpha';
export { AgreementError, type AgreementErrorCode } from './errors';
export { cohenKappa, type KappaResult, type KappaWeights, type UndefinedReason } from './kappa';
export {
  agreementReport,
  alphaOf,
  annotatorsOf,
  annotatorStats,
  cohenKappaOf,
  disagreements,
  humanLmAgreement,
  majorityWinner,
  pairwiseKappa,
  ratingsByItem,
  ratingsFromAnnotations,
  WINNERS,
  type AgreementReport,
  type AnnotatorStats,
  type Disagreement,
  type HumanLmAgreement,
  type KappaOptions,
  type PairKappa,
  type Rating,
  type Scale,
} from './report';
