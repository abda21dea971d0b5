// The routing worker's handler against a fake ONNX session: the same answers as the domain code, stale
// sessions refused, and no two model runs at once (onnxruntime-web refuses that).
import { describe, expect, it } from 'vitest';
import type { TagSet } from '../domain/tags/tag-set';
import { TAG_COUNT, TAG_IDS } from '../domain/tags/tags';
import { buildLinearPpm } from '../domain/ppm';
import { buildTagIndex, linearPpm, randomTagMatrix, randomWeights, strategySpec, topk } from '../domain/routing';
import type { PpmRow } from '../storage/db';
import type { PpmSession } from './onnx-runtime';
import type { RoutingRequest, RoutingResults } from './routing-protocol';
import { createRoutingHandler } from './routing-sessions';
import { handle } from './worker-host';

const N = 300;
const bits = randomTagMatrix(N, 6, 7);
const tagSet = {
  datasetId: 'd',
  n: N,
  tagBits: bits,
  coverage: TAG_IDS.map((tag) => ({ tag, available: true, count: 0 })),
} as unknown as TagSet;

function ppmRow(hash: string, weights: Float32Array, bias: number): PpmRow {
  return {
    hash,
    name: hash,
    bytes: buildLinearPpm({ features: [...TAG_IDS], weights, bias, output: 'test', source: 'test' }),
    builtIn: false,
    addedAt: 0,
  };
}

/** A fake session computing the linear model in JS; it records overlapping runs and releases. */
function fakeSessions(models: Map<string, { w: Float32Array; b: number }>) {
  const log = { overlaps: 0, runs: 0, released: [] as string[], opened: [] as string[] };
  let running = 0;
  const open = async (bytes: Uint8Array): Promise<PpmSession> => {
    const hash = [...models.keys()].find((h) => rows.get(h)!.bytes === bytes)!;
    log.opened.push(hash);
    const m = linearPpm(models.get(hash)!.w, models.get(hash)!.b);
    return {
      backend: 'wasm',
      featureCount: TAG_COUNT,
      async predict(counts, n) {
        running++;
        if (running > 1) log.overlaps++;
        log.runs++;
        await new Promise((r) => setTimeout(r, 1));
        const out = await m.predict(counts, n);
        running--;
        return out;
      },
      async release() {
        log.released.push(hash);
      },
    };
  };
  const rows = new Map([...models].map(([h, m]) => [h, ppmRow(h, m.w, m.b)]));
  return { log, open, rows };
}

const ctx = { signal: new AbortController().signal, progress: (): void => undefined };
let nextId = 1;
async function ask<T extends RoutingRequest['type']>(
  handler: ReturnType<typeof createRoutingHandler>,
  req: Omit<Extract<RoutingRequest, { type: T }>, 'id'>,
): Promise<RoutingResults[T]> {
  return (await handle(handler, { ...req, id: nextId++ } as unknown as RoutingRequest, ctx)).result as RoutingResults[T];
}

