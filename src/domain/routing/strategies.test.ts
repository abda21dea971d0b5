import { describe, expect, it } from 'vitest';
import { setBit, TAG_WORDS } from '../tags/tag-set';
import { TAG_COUNT } from '../tags/tags';
import { CandidateBuilder, candidateOrder } from './candidates';
import { isRoutingError } from './errors';
import { linearPpm, quadraticPpm, type PpmEvaluator } from './ppm';
import { Router } from './router';
import {
  bestOverBudgets,
  budgetCurve,
  candidateCountRows,
  gainOrder,
  gains,
  localSearch,
  orderByScoreDesc,
  positive,
  simulated,
  tagGains,
  topk,
  type CandidateHelper,
  type RoutingResult,
} from './strategies';
import { Rng } from './rng';
import { randomTagMatrix, randomWeights } from './synthetic';
import { buildTagIndex, type TagIndex } from './tag-index';

const F = TAG_COUNT;

/** A PPM that records the rows of every call. */
function counting(inner: PpmEvaluator): PpmEvaluator & { calls: number[] } {
  const calls: number[] = [];
  return { featureCount: F, calls, predict: (c, r) => (calls.push(r), inner.predict(c, r)) };
}

function matrix(n: number, tagsOf: (i: number) => number[]): Uint32Array {
  const bits = new Uint32Array(n * TAG_WORDS);
  for (let i = 0; i < n; i++) for (const t of tagsOf(i)) setBit(bits, i, t);
  return bits;
}

async function predictOf(index: TagIndex, ppm: PpmEvaluator, ids: Uint32Array): Promise<number> {
  return (await ppm.predict(index.countTags(ids), 1))[0]!;
}

function expectValidSet(ids: Uint32Array, n: number, b: number): void {
  expect(ids.length).toBe(b);
  expect(new Set(ids).size).toBe(b);
  for (const x of ids) expect(x).toBeLessThan(n);
}

/**
 * Whether `order` can come out of Algorithm 1: a sequence of blocks, block j being the not-yet-chosen
 * instances of some tag t_j in any order, the last block possibly cut short (stopping mid-tag), then
 * untagged instances only once every tagged one is in.
 */
function isAlgorithm1Order(index: TagIndex, order: Uint32Array): boolean {
  const b = order.length;
  const chosen = new Uint8Array(index.n);
  const fits = (pos: number): boolean => {
    if (pos === b) return true;
    const x = order[pos]!;
    const tags = index.rowTags.subarray(index.rowOffsets[x]!, index.rowOffsets[x + 1]!);
    if (tags.length === 0) {
      // Untagged: only after every tagged instance, and the rest must be untagged too.
      let taggedIn = 0;
      for (let a = 0; a < pos; a++) if (index.rowOffsets[order[a]! + 1]! > index.rowOffsets[order[a]!]!) taggedIn++;
      if (taggedIn !== index.tagged) return false;
      for (let a = pos; a < b; a++) if (index.rowOffsets[order[a]! + 1]! > index.rowOffsets[order[a]!]!) return false;
      return true;
    }
    for (const t of tags) {
      const rest = [...index.tagMembers.subarray(index.tagOffsets[t]!, index.tagOffsets[t + 1]!)].filter((i) => !chosen[i]);
      const len = Math.min(rest.length, b - pos);
      const block = order.subarray(pos, pos + len);
      const restSet = new Set(rest);
      if (!block.every((i) => restSet.has(i)) || new Set(block).size !== len) continue;
      for (const i of block) chosen[i] = 1;
      if (fits(pos + len)) return true;
      for (const i of block) chosen[i] = 0;
    }
    return false;
  };
  return fits(0);
}

