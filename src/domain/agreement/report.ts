// Agreement over the annotations of a project: between annotators (Cohen's kappa per pair, Krippendorff's
// alpha over all), of humans with the LM judge on the routed items, per-annotator counts and active time,
// and the items whose annotators disagree. Pure functions over plain ratings; `ratingsFromAnnotations`
// turns stored annotations into them.
import type { Annotation } from '../annotation';
import { PREFERENCES, winnerOf, type Preference, type Winner } from '../labels';
import { krippendorffAlpha, type AlphaLevel, type AlphaResult } from './alpha';
import { AgreementError } from './errors';
import { cohenKappa, type KappaResult, type KappaWeights } from './kappa';

/** One annotator's overall preference on one item (dataset orientation). */
export interface Rating {
  idx: number;
  annotator: string;
  overall: Preference;
  /** Active time on the item in milliseconds; a negative or non-finite value counts as unknown. */
  activeMs: number;
}

/**
 * What is compared: the winner with strength collapsed (A, tie, B; as the paper's merge does) or the full
 * five-point scale (A>>B … B>>A, in that order).
 */
export type Scale = 'winner' | 'five-point';

export const WINNERS: readonly Winner[] = ['A', 'tie', 'B'];

type Category = Winner | Preference;

function categoriesOf(scale: Scale): readonly Category[] {
  return scale === 'winner' ? WINNERS : PREFERENCES;
}

function categoryOf(p: Preference, scale: Scale): Category {
  return scale === 'winner' ? winnerOf(p) : p;
}

/** Submitted annotations with an overall preference, as ratings (drafts and skips carry no judgement). */
export function ratingsFromAnnotations(annotations: readonly Annotation[]): Rating[] {
  return annotations
    .filter((a) => a.status === 'submitted' && a.overall !== undefined)
    .map((a) => ({ idx: a.idx, annotator: a.annotator, overall: a.overall!, activeMs: a.activeMs }));
}

/** Ratings by item, then annotator. Two ratings of one item by one annotator are an error. */
export function ratingsByItem(ratings: readonly Rating[]): Map<number, Map<string, Rating>> {
  const byItem = new Map<number, Map<string, Rating>>();
  for (const r of ratings) {
    if (!Number.isInteger(r.idx) || r.idx < 0)
      throw new AgreementError('bad-input', `rating by "${r.annotator}": item index ${String(r.idx)} is not a non-negative integer`);
    if (!PREFERENCES.includes(r.overall)) {
      throw new AgreementError(
        'unknown-category',
        `item ${r.idx}, annotator "${r.annotator}": overall preference ${String(r.overall)} is not one of ${PREFERENCES.join(', ')}`,
      );
    }
    let row = byItem.get(r.idx);
    if (!row) byItem.set(r.idx, (row = new Map()));
    if (row.has(r.annotator)) {
      throw new AgreementError(
        'duplicate-rating',
        `item ${r.idx} has two ratings by "${r.annotator}"; expected one per annotator and item (pass the annotations of one plan)`,
      );
    }
    row.set(r.annotator, r);
  }
  return byItem;
}

/** Annotators in a stable (sorted) order. */
export function annotatorsOf(ratings: readonly Rating[]): string[] {
  return [...new Set(ratings.map((r) => r.annotator))].sort();
}

export interface KappaOptions {
  scale?: Scale;
  /** Weights for the five-point scale (ignored for winners, which are compared nominally). Default 'none'. */
  weights?: KappaWeights;
}

/** Cohen's kappa of two annotators over the items both rated. */
export function cohenKappaOf(ratings: readonly Rating[], first: string, second: string, options: KappaOptions = {}): KappaResult<Category> {
  const scale = options.scale ?? 'winner';
  const pairs: [Category, Category][] = [];
  const byItem = ratingsByItem(ratings);
  for (const idx of [...byItem.keys()].sort((a, b) => a - b)) {
    const row = byItem.get(idx)!;
    const a = row.get(first);
    const b = row.get(second);
    if (a && b) pairs.push([categoryOf(a.overall, scale), categoryOf(b.overall, scale)]);
  }
  return cohenKappa(pairs, categoriesOf(scale), scale === 'winner' ? 'none' : (options.weights ?? 'none'));
}

