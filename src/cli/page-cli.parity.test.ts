// The page's path to a plan (Route page settings -> routing worker -> lock -> stored plan -> "Download plan" and
// the export's dataset card) and the command line's (`hyper route` arguments -> plan file) give the same plan
// value for every strategy on the same input: strategy, K, seed, budget, positions, gains and predictions. Both
// run the real PPM (the built-in paper prior) on onnxruntime-web (WASM) in Node.
import 'fake-indexeddb/auto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TagSet } from '../domain/tags/tag-set';
import { buildManifest, renderDatasetCard } from '../domain/export';
import { Merger } from '../domain/merge';
import { askedBudget, parsePlanFile, planBudget, planFromFile, strategySpec, type RoutingPlan, type StrategyName } from '../domain/routing';
import { HyperDb, type PlanRow } from '../storage/db';
import { createProject } from '../storage/projects-repo';
import { addInstances } from '../storage/instances-repo';
import { lockPlan, planFileOf } from '../storage/routing-repo';
import { createPpmSession } from '../workers/onnx-runtime';
import type { RoutingRequest, RoutingResults } from '../workers/routing-protocol';
import { createRoutingHandler } from '../workers/routing-sessions';
import { handle } from '../workers/worker-host';
import { main } from './main';
import { judgedRow } from '../domain/judge/rows';
import type { Preference } from '../domain/labels';
import { capture } from './test-helpers';
import { computeTagSet, readDataset } from './tags-from-file';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const demo = join(REPO, 'src/demo/demo-pairs.jsonl');
const prior = readFileSync(join(REPO, 'public/ppm/paper-prior.onnx'));
const dir = mkdtempSync(join(tmpdir(), 'hyper-parity-'));

const BUDGET = 10;
const K = 50;
const SEED = 3;

let tagSet: TagSet;
let ids: string[];
let handler: ReturnType<typeof createRoutingHandler>;
const ctx = { signal: new AbortController().signal, progress: (): void => undefined };
let nextId = 1;
async function ask<T extends RoutingRequest['type']>(req: Omit<Extract<RoutingRequest, { type: T }>, 'id'>): Promise<RoutingResults[T]> {
  return (await handle(handler, { ...req, id: nextId++ } as unknown as RoutingRequest, ctx)).result as RoutingResults[T];
}

beforeAll(async () => {
  const dataset = await readDataset(demo, {}, () => undefined);
  ids = dataset.records.map((r) => r.id);
  tagSet = await computeTagSet(dataset.records, 'd');
  handler = createRoutingHandler({
    loadTagSet: async () => tagSet,
    loadPpm: async (hash) => ({ hash, name: 'paper-prior', bytes: new Uint8Array(prior), builtIn: true, addedAt: 0 }),
    openSession: (bytes, featureCount, want) => createPpmSession(bytes, featureCount, want),
  });
  await ask<'prepare'>({ type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'prior', backend: 'wasm' });
}, 60_000);

afterAll(() => vi.restoreAllMocks());

/** What the Route page locks for these settings: the worker's plan with the slider's budget (counted in pairs). */
async function pagePlan(strategy: StrategyName, refine: boolean): Promise<RoutingPlan> {
  const prepared = { routable: tagSet.n };
  const budgetFree = strategy === 'positive';
  const spec = strategySpec(strategy, { budget: budgetFree ? null : BUDGET, K, seed: SEED, refine }, prepared.routable);
  const outcome = await ask<'route'>({ type: 'route', session: 's', spec });
  const routed = outcome.plan.humanIdx.length;
  return { ...outcome.plan, budget: planBudget(askedBudget('count', budgetFree ? routed : BUDGET, tagSet.n, 1, 0.01), routed) };
}

