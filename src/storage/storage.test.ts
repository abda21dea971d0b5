import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { freshDatabases } from './test-db';
import {
  AnnotationConflictError,
  getAnnotation,
  importAnnotations,
  listAnnotationsOf,
  listProjectAnnotations,
  saveAnnotation,
} from './annotations-repo';
import { appendInstances, beginImport, deleteDataset, finishImport, listDatasets, removeStaleImports } from './datasets-repo';
import { countInstances, forEachInstanceChunk, forEachSearchBlock, readInstanceRange, readInstances } from './instances-repo';
import { createProject, deleteProject, listProjects, renameProject } from './projects-repo';
import { INSTANCE_BLOCK } from './db';
import { DatasetIndex, EMPTY_QUERY } from '../domain/dataset-query';
import type { ImportReport } from '../domain/formats/report';
import type { PairRecord } from '../domain/instance';
import { DEFAULT_MAP_OPTIONS } from '../domain/formats/types';
import { asDatasetPositions } from '../domain/routing/plan';

const freshDb = freshDatabases('test');

const zero = { 'A>>B': 0, 'A>B': 0, 'A=B': 0, 'B>A': 0, 'B>>A': 0 };
const report: ImportReport = {
  fileName: 'f.jsonl',
  format: 'jsonl',
  compressed: false,
  shape: 'pairs',
  columns: ['prompt'],
  rowsRead: 2,
  importable: 2,
  rejected: [],
  warnings: [],
  withLmLabel: 0,
  withHumanLabel: 0,
  lmCounts: zero,
  humanCounts: zero,
  withModelNames: 0,
  withTags: 0,
  withScores: 0,
  withMessages: 0,
};
const record = (i: number): PairRecord => ({ id: `r${i}`, sourceRow: i + 1, prompt: `p${i}`, responseA: 'a', responseB: 'b', extra: {} });
const newDataset = (projectId: string) => ({
  projectId,
  name: 'd',
  fileName: 'f.jsonl',
  format: 'jsonl' as const,
  compressed: false,
  shape: 'pairs' as const,
  options: DEFAULT_MAP_OPTIONS,
  contentHash: 'x',
  report,
});

describe('projects', () => {
  it('creates, renames, lists most recent first, and rejects empty names', async () => {
    const db = freshDb();
    const a = await createProject(db, '  First ');
    await new Promise((r) => setTimeout(r, 5));
    await createProject(db, 'Second');
    expect(a.name).toBe('First');
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Second', 'First']);
    await new Promise((r) => setTimeout(r, 5));
    await renameProject(db, a.id, 'Renamed');
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Renamed', 'Second']);
    await expect(createProject(db, '   ')).rejects.toThrow('needs a name');
    await expect(renameProject(db, 'missing', 'x')).rejects.toThrow('does not exist');
  });

  it('deleting a project removes its datasets and instances but not other projects', async () => {
    const db = freshDb();
    const keep = await createProject(db, 'Keep');
    const drop = await createProject(db, 'Drop');
    for (const p of [keep, drop]) {
      const id = await beginImport(db, newDataset(p.id));
      await appendInstances(db, id, 0, [record(0), record(1)]);
      await finishImport(db, id, 2);
    }
    await deleteProject(db, drop.id);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Keep']);
    expect(await db.datasets.count()).toBe(1);
    expect(await countInstances(db)).toBe(2);
  });
});

