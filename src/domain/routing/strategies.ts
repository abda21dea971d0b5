// The HyPER routing strategies (spec section 4) over a TagIndex and an async batch PPM, plus a swap-based
// local search and a budget curve for a slider. Every PPM call is batched (all candidates of a budget, all
// budget points) and split only above maxRowsPerCall rows.
import { TAG_COUNT } from '../tags/tags';
import { checkBudget } from './budget';
import { CandidateBuilder } from './candidates';
import { RoutingError, throwIfAborted } from './errors';
import { checkPpm, DEFAULT_MAX_ROWS_PER_CALL, predictRows, type PpmEvaluator, type PredictOptions } from './ppm';
import { mixSeed, normaliseSeed, Rng } from './rng';
import type { TagIndex } from './tag-index';

const F = TAG_COUNT;

export type RoutingStrategy = 'topk' | 'simulated' | 'positive' | 'best-over-budgets' | 'local-search' | 'risk' | 'hybrid';

export interface RoutingResult {
  strategy: RoutingStrategy;
  /** Number of instances routed to humans (= humanIds.length). */
  budget: number;
  /** Instance positions routed to humans, in routing order. */
  humanIds: Uint32Array;
  /** gain_i = PPM(v_i) - PPM(0) of each routed instance, aligned with humanIds. */
  gains: Float64Array;
  /** PPM prediction of the chosen mix (tag counts of humanIds). */
  predicted: number;
  /** PPM prediction of the all-LM mix (no human labels), for reference. */
  allLm: number;
  /** PPM rows evaluated to choose the mix (gains excluded). */
  candidatesEvaluated: number;
  /** The seed used (unsigned 32-bit), or null for deterministic strategies. */
  seed: number | null;
  /** simulated / best-over-budgets: which candidate won; candidateOrder(index, streamSeed, candidate, budget) rebuilds it. */
  candidate?: number;
  /** simulated / best-over-budgets: the seed of the candidate stream the winner came from. */
  streamSeed?: number;
  /** best-over-budgets: the budgets tried, in the order tried. */
  budgetsTried?: number[];
}

export interface LocalSearchResult extends RoutingResult {
  strategy: 'local-search';
  /** The strategy of the result the search started from. */
  from: RoutingStrategy;
  /** PPM prediction of the starting mix (re-predicted). */
  startPredicted: number;
  /** predicted - startPredicted (never negative). */
  improvement: number;
  swapsAccepted: number;
  /** PPM rounds (calls) made. */
  rounds: number;
  /** True when the last round enumerated every swap and none improved: a true swap-local optimum. */
  localOptimum: boolean;
}

export interface GainTable {
  /** PPM(0): the all-LM prediction. */
  base: number;
  /** gain_i = PPM(v_i) - PPM(0), per instance. */
  gains: Float64Array;
  /** Instance positions by gain, descending; ties keep input order. */
  order: Uint32Array;
}

export interface CommonOptions extends PredictOptions {
  /** Builds half of the simulated candidates in another thread (the same results, sooner). */
  helper?: CandidateHelper;
  /** Gains already computed for this index and PPM (strategies compute them when absent). */
  gainTable?: GainTable;
}

function checkIndexAndPpm(index: TagIndex, ppm: PpmEvaluator): void {
  checkPpm(ppm);
  if (!(index.tagOffsets instanceof Uint32Array)) throw new RoutingError('bad-option', 'expected a TagIndex (buildTagIndex)');
}

function checkK(K: number): number {
  if (!Number.isInteger(K) || K < 1 || K > 1_000_000)
    throw new RoutingError('bad-option', `K (candidates per budget) must be a whole number between 1 and 1,000,000, got ${K}`);
  return K;
}

/**
 * gain_i = PPM(v_i) - PPM(0) for every instance: the zero vector and all n instance vectors in one predict
 * call (split every maxRowsPerCall rows), then the gain order (descending, ties in input order).
 */