/** What `hyper route` writes for the same settings, read back as a plan value. */
async function cliPlan(strategy: StrategyName, refine: boolean): Promise<RoutingPlan> {
  const output = join(dir, `${strategy}-${refine}.json`);
  const args = [
    'route',
    '--input',
    demo,
    '--ppm',
    'paper-prior',
    '--strategy',
    strategy,
    '--seed',
    String(SEED),
    '--output',
    output,
    '--cost-human',
    '1',
    '--cost-lm',
    '0.01',
  ];
  if (strategy !== 'positive') args.push('--budget', String(BUDGET));
  if (strategy === 'simulated' || strategy === 'best') args.push('--candidates', String(K));
  if (refine) args.push('--refine');
  const io = capture();
  const code = await main(args);
  vi.restoreAllMocks();
  expect(code, io.err()).toBe(0);
  expect(existsSync(output)).toBe(true);
  const file = parsePlanFile(readFileSync(output, 'utf8'), output);
  expect(file.human.map((h) => h.id)).toEqual(file.human.map((h) => ids[h.idx]));
  return planFromFile(file);
}

/** The plan as comparable plain data (typed arrays as number lists). */
function plain(p: RoutingPlan) {
  return { ...p, humanIdx: [...p.humanIdx], gains: [...p.gains] };
}

describe('page and command line make the same plan', () => {
  const cases: [StrategyName, boolean][] = [
    ['topk', false],
    ['simulated', false],
    ['positive', false],
    ['best', false],
    ['topk', true],
    ['simulated', true],
  ];
  for (const [strategy, refine] of cases) {
    it(`${strategy}${refine ? ' + local search' : ''}`, async () => {
      const [page, cli] = await Promise.all([pagePlan(strategy, refine), cliPlan(strategy, refine)]);
      expect(page.humanIdx.length).toBeGreaterThan(0);
      if (strategy !== 'positive') expect(page.humanIdx.length).toBeLessThanOrEqual(BUDGET);
      expect(plain(page)).toEqual(plain(cli));
      // The parameters a plan records: K only where candidates are drawn, a seed only where something is random.
      const draws = strategy === 'simulated' || strategy === 'best';
      expect(page.candidates).toBe(draws ? K : null);
      expect(page.seed).toBe(draws || refine ? SEED : null);
      expect(page.strategy).toBe(`${strategy === 'best' ? 'best-over-budgets' : strategy}${refine ? '+local-search' : ''}`);
    }, 60_000);
  }

  it('the stored plan downloads as the same plan, and the dataset card quotes K (not the rows evaluated)', async () => {
    const db = new HyperDb(`parity-${Date.now()}`);
    const project = await createProject(db, 'P');
    const dataset = await readDataset(demo, {}, () => undefined);
    await db.datasets.add({
      id: 'd',
      projectId: project.id,
      name: 'demo-pairs.jsonl',
      status: 'ready',
      rowCount: ids.length,
      contentHash: 'ab'.repeat(32),
      shape: 'pairs',
      options: { seed: 1 },
    } as never);
    await addInstances(db, dataset.records.map((r, idx) => ({ ...r, datasetId: 'd', idx })) as never);
    const page = await pagePlan('best', false);
    const row: PlanRow = await lockPlan(db, {
      ...page,
      projectId: project.id,
      datasetId: 'd',
      ppmHash: 'prior',
      ppmName: 'paper-prior',
      backend: 'wasm',
      featureSetCreatedAt: 0,
    });
    const file = await planFileOf(db, row, { app: 'hyper-workbench', version: 'test' });
    expect(plain(planFromFile(file))).toEqual(plain(page));
    const merger = new Merger({ plan: { human: file.human, dataset: { n: ids.length } }, annotations: [], options: {} });
    merger.decide(dataset.records.map((r, idx) => ({ ...r, idx })) as never);
    const manifest = buildManifest(
      {
        app: { name: 'hyper-workbench', version: 'test' },
        dataset: { name: 'demo' },
        plan: file,
        format: 'trl',
        createdAt: '2026-01-01T00:00:00.000Z',
        dataFile: 'data.jsonl',
      },
      merger.finish(),
      { rows: 0, bytes: 0, skippedTies: 0, textFixes: { controlChars: 0, loneSurrogates: 0, bidi: 0 } } as never,
    );
    expect(manifest.routing?.candidates).toBe(K);
    const card = renderDatasetCard(manifest);
    expect(card).toContain(`over ${K} candidates`);
    expect(card).not.toContain(`over ${20 * K} candidates`);
    db.close();
  }, 60_000);
});

