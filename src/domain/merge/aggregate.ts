// Which annotations of an instance count, and how they become one human label.
import type { Annotation } from '../annotation';
import { majorityOf, preferenceFromStrength, strengthOf, type Preference } from '../labels';
import type { Aggregation } from './options';

/** A counted annotation: submitted, with an overall preference. */
export type CountedAnnotation = Annotation & { status: 'submitted'; overall: Preference };

/** Why an annotation of an instance does not count. */
export type AnnotationVerdict = 'counted' | 'incomplete' | 'other-plan' | 'superseded' | 'carried';

/**
 * Sorts one instance's annotations into those that count and those that do not: only submitted ones with an
 * overall preference count, only of `planId` when given, and of several by the same annotator (re-routing can
 * queue an instance again) only the latest. A copy carried into a newer plan (`carriedFrom`) that still holds
 * its source's label is 'carried', not 'superseded', whichever of the two counts. Counted annotations come back ordered by annotator name.
 */
export function countedAnnotations(
  annotations: readonly Annotation[],
  planId?: string,
): { counted: CountedAnnotation[]; verdicts: Map<Annotation, AnnotationVerdict> } {
  const verdicts = new Map<Annotation, AnnotationVerdict>();
  const latest = new Map<string, CountedAnnotation>();
  for (const a of annotations) {
    if (a.status !== 'submitted' || a.overall === undefined) {
      verdicts.set(a, 'incomplete');
      continue;
    }
    if (planId !== undefined && a.planId !== planId) {
      verdicts.set(a, 'other-plan');
      continue;
    }
    const c = a as CountedAnnotation;
    const seen = latest.get(a.annotator);
    if (!seen) {
      latest.set(a.annotator, c);
    } else if (isLater(c, seen)) {
      verdicts.set(seen, 'superseded');
      latest.set(a.annotator, c);
    } else {
      verdicts.set(a, 'superseded');
    }
  }
  const counted = [...latest.values()].sort((x, y) => (x.annotator < y.annotator ? -1 : x.annotator > y.annotator ? 1 : 0));
  for (const c of counted) verdicts.set(c, 'counted');
  // A copy carried into a newer plan, and the annotation it was copied from, are one label made once: the one
  // that does not count is a duplicate record, not an earlier opinion.
  const byId = new Map(annotations.map((a) => [a.id, a]));
  for (const a of annotations) {
    const source = a.carriedFrom === undefined ? undefined : byId.get(a.carriedFrom);
    if (!source || source.annotator !== a.annotator || !sameLabel(a, source)) continue;
    if (verdicts.get(a) === 'superseded') verdicts.set(a, 'carried');
    else if (verdicts.get(source) === 'superseded') verdicts.set(source, 'carried');
  }
  return { counted, verdicts };
}

function sameLabel(a: Annotation, b: Annotation): boolean {
  return a.status === b.status && a.overall === b.overall && a.confidence === b.confidence;
}

function isLater(a: Annotation, b: Annotation): boolean {
  const ta = a.submittedAt ?? a.updatedAt;
  const tb = b.submittedAt ?? b.updatedAt;
  if (ta !== tb) return ta > tb;
  if (a.rev !== b.rev) return a.rev > b.rev;
  // Same time and revision: the id decides, so the result never depends on input order.
  return a.id > b.id;
}

export interface HumanAggregate {
  value: Preference;
  /** The annotations the value was computed from. */
  used: CountedAnnotation[];
}

/** One human label from counted annotations; null when there is none (or the chosen annotator did not label). */
export function aggregateAnnotations(counted: readonly CountedAnnotation[], aggregation: Aggregation): HumanAggregate | null {
  if (counted.length === 0) return null;
  switch (aggregation.kind) {
    case 'majority': {
      const m = majorityOf(counted.map((a) => ({ value: a.overall, original: a.annotator })));
      return m ? { value: m.value, used: [...counted] } : null;
    }
    case 'mean-strength': {
      const mean = counted.reduce((s, a) => s + strengthOf(a.overall), 0) / counted.length;
      return { value: preferenceFromStrength(roundHalfAwayFromZero(mean)), used: [...counted] };
    }
    case 'annotator': {
      const one = counted.find((a) => a.annotator === aggregation.annotator);
      return one ? { value: one.overall, used: [one] } : null;
    }
  }
}

/** Math.round sends -0.5 to 0 but 0.5 to 1, which would favour A; this rounds both away from zero. */
export function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
