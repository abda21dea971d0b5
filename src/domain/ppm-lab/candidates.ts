// Candidate mixes for fitting a PPM (spec section 3; the paper's Algorithm 1 at many budgets). A candidate
// is the whole pool labelled twice over: Algorithm 1 picks `budget` pool instances that take the human
// label, the rest take the LM label, and the mix is then capped by a seeded uniform sample (the paper caps
// at 7,000). Its PPM input is the tag counts of the human-labelled instances that remain in the capped mix.
//
// Candidate k depends only on (pool, seed, k, budget, cap): Algorithm 1 draws from the stream mixSeed(seed, k)
// (the routing module's CandidateBuilder, so the lab and the router build identical subsets) and the cap
// sample from a second stream of the same candidate. Candidates are produced one at a time, so K x 10k
// mixes never sit in memory together.
import { TAG_COUNT, TAG_IDS } from '../tags/tags';
import { CandidateBuilder } from '../routing/candidates';
import { mixSeed, Rng } from '../routing/rng';
import { PpmLabError, throwIfAborted } from './errors';
import type { CandidatePool, LabelledPair } from './pool';

/** The paper's cap on the size of a mix. */
export const DEFAULT_CAP = 7000;

export interface CandidatePlanOptions {
  /** Number of candidates (default: the number of budgets given, else 200). */
  k?: number;
  /**
   * 'random' (default): budgets drawn uniformly from 1 .. m - 1 human instances (m = pool size), with the
   * all-human and all-LM mixes first when `includeExtremes`. A list: fractions of the pool in [0, 1]; candidate
   * i takes budgets[i mod length].
   */
  budgets?: 'random' | readonly number[];
  /** random budgets only: candidates 0 and 1 are the all-human and the all-LM mix (default true, as in the paper). */
  includeExtremes?: boolean;
  /** Seed (default 1); same pool, seed and options, same candidates. */
  seed?: number;
  /** Largest mix (default 7000); null for no cap. */
  cap?: number | null;
}

export interface CandidatePlanItem {
  /** Position in the run (0-based). */
  index: number;
  /** Stable name: c000, c001, ... (wider when K > 1000). */
  id: string;
  /** Pool instances Algorithm 1 routes to humans (before the cap). */
  budget: number;
  /** budget / pool size. */
  fraction: number;
}

export interface CandidatePlan {
  seed: number;
  k: number;
  cap: number | null;
  budgets: 'random' | number[];
  includeExtremes: boolean;
  poolSize: number;
  items: CandidatePlanItem[];
}

export interface Candidate extends CandidatePlanItem {
  /** Dataset positions of the instances in the (capped) mix, ascending. */
  mix: Uint32Array;
  /** Parallel to mix: 1 when the instance takes the human label, 0 for the LM label. */
  fromHuman: Uint8Array;
  /** Parallel to mix: 1 when the label used prefers response A (chosen = A), 0 when it prefers B. */
  chosenA: Uint8Array;
  /** Human-labelled instances in the mix (the sum of fromHuman). */
  humanInMix: number;
  /** The PPM input: how many human-labelled instances of the mix carry each tag (TAG_IDS order). */
  counts: Int32Array;
}

const BUDGET_STREAM = 0xb0d6;
const CAP_STREAM = 0xca9;