describe('routing handler', () => {
  const wA = Float32Array.from(randomWeights(1));
  const wB = Float32Array.from(randomWeights(2));
  const setup = () => {
    const fake = fakeSessions(
      new Map([
        ['A', { w: wA, b: 0.5 }],
        ['B', { w: wB, b: -1 }],
      ]),
    );
    const handler = createRoutingHandler({
      loadTagSet: async () => tagSet,
      loadPpm: async (h) => fake.rows.get(h),
      openSession: fake.open,
    });
    return { ...fake, handler };
  };

  it('answers as the domain code does, and never runs the model twice at once', async () => {
    const { handler, log } = setup();
    const prepared = await ask<'prepare'>(handler, { type: 'prepare', session: 's1', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    expect(prepared.n).toBe(N);
    expect(prepared.allLm).toBeCloseTo(0.5, 5);
    expect(prepared.ppm.missingInData).toEqual([]);
    // Route, curve and explain at the same time, as the page sends them.
    const [route, curve, explain] = await Promise.all([
      ask<'route'>(handler, {
        type: 'route',
        session: 's1',
        spec: strategySpec('topk', { budget: 40, K: 10, seed: 1, refine: false }, Infinity),
      }),
      ask<'curve'>(handler, { type: 'curve', session: 's1', strategy: 'simulated', points: 5, candidates: 20, seed: 1 }),
      ask<'explain'>(handler, { type: 'explain', session: 's1', idx: 3 }),
    ]);
    const reference = await topk(buildTagIndex(bits, N), linearPpm(wA, 0.5), 40);
    expect([...route.plan.humanIdx]).toEqual([...reference.humanIds]);
    expect(route.plan.predicted).toBeCloseTo(reference.predicted, 4);
    expect(curve.points.map((p) => p.budget)).toEqual([0, 75, 150, 225, 300]);
    expect(explain.tags.length).toBeGreaterThan(0);
    // For a linear PPM a tag's contribution is its weight.
    for (const t of explain.tags) expect(t.contribution).toBeCloseTo(wA[TAG_IDS.indexOf(t.tag)]!, 4);
    expect(log.runs).toBeGreaterThan(3);
    expect(log.overlaps).toBe(0);
  });

  it('refuses a request for a session it no longer holds, and releases the replaced model', async () => {
    const { handler, log } = setup();
    const first = ask<'prepare'>(handler, { type: 'prepare', session: 'a', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    const second = ask<'prepare'>(handler, { type: 'prepare', session: 'b', datasetId: 'd', ppmHash: 'B', backend: 'auto' });
    await Promise.all([first, second]);
    expect(log.opened).toEqual(['A', 'B']);
    expect(log.released).toEqual(['A']);
    await expect(
      ask<'route'>(handler, {
        type: 'route',
        session: 'a',
        spec: strategySpec('topk', { budget: 5, K: 1, seed: 1, refine: false }, Infinity),
      }),
    ).rejects.toMatchObject({ code: 'not-prepared' });
    const b = await ask<'route'>(handler, {
      type: 'route',
      session: 'b',
      spec: strategySpec('topk', { budget: 5, K: 1, seed: 1, refine: false }, Infinity),
    });
    expect(b.plan.humanIdx).toHaveLength(5);
    await expect(
      ask<'prepare'>(handler, { type: 'prepare', session: 'c', datasetId: 'd', ppmHash: 'missing', backend: 'auto' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('best over budgets stays within the budget it is given (the page used to ignore it)', async () => {
    const { handler } = setup();
    await ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    for (const budget of [1, 12, 75]) {
      const r = await ask<'route'>(handler, {
        type: 'route',
        session: 's',
        spec: strategySpec('best', { budget: budget, K: 20, seed: 3, refine: false }, Infinity),
      });
      expect(r.plan.humanIdx.length).toBeGreaterThan(0);
      expect(r.plan.humanIdx.length).toBeLessThanOrEqual(budget);
      expect(Math.max(...r.plan.budgetsTried!)).toBeLessThanOrEqual(budget);
    }
    await expect(
      ask<'route'>(handler, {
        type: 'route',
        session: 's',
        spec: strategySpec('best', { budget: 0, K: 20, seed: 3, refine: false }, Infinity),
      }),
    ).rejects.toMatchObject({ code: 'bad-budget' });
  });

  it('pairs with an empty or identical response are never routed, whatever the strategy; explain says why', async () => {
    const defects = new Uint8Array(N);
    // The pairs the PPM likes most are the defective ones, so a strategy that ignored the defects would pick them.
    const reference = await topk(buildTagIndex(bits, N), linearPpm(wA, 0.5), 30);
    const bad = Array.from(reference.humanIds.subarray(0, 10));
    bad.forEach((i, k) => (defects[i] = k % 2 ? 1 : 2));
    const withDefects = { ...tagSet, defects } as TagSet;
    const fake = fakeSessions(new Map([['A', { w: wA, b: 0.5 }]]));
    const handler = createRoutingHandler({
      loadTagSet: async () => withDefects,
      loadPpm: async (h) => fake.rows.get(h),
      openSession: fake.open,
    });
    const prepared = await ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    expect(prepared).toMatchObject({ n: N, routable: N - 10, excluded: { empty: 5, identical: 5 } });
    const badSet = new Set(bad);
    for (const strategy of ['topk', 'simulated', 'positive', 'best'] as const) {
      const r = await ask<'route'>(handler, {
        type: 'route',
        session: 's',
        spec: strategySpec(strategy, { budget: 30, K: 20, seed: 1, refine: strategy === 'simulated' }, Infinity),
      });
      expect([...r.plan.humanIdx].filter((i) => badSet.has(i))).toEqual([]);
    }
    // Top-k over the rest is the reference order without the defective pairs.
    const top = await ask<'route'>(handler, {
      type: 'route',
      session: 's',
      spec: strategySpec('topk', { budget: 20, K: 1, seed: 1, refine: false }, Infinity),
    });
    expect([...top.plan.humanIdx]).toEqual(Array.from(reference.humanIds.subarray(10, 30)));
    // Asking for more than can be routed routes every routable pair.
    expect(
      (
        await ask<'route'>(handler, {
          type: 'route',
          session: 's',
          spec: strategySpec('topk', { budget: N, K: 1, seed: 1, refine: false }, Infinity),
        })
      ).plan.humanIdx,
    ).toHaveLength(N - 10);
    expect(await ask<'explain'>(handler, { type: 'explain', session: 's', idx: bad[0]! })).toMatchObject({
      excluded: 'identical',
      rank: -1,
      tags: [],
    });
    const fine = await ask<'explain'>(handler, { type: 'explain', session: 's', idx: reference.humanIds[10]! });
    expect(fine).toMatchObject({ excluded: null, rank: 0 });
    await expect(ask<'explain'>(handler, { type: 'explain', session: 's', idx: N })).rejects.toMatchObject({ code: 'bad-option' });
  });

  it('flags mixes outside the counts a fitted PPM saw: the all-human mix at prepare, each routed mix that goes beyond', async () => {
    const idx = buildTagIndex(bits, N);
    const all = idx.countAll();
    // Fitted on mixes of up to about half the pairs: the all-human mix is beyond, a 10% mix within.
    const max = [...TAG_IDS.keys()].map((t) => Math.ceil(all[t]! / 2));
    const bytes = buildLinearPpm({
      features: [...TAG_IDS],
      weights: wA,
      bias: 0.5,
      output: 'test',
      source: 'test',
      fitRange: { min: max.map(() => 0), max },
    });
    const fake = fakeSessions(new Map([['F', { w: wA, b: 0.5 }]]));
    fake.rows.set('F', { ...fake.rows.get('F')!, bytes });
    const handler = createRoutingHandler({
      loadTagSet: async () => tagSet,
      loadPpm: async (h) => fake.rows.get(h),
      openSession: fake.open,
    });
    const prepared = await ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'F', backend: 'auto' });
    expect(prepared.ppm.hasFitRange).toBe(true);
    expect(prepared.ppm.allHumanOutside).toMatch(/^The all-human mix lies outside the mixes the PPM was fitted on/);
    const small = await ask<'route'>(handler, {
      type: 'route',
      session: 's',
      spec: strategySpec('topk', { budget: 30, K: 1, seed: 1, refine: false }, Infinity),
    });
    expect(small.outsideFitRange).toBeNull();
    const large = await ask<'route'>(handler, {
      type: 'route',
      session: 's',
      spec: strategySpec('topk', { budget: 280, K: 1, seed: 1, refine: false }, Infinity),
    });
    expect(large.outsideFitRange).toMatch(/^This mix lies outside the mixes the PPM was fitted on/);
  });

  it("a PPM that passes the contract but fails to run says why, not just onnxruntime's words", async () => {
    const fake = fakeSessions(new Map([['A', { w: wA, b: 0.5 }]]));
    const handler = createRoutingHandler({
      loadTagSet: async () => tagSet,
      loadPpm: async (h) => fake.rows.get(h),
      openSession: async (bytes) => ({
        ...(await fake.open(bytes)),
        predict: async () => Promise.reject(new Error('GEMM: Dimension mismatch, W: {45,1} K: 90 N:1')),
      }),
    });
    const failed = ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    await expect(failed).rejects.toMatchObject({ code: 'ppm-run' });
    await expect(failed).rejects.toThrow(/does not run on its 96 declared feature columns: .*\(onnxruntime said: GEMM: Dimension mismatch/);
    expect(fake.log.released).toEqual(['A']);
  });

  it('routes by judge risk when the tag set carries it, and refuses to without it', async () => {
    const judgeRisk = Float32Array.from({ length: N }, (_, i) => (i % 10) / 10);
    const fake = fakeSessions(new Map([['A', { w: wA, b: 0.5 }]]));
    const handler = createRoutingHandler({
      loadTagSet: async () => ({ ...tagSet, judgeRisk }),
      loadPpm: async (h) => fake.rows.get(h),
      openSession: fake.open,
    });
    const prepared = await ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    expect(prepared.judgeRisk).toEqual({ missing: 0 });
    const r = await ask<'route'>(handler, {
      type: 'route',
      session: 's',
      spec: strategySpec('risk', { budget: 30, K: 1, seed: 1, refine: false }, N),
    });
    expect(r.plan.strategy).toBe('risk');
    expect([...r.plan.humanIdx].every((i) => judgeRisk[i]! >= 0.9 - 1e-6)).toBe(true);
    const plain = createRoutingHandler({ loadTagSet: async () => tagSet, loadPpm: async (h) => fake.rows.get(h), openSession: fake.open });
    expect(
      (await ask<'prepare'>(plain, { type: 'prepare', session: 't', datasetId: 'd', ppmHash: 'A', backend: 'auto' })).judgeRisk,
    ).toBeNull();
    await expect(
      ask<'route'>(plain, { type: 'route', session: 't', spec: strategySpec('risk', { budget: 5, K: 1, seed: 1, refine: false }, N) }),
    ).rejects.toMatchObject({ code: 'bad-option' });
  });

  it('draws the errors caught against the budget: the sum of the top risks, above random; adaptive counts the labelled pairs as they are', async () => {
    const judgeRisk = Float32Array.from({ length: N }, (_, i) => (i % 10) / 10);
    const fake = fakeSessions(new Map([['A', { w: wA, b: 0.5 }]]));
    // Pairs 0..19 labelled: the judge is wrong on the even ones.
    const labels = Array.from({ length: 20 }, (_, idx) => ({
      idx,
      human: 'A>B' as const,
      judge: idx % 2 === 0 ? ('B>A' as const) : ('A>B' as const),
    }));
    const handler = createRoutingHandler({
      loadTagSet: async () => ({ ...tagSet, judgeRisk }),
      loadPpm: async (h) => fake.rows.get(h),
      openSession: fake.open,
      loadHumanLabels: async () => labels,
    });
    await ask<'prepare'>(handler, { type: 'prepare', session: 's', datasetId: 'd', ppmHash: 'A', backend: 'auto' });
    const c = await ask<'risk-curve'>(handler, {
      type: 'risk-curve',
      session: 's',
      strategy: 'risk',
      weight: 0.5,
      adaptive: false,
      points: 11,
    });
    const total = [...judgeRisk].reduce((a, b) => a + b, 0);
    expect(c.total).toBeCloseTo(total, 4);
    expect(c.points[0]).toEqual({ budget: 0, caught: 0, random: 0 });
    // 30 pairs: the 30 with risk 0.9.
    expect(c.points[1]!.budget).toBe(30);
    expect(c.points[1]!.caught).toBeCloseTo(30 * 0.9, 4);
    expect(c.points[1]!.random).toBeCloseTo((total * 30) / N, 4);
    for (let i = 1; i < c.points.length - 1; i++) expect(c.points[i]!.caught).toBeGreaterThan(c.points[i]!.random);
    expect(c.points.at(-1)!.caught).toBeCloseTo(total, 4);
    // Hybrid with weight 0 is risk's order; with weight 1 it catches fewer errors early.
    const h0 = await ask<'risk-curve'>(handler, {
      type: 'risk-curve',
      session: 's',
      strategy: 'hybrid',
      weight: 0,
      adaptive: false,
      points: 11,
    });
    expect(h0.points.map((p) => p.caught.toFixed(4))).toEqual(c.points.map((p) => p.caught.toFixed(4)));
    const h1 = await ask<'risk-curve'>(handler, {
      type: 'risk-curve',
      session: 's',
      strategy: 'hybrid',
      weight: 1,
      adaptive: false,
      points: 11,
    });
    expect(h1.points[1]!.caught).toBeLessThan(c.points[1]!.caught);
    // Adaptive: the 20 labelled pairs come first and count exactly: 10 judge errors among them.
    const a = await ask<'risk-curve'>(handler, {
      type: 'risk-curve',
      session: 's',
      strategy: 'risk',
      weight: 0.5,
      adaptive: true,
      points: 16,
    });
    expect(a.refit).toEqual({ n: 20, errors: 10 });
    expect(a.points[1]!.budget).toBe(20);
    expect(a.points[1]!.caught).toBe(10);
  });
});
