// From pairs to their tags (the paper's 90 and the 6 judge features): per-pair raw scores (computed in parallel
// chunks), then one dataset-wide assembly (percentile ranks, binning, descriptive tags) into a bit matrix.
import type { DescriptiveTags, PairRecord, ScoreName } from '../instance';
import { DEFECT_CODE, pairDefect } from '../pair-defects';
import { judgeRisk as judgeRiskOf } from '../judge/risk';
import { storedSignals, type StoredSignals } from '../judge/rows';
import {
  binOf,
  PAPER_TAG_COUNT,
  percentileRanks,
  RANKED_SCORES,
  SUBJECTS,
  TAG_COUNT,
  TAG_DEFS,
  TAG_IDS,
  SCALAR_DIMENSIONS,
  type ScalarDimension,
} from './tags';

/** Bumped whenever a change to the tagging code changes any score: stored tag sets of older versions are recomputed. */
export const TAG_CODE_VERSION = 3;

/** Words per instance in the tag bit matrix (96 bits: the 90 paper tags and the 6 judge features). */
export const TAG_WORDS = 3;

/** Scores that need an encoder: taken from the file's columns, or computed when the user loads an encoder. */
export const SEMANTIC_SCORES = ['cosine_sim', 'bertscore', 'bertscore_length'] as const satisfies readonly ScoreName[];

export interface LexicalScorers {
  countTokens(text: string): number;
  rouge1F(prediction: string, target: string): number;
  entitySim(a: string, b: string): number;
}

/** One chunk of pairs scored: a column per score (NaN = not available for that pair) and the descriptive tag bits. */
export interface ScoredChunk {
  from: number;
  columns: Record<ScoreName, Float64Array>;
  /** Descriptive tag bits taken from the records' own tags (the lexical bins are set at assembly). */
  descriptiveBits: Uint32Array;
  /** How many pairs of the chunk carried each descriptive dimension. */
  withTags: number;
  /** Per pair: 0, or the code of what makes it unusable (pair-defects.ts: an empty response, identical responses). */
  defects: Uint8Array;
  /** Per pair: how likely the LM judge's label is wrong (judge/risk.ts), NaN where the pair carries no judge signals. */
  judgeRisk: Float32Array;
}

export type ScoreColumns = Record<ScoreName, Float64Array>;

function emptyColumns(n: number): ScoreColumns {
  const make = () => new Float64Array(n).fill(Number.NaN);
  return {
    prompt_len: make(),
    len_shorter: make(),
    len_longer: make(),
    token_len_diff: make(),
    rouge: make(),
    entity_sim: make(),
    cosine_sim: make(),
    bertscore: make(),
    bertscore_length: make(),
  };
}

/**
 * Scores a chunk of pairs: token counts, ROUGE-1 and entity overlap; semantic scores from the records' columns.
 * `afterPair(done)` is called after every pair (progress, cancellation: it may throw to stop).
 */
export function scoreChunk(
  records: readonly PairRecord[],
  from: number,
  scorers: LexicalScorers,
  afterPair?: (done: number) => void,
): ScoredChunk {
  const n = records.length;
  const columns = emptyColumns(n);
  const descriptiveBits = new Uint32Array(n * TAG_WORDS);
  const defects = new Uint8Array(n);
  const judgeRisk = new Float32Array(n).fill(Number.NaN);
  let withTags = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const signals = storedSignals(r);
    if (signals) {
      judgeRisk[i] = judgeRiskOf(signals, r.lm !== undefined);
      setJudgeBits(descriptiveBits, i, signals);
    }
    const defect = pairDefect(r);
    if (defect) defects[i] = DEFECT_CODE[defect];
    const p = scorers.countTokens(r.prompt);
    const a = scorers.countTokens(r.responseA);
    const b = scorers.countTokens(r.responseB);
    columns.prompt_len[i] = p;
    columns.len_shorter[i] = Math.min(a, b);
    columns.len_longer[i] = Math.max(a, b);
    columns.token_len_diff[i] = Math.abs(a - b);
    columns.rouge[i] = scorers.rouge1F(r.responseA, r.responseB);
    columns.entity_sim[i] = scorers.entitySim(r.responseA, r.responseB);
    for (const s of SEMANTIC_SCORES) {
      const v = r.scores?.[s];
      if (typeof v === 'number' && Number.isFinite(v)) columns[s][i] = v;
    }
    if (r.tags && setDescriptiveBits(descriptiveBits, i, r.tags)) withTags++;
    afterPair?.(i + 1);
  }
  return { from, columns, descriptiveBits, withTags, defects, judgeRisk };
}

