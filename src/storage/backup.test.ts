import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { freshDatabases } from './test-db';
import type { Annotation } from '../domain/annotation';
import { saveAnnotation } from './annotations-repo';
import { parseBackupManifest, projectBackupEntries, restoreProject, type BackupFiles } from './backup-repo';
import { HyperDb, type DatasetRow } from './db';
import { appendInstances, beginImport, finishImport } from './datasets-repo';
import { countInstances, readInstanceRange } from './instances-repo';
import { createProject, deleteProject } from './projects-repo';
import { judgeStoreOn } from './judge-repo';
import { lockPlan, putPpm, setActivePlan } from './routing-repo';
import { DEFAULT_MAP_OPTIONS } from '../domain/formats/types';
import type { ImportReport } from '../domain/formats/report';
import { asDatasetPositions } from '../domain/routing/plan';

const freshDb = freshDatabases('backup');

const zero = { 'A>>B': 0, 'A>B': 0, 'A=B': 0, 'B>A': 0, 'B>>A': 0 };
const report: ImportReport = {
  fileName: 'f.jsonl',
  format: 'jsonl',
  compressed: false,
  shape: 'pairs',
  columns: ['prompt'],
  rowsRead: 3,
  importable: 3,
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

/** A project with everything a backup must carry. */
async function fullProject(db: HyperDb): Promise<string> {
  const p = await createProject(db, 'Backed up');
  const datasetId = await beginImport(db, {
    projectId: p.id,
    name: 'pairs',
    fileName: 'f.jsonl',
    format: 'jsonl',
    compressed: false,
    shape: 'pairs',
    options: DEFAULT_MAP_OPTIONS,
    contentHash: 'a'.repeat(64),
    report,
  });
  const records = Array.from({ length: 25_003 }, (_, i) => ({
    id: `r${i}`,
    sourceRow: i + 1,
    prompt: `p ${i}`,
    responseA: `a ${i}`,
    responseB: i === 7 ? '' : `b ${i}`,
    extra: { k: i },
    ...(i % 2 ? { lm: { value: 'A>B' as const, original: 'A' } } : {}),
  }));
  for (let i = 0; i < records.length; i += 1000) await appendInstances(db, datasetId, i, records.slice(i, i + 1000));
  await finishImport(db, datasetId, records.length);
  await db.featureSets.put({
    datasetId,
    version: 2,
    n: records.length,
    columns: { rouge: Float64Array.of(Number.NaN, 0.5) } as never,
    tagBits: Uint32Array.of(1, 2, 3),
    coverage: [],
    scoreSources: {} as never,
    withDescriptive: 0,
    defects: Uint8Array.of(0, 1),
    createdAt: 5,
    computeMs: 1,
  });
  await db.analyzerTags.bulkPut([{ datasetId, idx: 3, tags: { expertise_level: 'expert' }, model: 'm', createdAt: 1 }]);
  // A judge's answer (paid for) and the label made from it.
  await judgeStoreOn(db, datasetId).put({
    key: 'hyper-judge/m/pairwise-v1.x/r5.y/ab/0',
    idx: 5,
    pairId: 'r5',
    order: 'ab',
    sample: 0,
    model: 'm',
    templateId: 'pairwise-v1',
    raw: '[[B]]',
    verdict: 'B>A',
    confidence: 0.8,
    usage: { prompt_tokens: 10, completion_tokens: 2 },
    cost: 0.001,
    at: 4,
  });
  await db.judgeLabels.put({
    datasetId,
    idx: 5,
    label: 'B>A',
    judge: 'm (pairwise-v1)',
    createdAt: 4,
    signals: { judge_swap_inconsistent: null, judge_vote_split: 0, judge_confidence: 0.8, judge_answers: 1, judge_unparseable: 0 },
  });
  await putPpm(db, { hash: 'f'.repeat(64), name: 'mine.onnx', bytes: Uint8Array.of(1, 2, 3, 4), builtIn: false, addedAt: 9 });
  const base = {
    projectId: p.id,
    datasetId,
    ppmHash: 'f'.repeat(64),
    ppmName: 'mine.onnx',
    strategy: 'topk' as const,
    budget: { kind: 'count' as const, value: 2, count: 2 },
    seed: 1,
    candidates: null,
    humanIdx: asDatasetPositions(Uint32Array.of(4, 2)),
    gains: Float32Array.of(0.5, 0.25),
    predicted: 1,
    predictedAllLm: 0,
    predictedAllHuman: 2,
    backend: 'wasm',
    featureSetCreatedAt: 5,
  };
  const v1 = await lockPlan(db, base);
  const a: Annotation = {
    id: `${v1.id}|4|ana`,
    projectId: p.id,
    datasetId,
    planId: v1.id,
    idx: 4,
    instanceId: 'r4',
    annotator: 'ana',
    status: 'submitted',
    overall: 'B>A',
    confidence: 'fairly-confident',
    aspects: {},
    rationale: 'why',
    swapped: true,
    activeMs: 5,
    createdAt: 1,
    updatedAt: 2,
    submittedAt: 2,
    rev: 0,
    origin: 'local',
  };
  await saveAnnotation(db, a, 0);
  await lockPlan(db, base); // carries ana's label into v2
  await setActivePlan(db, p.id, v1.id);
  await db.annotatorStates.put({
    id: `${p.id}|ana`,
    projectId: p.id,
    annotator: 'ana',
    planId: v1.id,
    order: 'gain',
    seed: 1,
    position: 1,
    updatedAt: 3,
  });
  return p.id;
}

async function snapshot(db: HyperDb, projectId: string) {
  const datasets = await db.datasets.where('projectId').equals(projectId).toArray();
  const byDataset = async (d: DatasetRow) => ({
    dataset: d,
    instances: await readInstanceRange(db, d.id, 0, d.rowCount),
    tagSet: await db.featureSets.get(d.id),
    analyzerTags: await db.analyzerTags.where('[datasetId+idx]').between([d.id, -Infinity], [d.id, Infinity]).toArray(),
    judgeAnswers: (await db.judgeAnswers.where('datasetId').equals(d.id).toArray()).map(({ id: _id, datasetId: _d, ...a }) => a),
    judgeLabels: (await db.judgeLabels.where('[datasetId+idx]').between([d.id, -Infinity], [d.id, Infinity]).toArray()).map(
      ({ datasetId: _d, ...l }) => l,
    ),
  });
  return {
    project: await db.projects.get(projectId),
    datasets: await Promise.all(datasets.map(byDataset)),
    plans: await db.plans.where('projectId').equals(projectId).sortBy('version'),
    annotations: (await db.annotations.where('projectId').equals(projectId).toArray()).sort((x, y) => (x.id < y.id ? -1 : 1)),
    states: await db.annotatorStates.where('projectId').equals(projectId).toArray(),
  };
}

async function backupFiles(db: HyperDb, projectId: string): Promise<BackupFiles & { all: Map<string, string | Uint8Array> }> {
  const all = new Map<string, string | Uint8Array>();
  for await (const e of projectBackupEntries(db, projectId, { name: 'hyper-workbench', version: 'test' }))
    all.set(e.name, 'text' in e ? e.text : e.bytes);
  return {
    all,
    text: (n) => (typeof all.get(n) === 'string' ? (all.get(n) as string) : undefined),
    bytes: (n) => (all.get(n) instanceof Uint8Array ? (all.get(n) as Uint8Array) : undefined),
    names: () => [...all.keys()],
  };
}

describe('project backup', () => {
  it(
    'restores a deleted project exactly: instances, feature set, tags, plans, annotations (carried copies too), positions, PPMs',
    { timeout: 60_000 },
    async () => {
      const db = freshDb();
      const projectId = await fullProject(db);
      const before = await snapshot(db, projectId);
      const files = await backupFiles(db, projectId);
      expect(files.names().filter((n) => n.includes('instances.part-'))).toHaveLength(3);
      const manifest = parseBackupManifest(files.text('backup.json')!, 'b.zip');
      await deleteProject(db, projectId);
      await db.ppms.clear();
      const restored = await restoreProject(db, manifest, files, 'b.zip');
      expect(restored).toEqual({ projectId, copy: false });
      const after = await snapshot(db, projectId);
      expect({ ...after, project: { ...after.project, updatedAt: 0 } }).toEqual({
        ...before,
        project: { ...before.project, updatedAt: 0 },
      });
      expect(Number.isNaN(after.datasets[0]!.tagSet!.columns.rouge[0])).toBe(true);
      expect(await db.ppms.get('f'.repeat(64))).toMatchObject({ name: 'mine.onnx', bytes: Uint8Array.of(1, 2, 3, 4) });
    },
  );

  it(
    'beside the project it came from, it restores as a copy with new ids that still point at each other',
    { timeout: 60_000 },
    async () => {
      const db = freshDb();
      const projectId = await fullProject(db);
      const files = await backupFiles(db, projectId);
      const { projectId: copyId, copy } = await restoreProject(
        db,
        parseBackupManifest(files.text('backup.json')!, 'b.zip'),
        files,
        'b.zip',
      );
      expect(copy).toBe(true);
      expect(copyId).not.toBe(projectId);
      const c = await snapshot(db, copyId);
      expect(c.project!.name).toBe('Backed up (restored)');
      expect(c.datasets[0]!.instances).toHaveLength(25_003);
      const planIds = new Set(c.plans.map((p) => p.id));
      expect(planIds.has(c.project!.activePlanId!)).toBe(true);
      expect(c.plans.every((p) => p.datasetId === c.datasets[0]!.dataset.id)).toBe(true);
      expect(c.annotations.every((a) => planIds.has(a.planId) && a.id === `${a.planId}|${a.idx}|${a.annotator}`)).toBe(true);
      const carried = c.annotations.find((a) => a.carriedFrom);
      expect(c.annotations.map((a) => a.id)).toContain(carried!.carriedFrom);
      expect(planIds.has(c.states[0]!.planId)).toBe(true);
      // The original is untouched.
      expect((await snapshot(db, projectId)).annotations).toHaveLength(2);
    },
  );

  it('refuses a file that is not a backup, and a backup short of its own counts (and leaves nothing behind)', async () => {
    expect(() => parseBackupManifest('{"format": "other"}', 'x.zip')).toThrow('x.zip is not a project backup');
    const db = freshDb();
    const projectId = await fullProject(db);
    const files = await backupFiles(db, projectId);
    await deleteProject(db, projectId);
    const part = files.names().find((n) => n.includes('instances.part-'))!;
    files.all.set(part, (files.all.get(part) as string).split('\n').slice(1).join('\n'));
    await expect(restoreProject(db, parseBackupManifest(files.text('backup.json')!, 'b.zip'), files, 'b.zip')).rejects.toThrow(
      /instances\.part-\d+\.jsonl holds pair 1 where pair 0 belongs \(a pair is missing\)/,
    );
    expect(await db.projects.get(projectId)).toBeUndefined();
    expect(await countInstances(db)).toBe(0);
  });
});