describe('simulated routing (Algorithm 1)', () => {
  const n = 400;
  const index = buildTagIndex(randomTagMatrix(n, 15, 3, 0.05), n);
  const ppm = linearPpm(randomWeights(4));

  it('is reproducible for a seed and differs for another seed', async () => {
    const a = await simulated(index, ppm, 100, { K: 50, seed: 7 });
    const b = await simulated(index, ppm, 100, { K: 50, seed: 7 });
    const c = await simulated(index, ppm, 100, { K: 50, seed: 8 });
    expect([...a.humanIds]).toEqual([...b.humanIds]);
    expect(a.predicted).toBe(b.predicted);
    expect(a.candidate).toBe(b.candidate);
    expect([...a.humanIds]).not.toEqual([...c.humanIds]);
    expect(a.seed).toBe(7);
    // The winner can be rebuilt alone.
    expect([...candidateOrder(index, 7, a.candidate!, 100)]).toEqual([...a.humanIds]);
  });

  it('routes exactly b distinct instances, in an order Algorithm 1 can produce', () => {
    for (const b of [1, 17, 100, 250, index.tagged, index.tagged + 5, n]) {
      for (let k = 0; k < 5; k++) {
        const order = candidateOrder(index, 11, k, b);
        expectValidSet(order, n, b);
        expect(isAlgorithm1Order(index, order)).toBe(true);
      }
    }
    // The check is not vacuous: a gain-ordered set is not an Algorithm 1 order.
    const byId = Uint32Array.from({ length: 100 }, (_, i) => i);
    expect(isAlgorithm1Order(index, byId)).toBe(false);
  });

  it('stops mid-tag: disjoint tags of 10 instances, budget 25 = two whole tags and half of a third', async () => {
    const m = 100;
    const idx = buildTagIndex(
      matrix(m, (i) => [Math.floor(i / 10)]),
      m,
    );
    for (let k = 0; k < 20; k++) {
      const order = candidateOrder(idx, 5, k, 25);
      const tagOf = [...order].map((i) => Math.floor(i / 10));
      expect(new Set(tagOf.slice(0, 10)).size).toBe(1);
      expect(new Set(tagOf.slice(10, 20)).size).toBe(1);
      expect(new Set(tagOf.slice(20)).size).toBe(1);
      expect(new Set([tagOf[0], tagOf[10], tagOf[20]]).size).toBe(3);
    }
    const r = await simulated(idx, linearPpm(new Float32Array(F)), 25, { K: 10, seed: 1 });
    expect(r.humanIds.length).toBe(25);
  });

  it('fills from untagged instances (seeded) once every tag is exhausted', () => {
    const m = 50;
    const idx = buildTagIndex(
      matrix(m, (i) => (i % 5 === 0 ? [] : [i % 3, 40 + (i % 7)])),
      m,
    );
    expect(idx.tagged).toBe(40);
    const order = candidateOrder(idx, 9, 0, 45);
    expectValidSet(order, m, 45);
    expect([...order.subarray(0, 40)].every((i) => i % 5 !== 0)).toBe(true);
    expect([...order.subarray(40)].every((i) => i % 5 === 0)).toBe(true);
    expect([...candidateOrder(idx, 9, 0, 45)]).toEqual([...order]);
    expect([...candidateOrder(idx, 9, 1, 45).subarray(40)]).not.toEqual([...order.subarray(40)]);
  });

  it('a candidate for a budget is the prefix of the same candidate for a larger budget', () => {
    const long = candidateOrder(index, 21, 3, n);
    for (const b of [0, 1, 50, 333]) expect([...candidateOrder(index, 21, 3, b)]).toEqual([...long.subarray(0, b)]);
  });

  it('counts at each budget (summed forwards or backwards) equal the counts of the order prefix', () => {
    const builder = new CandidateBuilder(index);
    const lists = [
      [0],
      [n],
      [5, 90],
      [10, 200, 380],
      [1, 2, 3, 399, 400],
      [150, index.tagged, n],
      Array.from({ length: 21 }, (_, j) => Math.round((j * n) / 20)),
    ];
    for (const fill of [false, true]) {
      for (const [li, budgets] of lists.entries()) {
        const top = budgets[budgets.length - 1]!;
        const size = builder.build(100 + li, top, fill);
        expect(size).toBe(fill ? top : Math.min(top, index.tagged));
        const full = candidateOrder(index, 0, 0, 0); // another builder: must not disturb this one
        expect(full.length).toBe(0);
        const seen: number[] = [];
        builder.countsAt(budgets, (p, counts) => {
          seen.push(p);
          const b = Math.min(budgets[p]!, size);
          expect([...counts]).toEqual([...index.countTags(builder.order, b)]);
        });
        expect(seen.sort((a, b) => a - b)).toEqual(budgets.map((_, p) => p));
      }
    }
  });

  it('predicts all K candidates in one call and keeps the best (its prediction is the mix prediction)', async () => {
    const ppmC = counting(ppm);
    const table = await gains(index, ppmC);
    expect(ppmC.calls).toEqual([n + 1]);
    const r = await simulated(index, ppmC, 120, { K: 64, seed: 2, gainTable: table });
    expect(ppmC.calls).toEqual([n + 1, 64]);
    expect(r.candidatesEvaluated).toBe(64);
    expect(r.predicted).toBe(await predictOf(index, ppm, r.humanIds));
    for (let k = 0; k < 64; k++) expect(await predictOf(index, ppm, candidateOrder(index, 2, k, 120))).toBeLessThanOrEqual(r.predicted);
    expect([...r.gains]).toEqual([...r.humanIds].map((i) => table.gains[i]));
  });

  it('budgets where every candidate has the same counts need one row', async () => {
    const ppmC = counting(ppm);
    const table = await gains(index, ppm);
    const full = await simulated(index, ppmC, index.tagged, { K: 500, seed: 1, gainTable: table });
    const zero = await simulated(index, ppmC, 0, { K: 500, seed: 1, gainTable: table });
    expect(ppmC.calls).toEqual([1, 1]);
    expect(full.candidate).toBe(0);
    expectValidSet(full.humanIds, n, index.tagged);
    expect(zero.humanIds.length).toBe(0);
    expect(zero.predicted).toBe(table.base);
  });

  it('rejects bad budgets, K and PPMs', async () => {
    const err = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (isRoutingError(e) ? e.code : String(e)),
      );
    expect(await err(simulated(index, ppm, n + 1))).toBe('bad-budget');
    expect(await err(simulated(index, ppm, 1.5))).toBe('bad-budget');
    expect(await err(simulated(index, ppm, 10, { K: 0 }))).toBe('bad-option');
    expect(await err(simulated(index, ppm, 10, { seed: 0.5 }))).toBe('bad-option');
    expect(await err(topk(index, { featureCount: 89, predict: ppm.predict }, 10))).toBe('bad-ppm');
  });
});

