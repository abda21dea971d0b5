import { describe, expect, it } from 'vitest';
import { hasBit, TAG_WORDS } from '../tags/tag-set';
import { TAG_COUNT, TAG_IDS } from '../tags/tags';
import type { Label, Preference } from '../labels';
import { mulberry32 } from '../random';
import { candidateOrder } from '../routing/candidates';
import { randomTagMatrix } from '../routing/synthetic';
import {
  buildManifest,
  countsCsvHeader,
  countsCsvLine,
  generateCandidates,
  humanIds,
  manifestEntry,
  planCandidates,
  trlJsonl,
  trlRows,
  type Candidate,
} from './candidates';
import { preparePool, type LabelledPair } from './pool';
import { parseCountsCsv } from './results-csv';

const label = (value: Preference): Label => ({ value, original: value });

/** n pairs; human and LM winners drawn at random, with some ties and missing labels on either side. */
function dataset(n: number, seed: number): LabelledPair[] {
  const next = mulberry32(seed);
  const pick = (): Label | undefined => {
    const u = next();
    return u < 0.05 ? undefined : u < 0.12 ? label('A=B') : u < 0.56 ? label('A>B') : label(next() < 0.5 ? 'B>A' : 'B>>A');
  };
  return Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    prompt: `prompt ${i}`,
    responseA: `answer A of ${i}`,
    responseB: `answer B of ${i}`,
    human: pick(),
    lm: pick(),
  }));
}

const N = 600;
const records = dataset(N, 1);
const bits = randomTagMatrix(N, 12, 2, 0.03);

function all(pool: ReturnType<typeof preparePool>, opts: Parameters<typeof planCandidates>[1]): Candidate[] {
  return [...generateCandidates(pool, planCandidates(pool, opts))];
}

describe('preparePool', () => {
  const pool = preparePool(records, bits, { goldShare: 0.2, seed: 5 });

  it('drops ties and missing labels by either source and holds out the gold split first', () => {
    const winner = (l?: Label) => (l === undefined ? null : l.value === 'A=B' ? 'tie' : l.value.startsWith('A') ? 'A' : 'B');
    const inPool = new Set(pool.positions);
    const gold = new Set(pool.gold);
    let expectGoldable = 0;
    records.forEach((r, i) => {
      const h = winner(r.human);
      const l = winner(r.lm);
      if (h === 'A' || h === 'B') expectGoldable++;
      const eligible = (h === 'A' || h === 'B') && (l === 'A' || l === 'B');
      expect(inPool.has(i)).toBe(eligible && !gold.has(i));
      if (gold.has(i)) expect(h === 'A' || h === 'B').toBe(true);
    });
    expect(pool.gold.length).toBe(Math.round(0.2 * expectGoldable));
    const e = pool.excluded;
    expect(e.gold + e.humanMissing + e.humanTie + e.lmMissing + e.lmTie + pool.positions.length).toBe(N);
    expect(e.humanTie).toBeGreaterThan(0);
    expect(e.lmTie).toBeGreaterThan(0);
    expect(e.lmMissing).toBeGreaterThan(0);
    pool.positions.forEach((i, p) => {
      expect(pool.humanA[p]).toBe(winner(records[i]!.human) === 'A' ? 1 : 0);
      expect(pool.lmA[p]).toBe(winner(records[i]!.lm) === 'A' ? 1 : 0);
    });
  });

  it('is reproducible and the fingerprint follows the split', () => {
    const again = preparePool(records, bits, { goldShare: 0.2, seed: 5 });
    expect(again.gold).toEqual(pool.gold);
    expect(again.fingerprint).toBe(pool.fingerprint);
    const other = preparePool(records, bits, { goldShare: 0.2, seed: 6 });
    expect(other.gold).not.toEqual(pool.gold);
    expect(other.fingerprint).not.toBe(pool.fingerprint);
  });

  it('refuses a tag matrix of the wrong size and a bad share', () => {
    expect(() => preparePool(records, bits.subarray(3), {})).toThrow(expect.objectContaining({ code: 'bad-dataset' }));
    expect(() => preparePool(records, bits, { goldShare: 1 })).toThrow(expect.objectContaining({ code: 'bad-option' }));
  });
});

