import { HyperError, generalError } from '../domain/errors';
import type { Annotation } from '../domain/annotation';
import { planResultsImport, type ImportPlan } from '../domain/annotate/pack';
import type { AnnotatorStateRow, HyperDb } from './db';

/** Another tab (or window) saved this annotation since it was loaded here. */
export class AnnotationConflictError extends HyperError<'conflict'> {
  override readonly name = 'AnnotationConflictError';
  constructor(readonly current: Annotation | undefined) {
    super(
      'conflict',
      current
        ? `This item was changed in another tab at ${new Date(current.updatedAt).toLocaleTimeString()} (revision ${current.rev}).`
        : 'This item was removed in another tab.',
    );
  }
}

export async function getAnnotation(db: HyperDb, id: string): Promise<Annotation | undefined> {
  return db.annotations.get(id);
}

/**
 * Writes an annotation if the stored revision is still `expectedRev` (0 = not stored yet); the stored row
 * gets revision expectedRev + 1. Otherwise throws AnnotationConflictError with what is stored, so two tabs
 * never overwrite each other silently.
 */
export async function saveAnnotation(db: HyperDb, a: Annotation, expectedRev: number): Promise<Annotation> {
  return db.transaction('rw', db.annotations, async () => {
    const current = await db.annotations.get(a.id);
    if ((current?.rev ?? 0) !== expectedRev) throw new AnnotationConflictError(current);
    const row = { ...a, rev: expectedRev + 1 };
    await db.annotations.put(row);
    return row;
  });
}

export async function listAnnotationsOf(db: HyperDb, planId: string, annotator: string): Promise<Annotation[]> {
  return db.annotations.where('[planId+annotator]').equals([planId, annotator]).toArray();
}

export async function listProjectAnnotations(db: HyperDb, projectId: string): Promise<Annotation[]> {
  return db.annotations.where('projectId').equals(projectId).toArray();
}

export async function getAnnotatorState(db: HyperDb, projectId: string, annotator: string): Promise<AnnotatorStateRow | undefined> {
  return db.annotatorStates.get(`${projectId}|${annotator}`);
}

export async function putAnnotatorState(db: HyperDb, row: AnnotatorStateRow): Promise<void> {
  await db.annotatorStates.put(row);
}

/** Imports annotation results in one transaction (see planResultsImport); returns what happened. */
export async function importAnnotations(db: HyperDb, incoming: readonly Annotation[], origin: string): Promise<ImportPlan> {
  return db.transaction('rw', db.annotations, async () => {
    const existing = new Map(
      (await db.annotations.bulkGet(incoming.map((a) => a.id))).filter((a): a is Annotation => !!a).map((a) => [a.id, a]),
    );
    const plan = planResultsImport(incoming, existing, origin);
    await db.annotations.bulkPut([...plan.add, ...plan.update]);
    return plan;
  });
}

/** Annotations brought in from results files (origin other than 'local'), per annotator and origin. */
export async function listImportedResults(db: HyperDb, projectId: string): Promise<{ annotator: string; origin: string; count: number }[]> {
  const counts = new Map<string, { annotator: string; origin: string; count: number }>();
  for (const a of await db.annotations.where('projectId').equals(projectId).toArray()) {
    if (a.origin === 'local') continue;
    const key = `${a.annotator}\u0000${a.origin}`;
    const c = counts.get(key) ?? { annotator: a.annotator, origin: a.origin, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.values()].sort((x, y) =>
    x.annotator < y.annotator ? -1 : x.annotator > y.annotator ? 1 : x.origin < y.origin ? -1 : 1,
  );
}

/**
 * Deletes one annotator's annotations imported from one origin (a results file), and the copies of them carried
 * into newer plans. Work made in this browser ('local') is never touched. Returns how many were deleted.
 */
export async function removeImportedResults(db: HyperDb, projectId: string, annotator: string, origin: string): Promise<number> {
  if (origin === 'local') throw generalError('bad-origin', 'Annotations made in this browser are not imported results.');
  return db.transaction('rw', db.annotations, async () => {
    const rows = await db.annotations.where('[projectId+annotator]').equals([projectId, annotator]).toArray();
    const ids = rows.filter((a) => a.origin === origin).map((a) => a.id);
    await db.annotations.bulkDelete(ids);
    return ids.length;
  });
}