describe('gain top-k and positive gain', () => {
  // gains 1, 2, 2, 1, 3, 2, 0, -1 (tag t weighs t + 1; tag 7 weighs -1)
  const w = new Float64Array(F);
  w[0] = 1;
  w[1] = 2;
  w[2] = 3;
  w[5] = -1;
  const tags = [[0], [1], [1], [0], [2], [1], [], [5]];
  const index = buildTagIndex(
    matrix(tags.length, (i) => tags[i]!),
    tags.length,
  );
  const ppm = linearPpm(w, 0.5);

  it('gains are PPM(v_i) - PPM(0), from one call', async () => {
    const ppmC = counting(ppm);
    const g = await gains(index, ppmC, {});
    expect(ppmC.calls).toEqual([9]);
    expect(g.base).toBe(0.5);
    expect([...g.gains]).toEqual([1, 2, 2, 1, 3, 2, 0, -1]);
    const chunked = counting(ppm);
    expect([...(await gains(index, chunked, { maxRowsPerCall: 4 })).gains]).toEqual([...g.gains]);
    expect(chunked.calls).toEqual([4, 4, 1]);
  });

  it('top-k takes the highest gains, equal gains in input order', async () => {
    const r = await topk(index, ppm, 5);
    expect([...r.humanIds]).toEqual([4, 1, 2, 5, 0]);
    expect([...r.gains]).toEqual([3, 2, 2, 2, 1]);
    expect(r.predicted).toBe(0.5 + 3 + 2 + 2 + 2 + 1);
    expect(r.seed).toBeNull();
    expect([...(await topk(index, ppm, 8)).humanIds]).toEqual([4, 1, 2, 5, 0, 3, 6, 7]);
    expect((await topk(index, ppm, 0)).humanIds.length).toBe(0);
  });

  it('positive routes every instance with gain > 0 (not 0, not negative) and reports the budget', async () => {
    const r = await positive(index, ppm);
    expect(r.budget).toBe(6);
    expect([...r.humanIds]).toEqual([4, 1, 2, 5, 0, 3]);
    expect([...r.gains].every((g) => g > 0)).toBe(true);
  });

  it('tag gains (Table 13 style): for a linear PPM, each tag weight plus the mean of the co-carried weights', async () => {
    const ppmC = counting(ppm);
    const tg = await tagGains(index, ppmC, { sample: 2, seed: 1 });
    expect(ppmC.calls).toEqual([TAG_COUNT + 1]); // one row per tag and the empty mix
    expect(tg.allLm).toBe(0.5);
    expect(tg.carriers[1]).toBe(3);
    expect(tg.gains[2]).toBe(3); // one carrier (instance 4)
    expect(tg.gains[1]).toBe(2); // two of instances 1, 2, 5
    expect(tg.gains[5]).toBe(-1);
    expect(Number.isNaN(tg.gains[3]!)).toBe(true); // nobody carries tag 3
  });

  it('the radix gain order equals a comparator sort (ties, -0, negatives, huge values)', () => {
    const rng = new Rng(77);
    const scores = Float32Array.from({ length: 5000 }, (_, i) =>
      i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : Math.round((rng.float() - 0.5) * 40) * (i % 13 === 0 ? 1e30 : 0.25),
    );
    const expected = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
    expect([...orderByScoreDesc(scores)]).toEqual(expected);
    expect([...gainOrder(Float64Array.from(scores))]).toEqual(expected);
  });

  it('ties are stable on a larger random matrix too (matches a plain sort)', async () => {
    const n = 2000;
    const idx = buildTagIndex(randomTagMatrix(n, 3, 8), n);
    const wi = Float64Array.from({ length: F }, (_, t) => t % 4); // few distinct gains: many ties
    const r = await topk(idx, linearPpm(wi), 700);
    const g = Array.from({ length: n }, (_, i) =>
      [...idx.rowTags.subarray(idx.rowOffsets[i]!, idx.rowOffsets[i + 1]!)].reduce((s, t) => s + wi[t]!, 0),
    );
    const expected = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => g[b]! - g[a]! || a - b)
      .slice(0, 700);
    expect([...r.humanIds]).toEqual(expected);
  });
});

