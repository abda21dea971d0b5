export {
  diffText,
  lineTokens,
  wordTokens,
  type DiffGranularity,
  type DiffKind,
  type DiffOptions,
  type DiffResult,
  type DiffSegment,
} from './diff';
