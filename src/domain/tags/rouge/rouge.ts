// ROUGE-1 F-measure exactly as Google's `rouge-score` computes `rouge1` with `use_stemmer=True`
// (HyPER's `rouge` score: A is the prediction, B the target).
// Tokens: lowercase the text, turn every character outside [a-z0-9] into a space, split on whitespace,
// stem tokens longer than 3 characters with NLTK's Porter stemmer (default mode, see porter.ts).
// Score: overlap = sum over unigrams of min(count in prediction, count in target);
// precision = overlap / max(#prediction, 1), recall = overlap / max(#target, 1),
// F = 2 * P * R / (P + R), or 0 when P + R = 0 (so an empty side, or both, gives 0).
// The arithmetic follows rouge-score's order of operations, so results are bit-identical to it.
import { porterStem } from './porter';

/**
 * Stems are cached in two generations of at most STEM_CACHE_GENERATION entries each: when the young one is
 * full it becomes the old one (the previous old one is dropped) and hits in the old one move back to the
 * young one. Bounded (2 x the limit) and O(1) per lookup; FIFO eviction through `map.keys().next()` is not
 * (V8 then walks over every deleted slot).
 */
const STEM_CACHE_GENERATION = 30_000;
let youngStems = new Map<string, string>();
let oldStems = new Map<string, string>();

function cachedStem(token: string): string {
  let stem = youngStems.get(token);
  if (stem !== undefined) return stem;
  stem = oldStems.get(token) ?? porterStem(token);
  if (youngStems.size >= STEM_CACHE_GENERATION) {
    oldStems = youngStems;
    youngStems = new Map();
  }
  youngStems.set(token, stem);
  return stem;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Calls `emit` for every token of `text`, in order, after lowercasing, splitting and stemming. */
function forEachToken(text: string, emit: (token: string) => void): void {
  // Full Unicode lowercasing first, as Python's str.lower() does (e.g. the Kelvin sign becomes "k").
  const s = text.toLowerCase();
  const n = s.length;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const inToken = i < n && isAsciiAlnum(s.charCodeAt(i));
    if (inToken) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const token = s.slice(start, i);
      emit(token.length > 3 ? cachedStem(token) : token);
      start = -1;
    }
  }
}

/** rouge-score's tokens of `text` (with stemming), in order. */
export function rougeTokens(text: string): string[] {
  const out: string[] = [];
  forEachToken(text, (t) => out.push(t));
  return out;
}

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** ROUGE-1 precision, recall and F of `prediction` against `target`, as rouge-score computes them. */
export function rouge1(prediction: string, target: string): RougeScore {
  const targetCounts = new Map<string, number>();
  let targetTotal = 0;
  forEachToken(target, (t) => {
    targetCounts.set(t, (targetCounts.get(t) ?? 0) + 1);
    targetTotal++;
  });
  let predictionTotal = 0;
  let overlap = 0;
  forEachToken(prediction, (t) => {
    predictionTotal++;
    const left = targetCounts.get(t);
    if (left !== undefined && left > 0) {
      targetCounts.set(t, left - 1);
      overlap++;
    }
  });
  const precision = overlap / Math.max(predictionTotal, 1);
  const recall = overlap / Math.max(targetTotal, 1);
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

/** ROUGE-1 F-measure of `prediction` (HyPER: response A) against `target` (response B); 0 if either has no tokens. */
export function rouge1F(prediction: string, target: string): number {
  return rouge1(prediction, target).fmeasure;
}