describe('budget curve and best over budgets', () => {
  const n = 300;
  const index = buildTagIndex(randomTagMatrix(n, 12, 13, 0.1), n);
  const ppm = linearPpm(randomWeights(14));
  const budgets = Array.from({ length: 21 }, (_, j) => Math.round((j / 20) * n));

  it('simulated curve: one call for all points; every point equals simulated at that budget', async () => {
    const ppmC = counting(ppm);
    const curve = await budgetCurve(index, ppmC, { budgets, K: 40, seed: 3, strategy: 'simulated' });
    expect(ppmC.calls.length).toBe(1);
    expect(curve.rowsEvaluated).toBe(ppmC.calls[0]);
    expect(curve.points.map((p) => p.budget)).toEqual(budgets);
    const table = await gains(index, ppm);
    for (const p of curve.points) {
      const r = await simulated(index, ppm, p.budget, { K: 40, seed: 3, gainTable: table });
      expect(p.predicted).toBe(r.predicted);
      expect(p.candidate).toBe(r.candidate);
    }
    expect(curve.allLm).toBe(table.base);
    expect(curve.allHuman).toBe(
      await predictOf(
        index,
        ppm,
        Uint32Array.from({ length: n }, (_, i) => i),
      ),
    );
    expect(curve.points[0]!.predicted).toBe(curve.allLm);
    expect(curve.points[20]!.predicted).toBe(curve.allHuman);
    // Same seed, same curve.
    expect(await budgetCurve(index, ppm, { budgets, K: 40, seed: 3, strategy: 'simulated' })).toEqual(curve);
  });

  it('top-k curve: each point equals top-k at that budget; duplicate and unsorted budgets are fine', async () => {
    const bs = [150, 0, 30, 150, n];
    const curve = await budgetCurve(index, ppm, { budgets: bs, strategy: 'topk' });
    const table = await gains(index, ppm);
    for (const p of curve.points) expect(p.predicted).toBe((await topk(index, ppm, p.budget, { gainTable: table })).predicted);
    expect(curve.points.map((p) => p.budget)).toEqual(bs);
  });

  it('best over budgets: one batch, the best candidate of all budgets', async () => {
    const ppmC = counting(ppm);
    const table = await gains(index, ppm);
    const tried = [60, 120, 200];
    const r = await bestOverBudgets(index, ppmC, { budgets: tried, K: 30, seed: 5, gainTable: table });
    expect(ppmC.calls).toEqual([90]);
    expect(tried).toContain(r.budget);
    expectValidSet(r.humanIds, n, r.budget);
    expect(r.predicted).toBe(await predictOf(index, ppm, r.humanIds));
    expect([...candidateOrder(index, r.streamSeed!, r.candidate!, r.budget)]).toEqual([...r.humanIds]);
    // The first budget uses the seed itself: its best is simulated's.
    const first = await simulated(index, ppm, 60, { K: 30, seed: 5, gainTable: table });
    expect(r.predicted).toBeGreaterThanOrEqual(first.predicted);
    // Random budgets, reproducible.
    const a = await bestOverBudgets(index, ppm, { count: 5, K: 20, seed: 9, gainTable: table });
    const b = await bestOverBudgets(index, ppm, { count: 5, K: 20, seed: 9, gainTable: table });
    expect(a.budgetsTried).toEqual(b.budgetsTried);
    expect([...a.humanIds]).toEqual([...b.humanIds]);
    expect(a.budgetsTried!.every((x) => x >= 1 && x <= n - 1)).toBe(true);
    // Independent candidates per budget (the paper's description): a valid best too, rebuilt from its stream.
    const independent = await bestOverBudgets(index, ppm, { budgets: tried, K: 30, seed: 5, independent: true, gainTable: table });
    expect(independent.predicted).toBe(await predictOf(index, ppm, independent.humanIds));
    expect([...candidateOrder(index, independent.streamSeed!, independent.candidate!, independent.budget)]).toEqual([
      ...independent.humanIds,
    ]);
    // Shared (the default): every budget's candidates are prefixes of the same K orders, all from the seed.
    expect(r.streamSeed).toBe(5);
    const atBudget = await Promise.all(tried.map((b) => simulated(index, ppm, b, { K: 30, seed: 5, gainTable: table })));
    expect(r.predicted).toBe(Math.max(...atBudget.map((x) => x.predicted)));
  });
});