export async function gains(index: TagIndex, ppm: PpmEvaluator, opts: PredictOptions = {}): Promise<GainTable> {
  checkIndexAndPpm(index, ppm);
  const n = index.n;
  const maxRows = opts.maxRowsPerCall ?? DEFAULT_MAX_ROWS_PER_CALL;
  const { rowOffsets, rowTags } = index;
  const out = new Float64Array(n);
  const scores = new Float32Array(n);
  let base = Number.NaN;
  // Row 0 of the first chunk is the zero vector; rows are built per chunk so that memory stays bounded.
  for (let from = -1; from < n;) {
    const rows = Math.min(maxRows, n - from);
    const buf = new Float32Array(rows * F);
    for (let r = 0; r < rows; r++) {
      const i = from + r;
      if (i < 0) continue;
      const end = rowOffsets[i + 1]!;
      for (let q = rowOffsets[i]!; q < end; q++) buf[r * F + rowTags[q]!] = 1;
    }
    const pred = await predictRows(ppm, buf, rows, { ...opts, maxRowsPerCall: rows });
    let r0 = 0;
    if (from < 0) {
      base = pred[0]!;
      r0 = 1;
    }
    for (let r = r0; r < rows; r++) {
      out[from + r] = pred[r]! - base;
      scores[from + r] = pred[r]!;
    }
    from += rows;
  }
  // PPM(v_i) - PPM(0) is exact in double, so ordering the float32 scores orders the gains.
  return { base, gains: out, order: orderByScoreDesc(scores) };
}

/**
 * Positions by float32 score descending, equal scores (and -0 / +0) in input order: a stable LSD radix
 * sort on the scores' bit patterns (3 passes of 11 bits), linear time.
 */