function checkInt(v: number, what: string, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) throw new PpmLabError('bad-option', `${what} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Fixes the K budgets and names of a run (cheap; no candidate is built). */
export function planCandidates(pool: CandidatePool, opts: CandidatePlanOptions = {}): CandidatePlan {
  const m = pool.positions.length;
  if (m === 0)
    throw new PpmLabError(
      'bad-dataset',
      'no instance has both a human and an LM winner (ties and missing labels are dropped): there is nothing to mix',
    );
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new PpmLabError('bad-option', `seed must be an integer, got ${seed}`);
  const cap = opts.cap === undefined ? DEFAULT_CAP : opts.cap;
  if (cap !== null) checkInt(cap, 'cap', 1);
  const given = opts.budgets === undefined || opts.budgets === 'random' ? null : opts.budgets;
  if (given) {
    if (given.length === 0) throw new PpmLabError('bad-option', 'budgets: give at least one fraction, or "random"');
    given.forEach((b, i) => {
      if (!(typeof b === 'number' && b >= 0 && b <= 1))
        throw new PpmLabError('bad-option', `budgets[${i}] = ${b}: a budget is a fraction of the pool between 0 and 1`);
    });
  }
  const k = checkInt(opts.k ?? given?.length ?? 200, 'k', 1);
  const includeExtremes = given ? false : (opts.includeExtremes ?? true);
  const width = Math.max(3, String(k - 1).length);
  const rng = new Rng(mixSeed(seed >>> 0, BUDGET_STREAM));
  const items: CandidatePlanItem[] = [];
  for (let i = 0; i < k; i++) {
    let budget: number;
    if (given) budget = Math.min(m, Math.round(given[i % given.length]! * m));
    else if (includeExtremes && i < 2) budget = i === 0 ? m : 0;
    else budget = m < 2 ? m : 1 + rng.below(m - 1);
    items.push({ index: i, id: `c${String(i).padStart(width, '0')}`, budget, fraction: budget / m });
  }
  return { seed: seed >>> 0, k, cap, budgets: given ? [...given] : 'random', includeExtremes, poolSize: m, items };
}

/** Builds candidates of one pool; reuse one per pool (it keeps Algorithm 1's working buffers). */
export class CandidateFactory {
  private readonly builder: CandidateBuilder;
  private readonly chosen: Uint8Array;
  private readonly sample: Uint32Array;

  constructor(readonly pool: CandidatePool) {
    this.builder = new CandidateBuilder(pool.index);
    this.chosen = new Uint8Array(pool.positions.length);
    this.sample = new Uint32Array(pool.positions.length);
  }

  build(plan: CandidatePlan, item: CandidatePlanItem): Candidate {
    const { pool, chosen, sample } = this;
    const m = pool.positions.length;
    if (item.budget < 0 || item.budget > m || !Number.isInteger(item.budget)) {
      throw new PpmLabError('bad-option', `candidate ${item.id}: budget ${item.budget} is not a whole number in [0, ${m}]`);
    }
    const streamSeed = mixSeed(plan.seed, item.index);
    const size = this.builder.build(streamSeed, item.budget, true);
    chosen.fill(0);
    for (let a = 0; a < size; a++) chosen[this.builder.order[a]!] = 1;

    // The cap: a uniform sample of pool positions (partial Fisher-Yates), then put back in pool order.
    let mixPool: Uint32Array;
    if (plan.cap === null || plan.cap >= m) {
      mixPool = sample.subarray(0, m);
      for (let p = 0; p < m; p++) mixPool[p] = p;
    } else {
      for (let p = 0; p < m; p++) sample[p] = p;
      const rng = new Rng(mixSeed(streamSeed, CAP_STREAM));
      const c = plan.cap;
      for (let j = 0; j < c; j++) {
        const r = j + rng.below(m - j);
        const x = sample[r]!;
        sample[r] = sample[j]!;
        sample[j] = x;
      }
      mixPool = sample.subarray(0, c).sort();
    }
    const L = mixPool.length;
    const mix = new Uint32Array(L);
    const fromHuman = new Uint8Array(L);
    const chosenA = new Uint8Array(L);
    const counts = new Int32Array(TAG_COUNT);
    const { rowOffsets, rowTags } = pool.index;
    let humanInMix = 0;
    for (let j = 0; j < L; j++) {
      const p = mixPool[j]!;
      mix[j] = pool.positions[p]!;
      if (chosen[p]) {
        fromHuman[j] = 1;
        chosenA[j] = pool.humanA[p]!;
        humanInMix++;
        const end = rowOffsets[p + 1]!;
        for (let q = rowOffsets[p]!; q < end; q++) counts[rowTags[q]!]!++;
      } else {
        chosenA[j] = pool.lmA[p]!;
      }
    }
    return { ...item, mix, fromHuman, chosenA, humanInMix, counts };
  }
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Called after each candidate with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** The plan's candidates, built one at a time as the caller asks for them. */
export function* generateCandidates(pool: CandidatePool, plan: CandidatePlan, opts: GenerateOptions = {}): Generator<Candidate> {
  const factory = new CandidateFactory(pool);
  const total = plan.items.length;
  for (let i = 0; i < total; i++) {
    throwIfAborted(opts.signal, 'candidate generation');
    const c = factory.build(plan, plan.items[i]!);
    opts.onProgress?.(i + 1, total);
    yield c;
  }
}

/** A training row in TRL's preference format (string prompt). */
export interface TrlRow {
  prompt: string;
  chosen: string;
  rejected: string;
}

/** The candidate's training rows, in mix order. `records` is the dataset the pool was made from. */
export function* trlRows(records: readonly LabelledPair[], c: Candidate): Generator<TrlRow> {
  for (let j = 0; j < c.mix.length; j++) {
    const r = records[c.mix[j]!]!;
    const a = c.chosenA[j] === 1;
    yield { prompt: r.prompt, chosen: a ? r.responseA : r.responseB, rejected: a ? r.responseB : r.responseA };
  }
}

/** The candidate's training file as JSONL text (one TRL row a line). */
export function trlJsonl(records: readonly LabelledPair[], c: Candidate): string {
  const lines: string[] = [];
  for (const row of trlRows(records, c)) lines.push(JSON.stringify(row));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Ids of the human-labelled instances of the mix, in mix order. */
export function humanIds(records: readonly LabelledPair[], c: Candidate): string[] {
  const out: string[] = [];
  for (let j = 0; j < c.mix.length; j++) if (c.fromHuman[j]) out.push(records[c.mix[j]!]!.id);
  return out;
}

/** A CSV field, quoted when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The id column of counts and results files written here. */
export const CANDIDATE_ID_COLUMN = 'candidate_id';

/** Header line of counts.csv: candidate_id and the feature strings (TAG_IDS) (no line break). */
export function countsCsvHeader(): string {
  return [CANDIDATE_ID_COLUMN, ...TAG_IDS].map(csvField).join(',');
}

/** One counts.csv line (no line break). */
export function countsCsvLine(c: Pick<Candidate, 'id' | 'counts'>): string {
  return `${csvField(c.id)},${Array.from(c.counts).join(',')}`;
}

export const MANIFEST_FORMAT = 'hyper-candidates';
export const MANIFEST_VERSION = 1;

export interface CandidateManifestEntry {
  id: string;
  budget: number;
  fraction: number;
  mixSize: number;
  humanInMix: number;
  /** Files of this candidate, relative to the manifest (when written). */
  files?: { trl: string; humanIds: string };
}

export interface CandidateManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  seed: number;
  k: number;
  cap: number | null;
  budgets: 'random' | number[];
  includeExtremes: boolean;
  dataset: { name?: string; sha256?: string; n: number };
  pool: {
    size: number;
    disagreements: number;
    fingerprint: string;
    excluded: CandidatePool['excluded'];
    gold: { share: number; seed: number; size: number; ids: string[] };
  };
  /** Column order of counts.csv after the id. */
  features: string[];
  candidates: CandidateManifestEntry[];
}

/** The manifest of a run; entries in plan order (add them as candidates are written). */
export function buildManifest(input: {
  plan: CandidatePlan;
  pool: CandidatePool;
  records: readonly LabelledPair[];
  dataset?: { name?: string; sha256?: string };
  entries: CandidateManifestEntry[];
}): CandidateManifest {
  const { plan, pool } = input;
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    seed: plan.seed,
    k: plan.k,
    cap: plan.cap,
    budgets: plan.budgets,
    includeExtremes: plan.includeExtremes,
    dataset: { ...input.dataset, n: pool.n },
    pool: {
      size: pool.positions.length,
      disagreements: pool.disagreements,
      fingerprint: pool.fingerprint,
      excluded: { ...pool.excluded },
      gold: { share: pool.goldShare, seed: pool.goldSeed, size: pool.gold.length, ids: Array.from(pool.gold, (i) => input.records[i]!.id) },
    },
    features: [...TAG_IDS],
    candidates: input.entries,
  };
}

/** The manifest entry of a built candidate. */
export function manifestEntry(c: Candidate, files?: { trl: string; humanIds: string }): CandidateManifestEntry {
  return { id: c.id, budget: c.budget, fraction: c.fraction, mixSize: c.mix.length, humanInMix: c.humanInMix, ...(files ? { files } : {}) };
}
