// Routing: which instances go to human annotators (HyPER spec section 4), over a tag index and a PPM.
export { budgetCost, checkBudget, interpolateCurve, resolveBudget } from './budget';
export type { BudgetInput, BudgetKind } from './budget';
export { CandidateBuilder, candidateOrder } from './candidates';
export { isRoutingError, RoutingError } from './errors';
export type { RoutingErrorCode } from './errors';
export { checkPpm, DEFAULT_MAX_ROWS_PER_CALL, linearPpm, predictRows, quadraticPpm } from './ppm';
export type { PpmEvaluator, PredictOptions } from './ppm';
export { mixSeed, Rng } from './rng';
export { Router } from './router';
export {
  askedBudget,
  asDatasetPositions,
  atIndexPositions,
  judgeScores,
  DEFAULT_HYBRID_WEIGHT,
  drawsCandidates,
  RISK_STRATEGIES,
  planBudget,
  planStrategy,
  routePlan,
  runStrategy,
  STRATEGY_NAMES,
  strategySpec,
} from './plan';
export type {
  DatasetPositions,
  PlanBudget,
  PlanStrategy,
  RecordedStrategy,
  RoutedPlan,
  RoutingPlan,
  StrategyName,
  StrategySpec,
} from './plan';
export { eligibleTagIndex, toDatasetPositions, toIndexPosition, type EligibleIndex } from './eligible';
export {
  bestOverBudgets,
  budgetCurve,
  byScore,
  candidateCountRows,
  errorsCaught,
  gainRanks,
  gainOrder,
  gains,
  localSearch,
  orderByScoreDesc,
  positive,
  scoreOrder,
  simulated,
  tagGains,
  topk,
} from './strategies';
export type {
  BestOverBudgetsOptions,
  BudgetCurve,
  BudgetCurveOptions,
  BudgetCurvePoint,
  CandidateHelper,
  CommonOptions,
  GainTable,
  LocalSearchOptions,
  LocalSearchResult,
  RoutingResult,
  RoutingStrategy,
  SimulatedOptions,
  TagGainOptions,
} from './strategies';
export { buildTagIndex, TagIndex } from './tag-index';
export { randomTagMatrix, randomWeights } from './synthetic';
export { parsePlanFile, PLAN_FILE_FORMAT, PLAN_FILE_VERSION, planFromFile, planHumans, planJson, planToFile } from './plan-file';
export type { PlanFile, PlanFileContext, PlanFileHuman } from './plan-file';
