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

/** Plans of a project, newest version first. */
export async function listPlans(db: HyperDb, projectId: string): Promise<PlanRow[]> {
  const rows = await db.plans.where('[projectId+version]').between([projectId, -Infinity], [projectId, Infinity]).toArray();
  return rows.reverse();
}

/** The plan in force: the newest one not superseded. */
export async function currentPlan(db: HyperDb, projectId: string): Promise<PlanRow | undefined> {
  return (await listPlans(db, projectId)).find((p) => !p.supersededBy);
}

/**
 * Locks a new plan as the next version; the previous plan is marked superseded (never edited otherwise,
 * never deleted). Annotations made under earlier plans stay where they are; for pairs the new plan also
 * routes to humans, each annotator's latest one is copied into the new plan, so nobody labels a pair twice.
 */
export async function lockPlan(db: HyperDb, plan: Omit<PlanRow, 'id' | 'version' | 'createdAt' | 'supersededBy'>): Promise<PlanRow> {
  return db.transaction('rw', db.plans, db.annotations, async () => {
    const previous = await listPlans(db, plan.projectId);
    const row: PlanRow = { ...plan, id: newId('plan'), version: (previous[0]?.version ?? 0) + 1, createdAt: Date.now() };
    await db.plans.add(row);
    for (const p of previous) if (!p.supersededBy) await db.plans.update(p.id, { supersededBy: row.id });
    const routed = new Set(row.humanIdx);
    const latest = new Map<string, Annotation>();
    for (const a of await db.annotations.where('projectId').equals(plan.projectId).toArray()) {
      if (a.datasetId !== row.datasetId || !routed.has(a.idx)) continue;
      const key = `${a.idx}|${a.annotator}`;
      const prev = latest.get(key);
      if (!prev || prev.updatedAt < a.updatedAt) latest.set(key, a);
    }
    const copies = [...latest.values()].map((a): Annotation => ({ ...a, id: annotationId(row.id, a.idx, a.annotator), planId: row.id, rev: 1 }));
    if (copies.length) await db.annotations.bulkAdd(copies);
    return row;
  });
}
