import { carriedAnnotations } from '../domain/annotation';
import type { HyperDb, PlanRow, PpmRow } from './db';
import { newId } from './ids';
import { getDataset } from './datasets-repo';
import { readInstances } from './instances-repo';
import { orientationOf } from '../domain/formats/orientation';
import { readPpmInfo } from '../domain/ppm/contract';
import { planHumans, planToFile, type PlanFile } from '../domain/routing/plan-file';
import { generalError } from '../domain/errors';

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
    if (row.builtIn) throw generalError('built-in', 'A built-in PPM cannot be removed.');
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
      if (!plan || plan.projectId !== projectId) throw generalError('not-found', 'That plan is not a plan of this project.');
    }
    const newest = (await listPlans(db, projectId))[0];
    const changed = await db.projects.update(
      projectId,
      planId === null || planId === newest?.id ? { activePlanId: undefined } : { activePlanId: planId },
    );
    if (changed === 0) throw generalError('not-found', 'The project no longer exists.');
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
 * plans stay where they are; the new plan starts with the copies `carriedAnnotations` (domain/annotation.ts) picks.
 */
export async function lockPlan(db: HyperDb, plan: Omit<PlanRow, 'id' | 'version' | 'createdAt' | 'supersededBy'>): Promise<PlanRow> {
  return db.transaction('rw', db.plans, db.annotations, db.projects, async () => {
    const previous = await listPlans(db, plan.projectId);
    const row: PlanRow = { ...plan, id: newId('plan'), version: (previous[0]?.version ?? 0) + 1, createdAt: Date.now() };
    await db.plans.add(row);
    // The newly locked plan is the one in force.
    await db.projects.update(plan.projectId, { activePlanId: undefined });
    for (const p of previous) if (!p.supersededBy) await db.plans.update(p.id, { supersededBy: row.id });
    const copies = carriedAnnotations(row, await db.annotations.where('projectId').equals(plan.projectId).toArray());
    if (copies.length) await db.annotations.bulkAdd(copies);
    return row;
  });
}

/**
 * A stored plan as a plan file (what `hyper route` writes and `hyper merge` reads): the routed pairs with their
 * ids, the dataset's hash and orientation, the PPM's contract. Throws RoutingError('bad-plan') when the dataset
 * no longer has a pair the plan routes.
 */
export async function planFileOf(db: HyperDb, plan: PlanRow, producedBy: PlanFile['producedBy']): Promise<PlanFile> {
  const [dataset, rows, ppmRow] = await Promise.all([
    getDataset(db, plan.datasetId),
    readInstances(db, plan.datasetId, [...plan.humanIdx]),
    plan.ppm ? undefined : getPpm(db, plan.ppmHash),
  ]);
  const ids = new Map(rows.map((r) => [r.idx, r.id] as const));
  const n = dataset?.rowCount ?? 0;
  let ppm = plan.ppm;
  if (!ppm && ppmRow) {
    try {
      const info = readPpmInfo(ppmRow.bytes);
      ppm = { kind: info.kind, output: info.output, source: info.source, missingInData: [] };
    } catch {
      // A stored PPM that no longer reads: the file says its kind is unknown.
    }
  }
  return planToFile(
    plan,
    {
      producedBy,
      createdAt: new Date(plan.createdAt).toISOString(),
      dataset: {
        name: dataset?.name ?? plan.datasetId,
        ...(dataset ? { sha256: dataset.contentHash, ...orientationOf(dataset.shape, dataset.options.seed) } : {}),
        n,
      },
      ppm: {
        name: plan.ppmName,
        sha256: plan.ppmHash,
        kind: ppm?.kind ?? 'unknown',
        output: ppm?.output ?? 'unknown',
        ...(ppm ? { source: ppm.source } : {}),
        missingInData: ppm?.missingInData ?? [],
        backend: plan.backend,
      },
    },
    planHumans(plan, (idx) => ids.get(idx), n),
  );
}
