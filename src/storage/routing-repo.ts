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
 * never deleted, and annotations made under it stay where they are).
 */
export async function lockPlan(db: HyperDb, plan: Omit<PlanRow, 'id' | 'version' | 'createdAt' | 'supersededBy'>): Promise<PlanRow> {
  return db.transaction('rw', db.plans, async () => {
    const previous = await listPlans(db, plan.projectId);
    const row: PlanRow = { ...plan, id: newId('plan'), version: (previous[0]?.version ?? 0) + 1, createdAt: Date.now() };
    await db.plans.add(row);
    for (const p of previous) if (!p.supersededBy) await db.plans.update(p.id, { supersededBy: row.id });
    return row;
  });
}
