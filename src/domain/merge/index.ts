export { aggregateAnnotations, countedAnnotations, roundHalfAwayFromZero, type CountedAnnotation, type HumanAggregate } from './aggregate';
export {
  ANNOTATIONS_FILE_FORMAT,
  ANNOTATIONS_FILE_VERSION,
  parseAnnotationsDocument,
  parseAnnotationsFile,
  readAnnotationsFile,
  serializeAnnotationsFile,
  type AnnotatedDataset,
  type AnnotationsFile,
  type AnnotationsFileHead,
  type AnnotationsReading,
} from './annotations-file';
export { MergeError, type AnnotationsFileProblem, type MergeErrorCode } from './errors';
export {
  mergeRecords,
  Merger,
  type MergeDecision,
  type MergedRecord,
  type MergeInput,
  type MergeOutcome,
  type MergeProvenance,
  type MergeSource,
  type MergeSummary,
  type WinnerCounts,
} from './merge';
export {
  aggregationText,
  DEFAULT_MERGE_OPTIONS,
  parseAggregation,
  resolveMergeOptions,
  type Aggregation,
  type MergeOptions,
} from './options';