describe('a helper building half of the candidates elsewhere', () => {
  // Large enough for the split (K >= 16, a largest varying budget of at least 1,000).
  const n = 3000;
  const index = buildTagIndex(randomTagMatrix(n, 12, 21, 0.1), n);
  const ppm = linearPpm(randomWeights(22));
  // Another thread, as far as the caller can tell: its own index from the same bits, answers a tick later.
  const calls: number[][] = [];
  const helper: CandidateHelper = {
    async countsAt(seed, from, to, budgets) {
      calls.push([from, to, budgets.length]);
      await new Promise((r) => setTimeout(r, 1));
      return candidateCountRows(buildTagIndex(index.toBits(), n), seed, from, to, budgets);
    },
  };

  it('gives the same curve, simulated result and best over budgets as one thread, the helper taking chunks', async () => {
    const budgets = Array.from({ length: 21 }, (_, j) => Math.round((j * n) / 20));
    const alone = await budgetCurve(index, ppm, { budgets, strategy: 'simulated', K: 40, seed: 3 });
    const shared = await budgetCurve(index, ppm, { budgets, strategy: 'simulated', K: 40, seed: 3, helper });
    expect(shared).toEqual(alone);
    // The helper took chunks of candidates (never candidate 0, which carries the single-row budgets).
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(([from]) => from! >= 1)).toBe(true);
    for (const opts of [
      { K: 40, seed: 9 },
      { K: 7, seed: 9 },
    ]) {
      const a = await simulated(index, ppm, 1500, opts);
      const b = await simulated(index, ppm, 1500, { ...opts, helper });
      expect({ ...b, humanIds: [...b.humanIds] }).toEqual({ ...a, humanIds: [...a.humanIds] });
    }
    const bestAlone = await bestOverBudgets(index, ppm, { count: 5, K: 32, seed: 4 });
    const bestShared = await bestOverBudgets(index, ppm, { count: 5, K: 32, seed: 4, helper });
    expect([...bestShared.humanIds]).toEqual([...bestAlone.humanIds]);
    expect(bestShared.predicted).toBe(bestAlone.predicted);
  });

  it('a helper that fails leaves its half to this thread: the same curve', async () => {
    const budgets = [0, 1000, 1500, 2000, n];
    const alone = await budgetCurve(index, ppm, { budgets, strategy: 'simulated', K: 40, seed: 5 });
    const broken: CandidateHelper = { countsAt: async () => Promise.reject(new Error('worker gone')) };
    expect(await budgetCurve(index, ppm, { budgets, strategy: 'simulated', K: 40, seed: 5, helper: broken })).toEqual(alone);
  });

  it('a helper that answers the wrong amount is an error, not a wrong curve', async () => {
    const short: CandidateHelper = { countsAt: async () => new Float32Array(3) };
    await expect(
      budgetCurve(index, ppm, { budgets: [0, 1000, 2000], strategy: 'simulated', K: 40, seed: 3, helper: short }),
    ).rejects.toThrow(/helper returned 3 counts/);
  });
});

