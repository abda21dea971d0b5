// The annotator's side of team mode in IndexedDB. The items the server hands out become a local project (a
// dataset that grows as items arrive, and one plan whose queue is them in the order they came), so the usual
// annotation view works on them offline; every submission and skip goes to the outbox first, with its
// idempotency key, and is sent from there.
import { annotationId, type Annotation } from '../domain/annotation';
import type { Message } from '../domain/instance';
import { asDatasetPositions } from '../domain/routing/plan';
import type { QueueItem as ServerItem } from '../domain/team';
import { handedOutDataset, handedOutPlan } from './packs-repo';
import type { HyperDb, InstanceRow, OutboxRow, ProjectRow, TeamItemRow, TeamOrigin } from './db';
import { addInstances } from './instances-repo';

export type { TeamOrigin } from './db';
export type { QueueItem as ServerItem } from '../domain/team';

/** The local project's id for an annotator on a server's plan (stable: opening it again finds it). */
export function teamProjectId(o: Pick<TeamOrigin, 'server' | 'serverPlanId' | 'userId'>): string {
  const safe = o.server.replace(/[^\w]+/g, '_');
  return `team_${safe}_${o.serverPlanId}_${o.userId}`;
}

/** Opens (creating once) the local project of a server plan; the guidelines are the server's. */
export async function openTeamProject(db: HyperDb, origin: TeamOrigin, guidelines: string): Promise<string> {
  const projectId = teamProjectId(origin);
  const datasetId = `${projectId}_data`;
  return db.transaction('rw', [db.projects, db.datasets, db.plans], async () => {
    const existing = await db.projects.get(projectId);
    if (existing) {
      if (existing.guidelines !== guidelines) await db.projects.update(projectId, { guidelines, updatedAt: Date.now() });
      return projectId;
    }
    const now = Date.now();
    const project: ProjectRow = {
      id: projectId,
      name: `${origin.serverProjectName} (team, ${origin.annotator})`,
      isDemo: false,
      createdAt: now,
      updatedAt: now,
      guidelines,
      team: { ...origin },
    };
    await db.projects.add(project);
    await db.datasets.add(
      handedOutDataset({
        id: datasetId,
        projectId,
        name: origin.serverProjectName,
        fileName: origin.server,
        contentHash: `team:${origin.server}:${origin.serverPlanId}`,
        rows: 0,
        withMessages: 0,
        createdAt: now,
      }),
    );
    const plan = handedOutPlan({
      id: `${projectId}_plan`,
      projectId,
      datasetId,
      name: `team server plan ${origin.serverPlanId}`,
      rows: 0,
      createdAt: now,
    });
    await db.plans.add(plan);
    return projectId;
  });
}

/**
 * Adds the items the server handed out that this browser does not have yet: each becomes the next local pair and
 * the next in the local queue. Returns how many were new.
 */
export async function addTeamItems(db: HyperDb, projectId: string, origin: TeamOrigin, items: readonly ServerItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const datasetId = `${projectId}_data`;
  const planId = `${projectId}_plan`;
  return db.transaction('rw', [db.datasets, db.plans, db.instanceBlocks, db.searchBlocks, db.teamItems], async () => {
    const ids = items.map((it) => `${origin.server}|${origin.serverPlanId}|${it.idx}`);
    const have = await db.teamItems.bulkGet(ids);
    const fresh = items.filter((_, i) => !have[i]);
    // A lease renewed: keep the newer end.
    const renewed = items.filter((_, i) => have[i] && have[i]!.leasedUntil !== items[i]!.leasedUntil);
    for (const it of renewed)
      await db.teamItems.update(`${origin.server}|${origin.serverPlanId}|${it.idx}`, { leasedUntil: it.leasedUntil });
    if (fresh.length === 0) return 0;
    const dataset = await db.datasets.get(datasetId);
    const plan = await db.plans.get(planId);
    if (!dataset || !plan) throw new Error('the team project is incomplete: open it again from the server');
    const start = dataset.rowCount;
    const now = Date.now();
    const rows: TeamItemRow[] = fresh.map((it, k) => ({
      id: `${origin.server}|${origin.serverPlanId}|${it.idx}`,
      server: origin.server,
      planId: origin.serverPlanId,
      idx: it.idx,
      localIdx: start + k,
      position: it.position,
      pairId: it.id,
      prompt: it.prompt,
      responseA: it.responseA,
      responseB: it.responseB,
      ...(it.messages ? { messages: it.messages } : {}),
      leasedUntil: it.leasedUntil,
      receivedAt: now,
    }));
    const instances: InstanceRow[] = fresh.map((it, k) => {
      const r: InstanceRow = {
        datasetId,
        idx: start + k,
        id: it.id,
        sourceRow: it.position + 1,
        prompt: it.prompt,
        responseA: it.responseA,
        responseB: it.responseB,
        extra: {},
      };
      if (Array.isArray(it.messages)) r.messages = it.messages as Message[];
      return r;
    });
    await db.teamItems.bulkAdd(rows);
    await addInstances(db, instances);
    const n = start + fresh.length;
    await db.datasets.update(datasetId, { rowCount: n, 'report.rowsRead': n, 'report.importable': n });
    await db.plans.update(planId, {
      humanIdx: asDatasetPositions(Uint32Array.from({ length: n }, (_, i) => i)),
      gains: new Float32Array(n),
      budget: { kind: 'count', value: n, count: n },
    });
    return fresh.length;
  });
}