describe('datasets', () => {
  it('an import is invisible until finished, and reads back in order', async () => {
    const db = freshDb();
    const p = await createProject(db, 'P');
    const id = await beginImport(db, newDataset(p.id));
    await appendInstances(db, id, 0, [record(0), record(1)]);
    expect(await listDatasets(db, p.id)).toEqual([]);
    await appendInstances(db, id, 2, [record(2)]);
    await finishImport(db, id, 3);
    const listed = await listDatasets(db, p.id);
    expect(listed.map((d) => [d.status, d.rowCount])).toEqual([['ready', 3]]);
    expect((await readInstanceRange(db, id, 1, 5)).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect((await readInstances(db, id, [2, 0, 9])).map((r) => r.id)).toEqual(['r2', 'r0']);
  });

  it('stores pairs in blocks: appends of any size meet across block edges, nothing is overwritten or skipped', async () => {
    const db = freshDb();
    const p = await createProject(db, 'P');
    const id = await beginImport(db, newDataset(p.id));
    // 1,000 pairs in uneven appends (100, 157, 1, 600, 142), crossing the 256-pair block edges mid-append.
    let at = 0;
    for (const size of [100, 157, 1, 600, 142]) {
      await appendInstances(
        db,
        id,
        at,
        Array.from({ length: size }, (_, i) => record(at + i)),
      );
      at += size;
    }
    expect(await db.instanceBlocks.count()).toBe(Math.ceil(1000 / INSTANCE_BLOCK));
    expect((await readInstanceRange(db, id, 0, 1000)).map((r) => r.idx)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect((await readInstanceRange(db, id, 250, 10)).map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `r${250 + i}`));
    expect((await readInstances(db, id, [999, 0, 256, 255, 5000])).map((r) => r.id)).toEqual(['r999', 'r0', 'r256', 'r255']);
    const chunks: number[] = [];
    await forEachInstanceChunk(db, id, 300, (rows) => chunks.push(rows.length));
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(1000);
    // A position stored already is refused, at a block's start and inside one; so is a gap.
    await expect(appendInstances(db, id, 0, [record(0)])).rejects.toThrow();
    await expect(appendInstances(db, id, 300, [record(300)])).rejects.toThrow(/already holds a pair at position 300/);
    await expect(appendInstances(db, id, 1005, [record(1005)])).rejects.toThrow(/no pairs at positions 1000\.\.1004/);
    expect(await countInstances(db, id)).toBe(1000);
    expect((await readInstances(db, id, [300]))[0]?.prompt).toBe('p300');
    // The search form was written with every append and reads back complete, as the pairs themselves index.
    const stored = new DatasetIndex();
    expect(await forEachSearchBlock(db, id, (b) => stored.addBlock(b))).toBe(true);
    const direct = new DatasetIndex();
    (await readInstanceRange(db, id, 0, 1000)).forEach((r) => direct.add(r));
    for (const search of ['p25', 'p999', 'r1', 'nope', ''])
      expect([...stored.query({ ...EMPTY_QUERY, search })]).toEqual([...direct.query({ ...EMPTY_QUERY, search })]);
    expect(stored.query({ ...EMPTY_QUERY, search: 'p25' }).length).toBe(11);
    await deleteDataset(db, id);
    expect(await db.searchBlocks.count()).toBe(0);
  });

  it('a rolled-back import leaves other datasets untouched', async () => {
    const db = freshDb();
    const p = await createProject(db, 'P');
    const done = await beginImport(db, newDataset(p.id));
    await appendInstances(db, done, 0, [record(0)]);
    await finishImport(db, done, 1);
    const failed = await beginImport(db, newDataset(p.id));
    await appendInstances(db, failed, 0, [record(0), record(1)]);
    await deleteDataset(db, failed);
    expect(await db.datasets.count()).toBe(1);
    expect((await readInstanceRange(db, done, 0, 10)).map((r) => r.id)).toEqual(['r0']);
    expect(await readInstanceRange(db, failed, 0, 10)).toEqual([]);
  });

  it('removes imports left half-written by a crashed tab, but not live ones', async () => {
    const db = freshDb();
    const p = await createProject(db, 'P');
    const dead = await beginImport(db, newDataset(p.id));
    await appendInstances(db, dead, 0, [record(0)]);
    const live = await beginImport(db, newDataset(p.id));
    const now = Date.now();
    await db.meta.put({ key: `import-heartbeat:${dead}`, value: now - 10 * 60_000 });
    expect(await removeStaleImports(db, now)).toBe(1);
    expect(await db.datasets.get(dead)).toBeUndefined();
    expect(await countInstances(db)).toBe(0);
    expect(await db.datasets.get(live)).toBeDefined();
  });
});

describe('schema migrations', () => {
  it('opens a version-1 database and upgrades its projects without losing data', async () => {
    const name = `test-migrate-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      projects: 'id, name, createdAt',
      datasets: 'id, projectId, status, createdAt',
      instances: '[datasetId+idx]',
      meta: 'key',
    });
    await v1.table('projects').add({ id: 'p1', name: 'Old', createdAt: 1000 });
    await v1.table('instances').add({ datasetId: 'd1', idx: 0, id: 'x', prompt: 'kept' });
    // A dataset of 600 pairs (more than two blocks) and one of 3, as the old per-pair records.
    await v1
      .table('instances')
      .bulkAdd(Array.from({ length: 600 }, (_, idx) => ({ datasetId: 'd2', idx, id: `y${idx}`, prompt: `p${idx}` })));
    await v1
      .table('instances')
      .bulkAdd(Array.from({ length: 3 }, (_, idx) => ({ datasetId: 'd3', idx, id: `z${idx}`, prompt: `q${idx}` })));
    v1.close();
    const db = freshDb(name);
    const p = await db.projects.get('p1');
    expect(p).toMatchObject({ name: 'Old', createdAt: 1000, updatedAt: 1000, guidelines: '', isDemo: false });
    expect((await readInstances(db, 'd1', [0]))[0]?.prompt).toBe('kept');
    const d2 = await readInstanceRange(db, 'd2', 0, 1000);
    expect(d2.map((r) => r.idx)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(d2.map((r) => r.prompt)).toEqual(Array.from({ length: 600 }, (_, i) => `p${i}`));
    expect((await readInstanceRange(db, 'd3', 1, 5)).map((r) => r.id)).toEqual(['z1', 'z2']);
    expect(await countInstances(db)).toBe(604);
    // The per-pair table is gone; the pairs live in blocks.
    expect(db.tables.map((t) => t.name)).not.toContain('instances');
    expect(await db.instanceBlocks.count()).toBe(1 + 3 + 1);
    const index = new DatasetIndex();
    expect(await forEachSearchBlock(db, 'd2', (b) => index.addBlock(b))).toBe(true);
    expect([...index.query({ ...EMPTY_QUERY, search: 'p599' })]).toEqual([599]);
    expect(db.verno).toBe(8);
  });
});

describe('routing plans', () => {
  it('locks versions in order and supersedes the previous plan without deleting it', async () => {
    const { lockPlan, listPlans, currentPlan } = await import('./routing-repo');
    const db = freshDb();
    const p = await createProject(db, 'P');
    const base = {
      projectId: p.id,
      datasetId: 'd',
      ppmHash: 'h',
      ppmName: 'paper prior',
      strategy: 'topk' as const,
      budget: { kind: 'count' as const, value: 2, count: 2 },
      seed: 1,
      candidates: 1,
      humanIdx: asDatasetPositions(new Uint32Array([3, 1])),
      gains: new Float32Array([0.5, 0.2]),
      predicted: 0.7,
      predictedAllLm: 0,
      predictedAllHuman: 1,
      backend: 'wasm',
      featureSetCreatedAt: 0,
    };
    const v1 = await lockPlan(db, base);
    const v2 = await lockPlan(db, { ...base, strategy: 'simulated' as const });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const plans = await listPlans(db, p.id);
    expect(plans.map((x) => [x.version, x.supersededBy ?? null])).toEqual([
      [2, null],
      [1, v2.id],
    ]);
    expect((await currentPlan(db, p.id))?.id).toBe(v2.id);
    expect([...plans[1]!.humanIdx]).toEqual([3, 1]);
    await deleteProject(db, p.id);
    expect(await db.plans.count()).toBe(0);
  });

  it('re-routing keeps every annotation and carries the latest one per annotator into the new plan', async () => {
    const { lockPlan } = await import('./routing-repo');
    const db = freshDb();
    const p = await createProject(db, 'P');
    const base = {
      projectId: p.id,
      datasetId: 'd',
      ppmHash: 'h',
      ppmName: 'paper prior',
      strategy: 'topk' as const,
      budget: { kind: 'count' as const, value: 2, count: 2 },
      seed: 1,
      candidates: 1,
      humanIdx: asDatasetPositions(new Uint32Array([1, 2, 3])),
      gains: new Float32Array(3),
      predicted: 0.7,
      predictedAllLm: 0,
      predictedAllHuman: 1,
      backend: 'wasm',
      featureSetCreatedAt: 0,
    };
    const v1 = await lockPlan(db, base);
    const ann = (idx: number, annotator: string, overall: 'A>B' | 'B>A') => ({
      id: `${v1.id}|${idx}|${annotator}`,
      projectId: p.id,
      datasetId: 'd',
      planId: v1.id,
      idx,
      instanceId: `i${idx}`,
      annotator,
      status: 'submitted' as const,
      overall,
      aspects: {},
      rationale: 'why',
      swapped: false,
      activeMs: 5,
      createdAt: 1,
      updatedAt: 2,
      rev: 0,
      origin: 'local',
    });
    await saveAnnotation(db, ann(2, 'ana', 'A>B'), 0);
    await saveAnnotation(db, ann(3, 'bo', 'B>A'), 0);
    const v2 = await lockPlan(db, { ...base, humanIdx: asDatasetPositions(new Uint32Array([2, 4])) });
    const all = await listProjectAnnotations(db, p.id);
    expect(
      all
        .filter((a) => a.planId === v1.id)
        .map((a) => a.idx)
        .sort(),
    ).toEqual([2, 3]);
    const carried = await listAnnotationsOf(db, v2.id, 'ana');
    expect(carried.map((a) => [a.idx, a.overall, a.status, a.rationale, a.carriedFrom])).toEqual([
      [2, 'A>B', 'submitted', 'why', `${v1.id}|2|ana`],
    ]);
    expect(await listAnnotationsOf(db, v2.id, 'bo')).toEqual([]);
  });

  it('the lead picks the plan in use; locking a new one puts the new one in use; labels are counted per plan', async () => {
    const { lockPlan, currentPlan, setActivePlan, planLabelCounts } = await import('./routing-repo');
    const db = freshDb();
    const p = await createProject(db, 'P');
    const base = {
      projectId: p.id,
      datasetId: 'd',
      ppmHash: 'h',
      ppmName: 'paper prior',
      strategy: 'topk' as const,
      budget: { kind: 'count' as const, value: 2, count: 2 },
      seed: 1,
      candidates: 1,
      humanIdx: asDatasetPositions(new Uint32Array([1, 2])),
      gains: new Float32Array(2),
      predicted: 0.7,
      predictedAllLm: 0,
      predictedAllHuman: 1,
      backend: 'wasm',
      featureSetCreatedAt: 0,
    };
    const v1 = await lockPlan(db, base);
    await saveAnnotation(
      db,
      {
        id: `${v1.id}|1|ana`,
        projectId: p.id,
        datasetId: 'd',
        planId: v1.id,
        idx: 1,
        instanceId: 'i1',
        annotator: 'ana',
        status: 'submitted',
        overall: 'A>B',
        aspects: {},
        rationale: '',
        swapped: false,
        activeMs: 5,
        createdAt: 1,
        updatedAt: 2,
        rev: 0,
        origin: 'local',
      },
      0,
    );
    const v2 = await lockPlan(db, base);
    expect((await currentPlan(db, p.id))?.id).toBe(v2.id);
    await setActivePlan(db, p.id, v1.id);
    expect((await currentPlan(db, p.id))?.id).toBe(v1.id);
    // The copy carried into v2 is not a label made under v2.
    const counts = await planLabelCounts(db, p.id);
    expect(counts.get(v1.id)).toEqual({ labels: 1, annotators: 1 });
    expect(counts.get(v2.id)).toBeUndefined();
    const v3 = await lockPlan(db, base);
    expect((await currentPlan(db, p.id))?.id).toBe(v3.id);
    await setActivePlan(db, p.id, v1.id);
    await setActivePlan(db, p.id, null);
    expect((await currentPlan(db, p.id))?.id).toBe(v3.id);
    await expect(setActivePlan(db, p.id, 'nope')).rejects.toMatchObject({ code: 'not-found' });
    expect(await db.plans.count()).toBe(3);
  });
});

describe('annotations', () => {
  const base = {
    id: 'plan-1|3|ana',
    projectId: 'p',
    datasetId: 'd',
    planId: 'plan-1',
    idx: 3,
    instanceId: 'i3',
    annotator: 'ana',
    status: 'draft' as const,
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 0,
    createdAt: 1,
    updatedAt: 1,
    rev: 0,
    origin: 'local',
  };

  it('saves with a revision check: a second tab holding an old revision is told, not silently overwritten', async () => {
    const db = freshDb();
    const first = await saveAnnotation(db, { ...base, overall: 'A>B' }, 0);
    expect(first.rev).toBe(1);
    const tabA = await saveAnnotation(db, { ...first, rationale: 'tab A' }, first.rev);
    expect(tabA.rev).toBe(2);
    await expect(saveAnnotation(db, { ...first, rationale: 'tab B' }, first.rev)).rejects.toBeInstanceOf(AnnotationConflictError);
    expect((await getAnnotation(db, base.id))!.rationale).toBe('tab A');
    await expect(saveAnnotation(db, { ...base, id: 'plan-1|4|ana', idx: 4 }, 3)).rejects.toBeInstanceOf(AnnotationConflictError);
  });

  it('imports results idempotently and reports conflicts with local work', async () => {
    const db = freshDb();
    const incoming = [1, 2].map((idx) => ({
      ...base,
      id: `plan-1|${idx}|bo`,
      idx,
      annotator: 'bo',
      status: 'submitted' as const,
      overall: 'B>A' as const,
      rev: 3,
    }));
    const first = await importAnnotations(db, incoming, 'pack:x');
    expect(first.add).toHaveLength(2);
    const again = await importAnnotations(db, incoming, 'pack:x');
    expect([again.add.length, again.update.length, again.unchanged, again.conflicts.length]).toEqual([0, 0, 2, 0]);
    expect(await listAnnotationsOf(db, 'plan-1', 'bo')).toHaveLength(2);
    await saveAnnotation(db, { ...base, id: 'plan-1|5|bo', idx: 5, annotator: 'bo', overall: 'A>B' }, 0);
    const clash = await importAnnotations(db, [{ ...incoming[0]!, id: 'plan-1|5|bo', idx: 5 }], 'pack:x');
    expect(clash.conflicts).toHaveLength(1);
    expect((await getAnnotation(db, 'plan-1|5|bo'))!.overall).toBe('A>B');
    await deleteProject(db, 'p');
    expect(await listProjectAnnotations(db, 'p')).toHaveLength(0);
  });
});
