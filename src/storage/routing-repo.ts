import { annotationId, type Annotation } from '../domain/annotation';
import type { HyperDb, PlanRow, PpmRow } from './db';
import { newId } from './ids';

export async function putPpm(db: HyperDb, row: PpmRow): Promise<void> {
  await db.ppms.put(row);
}

export async function getPpm(db: HyperDb, hash: string): Promise<PpmRow | undefined> {
  return db.ppms.get(hash);
}

export async function listPpms(db: HyperDb): Promise<PpmRow[]> {
  return db.ppms.toArray();
}

/** Deletes a stored PPM that is not built in. */
export async function removePpm(db: HyperDb, hash: string): Promise<void> {
  await db.transaction('rw', db.ppms, async () => {
    const row = await db.ppms.get(hash);
    if (!row) return;
    if (row.builtIn) throw Object.assign(new Error('A built-in PPM cannot be removed.'), { code: 'built-in' });
    await db.ppms.delete(hash);
  });
}

/** Plans of a project, newest version first. */
export async function listPlans(db: HyperDb, projectId: string): Promise<PlanRow[]> {
  const rows = await db.plans.where('[projectId+version]').between([projectId, -Infinity], [projectId, Infinity]).toArray();
  return rows.reverse();
}

/**
 * The plan in force for Annotate and Export: the one the lead picked (ProjectRow.activePlanId), else the newest
 * one not superseded.
 */
export async function currentPlan(db: HyperDb, projectId: string): Promise<PlanRow | undefined> {
  const [plans, project] = await Promise.all([listPlans(db, projectId), db.projects.get(projectId)]);
  const picked = project?.activePlanId === undefined ? undefined : plans.find((p) => p.id === project.activePlanId);
  return picked ?? plans.find((p) => !p.supersededBy);
}

/** Picks the plan Annotate and Export use (null: the newest). Plans stay as they were; nothing is deleted. */
export async function setActivePlan(db: HyperDb, projectId: string, planId: string | null): Promise<void> {
  await db.transaction('rw', db.projects, db.plans, async () => {
    if (planId !== null) {
      const plan = await db.plans.get(planId);
      if (!plan || plan.projectId !== projectId) throw Object.assign(new Error('That plan is not a plan of this project.'), { code: 'not-found' });
    }
    const newest = (await listPlans(db, projectId))[0];
    const changed = await db.projects.update(projectId, planId === null || planId === newest?.id ? { activePlanId: undefined } : { activePlanId: planId });
    if (changed === 0) throw Object.assign(new Error('The project no longer exists.'), { code: 'not-found' });
  });
}

/** Per plan: submitted annotations made under it (carried copies not counted), and how many annotators made them. */
export async function planLabelCounts(db: HyperDb, projectId: string): Promise<Map<string, { labels: number; annotators: number }>> {
  const byPlan = new Map<string, Set<string>>();
  const counts = new Map<string, { labels: number; annotators: number }>();
  for (const a of await db.annotations.where('projectId').equals(projectId).toArray()) {
    if (a.status !== 'submitted' || a.carriedFrom !== undefined) continue;
    const c = counts.get(a.planId) ?? { labels: 0, annotators: 0 };
    c.labels++;
    const who = byPlan.get(a.planId) ?? new Set<string>();
    who.add(a.annotator);
    byPlan.set(a.planId, who);
    c.annotators = who.size;
    counts.set(a.planId, c);
  }
  return counts;
}

/**
 * Locks a new plan as the next version; the previous plan is marked superseded (never edited otherwise,
 * never deleted) and the new plan is in force (a picked older plan is unpicked). Annotations made under earlier
 * plans stay where they are; for pairs the new plan also routes to humans, each annotator's latest one is copied
 * into the new plan (marked `carriedFrom`), so nobody labels a pair twice.
 */
export async function lockPlan(db: HyperDb, plan: Omit<PlanRow, 'id' | 'version' | 'createdAt' | 'supersededBy'>): Promise<PlanRow> {
  return db.transaction('rw', db.plans, db.annotations, db.projects, async () => {
    const previous = await listPlans(db, plan.projectId);
    const row: PlanRow = { ...plan, id: newId('plan'), version: (previous[0]?.version ?? 0) + 1, createdAt: Date.now() };
    await db.plans.add(row);
    // The newly locked plan is the one in force.
    await db.projects.update(plan.projectId, { activePlanId: undefined });
    for (const p of previous) if (!p.supersededBy) await db.plans.update(p.id, { supersededBy: row.id });
    const routed = new Set(row.humanIdx);
    const latest = new Map<string, Annotation>();
    for (const a of await db.annotations.where('projectId').equals(plan.projectId).toArray()) {
      if (a.datasetId !== row.datasetId || !routed.has(a.idx)) continue;
      const key = `${a.idx}|${a.annotator}`;
      const prev = latest.get(key);
      if (!prev || prev.updatedAt < a.updatedAt) latest.set(key, a);
    }
    const copies = [...latest.values()].map((a): Annotation => ({ ...a, id: annotationId(row.id, a.idx, a.annotator), planId: row.id, rev: 1, carriedFrom: a.id }));
    if (copies.length) await db.annotations.bulkAdd(copies);
    return row;
  });
}