const SUBJECT_INDEX = new Map(SUBJECTS.map((s) => [s.toLowerCase(), TAG_DEFS.findIndex((d) => d.kind === 'subject' && d.value === s)]));
const LANGUAGE_TAG = TAG_DEFS.findIndex((d) => d.kind === 'language');
const SCALAR_INDEX = new Map(TAG_DEFS.flatMap((d, i) => (d.kind === 'scalar' ? [[`${d.dimension}=${d.value}`, i] as const] : [])));
const EXISTS_INDEX = new Map(TAG_DEFS.flatMap((d, i) => (d.kind === 'exists' ? [[d.dimension, i] as const] : [])));
const JUDGE_INDEX = new Map(TAG_DEFS.flatMap((d, i) => (d.kind === 'judge' ? [[d.flag, i] as const] : [])));
const JUDGE_CONFIDENCE_TAG = TAG_DEFS.findIndex((d) => d.kind === 'judge-confidence');

/**
 * The judge features of one pair from its signals: the order flip, a split vote (any answer disagreeing with the
 * majority), no readable verdict, and the bin of the verdict-token probability when the endpoint gave one.
 */
export function setJudgeBits(bits: Uint32Array, i: number, s: StoredSignals): void {
  if (s.judge_swap_inconsistent) setBit(bits, i, JUDGE_INDEX.get('swap_inconsistent')!);
  if (s.judge_vote_split > 0) setBit(bits, i, JUDGE_INDEX.get('vote_split')!);
  if (s.judge_answers > 0 && s.judge_unparseable === s.judge_answers) setBit(bits, i, JUDGE_INDEX.get('no_verdict')!);
  const b = s.judge_confidence === null ? null : binOf(s.judge_confidence);
  if (b !== null) setBit(bits, i, JUDGE_CONFIDENCE_TAG + b);
}

const EMPTY_WORDS = new Set(['', 'none', 'n/a', 'na', 'null', '[]', 'no']);

function listOf(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => !EMPTY_WORDS.has(s.toLowerCase()));
}

export function setBit(bits: Uint32Array, i: number, tag: number): void {
  bits[i * TAG_WORDS + (tag >>> 5)]! |= 1 << (tag & 31);
}

export function hasBit(bits: Uint32Array, i: number, tag: number): boolean {
  return (bits[i * TAG_WORDS + (tag >>> 5)]! & (1 << (tag & 31))) !== 0;
}

/** Sets the descriptive tags of one instance; returns whether it had any descriptive dimension. */
export function setDescriptiveBits(bits: Uint32Array, i: number, tags: DescriptiveTags): boolean {
  let any = false;
  for (const s of listOf(tags.subject_of_expertise)) {
    const t = SUBJECT_INDEX.get(s.toLowerCase());
    if (t !== undefined && t >= 0) setBit(bits, i, t);
    any = true;
  }
  if (tags.languages !== undefined) {
    any = true;
    if (listOf(tags.languages).some((l) => l.toLowerCase() === 'english')) setBit(bits, i, LANGUAGE_TAG);
  }
  for (const dim of Object.keys(SCALAR_DIMENSIONS) as ScalarDimension[]) {
    const v = tags[dim];
    if (v === undefined) continue;
    any = true;
    const value = (Array.isArray(v) ? v[0] : v)?.trim().toLowerCase();
    const t = SCALAR_INDEX.get(`${dim}=${value}`);
    if (t !== undefined) setBit(bits, i, t);
  }
  for (const [dim, t] of EXISTS_INDEX) {
    const v = tags[dim];
    if (v === undefined) continue;
    any = true;
    if (listOf(v).length > 0) setBit(bits, i, t);
  }
  return any;
}

