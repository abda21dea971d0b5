// A routing plan as a file (`hyper route --output PLAN.json`, the app's "Download plan"): what goes to
// humans, in routing order, with the parameters that reproduce it.
import { readOrientation, type DatasetOrientation } from '../formats/orientation';
import { RoutingError } from './errors';
import { asDatasetPositions, type PlanStrategy, type RoutingPlan } from './plan';

export const PLAN_FILE_FORMAT = 'hyper-routing-plan';
export const PLAN_FILE_VERSION = 1;

const PLAN_STRATEGIES: ReadonlySet<string> = new Set([
  'pack',
  ...(['topk', 'simulated', 'positive', 'best-over-budgets', 'risk', 'hybrid'] as const).flatMap((s): PlanStrategy[] => [
    s,
    `${s}+local-search`,
  ]),
]);

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
  strategy: PlanStrategy;
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
  /** risk and hybrid plans: the hybrid weight (null for risk) and the judge-error model's fit, when learnt. */
  judge?: { weight: number | null; refit: { n: number; errors: number } | null };
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
  if (p.version !== PLAN_FILE_VERSION)
    fail(`unsupported plan version ${JSON.stringify(p.version)} (this app reads version ${PLAN_FILE_VERSION})`);
  const dataset = p.dataset as Record<string, unknown> | undefined;
  if (!dataset || !Number.isInteger(dataset.n) || (dataset.n as number) < 0) fail('"dataset.n" must be a non-negative integer');
  const n = dataset!.n as number;
  if (dataset!.layout !== undefined || dataset!.sideSeed !== undefined) {
    const o = readOrientation({ layout: dataset!.layout, sideSeed: dataset!.sideSeed ?? null }, '"dataset"');
    if (typeof o === 'string') fail(o);
  }
  if (dataset!.sha256 !== undefined && (typeof dataset!.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(dataset!.sha256)))
    fail('"dataset.sha256" must be 64 hex digits');
  if (!Array.isArray(p.human)) fail('"human" must be an array of {idx, id, gain}');
  const seen = new Set<number>();
  (p.human as unknown[]).forEach((h, i) => {
    const e = h as Record<string, unknown>;
    if (!e || typeof e !== 'object') fail(`human[${i}] must be an object`);
    if (!Number.isInteger(e.idx) || (e.idx as number) < 0 || (e.idx as number) >= n)
      fail(`human[${i}].idx must be an integer in [0, ${n}), got ${JSON.stringify(e.idx)}`);
    if (typeof e.id !== 'string') fail(`human[${i}].id must be a string`);
    if (typeof e.gain !== 'number') fail(`human[${i}].gain must be a number`);
    if (seen.has(e.idx as number)) fail(`human[${i}].idx ${String(e.idx)} appears twice`);
    seen.add(e.idx as number);
  });
  for (const k of ['predicted', 'predictedAllLm', 'predictedAllHuman'] as const)
    if (typeof p[k] !== 'number') fail(`"${k}" must be a number`);
  if (typeof p.strategy !== 'string' || !PLAN_STRATEGIES.has(p.strategy))
    fail(`"strategy" must be one of ${[...PLAN_STRATEGIES].join(', ')}, got ${JSON.stringify(p.strategy)}`);
  if (!p.budget || typeof p.budget !== 'object') fail('"budget" must be an object {kind, value, count}');
  if (p.seed !== null && typeof p.seed !== 'number') fail('"seed" must be a number or null');
  if (p.candidates !== null && typeof p.candidates !== 'number') fail('"candidates" must be a number or null');
  if (p.judge !== undefined) {
    const j = p.judge as Record<string, unknown> | null;
    if (!j || typeof j !== 'object') fail('"judge" must be an object {weight, refit}');
    if (j!.weight !== null && typeof j!.weight !== 'number') fail('"judge.weight" must be a number or null');
    const r = j!.refit as Record<string, unknown> | null;
    if (r !== null && (!r || !Number.isInteger(r.n) || !Number.isInteger(r.errors))) fail('"judge.refit" must be null or {n, errors}');
  }
  return raw as PlanFile;
}