/** The server's position of a local pair of a team project. */
export async function teamItemOfLocal(db: HyperDb, origin: TeamOrigin, localIdx: number): Promise<TeamItemRow | undefined> {
  return (await db.teamItems.where('[server+planId]').equals([origin.server, origin.serverPlanId]).toArray()).find(
    (t) => t.localIdx === localIdx,
  );
}

export async function listTeamItems(db: HyperDb, origin: TeamOrigin): Promise<TeamItemRow[]> {
  return db.teamItems.where('[server+planId]').equals([origin.server, origin.serverPlanId]).toArray();
}

const newKey = (): string => crypto.randomUUID();

/**
 * Puts a saved annotation's news for the server in the outbox: a submission (once per submitted version: its
 * submittedAt) or, for a skip, giving the item back (once). Returns the new entry, or null when none was due.
 */
export async function enqueueTeamChange(db: HyperDb, origin: TeamOrigin, row: Annotation): Promise<OutboxRow | null> {
  if (row.status !== 'submitted' && row.status !== 'skipped') return null;
  return db.transaction('rw', [db.outbox, db.teamItems], async () => {
    const item = await teamItemOfLocal(db, origin, row.idx);
    if (!item) return null;
    const all = await db.outbox.where('[server+planId]').equals([origin.server, origin.serverPlanId]).toArray();
    const mine = all.filter((o) => o.idx === item.idx);
    // Entries go out in the order they were made: a stamp after every earlier one, even within one millisecond.
    const createdAt = all.reduce((t, o) => Math.max(t, o.createdAt + 1), Date.now());
    if (row.status === 'skipped') {
      if (mine.length > 0) return null;
      const entry: OutboxRow = {
        key: newKey(),
        server: origin.server,
        planId: origin.serverPlanId,
        idx: item.idx,
        kind: 'release',
        state: 'pending',
        createdAt,
        tries: 0,
      };
      await db.outbox.add(entry);
      return entry;
    }
    if (mine.some((o) => o.kind === 'submit' && o.annotation?.submittedAt === row.submittedAt)) return null;
    const entry: OutboxRow = {
      key: newKey(),
      server: origin.server,
      planId: origin.serverPlanId,
      idx: item.idx,
      kind: 'submit',
      annotation: row,
      state: 'pending',
      createdAt,
      tries: 0,
    };
    await db.outbox.add(entry);
    return entry;
  });
}

export async function listOutbox(db: HyperDb, origin: Pick<TeamOrigin, 'server' | 'serverPlanId'>): Promise<OutboxRow[]> {
  const rows = await db.outbox.where('[server+planId]').equals([origin.server, origin.serverPlanId]).toArray();
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

export async function updateOutbox(db: HyperDb, key: string, patch: Partial<OutboxRow>): Promise<void> {
  await db.outbox.update(key, patch);
}

/** Where the lead published a local plan on the team server. */
export interface TeamPublication {
  server: string;
  serverDatasetId: number;
  serverPlanId: number;
  overlap: number;
  leaseSeconds: number;
  pairs: number;
  items: number;
  publishedAt: number;
}

const publicationKey = (planId: string) => `team-publication:${planId}`;

export async function getPublication(db: HyperDb, planId: string): Promise<TeamPublication | null> {
  return ((await db.meta.get(publicationKey(planId)))?.value as TeamPublication | undefined) ?? null;
}

export async function putPublication(db: HyperDb, planId: string, p: TeamPublication): Promise<void> {
  await db.meta.put({ key: publicationKey(planId), value: p });
}

/**
 * The server's labels of a published plan as this project's annotations (under the local plan, dataset and
 * project, origin `server:<plan>`), imported as results files are: the same content twice changes nothing, and
 * work made in this browser is never overwritten.
 */
export function serverLabelsAsLocal(
  annotations: readonly Annotation[],
  local: { projectId: string; datasetId: string; planId: string },
  serverPlanId: number,
): Annotation[] {
  return annotations.map((a) => ({
    ...a,
    id: annotationId(local.planId, a.idx, a.annotator),
    projectId: local.projectId,
    datasetId: local.datasetId,
    planId: local.planId,
    origin: `server:${serverPlanId}`,
  }));
}
