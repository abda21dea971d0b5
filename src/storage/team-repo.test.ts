// The annotator's side of team mode in IndexedDB: items handed out become local pairs in arrival order (once each,
// whatever the server repeats), a submission goes to the outbox once per submitted version, a skip gives the item
// back once, and the server's labels come back into the lead's project under the local ids.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../domain/annotation';
import type { QueueItem } from '../domain/team';
import type { TeamOrigin } from './db';
import { addTeamItems, enqueueTeamChange, listOutbox, openTeamProject, serverLabelsAsLocal, teamProjectId } from './team-repo';
import { freshDatabases } from './test-db';
import { readInstanceRange } from './instances-repo';

const freshDb = freshDatabases('team-repo');

const origin: TeamOrigin = {
  server: 'http://127.0.0.1:8787',
  userId: 4,
  annotator: 'ann',
  serverProjectId: 2,
  serverProjectName: 'Kindness',
  serverPlanId: 9,
};

const item = (idx: number, position: number): QueueItem => ({
  idx,
  position,
  id: `pair-${idx}`,
  prompt: `Prompt ${idx}`,
  responseA: `A ${idx}`,
  responseB: `B ${idx}`,
  leasedUntil: '2026-12-04T20:00:00.000Z',
});

function local(idx: number, patch: Partial<Annotation>): Annotation {
  const projectId = teamProjectId(origin);
  return {
    id: `${projectId}_plan|${idx}|ann`,
    projectId,
    datasetId: `${projectId}_data`,
    planId: `${projectId}_plan`,
    idx,
    instanceId: `pair-x`,
    annotator: 'ann',
    status: 'draft',
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 0,
    createdAt: 1,
    updatedAt: 1,
    rev: 1,
    origin: 'local',
    ...patch,
  };
}

describe('team project in the browser', () => {
  it('keeps handed-out items once each, in arrival order, as local pairs and queue', async () => {
    const db = freshDb();
    const projectId = await openTeamProject(db, origin, '# Be kind');
    expect(await openTeamProject(db, origin, '# Be kinder')).toBe(projectId);
    expect((await db.projects.get(projectId))?.guidelines).toBe('# Be kinder');
    expect(await addTeamItems(db, projectId, origin, [item(40, 3), item(12, 5)])).toBe(2);
    // The server repeats what the annotator holds (its lease renewed) and adds one.
    expect(await addTeamItems(db, projectId, origin, [item(12, 5), item(7, 9)])).toBe(1);
    const plan = await db.plans.get(`${projectId}_plan`);
    expect([...plan!.humanIdx]).toEqual([0, 1, 2]);
    const pairs = await readInstanceRange(db, `${projectId}_data`, 0, 9);
    expect(pairs.map((p) => [p.idx, p.id])).toEqual([
      [0, 'pair-40'],
      [1, 'pair-12'],
      [2, 'pair-7'],
    ]);
    expect((await db.datasets.get(`${projectId}_data`))?.rowCount).toBe(3);
  });

  it('puts a submission in the outbox once per submitted version and a skip once, under the server positions', async () => {
    const db = freshDb();
    const projectId = await openTeamProject(db, origin, '');
    await addTeamItems(db, projectId, origin, [item(40, 3), item(12, 5)]);
    expect(await enqueueTeamChange(db, origin, local(0, { status: 'draft' }))).toBeNull();
    const first = await enqueueTeamChange(db, origin, local(0, { status: 'submitted', overall: 'A>B', submittedAt: 100 }));
    expect(first).toMatchObject({ idx: 40, kind: 'submit', state: 'pending' });
    // The same submitted version saved again (active time, say) is not news.
    expect(
      await enqueueTeamChange(db, origin, local(0, { status: 'submitted', overall: 'A>B', submittedAt: 100, activeMs: 9 })),
    ).toBeNull();
    // Edited and submitted again: a new entry with a key of its own.
    const again = await enqueueTeamChange(db, origin, local(0, { status: 'submitted', overall: 'B>A', submittedAt: 200 }));
    expect(again?.key).not.toBe(first?.key);
    expect(await enqueueTeamChange(db, origin, local(1, { status: 'skipped' }))).toMatchObject({ idx: 12, kind: 'release' });
    expect(await enqueueTeamChange(db, origin, local(1, { status: 'skipped' }))).toBeNull();
    // A pair the server never handed out is nothing to send.
    expect(await enqueueTeamChange(db, origin, local(5, { status: 'submitted', overall: 'A>B', submittedAt: 1 }))).toBeNull();
    expect((await listOutbox(db, origin)).map((o) => [o.idx, o.kind, o.annotation?.overall])).toEqual([
      [40, 'submit', 'A>B'],
      [40, 'submit', 'B>A'],
      [12, 'release', undefined],
    ]);
  });

  it("brings the server's labels into the lead's project under its own plan, dataset and ids", () => {
    const server = local(3, {
      status: 'submitted',
      overall: 'A>>B',
      planId: '9',
      projectId: '',
      datasetId: '',
      id: '9|3|ann',
      origin: 'server',
    });
    const [a] = serverLabelsAsLocal([server], { projectId: 'p1', datasetId: 'd1', planId: 'plan-1' }, 9);
    expect(a).toMatchObject({
      id: 'plan-1|3|ann',
      projectId: 'p1',
      datasetId: 'd1',
      planId: 'plan-1',
      origin: 'server:9',
      overall: 'A>>B',
      idx: 3,
    });
  });
});