describe('page and command line make the same judge-risk plan', () => {
  // The demo pairs as `hyper judge` writes them: every seventh without a verdict, every fifth flipping with the
  // order, a confidence on the rest; the file's human labels stay (they feed the refit).
  const judgedPath = join(dir, 'judged.jsonl');
  let judgedHandler: ReturnType<typeof createRoutingHandler>;
  let humans: { idx: number; human: Preference; judge: Preference | null }[];
  const askJudged = async <T extends RoutingRequest['type']>(req: Omit<Extract<RoutingRequest, { type: T }>, 'id'>) =>
    (await handle(judgedHandler, { ...req, id: nextId++ } as unknown as RoutingRequest, ctx)).result as RoutingResults[T];

  beforeAll(async () => {
    const dataset = await readDataset(demo, {}, () => undefined);
    const lines = dataset.records.map((r, i) => {
      const none = i % 7 === 0;
      const flips = !none && i % 5 === 0;
      return JSON.stringify(
        judgedRow(
          { ...r, extra: {} },
          {
            label: none ? null : flips ? 'A=B' : (r.lm?.value ?? 'A>B'),
            signals: {
              judge_swap_inconsistent: none ? null : flips,
              judge_vote_split: flips ? 0.5 : 0,
              judge_confidence: none ? null : 0.5 + (i % 5) / 10,
              judge_answers: 2,
              judge_unparseable: none ? 2 : 0,
            },
            judge: 'fake (pairwise-v1)',
            swappedOrder: null,
          },
        ),
      );
    });
    writeFileSync(judgedPath, `${lines.join('\n')}\n`);
    const judged = await readDataset(judgedPath, {}, () => undefined);
    const judgedTags = await computeTagSet(judged.records, 'j');
    humans = judged.records.flatMap((r, idx) => (r.human ? [{ idx, human: r.human.value, judge: r.lm?.value ?? null }] : []));
    judgedHandler = createRoutingHandler({
      loadTagSet: async () => judgedTags,
      loadPpm: async (hash) => ({ hash, name: 'paper-prior', bytes: new Uint8Array(prior), builtIn: true, addedAt: 0 }),
      openSession: (bytes, featureCount, want) => createPpmSession(bytes, featureCount, want),
      loadHumanLabels: async () => humans,
      loadStartedPairs: async () => [],
    });
    await askJudged<'prepare'>({ type: 'prepare', session: 'j', datasetId: 'j', ppmHash: 'prior', backend: 'wasm' });
  }, 60_000);

  const cases: [StrategyName, boolean][] = [
    ['risk', false],
    ['hybrid', false],
    ['risk', true],
  ];
  for (const [strategy, refit] of cases) {
    it(`${strategy}${refit ? ' learnt from the human labels' : ''}`, async () => {
      const spec = strategySpec(strategy, { budget: BUDGET, K, seed: SEED, refine: false, weight: 0.3 }, tagSet.n);
      const outcome = await askJudged<'route'>({ type: 'route', session: 'j', spec, adaptive: refit });
      const page = { ...outcome.plan, budget: planBudget(askedBudget('count', BUDGET, tagSet.n, 1, 0.01), outcome.plan.humanIdx.length) };
      const output = join(dir, `judged-${strategy}-${refit}.json`);
      const args = ['route', '--input', judgedPath, '--ppm', 'paper-prior', '--strategy', strategy, '--budget', String(BUDGET)];
      args.push('--output', output, '--cost-human', '1', '--cost-lm', '0.01');
      if (strategy === 'hybrid') args.push('--weight', '0.3');
      if (refit) args.push('--refit');
      const io = capture();
      const code = await main(args);
      vi.restoreAllMocks();
      expect(code, io.err()).toBe(0);
      const cli = planFromFile(parsePlanFile(readFileSync(output, 'utf8'), output));
      expect(plain(page)).toEqual(plain(cli));
      expect(page.judge).toEqual({
        weight: strategy === 'hybrid' ? 0.3 : null,
        refit: refit ? expect.objectContaining({ n: humans.filter((h) => h.judge !== null).length }) : null,
      });
      if (refit) {
        // The labelled pairs stay routed first.
        const labelled = new Set(humans.map((h) => h.idx));
        expect([...page.humanIdx].slice(0, Math.min(BUDGET, labelled.size)).every((i) => labelled.has(i))).toBe(true);
      }
    }, 60_000);
  }
});
