// A routing plan as a file (`hyper route --output PLAN.json`, the app's "Download plan"): what goes to
// humans, in routing order, with the parameters that reproduce it.
import { readOrientation, type DatasetOrientation } from '../formats/orientation';
import { RoutingError } from './errors';
import type { LocalSearchResult, RoutingResult } from './strategies';

export const PLAN_FILE_FORMAT = 'hyper-routing-plan';
export const PLAN_FILE_VERSION = 1;

export interface PlanFileHuman {
  /** Position of the instance in the dataset (0-based, file order). */
  idx: number;
  /** The instance's id in the dataset. */
  id: string;
  /** gain_i = PPM(v_i) - PPM(0). */
  gain: number;
}

export interface PlanFile {
  format: typeof PLAN_FILE_FORMAT;
  version: typeof PLAN_FILE_VERSION;
  producedBy: { app: string; version: string; command?: string };
  createdAt: string;
  /**
   * The dataset the plan routes: its name, the SHA-256 of its file, its size, and how its A/B sides were fixed
   * (layout and side seed; see formats/orientation.ts). Plans written before the orientation was recorded lack
   * layout and sideSeed.
   */
  dataset: { name: string; sha256?: string; n: number } & Partial<DatasetOrientation>;
  ppm: { name: string; sha256: string; kind: string; output: string; source?: string; missingInData: string[]; backend?: string };
  /** 'topk' | 'simulated' | 'positive' | 'best-over-budgets', with '+local-search' when refined. */
  strategy: string;
  budget: { kind: 'fraction' | 'count' | 'money'; value: number; count: number; costHuman?: number; costLm?: number };
  seed: number | null;
  candidates: number | null;
  predicted: number;
  predictedAllLm: number;
  predictedAllHuman: number;
  /** Human-routed instances in routing order. */
  human: PlanFileHuman[];
  /** '+local-search' plans: how the swaps changed the starting strategy's mix. */
  refinement?: { startPredicted: number; improvement: number; swapsAccepted: number; localOptimum: boolean };
  /** best-over-budgets: the budgets (counts) tried, in the order tried. */
  budgetsTried?: number[];
  /** What the user should know about the plan's numbers (e.g. a PPM asked about mixes beyond its fitted range). */
  warnings?: string[];
}

/** Parses and checks a plan file; errors name the field that is wrong. */
export function parsePlanFile(text: string, fileName = 'plan'): PlanFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RoutingError('bad-plan', `${fileName}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const fail = (what: string): never => {
    throw new RoutingError('bad-plan', `${fileName}: ${what}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('expected a JSON object');
  const p = raw as Record<string, unknown>;
  if (p.format !== PLAN_FILE_FORMAT) fail(`"format" must be "${PLAN_FILE_FORMAT}", got ${JSON.stringify(p.format)}`);
  if (p.version !== PLAN_FILE_VERSION) fail(`unsupported plan version ${JSON.stringify(p.version)} (this app reads version ${PLAN_FILE_VERSION})`);
  const dataset = p.dataset as Record<string, unknown> | undefined;
  if (!dataset || !Number.isInteger(dataset.n) || (dataset.n as number) < 0) fail('"dataset.n" must be a non-negative integer');
  const n = dataset!.n as number;
  if (dataset!.layout !== undefined || dataset!.sideSeed !== undefined) {
    const o = readOrientation({ layout: dataset!.layout, sideSeed: dataset!.sideSeed ?? null }, '"dataset"');
    if (typeof o === 'string') fail(o);
  }
  if (dataset!.sha256 !== undefined && (typeof dataset!.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(dataset!.sha256))) fail('"dataset.sha256" must be 64 hex digits');
  if (!Array.isArray(p.human)) fail('"human" must be an array of {idx, id, gain}');
  const seen = new Set<number>();
  (p.human as unknown[]).forEach((h, i) => {
    const e = h as Record<string, unknown>;
    if (!e || typeof e !== 'object') fail(`human[${i}] must be an object`);
    if (!Number.isInteger(e.idx) || (e.idx as number) < 0 || (e.idx as number) >= n) fail(`human[${i}].idx must be an integer in [0, ${n}), got ${JSON.stringify(e.idx)}`);
    if (typeof e.id !== 'string') fail(`human[${i}].id must be a string`);
    if (typeof e.gain !== 'number') fail(`human[${i}].gain must be a number`);
    if (seen.has(e.idx as number)) fail(`human[${i}].idx ${String(e.idx)} appears twice`);
    seen.add(e.idx as number);
  });
  for (const k of ['predicted', 'predictedAllLm', 'predictedAllHuman'] as const) if (typeof p[k] !== 'number') fail(`"${k}" must be a number`);
  if (typeof p.strategy !== 'string') fail('"strategy" must be a string');
  return raw as PlanFile;
}

export interface PlanFileInput {
  producedBy: PlanFile['producedBy'];
  createdAt: string;
  dataset: PlanFile['dataset'];
  ppm: PlanFile['ppm'];
  /** The budget as asked for; the count is the number of instances the result routes. */
  budget: Omit<PlanFile['budget'], 'count'>;
  /** The routing result (local-search results name the strategy they started from). */
  result: RoutingResult | LocalSearchResult;
  /** Instance ids by position (length = dataset.n). */
  ids: readonly string[];
  /** K for simulated and best-over-budgets, null for the strategies that draw no candidates. */
  candidates: number | null;
  /** PPM prediction with every instance labelled by humans. */
  predictedAllHuman: number;
}

/** The plan file of a routing result; throws RoutingError('bad-plan') when the parts do not fit together. */
export function buildPlanFile(input: PlanFileInput): PlanFile {
  const { result, ids, dataset } = input;
  if (ids.length !== dataset.n) throw new RoutingError('bad-plan', `${ids.length} ids for a dataset of ${dataset.n} instances`);
  const human: PlanFileHuman[] = Array.from(result.humanIds, (idx, a) => {
    const id = ids[idx];
    if (id === undefined) throw new RoutingError('bad-plan', `the result routes instance ${idx}, but the dataset has ${dataset.n}`);
    return { idx, id, gain: result.gains[a]! };
  });
  const refined = result.strategy === 'local-search' ? (result as LocalSearchResult) : null;
  const plan: PlanFile = {
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    producedBy: input.producedBy,
    createdAt: input.createdAt,
    dataset,
    ppm: input.ppm,
    strategy: refined ? `${refined.from}+local-search` : result.strategy,
    budget: { ...input.budget, count: human.length },
    seed: result.seed,
    candidates: input.candidates,
    predicted: result.predicted,
    predictedAllLm: result.allLm,
    predictedAllHuman: input.predictedAllHuman,
    human,
  };
  if (refined) {
    plan.refinement = {
      startPredicted: refined.startPredicted, improvement: refined.improvement, swapsAccepted: refined.swapsAccepted, localOptimum: refined.localOptimum,
    };
  }
  if (result.budgetsTried) plan.budgetsTried = [...result.budgetsTried];
  return plan;
}

/** The orientation a plan file records, or null for plans written before it was recorded. */
export function planOrientation(plan: PlanFile): DatasetOrientation | null {
  return plan.dataset.layout === undefined ? null : { layout: plan.dataset.layout, sideSeed: plan.dataset.sideSeed ?? null };
}