export interface TagCoverage {
  tag: string;
  available: boolean;
  /** Why a tag is unavailable (no pair has the score or dimension it needs). */
  reason?: string;
  /** Instances carrying the tag. */
  count: number;
}

export type ScoreSource = 'computed' | 'file' | 'encoder' | 'unavailable';

export interface TagSet {
  datasetId: string;
  version: number;
  n: number;
  /** Raw scores by the paper's names (token counts for the length scores); NaN = not available. */
  columns: ScoreColumns;
  /** n x TAG_WORDS words; bit t of instance i = tag TAG_IDS[t]. */
  tagBits: Uint32Array;
  coverage: TagCoverage[];
  scoreSources: Record<ScoreName, ScoreSource>;
  /** Pairs with descriptive tags (from the file or the analyzer). */
  withDescriptive: number;
  /** Per pair: 0, or the code of its defect (an empty response, identical responses); such pairs are not routed. */
  defects: Uint8Array;
  /**
   * Per pair: the LM judge's estimated error probability (judge/risk.ts) from the judge signals the pairs carry (a
   * file written by `hyper judge`); NaN for a pair without them. Absent when no pair has them (and in tag sets
   * stored before it was kept).
   */
  judgeRisk?: Float32Array;
  createdAt: number;
  computeMs: number;
}

/** Concatenates scored chunks (any order) into dataset-wide columns and descriptive bits. */
export function joinChunks(
  n: number,
  chunks: readonly ScoredChunk[],
): { columns: ScoreColumns; bits: Uint32Array; withDescriptive: number; defects: Uint8Array; judgeRisk: Float32Array } {
  const columns = emptyColumns(n);
  const bits = new Uint32Array(n * TAG_WORDS);
  const defects = new Uint8Array(n);
  const judgeRisk = new Float32Array(n).fill(Number.NaN);
  let withDescriptive = 0;
  for (const c of chunks) {
    for (const k of Object.keys(columns) as ScoreName[]) columns[k].set(c.columns[k], c.from);
    bits.set(c.descriptiveBits, c.from * TAG_WORDS);
    defects.set(c.defects, c.from);
    judgeRisk.set(c.judgeRisk, c.from);
    withDescriptive += c.withTags;
  }
  return { columns, bits, withDescriptive, defects, judgeRisk };
}

/**
 * Bins every score into its three tags (length scores on their percentile rank over the dataset, the others
 * on the raw value) on top of the descriptive bits, and reports which tags are available.
 */