describe('local search', () => {
  const n = 300;
  const index = buildTagIndex(randomTagMatrix(n, 10, 31), n);
  // A random quadratic PPM with interactions.
  const w = randomWeights(32, 1);
  const Q = Float64Array.from({ length: F * F }, (_, i) => Math.sin(i * 12.9898) * 0.02);
  const ppm = quadraticPpm(0, w, Q);

  it('never lowers the score and keeps the budget', async () => {
    const router = new Router(index, ppm);
    for (const start of [await router.topk(60), await router.simulated(60, { K: 50, seed: 1 }), await router.positive()]) {
      const r = await router.localSearch(start, { maxSwaps: 30, seed: 4 });
      expect(r.predicted).toBeGreaterThanOrEqual(r.startPredicted);
      expect(r.startPredicted).toBe(start.predicted);
      expect(r.improvement).toBe(r.predicted - r.startPredicted);
      expectValidSet(r.humanIds, n, start.budget);
      expect(r.predicted).toBe(await predictOf(index, ppm, r.humanIds));
      expect(r.swapsAccepted).toBeLessThanOrEqual(30);
      expect(r.from).toBe(start.strategy);
    }
  });

  it('is reproducible, and maxSwaps 0 changes nothing', async () => {
    const start = await topk(index, ppm, 40);
    const a = await localSearch(index, ppm, start, { maxSwaps: 10, seed: 2 });
    const b = await localSearch(index, ppm, start, { maxSwaps: 10, seed: 2 });
    expect([...a.humanIds]).toEqual([...b.humanIds]);
    const none = await localSearch(index, ppm, start, { maxSwaps: 0 });
    expect([...none.humanIds]).toEqual([...start.humanIds]);
    expect(none.improvement).toBe(0);
  });
});

