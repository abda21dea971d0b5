// The LM judge (issue: AI feedback made in the workbench): prompt templates, the verdict parser, runs with stored
// answers, and each pair's label and signals.
export { judgePair, orientVerdict, verdictConfidence } from './aggregate';
export type { InconsistencyPolicy, JudgeSignals, JudgeVerdict, PairJudgement } from './aggregate';
export { estimateJudgeCost, judgeAnswerKey, judgeCost, runJudge } from './run';
export type { JudgeAnswer, JudgePair, JudgePrice, JudgeProgress, JudgeRunOptions, JudgeRunResult, JudgeSettings, JudgeStore } from './run';
export {
  BUILT_IN_TEMPLATES,
  checkTemplate,
  FIVE_POINT_TEMPLATE,
  missingPlaceholders,
  PAIRWISE_TEMPLATE,
  PLACEHOLDERS,
  renderJudgePrompt,
} from './templates';
export type { JudgeOrder, JudgeTemplate, VerdictScale } from './templates';
export { parseVerdict, type Verdict } from './verdict';
export { judgedRow, storedSignals, withJudgeResult, type StoredSignals } from './rows';
export { judgeRisk, riskOfRecords } from './risk';
export { calibrationReport, type CalibrationItem, type CalibrationReport, type ReliabilityBin } from './calibration';
export { fitJudgeErrors, predictJudgeErrors, type JudgeErrorModel } from './adaptive';
