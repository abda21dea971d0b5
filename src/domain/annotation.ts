// Human annotations in the MultiPref-style schema (HyPER spec section 5). Preferences are always stored in
// the dataset's orientation (A = the record's responseA), whatever side the annotator saw it on.
import { majorityOf, type Preference } from './labels';

export const CONFIDENCES = ['absolutely-confident', 'fairly-confident', 'not-confident'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const CONFIDENCE_TEXT: Record<Confidence, string> = {
  'absolutely-confident': 'Absolutely confident',
  'fairly-confident': 'Fairly confident',
  'not-confident': 'Not confident',
};

export const ASPECTS = ['helpfulness', 'truthfulness', 'harmlessness'] as const;
export type Aspect = (typeof ASPECTS)[number];

/** Reasons an annotator may tick for each aspect. */
export const ASPECT_REASONS: Record<Aspect, readonly string[]> = {
  helpfulness: ['correct', 'informative', 'concise', 'well-formatted', 'coherent', 'creative', 'understandable', 'better-tone'],
  truthfulness: ['factual', 'faithful', 'aware-of-time', 'aware-of-confusion', 'aware-of-falsehood', 'aware-of-incapabilities'],
  harmlessness: ['not-offensive', 'not-dangerous', 'avoids-restricted-content', 'respects-privacy'],
};

export interface AspectJudgement {
  preference?: Preference;
  confidence?: Confidence;
  reasons: string[];
  text: string;
}

export type AnnotationStatus = 'draft' | 'submitted' | 'skipped';

export interface Annotation {
  /** `${planId}|${idx}|${annotator}`: one annotation per annotator, plan and instance. */
  id: string;
  projectId: string;
  datasetId: string;
  /** The plan whose queue the item came from. Re-routing never deletes annotations of older plans. */
  planId: string;
  /** Instance position in the dataset, and its id (for exports and packs). */
  idx: number;
  instanceId: string;
  annotator: string;
  status: AnnotationStatus;
  /** Overall preference in the dataset's orientation; required to submit. */
  overall?: Preference;
  confidence?: Confidence;
  aspects: Partial<Record<Aspect, AspectJudgement>>;
  rationale: string;
  /** Set when the annotator flagged the item (the reason, possibly empty). */
  flag?: string;
  skipReason?: string;
  /** True when the annotator saw responseB on the left (as "A"). */
  swapped: boolean;
  /** Active time on the item (tab visible), milliseconds. */
  activeMs: number;
  createdAt: number;
  updatedAt: number;
  submittedAt?: number;
  /** Incremented on every write; a writer holding an older revision is told instead of overwriting. */
  rev: number;
  /** Where it was made: 'local', or 'pack:<packId>' for results imported from an annotation pack. */
  origin: string;
  /**
   * Set on a copy made when a newer plan was locked and routed the instance again: the id of the annotation
   * it was copied from (so the annotator's queue shows it done, and the merge counts the label once).
   */
  carriedFrom?: string;
}

export function annotationId(planId: string, idx: number, annotator: string): string {
  return `${planId}|${idx}|${annotator}`;
}

/**
 * The annotations a newly locked plan starts with: for each pair it routes, each annotator's latest annotation
 * of that pair (made under any earlier plan of the dataset), copied into the new plan and marked `carriedFrom`,
 * so nobody labels a pair twice. The originals stay where they are.
 */
export function carriedAnnotations(
  plan: { id: string; datasetId: string; humanIdx: ArrayLike<number> },
  annotations: Iterable<Annotation>,
): Annotation[] {
  const routed = new Set(Array.from(plan.humanIdx));
  const latest = new Map<string, Annotation>();
  for (const a of annotations) {
    if (a.datasetId !== plan.datasetId || a.planId === plan.id || !routed.has(a.idx)) continue;
    const key = `${a.idx}|${a.annotator}`;
    const prev = latest.get(key);
    if (!prev || prev.updatedAt < a.updatedAt) latest.set(key, a);
  }
  return [...latest.values()].map((a): Annotation => ({
    ...a,
    id: annotationId(plan.id, a.idx, a.annotator),
    planId: plan.id,
    rev: 1,
    carriedFrom: a.id,
  }));
}

/**
 * Per pair of a dataset, the people's label: the majority winner (labels.ts majorityOf) of the submitted overall
 * preferences, the latest one per annotator (a pair re-routed by a newer plan may carry two of one annotator).
 */
export function annotatorMajorities(annotations: Iterable<Annotation>, datasetId: string): Map<number, Preference> {
  const latest = new Map<number, Map<string, { value: Preference; at: number }>>();
  for (const a of annotations) {
    if (a.datasetId !== datasetId || a.status !== 'submitted' || !a.overall) continue;
    const by = latest.get(a.idx) ?? new Map<string, { value: Preference; at: number }>();
    const prev = by.get(a.annotator);
    if (!prev || prev.at < a.updatedAt) by.set(a.annotator, { value: a.overall, at: a.updatedAt });
    latest.set(a.idx, by);
  }
  const out = new Map<number, Preference>();
  for (const [idx, by] of latest) {
    const m = majorityOf([...by.values()].map((v) => ({ value: v.value, original: v.value })));
    if (m) out.set(idx, m.value);
  }
  return out;
}