/** What a plan file says beyond the plan itself: who wrote it, when, for which dataset and PPM. */
export interface PlanFileContext {
  producedBy: PlanFile['producedBy'];
  createdAt: string;
  dataset: PlanFile['dataset'];
  ppm: PlanFile['ppm'];
}

/**
 * The routed pairs of a plan with their ids and gains, in routing order: what the merge and the plan file list.
 * `idOf` gives a dataset position's id (undefined when the dataset has no such position).
 */
export function planHumans(
  plan: Pick<RoutingPlan, 'humanIdx' | 'gains'>,
  idOf: (idx: number) => string | undefined,
  n: number,
): PlanFileHuman[] {
  return Array.from(plan.humanIdx, (idx, a) => {
    const id = idOf(idx);
    if (id === undefined) throw new RoutingError('bad-plan', `the plan routes instance ${idx}, but the dataset has ${n}`);
    return { idx, id, gain: plan.gains[a]! };
  });
}

/** The plan file of a plan; throws RoutingError('bad-plan') when the parts do not fit together. */
export function planToFile(plan: RoutingPlan, context: PlanFileContext, human: readonly PlanFileHuman[]): PlanFile {
  if (human.length !== plan.humanIdx.length || human.some((h, a) => h.idx !== plan.humanIdx[a])) {
    throw new RoutingError('bad-plan', "the listed pairs are not the plan's routed pairs");
  }
  const file: PlanFile = {
    format: PLAN_FILE_FORMAT,
    version: PLAN_FILE_VERSION,
    producedBy: context.producedBy,
    createdAt: context.createdAt,
    dataset: context.dataset,
    ppm: context.ppm,
    strategy: plan.strategy,
    budget: { ...plan.budget },
    seed: plan.seed,
    candidates: plan.candidates,
    predicted: plan.predicted,
    predictedAllLm: plan.predictedAllLm,
    predictedAllHuman: plan.predictedAllHuman,
    human: [...human],
  };
  if (plan.refinement) file.refinement = { ...plan.refinement };
  if (plan.budgetsTried) file.budgetsTried = [...plan.budgetsTried];
  if (plan.warnings && plan.warnings.length > 0) file.warnings = [...plan.warnings];
  if (plan.judge) file.judge = { weight: plan.judge.weight, refit: plan.judge.refit ? { ...plan.judge.refit } : null };
  return file;
}

/** The plan a plan file describes (its routed positions, gains, strategy, parameters and predictions). */
export function planFromFile(file: PlanFile): RoutingPlan {
  const plan: RoutingPlan = {
    strategy: file.strategy,
    budget: { ...file.budget },
    seed: file.seed,
    candidates: file.candidates,
    humanIdx: asDatasetPositions(Uint32Array.from(file.human, (h) => h.idx)),
    gains: Float64Array.from(file.human, (h) => h.gain),
    predicted: file.predicted,
    predictedAllLm: file.predictedAllLm,
    predictedAllHuman: file.predictedAllHuman,
  };
  if (file.budgetsTried) plan.budgetsTried = [...file.budgetsTried];
  if (file.refinement) plan.refinement = { ...file.refinement };
  if (file.warnings) plan.warnings = [...file.warnings];
  if (file.judge) plan.judge = { weight: file.judge.weight, refit: file.judge.refit ? { ...file.judge.refit } : null };
  return plan;
}

/** The plan as JSON: two-space indentation, one line per human-routed pair. */
export function planJson(plan: PlanFile): string {
  const { human, ...rest } = plan;
  const head = JSON.stringify({ ...rest, human: [] }, null, 2);
  if (human.length === 0) return `${head}\n`;
  const rows = human.map((h) => `    ${JSON.stringify(h)}`).join(',\n');
  return `${head.replace('\n  "human": []', `\n  "human": [\n${rows}\n  ]`)}\n`;
}

/** The orientation a plan file records, or null for plans written before it was recorded. */
export function planOrientation(plan: PlanFile): DatasetOrientation | null {
  return plan.dataset.layout === undefined ? null : { layout: plan.dataset.layout, sideSeed: plan.dataset.sideSeed ?? null };
}