describe('candidates', () => {
  const pool = preparePool(records, bits, { goldShare: 0.2, seed: 5 });
  const m = pool.positions.length;

  it('are deterministic for a seed, independent of K, and change with the seed', () => {
    const a = all(pool, { k: 8, seed: 3 });
    const b = all(pool, { k: 8, seed: 3 });
    expect(b).toEqual(a);
    const longer = all(pool, { k: 12, seed: 3 });
    expect(longer.slice(0, 8)).toEqual(a);
    const c = all(pool, { k: 8, seed: 4 });
    expect(c.map((x) => x.budget)).not.toEqual(a.map((x) => x.budget));
  });

  it("route by Algorithm 1 (the router's own candidate construction) and label the rest by the LM", () => {
    const plan = planCandidates(pool, { k: 6, seed: 9, cap: null });
    for (const c of generateCandidates(pool, plan)) {
      const routed = new Set(Array.from(candidateOrder(pool.index, plan.seed, c.index, c.budget), (p) => pool.positions[p]!));
      expect(c.mix).toEqual(pool.positions);
      expect(c.humanInMix).toBe(c.budget);
      c.mix.forEach((i, j) => {
        const p = pool.positions.indexOf(i);
        expect(c.fromHuman[j]).toBe(routed.has(i) ? 1 : 0);
        expect(c.chosenA[j]).toBe(routed.has(i) ? pool.humanA[p] : pool.lmA[p]);
      });
    }
  });

  it('start with the all-human and all-LM mixes for random budgets', () => {
    const [h, l, ...rest] = all(pool, { k: 5, seed: 1, cap: null });
    expect(h!.budget).toBe(m);
    expect(h!.fromHuman.every((x) => x === 1)).toBe(true);
    expect(l!.budget).toBe(0);
    expect(l!.fromHuman.every((x) => x === 0)).toBe(true);
    expect(Array.from(l!.counts).every((x) => x === 0)).toBe(true);
    for (const c of rest) {
      expect(c.budget).toBeGreaterThanOrEqual(1);
      expect(c.budget).toBeLessThan(m);
    }
    expect(
      all(pool, { k: 3, seed: 1, includeExtremes: false })
        .map((c) => c.budget)
        .includes(m),
    ).toBe(false);
  });

  it('take given budgets as fractions of the pool, cycling when K is larger', () => {
    const cs = all(pool, { k: 5, budgets: [0.1, 0.5], cap: null });
    expect(cs.map((c) => c.budget)).toEqual([0.1, 0.5, 0.1, 0.5, 0.1].map((f) => Math.round(f * m)));
    expect(cs.map((c) => c.id)).toEqual(['c000', 'c001', 'c002', 'c003', 'c004']);
    // Same budget, different candidate streams: different subsets.
    expect(cs[0]!.fromHuman).not.toEqual(cs[2]!.fromHuman);
  });

  it('cap every mix by a seeded uniform sample and count only the human instances that remain', () => {
    const cap = 150;
    for (const c of all(pool, { k: 10, seed: 2, cap })) {
      expect(c.mix.length).toBe(cap);
      for (let j = 1; j < cap; j++) expect(c.mix[j]!).toBeGreaterThan(c.mix[j - 1]!);
      const inPool = new Set(pool.positions);
      expect(Array.from(c.mix).every((i) => inPool.has(i))).toBe(true);
      expect(c.humanInMix).toBe(c.fromHuman.reduce((s, x) => s + x, 0));
      expect(c.humanInMix).toBeLessThanOrEqual(Math.min(cap, c.budget));
    }
    const big = all(pool, { k: 2, cap: 10 * m });
    expect(big[0]!.mix.length).toBe(m);
  });

  it("count vectors equal a direct recount over the dataset's tag bits", () => {
    for (const c of all(pool, { k: 10, seed: 7, cap: 200 })) {
      const direct = new Int32Array(TAG_COUNT);
      c.mix.forEach((i, j) => {
        if (!c.fromHuman[j]) return;
        for (let t = 0; t < TAG_COUNT; t++) if (hasBit(bits, i, t)) direct[t]!++;
      });
      expect(c.counts).toEqual(direct);
    }
  });

  it('never put a gold instance in a mix', () => {
    const gold = new Set(pool.gold);
    for (const c of all(pool, { k: 6, seed: 8 })) expect(Array.from(c.mix).some((i) => gold.has(i))).toBe(false);
  });

  it('give TRL rows with the chosen side of the label used, the human ids, and counts lines', () => {
    const [c] = all(pool, { k: 3, seed: 11, cap: 40 });
    const rows = [...trlRows(records, c!)];
    expect(rows).toHaveLength(40);
    rows.forEach((row, j) => {
      const r = records[c!.mix[j]!]!;
      expect(Object.keys(row)).toEqual(['prompt', 'chosen', 'rejected']);
      expect(row.prompt).toBe(r.prompt);
      expect([row.chosen, row.rejected]).toEqual(c!.chosenA[j] ? [r.responseA, r.responseB] : [r.responseB, r.responseA]);
    });
    expect(
      trlJsonl(records, c!)
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(rows);
    expect(humanIds(records, c!)).toHaveLength(c!.humanInMix);
    const csv = `${countsCsvHeader()}\n${countsCsvLine(c!)}\n`;
    const table = parseCountsCsv(csv);
    expect(table.features).toEqual([...TAG_IDS]);
    expect(table.ids).toEqual([c!.id]);
    expect(Array.from(table.X)).toEqual(Array.from(c!.counts));
  });

  it('describe the run in a manifest', () => {
    const plan = planCandidates(pool, { k: 4, seed: 12 });
    const entries = [...generateCandidates(pool, plan)].map((c) => manifestEntry(c));
    const man = buildManifest({ plan, pool, records, dataset: { name: 'x.jsonl', sha256: 'ab' }, entries });
    expect(man).toMatchObject({
      format: 'hyper-candidates',
      version: 1,
      seed: 12,
      k: 4,
      cap: 7000,
      budgets: 'random',
      includeExtremes: true,
    });
    expect(man.dataset).toEqual({ name: 'x.jsonl', sha256: 'ab', n: N });
    expect(man.pool.size).toBe(m);
    expect(man.pool.gold.ids).toEqual(Array.from(pool.gold, (i) => records[i]!.id));
    expect(man.features).toEqual([...TAG_IDS]);
    expect(man.candidates.map((e) => e.id)).toEqual(['c000', 'c001', 'c002', 'c003']);
    expect(JSON.parse(JSON.stringify(man))).toEqual(man);
  });

  it('report progress, stop on abort, and refuse bad options', () => {
    const seen: number[] = [];
    const plan = planCandidates(pool, { k: 3 });
    for (const _ of generateCandidates(pool, plan, { onProgress: (d) => seen.push(d) })) void _;
    expect(seen).toEqual([1, 2, 3]);
    const ac = new AbortController();
    const it = generateCandidates(pool, plan, { signal: ac.signal });
    it.next();
    ac.abort();
    expect(() => it.next()).toThrow(expect.objectContaining({ code: 'cancelled' }));
    expect(() => planCandidates(pool, { k: 0 })).toThrow(/k must be an integer >= 1/);
    expect(() => planCandidates(pool, { cap: 0 })).toThrow(/cap must be an integer >= 1/);
    expect(() => planCandidates(pool, { budgets: [0.2, 1.5] })).toThrow(/budgets\[1\] = 1.5/);
    const empty = preparePool(
      records.map((r) => ({ ...r, lm: undefined })),
      bits,
    );
    expect(() => planCandidates(empty)).toThrow(expect.objectContaining({ code: 'bad-dataset' }));
  });

  it('handle a pool without any tag (the fill takes untagged instances)', () => {
    const none = preparePool(records, new Uint32Array(N * TAG_WORDS));
    const cs = all(none, { k: 4, seed: 2, cap: null });
    for (const c of cs) expect(c.humanInMix).toBe(c.budget);
  });
});