export function assembleTagSet(input: {
  datasetId: string;
  n: number;
  columns: ScoreColumns;
  descriptiveBits: Uint32Array;
  withDescriptive: number;
  defects: Uint8Array;
  judgeRisk?: Float32Array;
  semanticSource: 'file' | 'encoder';
  computeMs: number;
  now: number;
}): TagSet {
  const { n, columns } = input;
  const bits = input.descriptiveBits;
  const scoreSources = {} as Record<ScoreName, ScoreSource>;
  const scoreAvailable = new Map<ScoreName, boolean>();
  for (const [t, def] of TAG_DEFS.entries()) {
    if (def.kind !== 'bin' || def.bin !== 0) continue;
    const raw = columns[def.score];
    let any = false;
    for (let i = 0; i < n && !any; i++) any = !Number.isNaN(raw[i]!);
    scoreAvailable.set(def.score, any);
    scoreSources[def.score] = !any
      ? 'unavailable'
      : (SEMANTIC_SCORES as readonly string[]).includes(def.score)
        ? input.semanticSource
        : 'computed';
    if (!any) continue;
    const binned = RANKED_SCORES.has(def.score) ? percentileRanks(raw) : raw;
    for (let i = 0; i < n; i++) {
      const b = binOf(binned[i]!);
      if (b !== null) setBit(bits, i, t + b);
    }
  }
  const counts = countTags(bits, n);
  const judged = input.judgeRisk?.some((r) => !Number.isNaN(r)) ?? false;
  const withConfidence = [0, 1, 2].some((b) => counts[JUDGE_CONFIDENCE_TAG + b]! > 0);
  const coverage: TagCoverage[] = TAG_IDS.map((tag, t) => {
    const def = TAG_DEFS[t]!;
    if (def.kind === 'judge' || def.kind === 'judge-confidence') {
      if (!judged) return { tag, available: false, reason: 'no pair carries LM judge signals (run the LM judge)', count: 0 };
      if (def.kind === 'judge-confidence' && !withConfidence)
        return { tag, available: false, reason: "no judge answer came with the verdict's probability (logprobs)", count: 0 };
      return { tag, available: true, count: counts[t]! };
    }
    if (def.kind === 'bin' && !scoreAvailable.get(def.score)) {
      return {
        tag,
        available: false,
        reason: `no pair has a ${def.score} score (no such column in the file and no encoder loaded)`,
        count: 0,
      };
    }
    if (def.kind !== 'bin' && input.withDescriptive === 0) {
      return {
        tag,
        available: false,
        reason: 'no pair has descriptive tags (no analyzer columns in the file; run the analyzer)',
        count: 0,
      };
    }
    return { tag, available: true, count: counts[t]! };
  });
  return {
    datasetId: input.datasetId,
    version: TAG_CODE_VERSION,
    n,
    columns,
    tagBits: bits,
    coverage,
    scoreSources,
    withDescriptive: input.withDescriptive,
    defects: input.defects,
    ...(input.judgeRisk && judged ? { judgeRisk: input.judgeRisk } : {}),
    createdAt: input.now,
    computeMs: input.computeMs,
  };
}

/** How many of the paper's 90 tags and of the 6 judge features are available, as "81/90 tags available, 6/6 judge features". */
export function coverageText(coverage: readonly TagCoverage[], style: 'slash' | 'words' = 'slash'): string {
  const paper = coverage.slice(0, PAPER_TAG_COUNT).filter((c) => c.available).length;
  const judge = coverage.slice(PAPER_TAG_COUNT).filter((c) => c.available).length;
  const judgeCount = TAG_COUNT - PAPER_TAG_COUNT;
  return style === 'slash'
    ? `${paper}/${PAPER_TAG_COUNT} tags available${judge ? `, ${judge}/${judgeCount} judge features` : ''}`
    : `${paper} of ${PAPER_TAG_COUNT} tags available${judge ? `, ${judge} of ${judgeCount} judge features` : ''}`;
}

/** How many instances carry each tag. */
export function countTags(bits: Uint32Array, n: number): Int32Array {
  const counts = new Int32Array(TAG_COUNT);
  for (let i = 0; i < n; i++) {
    for (let w = 0; w < TAG_WORDS; w++) {
      let word = bits[i * TAG_WORDS + w]!;
      while (word !== 0) {
        const low = word & -word;
        counts[w * 32 + 31 - Math.clz32(low)]!++;
        word ^= low;
      }
    }
  }
  return counts;
}

/** The tag ids of one instance, in tag order. */
export function tagsOf(bits: Uint32Array, i: number): string[] {
  const out: string[] = [];
  for (let t = 0; t < TAG_COUNT; t++) if (hasBit(bits, i, t)) out.push(TAG_IDS[t]!);
  return out;
}