describe('planted quadratic PPM with a known best subset', () => {
  // 20 planted instances, each with its own tag 0..19 (small gain alone, strong pairwise synergy);
  // 40 decoys with tag 21 (high gain alone, diminishing returns); 40 neutral with tag 22; everyone has tag 89.
  // y = 0.1 m + 0.05 m (m - 1) + d - 0.04 d^2 for m planted, d decoys (m (m - 1) / 2 pairs at 0.1 each): at budget 20 the unique optimum is
  // the 20 planted instances (21.0); top-k takes the 20 decoys (20 - 16 = 4.0).
  const n = 100;
  const kind = (i: number) => (i < 20 ? 'planted' : i < 60 ? 'decoy' : 'neutral');
  const index = buildTagIndex(
    matrix(n, (i) => [i < 20 ? i : i < 60 ? 21 : 22, 89]),
    n,
  );
  const w = new Float64Array(F);
  const Q = new Float64Array(F * F);
  for (let i = 0; i < 20; i++) {
    w[i] = 0.1;
    for (let j = 0; j < 20; j++) if (i !== j) Q[i * F + j] = 0.05; // v^T Q v counts each pair twice: 0.1 per pair
  }
  w[21] = 1;
  Q[21 * F + 21] = -0.04;
  const ppm = quadraticPpm(0, w, Q);
  const optimum = 21;
  const plantedIn = (r: RoutingResult) => [...r.humanIds].filter((i) => kind(i) === 'planted').length;

  it('the strategies find it, or get this close', async () => {
    const router = new Router(index, ppm);
    const top = await router.topk(20);
    const sim500 = await router.simulated(20, { K: 500, seed: 1 });
    const sim2000 = await router.simulated(20, { K: 2000, seed: 1 });
    const best = await router.bestOverBudgets({ budgets: [15, 20, 25, 30], K: 500, seed: 1 });
    const polishTop = await router.localSearch(top, { maxSwaps: 100, batch: 2048, seed: 1 });
    const polishSim = await router.localSearch(sim500, { maxSwaps: 100, batch: 2048, seed: 1 });
    const polishRandomSwaps = await router.localSearch(top, { maxSwaps: 100, batch: 64, patience: 10, seed: 1 });
    const rows = [
      ['top-k', top],
      ['simulated K=500', sim500],
      ['simulated K=2000', sim2000],
      ['best over budgets {15,20,25,30} K=500 (any budget)', best],
      ['top-k + local search (all swaps)', polishTop],
      ['simulated K=500 + local search (all swaps)', polishSim],
      ['top-k + local search (64 random swaps/call)', polishRandomSwaps],
    ] as const;
    console.log(`planted quadratic, n = ${n}, budget 20, optimum ${optimum} (the 20 planted instances):`);
    for (const [name, r] of rows) {
      const extra = 'swapsAccepted' in r ? `, ${r.swapsAccepted} swaps in ${r.rounds} calls` : '';
      console.log(
        `  ${name.padEnd(52)} predicted ${r.predicted.toFixed(3).padStart(7)}  (${((r.predicted / optimum) * 100).toFixed(1)}% of optimum), planted ${plantedIn(r)}/20, budget ${r.budget}${extra}`,
      );
    }
    // How often simulated K=500 hits the optimum over 20 seeds (Algorithm 1 must take the 20 planted tags
    // before tags 21, 22 and 89: probability 1/1771 per candidate, so about 1 - e^(-500/1771) = 25% per run).
    const table = await router.gains();
    let hits = 0;
    let sum = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = await simulated(index, ppm, 20, { K: 500, seed, gainTable: table });
      if (Math.abs(r.predicted - optimum) < 1e-4) hits++;
      sum += r.predicted;
    }
    console.log(`  simulated K=500 over seeds 1..20: optimum hit ${hits}/20, mean predicted ${(sum / 20).toFixed(3)}`);
    expect(top.predicted).toBeCloseTo(4, 4);
    expect(plantedIn(top)).toBe(0);
    expect(sim500.predicted).toBeGreaterThan(top.predicted);
    expect(sim2000.predicted).toBeGreaterThanOrEqual(sim500.predicted);
    expect(best.predicted).toBeGreaterThanOrEqual(sim500.predicted);
    for (const r of [polishTop, polishSim]) {
      expect(r.predicted).toBeCloseTo(optimum, 4);
      expect([...r.humanIds].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(r.localOptimum).toBe(true);
    }
    expect(polishRandomSwaps.predicted).toBeGreaterThan(top.predicted);
  });
});
