// An annotator's queue over a locked routing plan, the per-item side randomisation, and the form rules.
import type { Annotation } from '../annotation';
import { swapPreference, type Preference } from '../labels';
import { mulberry32U32 } from '../random';
import { fnv1a32, shuffleInPlace } from '../util';

export type QueueOrder = 'gain' | 'shuffled';

/**
 * The items an annotator works through: the plan's routing order (highest gain first), or a seeded shuffle
 * of it that differs between annotators (the seed is mixed with the annotator's name).
 */
export function buildQueue(humanIdx: ArrayLike<number>, order: QueueOrder, seed: number, annotator: string): Uint32Array {
  const q = Uint32Array.from(humanIdx as ArrayLike<number>);
  if (order === 'gain') return q;
  const next = mulberry32U32((seed ^ fnv1a32(annotator)) >>> 0);
  shuffleInPlace(q, (k) => next() % k);
  return q;
}

/**
 * Where an annotator starts in a queue they have not opened before (a newly locked or newly picked plan): the
 * first item they have not submitted or skipped, or the start when every item is done.
 */
export function resumePosition(queue: ArrayLike<number>, annotations: readonly Pick<Annotation, 'idx' | 'status'>[]): number {
  const done = new Set(annotations.filter((a) => a.status !== 'draft').map((a) => a.idx));
  for (let p = 0; p < queue.length; p++) if (!done.has(queue[p]!)) return p;
  return 0;
}

/** Whether the annotator sees responseB on the left for this item: a fair coin, stable per annotator, plan and item. */
export function sidesSwapped(planId: string, idx: number, annotator: string): boolean {
  return (mulberry32U32(fnv1a32(`${planId}|${idx}|${annotator}`))() & 1) === 1;
}

/** A preference as the annotator saw it (left = "A") to the dataset's orientation, and back (same map). */
export function orientPreference(p: Preference, swapped: boolean): Preference {
  return swapped ? swapPreference(p) : p;
}

/** What is missing before an annotation can be submitted (empty when it can). */
export function missingForSubmit(a: Pick<Annotation, 'overall' | 'confidence'>): string[] {
  const missing: string[] = [];
  if (!a.overall) missing.push('the overall preference');
  if (!a.confidence) missing.push('your confidence');
  return missing;
}

/** The fields that make up an annotator's work, for comparing two versions of an annotation. */
export function annotationContent(a: Annotation): string {
  return JSON.stringify([a.status, a.overall ?? null, a.confidence ?? null, a.aspects, a.rationale, a.flag ?? null, a.skipReason ?? null]);
}