export interface PairKappa {
  first: string;
  second: string;
  result: KappaResult<Category>;
}

/** Cohen's kappa for every pair of annotators that share at least one item. */
export function pairwiseKappa(ratings: readonly Rating[], options: KappaOptions = {}): PairKappa[] {
  const names = annotatorsOf(ratings);
  const out: PairKappa[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const result = cohenKappaOf(ratings, names[i]!, names[j]!, options);
      if (result.n > 0) out.push({ first: names[i]!, second: names[j]!, result });
    }
  }
  return out;
}

/**
 * Krippendorff's alpha over all annotators. Units are items; items with one rating are not pairable and do
 * not count. Winners are ordered A < tie < B for the ordinal level; the five-point scale A>>B … B>>A.
 */
export function alphaOf(ratings: readonly Rating[], scale: Scale = 'winner', level: AlphaLevel = 'nominal'): AlphaResult<Category> {
  const byItem = ratingsByItem(ratings);
  const units = [...byItem.keys()]
    .sort((a, b) => a - b)
    .map((idx) => [...byItem.get(idx)!.values()].map((r) => categoryOf(r.overall, scale)));
  return krippendorffAlpha(units, level, categoriesOf(scale));
}

export interface AnnotatorStats {
  annotator: string;
  /** Items rated. */
  items: number;
  /** Items whose active time is known (finite, not negative). */
  timed: number;
  totalMs: number;
  /** Mean and median active time per timed item; null when none is timed. */
  meanMs: number | null;
  medianMs: number | null;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Counts and active time per annotator (sorted by name). */
export function annotatorStats(ratings: readonly Rating[]): AnnotatorStats[] {
  ratingsByItem(ratings);
  const times = new Map<string, { items: number; ms: number[] }>();
  for (const r of ratings) {
    let t = times.get(r.annotator);
    if (!t) times.set(r.annotator, (t = { items: 0, ms: [] }));
    t.items++;
    if (Number.isFinite(r.activeMs) && r.activeMs >= 0) t.ms.push(r.activeMs);
  }
  return [...times.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([annotator, t]) => {
      const sorted = [...t.ms].sort((a, b) => a - b);
      const totalMs = sorted.reduce((s, v) => s + v, 0);
      return {
        annotator,
        items: t.items,
        timed: sorted.length,
        totalMs,
        meanMs: sorted.length ? totalMs / sorted.length : null,
        medianMs: median(sorted),
      };
    });
}

/** The most frequent winner among an item's ratings, or null when two or more winners share the top count. */
export function majorityWinner(ratings: Iterable<Rating>): Winner | null {
  const counts: Record<Winner, number> = { A: 0, tie: 0, B: 0 };
  for (const r of ratings) counts[winnerOf(r.overall)]++;
  const top = Math.max(counts.A, counts.tie, counts.B);
  if (top === 0) return null;
  const winners = WINNERS.filter((w) => counts[w] === top);
  return winners.length === 1 ? winners[0]! : null;
}

export interface HumanLmAgreement {
  /** Items considered: routed items (or all rated items) with at least one rating. */
  items: number;
  /** Of those, items without an LM label, and items whose humans have no majority winner (left out). */
  missingLm: number;
  noMajority: number;
  /** Items compared (human majority winner vs LM winner), how many agree, and the share. */
  compared: number;
  agree: number;
  rate: number | null;
  /** Cohen's kappa between the human majority and the LM, over winners. */
  kappa: KappaResult<Winner>;
  /** Each annotator's own winners against the LM's. */
  perAnnotator: { annotator: string; compared: number; agree: number; rate: number | null }[];
}

/**
 * Agreement of human winners with the LM judge's. `lm` maps item index to the LM label; `routed`, when given,
 * restricts the comparison to those items (the human queue of a plan). The human side is the majority winner
 * of the item's annotators (strength collapsed); items where winners tie for the majority are left out.
 */
export function humanLmAgreement(
  ratings: readonly Rating[],
  lm: ReadonlyMap<number, Preference>,
  routed?: Iterable<number>,
): HumanLmAgreement {
  const byItem = ratingsByItem(ratings);
  const keep = routed ? new Set(routed) : null;
  const pairs: [Winner, Winner][] = [];
  const per = new Map<string, { compared: number; agree: number }>();
  let items = 0;
  let missingLm = 0;
  let noMajority = 0;
  for (const idx of [...byItem.keys()].sort((a, b) => a - b)) {
    if (keep && !keep.has(idx)) continue;
    items++;
    const label = lm.get(idx);
    if (label === undefined) {
      missingLm++;
      continue;
    }
    const lmWinner = winnerOf(label);
    const row = byItem.get(idx)!;
    for (const r of row.values()) {
      let p = per.get(r.annotator);
      if (!p) per.set(r.annotator, (p = { compared: 0, agree: 0 }));
      p.compared++;
      if (winnerOf(r.overall) === lmWinner) p.agree++;
    }
    const human = majorityWinner(row.values());
    if (human === null) {
      noMajority++;
      continue;
    }
    pairs.push([human, lmWinner]);
  }
  const agree = pairs.filter(([h, l]) => h === l).length;
  return {
    items,
    missingLm,
    noMajority,
    compared: pairs.length,
    agree,
    rate: pairs.length ? agree / pairs.length : null,
    kappa: cohenKappa(pairs, WINNERS),
    perAnnotator: [...per.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([annotator, p]) => ({ annotator, ...p, rate: p.compared ? p.agree / p.compared : null })),
  };
}

export interface Disagreement {
  idx: number;
  /** Every rating of the item, by annotator name. */
  ratings: { annotator: string; overall: Preference; winner: Winner }[];
  /** The distinct winners given, in the order A, tie, B. */
  winners: Winner[];
  lm?: Preference;
}

/** Items rated by two or more annotators whose winners differ, by item index. */
export function disagreements(ratings: readonly Rating[], lm?: ReadonlyMap<number, Preference>): Disagreement[] {
  const byItem = ratingsByItem(ratings);
  const out: Disagreement[] = [];
  for (const idx of [...byItem.keys()].sort((a, b) => a - b)) {
    const row = [...byItem.get(idx)!.values()].sort((a, b) => (a.annotator < b.annotator ? -1 : a.annotator > b.annotator ? 1 : 0));
    if (row.length < 2) continue;
    const given = new Set(row.map((r) => winnerOf(r.overall)));
    if (given.size < 2) continue;
    const d: Disagreement = {
      idx,
      ratings: row.map((r) => ({ annotator: r.annotator, overall: r.overall, winner: winnerOf(r.overall) })),
      winners: WINNERS.filter((w) => given.has(w)),
    };
    const label = lm?.get(idx);
    if (label !== undefined) d.lm = label;
    out.push(d);
  }
  return out;
}

export interface AgreementReport {
  annotators: string[];
  ratings: number;
  /** Items with two or more ratings. */
  overlapping: number;
  /** Cohen's kappa over winners for each pair of annotators sharing items, and weighted over the five-point scale. */
  pairs: { first: string; second: string; winner: KappaResult<Category>; fivePoint: KappaResult<Category> }[];
  alpha: { winnerNominal: AlphaResult<Category>; fivePointOrdinal: AlphaResult<Category> };
  annotatorStats: AnnotatorStats[];
  humanLm: HumanLmAgreement | null;
  disagreements: Disagreement[];
}

/** Everything the review page shows, in one pass over the ratings. */
export function agreementReport(
  ratings: readonly Rating[],
  options: { lm?: ReadonlyMap<number, Preference>; routed?: Iterable<number> } = {},
): AgreementReport {
  const byItem = ratingsByItem(ratings);
  const winner = pairwiseKappa(ratings, { scale: 'winner' });
  return {
    annotators: annotatorsOf(ratings),
    ratings: ratings.length,
    overlapping: [...byItem.values()].filter((row) => row.size >= 2).length,
    pairs: winner.map((p) => ({
      first: p.first,
      second: p.second,
      winner: p.result,
      fivePoint: cohenKappaOf(ratings, p.first, p.second, { scale: 'five-point', weights: 'quadratic' }),
    })),
    alpha: { winnerNominal: alphaOf(ratings, 'winner', 'nominal'), fivePointOrdinal: alphaOf(ratings, 'five-point', 'ordinal') },
    annotatorStats: annotatorStats(ratings),
    humanLm: options.lm ? humanLmAgreement(ratings, options.lm, options.routed) : null,
    disagreements: disagreements(ratings, options.lm),
  };
}