export function orderByScoreDesc(scores: Float32Array): Uint32Array {
  const n = scores.length;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, n);
  // Keys whose ascending order is the scores' descending order.
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const u = scores[i] === 0 ? 0 : bits[i]!;
    const asc = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
    keys[i] = ~asc >>> 0;
  }
  let idx = new Uint32Array(n);
  let tmp = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const hist = new Uint32Array(2048);
  for (let shift = 0; shift < 32; shift += 11) {
    hist.fill(0);
    for (let i = 0; i < n; i++) hist[(keys[idx[i]!]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = hist[d]!;
      hist[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      tmp[hist[(keys[j]! >>> shift) & 2047]!++] = j;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}

/** Positions by gain descending; equal gains keep input order. */
export function gainOrder(g: Float64Array): Uint32Array {
  const n = g.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => g[b]! - g[a]! || a - b);
  return order;
}

function gainsOf(table: GainTable, ids: Uint32Array): Float64Array {
  const out = new Float64Array(ids.length);
  for (let a = 0; a < ids.length; a++) out[a] = table.gains[ids[a]!]!;
  return out;
}

async function tableFor(index: TagIndex, ppm: PpmEvaluator, opts: CommonOptions): Promise<GainTable> {
  if (opts.gainTable) {
    if (opts.gainTable.gains.length !== index.n)
      throw new RoutingError('bad-option', `the gain table has ${opts.gainTable.gains.length} instances, the index ${index.n}`);
    return opts.gainTable;
  }
  return gains(index, ppm, opts);
}

/** Predicts the mix of `ids` (one row). */
async function predictSet(index: TagIndex, ppm: PpmEvaluator, ids: Uint32Array, opts: PredictOptions): Promise<number> {
  return (await predictRows(ppm, index.countTags(ids), 1, opts))[0]!;
}

/**
 * The `budget` instances with the highest score (ties: higher gain first, then input order), for the judge-risk
 * strategies: `risk` scores each pair by the judge's estimated error probability; `hybrid` by
 * weight x (the gain's percentile rank) + (1 - weight) x risk. The prediction is the PPM's for the chosen mix.
 */
export async function byScore(
  index: TagIndex,
  ppm: PpmEvaluator,
  budget: number,
  scores: Float64Array,
  strategy: 'risk' | 'hybrid',
  opts: CommonOptions = {},
): Promise<RoutingResult> {
  checkIndexAndPpm(index, ppm);
  checkBudget(budget, index.n);
  if (scores.length !== index.n) throw new RoutingError('bad-option', `${scores.length} risk scores for ${index.n} routable pairs`);
  const table = await tableFor(index, ppm, opts);
  const humanIds = scoreOrder(table, scores).slice(0, budget);
  return {
    strategy,
    budget,
    humanIds,
    gains: gainsOf(table, humanIds),
    predicted: await predictSet(index, ppm, humanIds, opts),
    allLm: table.base,
    candidatesEvaluated: 1,
    seed: null,
  };
}

/**
 * Every routable pair in the order the judge-risk strategies take them: highest score first, ties by higher gain,
 * then input order. One order for every budget, so a curve over budgets is a prefix sum over it.
 */
export function scoreOrder(table: GainTable, scores: Float64Array): Uint32Array {
  const n = table.gains.length;
  const rankOfGain = new Uint32Array(n);
  table.order.forEach((i, r) => (rankOfGain[i] = r));
  return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || rankOfGain[a]! - rankOfGain[b]! || a - b);
}

/**
 * Expected judge errors among the first `budget` pairs of `order`, for each budget: the sum of `expected` (each
 * pair's probability that the judge's label is wrong; 1 or 0 where a person's label already says) over them.
 */
export function errorsCaught(order: Uint32Array, expected: Float64Array, budgets: readonly number[]): number[] {
  const prefix = new Float64Array(order.length + 1);
  for (let k = 0; k < order.length; k++) prefix[k + 1] = prefix[k]! + expected[order[k]!]!;
  return budgets.map((b) => prefix[Math.max(0, Math.min(order.length, b))]!);
}

/** Each instance's gain as a percentile rank in [0, 1] (highest gain 1; equal gains share their mean rank). */
export function gainRanks(table: GainTable): Float64Array {
  const n = table.gains.length;
  const out = new Float64Array(n);
  if (n === 1) out[0] = 1;
  for (let r = 0; r < n;) {
    let s = r;
    const g = table.gains[table.order[r]!]!;
    while (s + 1 < n && table.gains[table.order[s + 1]!] === g) s++;
    const rank = n === 1 ? 1 : 1 - (r + s) / 2 / (n - 1);
    for (let k = r; k <= s; k++) out[table.order[k]!] = rank;
    r = s + 1;
  }
  return out;
}

/** Gain top-k: the `budget` instances with the highest gain (ties in input order), in gain order. */
export async function topk(index: TagIndex, ppm: PpmEvaluator, budget: number, opts: CommonOptions = {}): Promise<RoutingResult> {
  checkIndexAndPpm(index, ppm);
  checkBudget(budget, index.n);
  const table = await tableFor(index, ppm, opts);
  const humanIds = table.order.slice(0, budget);
  return {
    strategy: 'topk',
    budget,
    humanIds,
    gains: gainsOf(table, humanIds),
    predicted: await predictSet(index, ppm, humanIds, opts),
    allLm: table.base,
    candidatesEvaluated: 1,
    seed: null,
  };
}

/** Positive gain: every instance with gain > 0, by gain descending (the budget is an output). */
export async function positive(index: TagIndex, ppm: PpmEvaluator, opts: CommonOptions = {}): Promise<RoutingResult> {
  checkIndexAndPpm(index, ppm);
  const table = await tableFor(index, ppm, opts);
  let b = 0;
  while (b < index.n && table.gains[table.order[b]!]! > 0) b++;
  const humanIds = table.order.slice(0, b);
  return {
    strategy: 'positive',
    budget: b,
    humanIds,
    gains: gainsOf(table, humanIds),
    predicted: await predictSet(index, ppm, humanIds, opts),
    allLm: table.base,
    candidatesEvaluated: 1,
    seed: null,
  };
}

/**
 * Builds candidates elsewhere (a second worker): the tag counts of candidates [from, to) of stream `seed`
 * (candidate k from mixSeed(seed, k)) at each of `budgets` (ascending), each built up to the last budget and
 * without the untagged fill, as rows [(k - from) * budgets.length + p] of TAG_COUNT values: what
 * candidateCountRows computes here.
 */
export interface CandidateHelper {
  countsAt(seed: number, from: number, to: number, budgets: Uint32Array): Promise<Float32Array>;
}

/** The last turn taken on each helper (see simulateSnapshots). */
const turns = new WeakMap<CandidateHelper, Promise<void>>();

/** Tag counts of candidates [from, to) at `budgets` (see CandidateHelper), computed in this thread. */
export function candidateCountRows(index: TagIndex, seed: number, from: number, to: number, budgets: Uint32Array): Float32Array {
  const m = budgets.length;
  const out = new Float32Array(Math.max(0, to - from) * m * F);
  if (m === 0) return out;
  const builder = new CandidateBuilder(index);
  for (let k = from; k < to; k++) {
    builder.build(mixSeed(seed, k), budgets[m - 1]!, false);
    const at = (k - from) * m;
    builder.countsAt(budgets, (p, counts) => out.set(counts, (at + p) * F));
  }
  return out;
}

/**
 * Tag-count snapshots of K Algorithm 1 candidates at each of `budgets` (ascending, distinct), laid out as
 * the rows to predict: budget p owns rows [rowStart[p], rowStart[p] + rowCount[p]). Budgets where every
 * candidate has the same counts (0, or at least the number of tagged instances) own one row. With a helper,
 * the second half of the candidates is built there while this thread builds the first: the same rows.
 */
async function simulateSnapshots(
  builder: CandidateBuilder,
  budgets: Uint32Array,
  K: number,
  streamSeed: number,
  extraRows: number,
  helper?: CandidateHelper,
  background = false,
) {
  const m = budgets.length;
  const tagged = builder.index.tagged;
  const rowStart = new Uint32Array(m);
  const rowCount = new Uint32Array(m);
  let rows = 0;
  for (let p = 0; p < m; p++) {
    const b = budgets[p]!;
    rowStart[p] = rows;
    rowCount[p] = b === 0 || b >= tagged ? 1 : K;
    rows += rowCount[p]!;
  }
  const snaps = new Float32Array((rows + extraRows) * F);
  let k = 0;
  const atBudget = (p: number, counts: Int32Array) => {
    if (rowCount[p] === 1 && k > 0) return;
    snaps.set(counts, (rowStart[p]! + (rowCount[p] === 1 ? 0 : k)) * F);
  };
  // Candidates beyond the first matter only for the budgets that own K rows, up to the last of them.
  let lastVarying = -1;
  for (let p = 0; p < m; p++) if (rowCount[p] !== 1) lastVarying = p;
  const kMax = lastVarying >= 0 ? K : 1;
  const varying = budgets.subarray(0, lastVarying + 1);
  const mv = varying.length;
  const buildLocal = (from: number, to: number) => {
    for (k = from; k < to; k++) {
      const bs = k === 0 ? budgets : varying;
      builder.build(mixSeed(streamSeed, k), bs[bs.length - 1]!, false);
      builder.countsAt(bs, atBudget);
    }
  };
  // Worth a second thread only when there is real work to share.
  if (!helper || kMax < 16 || varying[mv - 1]! < 1000) {
    buildLocal(0, kMax);
    return { snaps, rows, rowStart, rowCount };
  }
  // Requests that share a helper take turns (the page asks for a route and a curve at once: the route gets
  // both threads first). Within a turn both threads take the next chunk of candidates as they
  // become free; this thread yields between its chunks so that the helper's answers are taken in.
  // The curve is background work: it lets a route asked at the same moment take its turn first.
  if (background) await new Promise((r) => setTimeout(r, 0));
  const before = turns.get(helper) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  turns.set(helper, mine);
  await before;
  try {
    await shareCandidates(helper);
  } finally {
    done();
    if (turns.get(helper) === mine) turns.delete(helper);
  }
  return { snaps, rows, rowStart, rowCount };

  async function shareCandidates(h: CandidateHelper): Promise<void> {
    const chunk = Math.max(8, Math.ceil(kMax / 16));
    let next = 1;
    buildLocal(0, 1);
    let helperFailed = false;
    const place = (got: Float32Array, from: number, to: number) => {
      if (got.length !== (to - from) * mv * F)
        throw new RoutingError('bad-option', `the candidate helper returned ${got.length} counts for ${(to - from) * mv * F}`);
      for (let kk = from; kk < to; kk++)
        for (let p = 0; p < mv; p++)
          if (rowCount[p] === K)
            snaps.set(got.subarray(((kk - from) * mv + p) * F, ((kk - from) * mv + p + 1) * F), (rowStart[p]! + kk) * F);
    };
    const remote = async () => {
      while (next < kMax && !helperFailed) {
        const from = next;
        const to = Math.min(kMax, from + chunk);
        next = to;
        let got: Float32Array;
        try {
          got = await h.countsAt(streamSeed, from, to, varying.slice());
        } catch {
          // A helper that fails (its worker gone) leaves its chunks to this thread.
          helperFailed = true;
          buildLocal(from, to);
          return;
        }
        place(got, from, to);
      }
    };
    const local = async () => {
      while (next < kMax) {
        const from = next;
        const to = Math.min(kMax, from + chunk);
        next = to;
        buildLocal(from, to);
        await new Promise((r) => setTimeout(r, 0));
      }
    };
    await Promise.all([remote(), local()]);
  }
}

function argmaxFirst(values: Float32Array, from: number, count: number): number {
  let best = from;
  for (let r = from + 1; r < from + count; r++) if (values[r]! > values[best]!) best = r;
  return best - from;
}

export interface SimulatedOptions extends CommonOptions {
  /** Candidates to build and predict (default 500, the paper's K). */
  K?: number;
  /** Seed (default 1); same seed, same result. */
  seed?: number;
}

/**
 * Simulated routing (the paper's main method): K candidates by Algorithm 1, all predicted in one batch,
 * the best kept (ties: the first). The routing order is the order in which Algorithm 1 added the instances.
 * When every candidate necessarily has the same tag counts (budget 0, or a budget of at least the number of
 * tagged instances) one row is predicted and candidate 0 is kept, which is what the full batch would pick.
 */
export async function simulated(index: TagIndex, ppm: PpmEvaluator, budget: number, opts: SimulatedOptions = {}): Promise<RoutingResult> {
  checkIndexAndPpm(index, ppm);
  checkBudget(budget, index.n);
  const K = checkK(opts.K ?? 500);
  const seed = normaliseSeed(opts.seed);
  const table = await tableFor(index, ppm, opts);
  const builder = new CandidateBuilder(index);
  const budgets = Uint32Array.of(budget);
  const { snaps, rows } = await simulateSnapshots(builder, budgets, K, seed, 0, opts.helper);
  const pred = await predictRows(ppm, snaps, rows, opts);
  const k = argmaxFirst(pred, 0, rows);
  const humanIds = builder.candidateOrder(seed, k, budget);
  return {
    strategy: 'simulated',
    budget,
    humanIds,
    gains: gainsOf(table, humanIds),
    predicted: pred[k]!,
    allLm: table.base,
    candidatesEvaluated: rows,
    seed,
    candidate: k,
    streamSeed: seed,
  };
}

export interface BestOverBudgetsOptions extends CommonOptions {
  /** Budgets (counts) to try; when absent, `count` random budgets in [minBudget, maxBudget]. */
  budgets?: number[];
  /** How many random budgets to draw (default 20). */
  count?: number;
  /** Range of the random budgets (defaults 1 and n - 1, within [0, n]). */
  minBudget?: number;
  maxBudget?: number;
  /** Candidates per budget (default 500). */
  K?: number;
  seed?: number;
  /**
   * false (default): K candidate orders shared by all budgets, each built once up to the largest budget and
   * cut at every budget (the candidate for a budget is a prefix of the same candidate for a larger one): the
   * work of one simulated run at the largest budget, ~7x less than independent candidates at 100k pairs.
   * true: each budget gets its own K independent candidates (budget j uses stream seed mixSeed(seed, j),
   * budget 0 the seed itself), as the paper describes: more diverse mixes for 20x the candidate building.
   */
  independent?: boolean;
}

/**
 * Best hybrid ("unlimited budget"): simulated routing across many budgets, all candidates of all budgets
 * predicted in one batch (split above maxRowsPerCall), the best predicted mix kept (ties: the first budget
 * in the order tried, then the first candidate).
 */
export async function bestOverBudgets(index: TagIndex, ppm: PpmEvaluator, opts: BestOverBudgetsOptions = {}): Promise<RoutingResult> {
  checkIndexAndPpm(index, ppm);
  const n = index.n;
  const K = checkK(opts.K ?? 500);
  const seed = normaliseSeed(opts.seed);
  let tried: number[];
  if (opts.budgets) {
    if (opts.budgets.length === 0) throw new RoutingError('bad-option', 'bestOverBudgets needs at least one budget');
    tried = opts.budgets.map((b) => checkBudget(b, n));
  } else {
    const count = opts.count ?? 20;
    if (!Number.isInteger(count) || count < 1) throw new RoutingError('bad-option', `count must be a positive whole number, got ${count}`);
    const lo = checkBudget(opts.minBudget ?? Math.min(1, n), n, 'minBudget');
    const hi = checkBudget(opts.maxBudget ?? Math.max(lo, n - 1), n, 'maxBudget');
    if (hi < lo) throw new RoutingError('bad-option', `maxBudget (${hi}) is below minBudget (${lo})`);
    const rng = new Rng(mixSeed(seed, 0x5eed));
    tried = Array.from({ length: count }, () => lo + rng.below(hi - lo + 1));
  }
  const table = await tableFor(index, ppm, opts);
  const builder = new CandidateBuilder(index);
  const independent = opts.independent ?? false;
  // Per budget tried: its row range in one big batch.
  const starts: number[] = [];
  const counts: number[] = [];
  const streams: number[] = [];
  const parts: Float32Array[] = [];
  let total = 0;
  if (independent) {
    for (let j = 0; j < tried.length; j++) {
      const stream = j === 0 ? seed : mixSeed(seed, j);
      const s = await simulateSnapshots(builder, Uint32Array.of(tried[j]!), K, stream, 0, opts.helper);
      starts.push(total);
      counts.push(s.rows);
      streams.push(stream);
      parts.push(s.snaps);
      total += s.rows;
    }
  } else {
    const sorted = Uint32Array.from(new Set(tried)).sort();
    const s = await simulateSnapshots(builder, sorted, K, seed, 0, opts.helper);
    for (const b of tried) {
      const p = sorted.indexOf(b);
      starts.push(s.rowStart[p]!);
      counts.push(s.rowCount[p]!);
      streams.push(seed);
    }
    parts.push(s.snaps);
    total = s.rows;
  }
  const all = parts.length === 1 ? parts[0]! : new Float32Array(total * F);
  if (parts.length > 1) {
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
  }
  const pred = await predictRows(ppm, all, total, opts);
  let bestJ = 0;
  let bestK = 0;
  let bestV = -Infinity;
  for (let j = 0; j < tried.length; j++) {
    const k = argmaxFirst(pred, starts[j]!, counts[j]!);
    const v = pred[starts[j]! + k]!;
    if (v > bestV) {
      bestV = v;
      bestJ = j;
      bestK = k;
    }
  }
  const budget = tried[bestJ]!;
  const humanIds = builder.candidateOrder(streams[bestJ]!, bestK, budget);
  return {
    strategy: 'best-over-budgets',
    budget,
    humanIds,
    gains: gainsOf(table, humanIds),
    predicted: bestV,
    allLm: table.base,
    candidatesEvaluated: total,
    seed,
    candidate: bestK,
    streamSeed: streams[bestJ]!,
    budgetsTried: tried,
  };
}

export interface LocalSearchOptions extends CommonOptions {
  /** Most swaps to accept (default 100). */
  maxSwaps?: number;
  /** Swaps evaluated per PPM call (default 256). When b * (n - b) swaps fit, all of them are evaluated. */
  batch?: number;
  /** Consecutive random batches without an improving swap before stopping (default 3). */
  patience?: number;
  seed?: number;
}

/**
 * Beyond the paper: improves a chosen set by swaps (one chosen instance out, one unchosen in) that raise the
 * predicted score. Each round predicts `batch` swaps in one call (random ones, or every swap when there are
 * at most `batch`) and accepts the best improving one; it stops after maxSwaps accepted swaps, after a
 * round that enumerated every swap without improvement, or after `patience` random rounds without one.
 * The budget is kept; an incoming instance takes the routing position of the one it replaces.
 * The score never goes down: only strictly better swaps are accepted.
 */
export async function localSearch(
  index: TagIndex,
  ppm: PpmEvaluator,
  start: RoutingResult,
  opts: LocalSearchOptions = {},
): Promise<LocalSearchResult> {
  checkIndexAndPpm(index, ppm);
  const n = index.n;
  const maxSwaps = opts.maxSwaps ?? 100;
  const batch = opts.batch ?? 256;
  const patience = opts.patience ?? 3;
  if (!Number.isInteger(maxSwaps) || maxSwaps < 0)
    throw new RoutingError('bad-option', `maxSwaps must be a non-negative whole number, got ${maxSwaps}`);
  if (!Number.isInteger(batch) || batch < 1) throw new RoutingError('bad-option', `batch must be a positive whole number, got ${batch}`);
  if (!Number.isInteger(patience) || patience < 1)
    throw new RoutingError('bad-option', `patience must be a positive whole number, got ${patience}`);
  const seed = normaliseSeed(opts.seed);
  const table = await tableFor(index, ppm, opts);
  const chosen = start.humanIds.slice();
  const b = chosen.length;
  const seen = new Uint8Array(n);
  for (let a = 0; a < b; a++) {
    const x = chosen[a]!;
    if (!(x < n)) throw new RoutingError('bad-option', `the result routes instance ${x}, but n = ${n}`);
    if (seen[x]) throw new RoutingError('bad-option', `the result routes instance ${x} twice`);
    seen[x] = 1;
  }
  const rest = new Uint32Array(n - b);
  for (let i = 0, r = 0; i < n; i++) {
    if (!seen[i]) rest[r++] = i;
  }
  const counts = index.countTags(chosen);
  const rng = new Rng(seed);
  const space = b * (n - b);
  const exhaustive = space <= batch;
  const pairs = exhaustive ? space : batch;
  const outPos = new Uint32Array(pairs);
  const inPos = new Uint32Array(pairs);
  let current = Number.NaN;
  let startPredicted = Number.NaN;
  let accepted = 0;
  let evaluated = 0;
  let rounds = 0;
  let fails = 0;
  let localOptimum = false;
  if (space === 0 || maxSwaps === 0) {
    startPredicted = current = (await predictRows(ppm, counts.slice(), 1, opts))[0]!;
    localOptimum = space === 0;
  }
  while (space > 0 && accepted < maxSwaps) {
    // Row 0 of the first round is the starting mix.
    const lead = Number.isNaN(current) ? 1 : 0;
    const buf = new Float32Array((lead + pairs) * F);
    if (lead) buf.set(counts, 0);
    for (let s = 0; s < pairs; s++) {
      let o: number;
      let i: number;
      if (exhaustive) {
        o = Math.floor(s / (n - b));
        i = s - o * (n - b);
      } else {
        o = rng.below(b);
        i = rng.below(n - b);
      }
      outPos[s] = o;
      inPos[s] = i;
      const at = (lead + s) * F;
      buf.set(counts, at);
      index.addRow(buf, chosen[o]!, -1, at);
      index.addRow(buf, rest[i]!, 1, at);
    }
    const pred = await predictRows(ppm, buf, lead + pairs, opts);
    rounds++;
    evaluated += pairs;
    if (lead) startPredicted = current = pred[0]!;
    let best = -1;
    let bestV = current;
    for (let s = 0; s < pairs; s++) {
      const v = pred[lead + s]!;
      if (v > bestV) {
        bestV = v;
        best = s;
      }
    }
    if (best < 0) {
      if (exhaustive) {
        localOptimum = true;
        break;
      }
      if (++fails >= patience) break;
      continue;
    }
    fails = 0;
    const o = outPos[best]!;
    const i = inPos[best]!;
    const out = chosen[o]!;
    const inn = rest[i]!;
    index.addRow(counts, out, -1);
    index.addRow(counts, inn, 1);
    chosen[o] = inn;
    rest[i] = out;
    current = bestV;
    accepted++;
  }
  throwIfAborted(opts.signal);
  return {
    strategy: 'local-search',
    from: start.strategy,
    budget: b,
    humanIds: chosen,
    gains: gainsOf(table, chosen),
    predicted: current,
    allLm: table.base,
    candidatesEvaluated: evaluated,
    seed,
    startPredicted,
    improvement: current - startPredicted,
    swapsAccepted: accepted,
    rounds,
    localOptimum,
  };
}

export interface BudgetCurveOptions extends PredictOptions {
  /** simulated: builds half of the candidates in another thread (the same results, sooner). */
  helper?: CandidateHelper;
  /** Budget points (counts in [0, n]), any order; answered in this order. */
  budgets: number[];
  strategy: 'simulated' | 'topk';
  /** simulated: candidates per budget point (default 500). */
  K?: number;
  /** simulated: seed (default 1). */
  seed?: number;
  /** topk: gains already computed. */
  gainTable?: GainTable;
}

export interface BudgetCurvePoint {
  budget: number;
  predicted: number;
  /** simulated: the winning candidate (simulated(budget, { K, seed }) returns the same mix). */
  candidate?: number;
}

export interface BudgetCurve {
  strategy: 'simulated' | 'topk';
  n: number;
  K: number | null;
  seed: number | null;
  points: BudgetCurvePoint[];
  /** PPM of the empty human set (everything labelled by the LM). */
  allLm: number;
  /** PPM of every instance labelled by humans. */
  allHuman: number;
  /** PPM rows evaluated. */
  rowsEvaluated: number;
}

/**
 * Predictions for a budget slider, computed ahead of time, plus the all-LM and all-human predictions, in
 * one batch (split above maxRowsPerCall rows). simulated: candidate k is built once, up to the largest
 * budget, and its tag counts are taken at every budget on the way (a candidate for budget b is the prefix
 * of the same candidate for a larger budget), so each point equals simulated(b, { K, seed }).
 * topk: the counts of the gain-ordered prefixes.
 */
export async function budgetCurve(index: TagIndex, ppm: PpmEvaluator, opts: BudgetCurveOptions): Promise<BudgetCurve> {
  checkIndexAndPpm(index, ppm);
  const n = index.n;
  for (const b of opts.budgets) checkBudget(b, n);
  const sorted = Uint32Array.from(new Set(opts.budgets)).sort();
  const m = sorted.length;
  const pointOf = new Map<number, number>();
  sorted.forEach((b, p) => pointOf.set(b, p));
  let buf: Float32Array;
  let rowStart: Uint32Array;
  let rowCount: Uint32Array;
  let rows: number;
  let K: number | null = null;
  let seed: number | null = null;
  if (opts.strategy === 'simulated') {
    K = checkK(opts.K ?? 500);
    seed = normaliseSeed(opts.seed);
    const s = await simulateSnapshots(new CandidateBuilder(index), sorted, K, seed, 2, opts.helper, true);
    ({ snaps: buf, rowStart, rowCount, rows } = s);
  } else if (opts.strategy === 'topk') {
    const table = opts.gainTable ?? (await gains(index, ppm, opts));
    rows = m;
    rowStart = Uint32Array.from({ length: m }, (_, p) => p);
    rowCount = new Uint32Array(m).fill(1);
    buf = new Float32Array((m + 2) * F);
    const counts = new Float32Array(F);
    let p = 0;
    for (let a = 0; a <= n && p < m; a++) {
      while (p < m && sorted[p] === a) buf.set(counts, p++ * F);
      if (a < n) index.addRow(counts, table.order[a]!, 1);
    }
  } else {
    throw new RoutingError('bad-option', `unknown curve strategy "${String(opts.strategy)}" (expected simulated or topk)`);
  }
  // Two more rows: all-LM (zeros) and all-human.
  buf.set(index.countAll(), (rows + 1) * F);
  const pred = await predictRows(ppm, buf, rows + 2, opts);
  const points = opts.budgets.map((b): BudgetCurvePoint => {
    const p = pointOf.get(b)!;
    const k = argmaxFirst(pred, rowStart[p]!, rowCount[p]!);
    const point: BudgetCurvePoint = { budget: b, predicted: pred[rowStart[p]! + k]! };
    if (opts.strategy === 'simulated') point.candidate = k;
    return point;
  });
  return { strategy: opts.strategy, n, K, seed, points, allLm: pred[rows]!, allHuman: pred[rows + 1]!, rowsEvaluated: rows + 2 };
}

export interface TagGainOptions extends PredictOptions {
  /** Carriers sampled per tag (default 100, the paper's Table 13 setting). */
  sample?: number;
  seed?: number;
}

/**
 * Per tag, the PPM's average gain per instance when up to `sample` random instances carrying the tag go to
 * humans: (PPM(counts of the sample) - PPM(0)) / sample size, as in the paper's Table 13. NaN for a tag no
 * instance carries. One predict call (91 rows).
 */
export async function tagGains(
  index: TagIndex,
  ppm: PpmEvaluator,
  opts: TagGainOptions = {},
): Promise<{ gains: Float64Array; carriers: Uint32Array; allLm: number }> {
  checkIndexAndPpm(index, ppm);
  const sample = opts.sample ?? 100;
  if (!Number.isInteger(sample) || sample < 1)
    throw new RoutingError('bad-option', `sample must be a positive whole number, got ${sample}`);
  const rng = new Rng(normaliseSeed(opts.seed));
  const buf = new Float32Array((F + 1) * F);
  const carriers = new Uint32Array(F);
  const taken = new Uint32Array(F);
  const pool = index.tagMembers.slice();
  for (let t = 0; t < F; t++) {
    const start = index.tagOffsets[t]!;
    const len = index.tagSize(t);
    carriers[t] = len;
    const m = Math.min(sample, len);
    taken[t] = m;
    for (let j = 0; j < m; j++) {
      const r = start + j + rng.below(len - j);
      const x = pool[r]!;
      pool[r] = pool[start + j]!;
      pool[start + j] = x;
      index.addRow(buf, x, 1, (t + 1) * F);
    }
  }
  const pred = await predictRows(ppm, buf, F + 1, opts);
  const allLm = pred[0]!;
  const gainsOut = Float64Array.from({ length: F }, (_, t) => (taken[t]! > 0 ? (pred[t + 1]! - allLm) / taken[t]! : Number.NaN));
  return { gains: gainsOut, carriers, allLm };
}
