import { describe, expect, it } from 'vitest';
import type { Annotation } from '../annotation';
import type { Preference } from '../labels';
import {
  agreementReport,
  AgreementError,
  alphaOf,
  annotatorStats,
  cohenKappa,
  cohenKappaOf,
  disagreements,
  humanLmAgreement,
  krippendorffAlpha,
  majorityWinner,
  pairwiseKappa,
  ratingsFromAnnotations,
  type Rating,
} from './index';

const rep = <T>(n: number, v: T): T[] => Array.from({ length: n }, () => v);
const r = (idx: number, annotator: string, overall: Preference, activeMs = 1000): Rating => ({ idx, annotator, overall, activeMs });

describe("Cohen's kappa", () => {
  it('the textbook 2x2 example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no gives 0.4', () => {
    // po = 35/50 = 0.7; pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    const pairs = [
      ...rep(20, ['yes', 'yes'] as const),
      ...rep(5, ['yes', 'no'] as const),
      ...rep(10, ['no', 'yes'] as const),
      ...rep(15, ['no', 'no'] as const),
    ];
    const k = cohenKappa(pairs, ['yes', 'no']);
    expect(k.n).toBe(50);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(k.counts).toEqual([
      [20, 5],
      [10, 15],
    ]);
  });

  it('the same data through annotations over winners (an unused tie category changes nothing)', () => {
    const ratings: Rating[] = [];
    let idx = 0;
    const add = (n: number, a: Preference, b: Preference) => {
      for (let i = 0; i < n; i++, idx++) ratings.push(r(idx, 'ann', a), r(idx, 'bob', b));
    };
    add(20, 'A>B', 'A>>B');
    add(5, 'A>B', 'B>A');
    add(10, 'B>>A', 'A>B');
    add(15, 'B>A', 'B>A');
    expect(cohenKappaOf(ratings, 'ann', 'bob').kappa).toBeCloseTo(0.4, 12);
  });

  it('weighted kappa on an ordered scale, computed by hand', () => {
    // Pairs (0,0) (0,1) (1,1) (2,1) (2,2): rows 2,1,2; columns 1,3,1; n = 5.
    const pairs = [
      [0, 0],
      [0, 1],
      [1, 1],
      [2, 1],
      [2, 2],
    ] as const;
    // Unweighted: po = 3/5, pe = (2·1 + 1·3 + 2·1)/25 = 7/25, kappa = (15/25 - 7/25)/(18/25) = 4/9.
    expect(cohenKappa(pairs, [0, 1, 2]).kappa).toBeCloseTo(4 / 9, 12);
    // Linear weights |i-j|/2: observed disagreement 0.2, expected 11/25; kappa = 1 - 0.2/0.44 = 6/11.
    expect(cohenKappa(pairs, [0, 1, 2], 'linear').kappa).toBeCloseTo(6 / 11, 12);
    // Quadratic weights ((i-j)/2)²: observed 0.1, expected 7.5/25 = 0.3; kappa = 2/3.
    expect(cohenKappa(pairs, [0, 1, 2], 'quadratic').kappa).toBeCloseTo(2 / 3, 12);
  });

  it('edge cases: perfect agreement, no variation, one item, no items, unknown values', () => {
    expect(
      cohenKappa(
        [
          ['A', 'A'],
          ['B', 'B'],
          ['tie', 'tie'],
        ],
        ['A', 'tie', 'B'],
      ).kappa,
    ).toBe(1);
    // Both raters always said A: chance agreement is 1, kappa is 0/0.
    const same = cohenKappa(rep(4, ['A', 'A'] as const), ['A', 'tie', 'B']);
    expect(same).toMatchObject({ kappa: null, undefinedReason: 'no-variation', observed: 1, expected: 1, n: 4 });
    expect(cohenKappa([['A', 'A']], ['A', 'B']).kappa).toBeNull();
    // One item, disagreeing: po = 0, pe = 1·0 + 0·1 = 0, kappa = 0.
    expect(cohenKappa([['A', 'B']], ['A', 'B']).kappa).toBe(0);
    expect(cohenKappa([], ['A', 'B'])).toMatchObject({ kappa: null, undefinedReason: 'no-items', n: 0, observed: null });
    expect(() => cohenKappa([['A', 'C']], ['A', 'B'])).toThrow(
      expect.objectContaining({ code: 'unknown-category', message: expect.stringMatching(/pair 1: value C/) }),
    );
  });
});

describe("Krippendorff's alpha", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12 units, values 1-5,
  // with missing values (unit 12 has one value and is not pairable). Published: nominal 0.743,
  // ordinal 0.815, interval 0.849.
  const _ = null;
  const observers = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ];
  const units = observers[0]!.map((_v, u) => observers.map((o) => o[u]));

  it('reproduces the published example', () => {
    const nominal = krippendorffAlpha(units, 'nominal', [1, 2, 3, 4, 5]);
    expect(nominal.units).toBe(11);
    expect(nominal.values).toBe(40);
    // The coincidence matrix's marginals n_c as printed in the paper: 9, 13, 10, 5, 3.
    expect(nominal.coincidences.map((row) => row.reduce((s, v) => s + v, 0))).toEqual([9, 13, 10, 5, 3].map((v) => expect.closeTo(v, 10)));
    expect(nominal.alpha).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(units, 'ordinal', [1, 2, 3, 4, 5]).alpha).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(units, 'interval', [1, 2, 3, 4, 5]).alpha).toBeCloseTo(0.849, 3);
  });

  it('the same example as preferences on the five-point scale (1 = A>>B … 5 = B>>A)', () => {
    const scale: Preference[] = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'];
    const ratings: Rating[] = [];
    observers.forEach((values, o) => values.forEach((v, u) => v !== null && ratings.push(r(u, `obs${o + 1}`, scale[v - 1]!))));
    expect(alphaOf(ratings, 'five-point', 'nominal').alpha).toBeCloseTo(0.743, 3);
    expect(alphaOf(ratings, 'five-point', 'ordinal').alpha).toBeCloseTo(0.815, 3);
  });

  it('a small case by hand: units [A,A], [A,B], [B,B] give 4/9', () => {
    // o_AA = 2, o_AB = o_BA = 1, o_BB = 2; n_A = n_B = 3, n = 6.
    // D_o = 2/6; D_e = 2·3·3/(6·5) = 0.6; alpha = 1 - (1/3)/0.6 = 4/9.
    const a = krippendorffAlpha(
      [
        ['A', 'A'],
        ['A', 'B'],
        ['B', 'B'],
      ],
      'nominal',
      ['A', 'B'],
    );
    expect(a.alpha).toBeCloseTo(4 / 9, 12);
    expect(a.observedDisagreement).toBeCloseTo(1 / 3, 12);
    expect(a.expectedDisagreement).toBeCloseTo(0.6, 12);
  });

  it('missing data, a single unit, no pairable units, no variation', () => {
    // The lone value in the third unit and the missing ones do not count.
    expect(krippendorffAlpha([['A', 'A', null], ['B', undefined, 'B'], ['A']], 'nominal', ['A', 'B']).alpha).toBe(1);
    // One unit, two different values: D_o = 1, D_e = 1, alpha = 0.
    expect(krippendorffAlpha([['A', 'B']], 'nominal', ['A', 'B']).alpha).toBe(0);
    expect(krippendorffAlpha([['A'], [null, 'B']], 'nominal', ['A', 'B'])).toMatchObject({
      alpha: null,
      undefinedReason: 'no-items',
      units: 0,
    });
    expect(
      krippendorffAlpha(
        [
          ['A', 'A'],
          ['A', 'A'],
        ],
        'nominal',
        ['A', 'B'],
      ),
    ).toMatchObject({ alpha: null, undefinedReason: 'no-variation', units: 2, values: 4 });
    expect(() => krippendorffAlpha([['A', 'Z']], 'nominal', ['A', 'B'])).toThrow(AgreementError);
  });

  it('ordinal alpha credits near misses that nominal alpha does not', () => {
    const units = [
      ['A>>B', 'A>B'],
      ['B>A', 'B>>A'],
      ['A=B', 'A=B'],
      ['A>B', 'A>B'],
    ] as Preference[][];
    const scale: Preference[] = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'];
    const nominal = krippendorffAlpha(units, 'nominal', scale).alpha!;
    const ordinal = krippendorffAlpha(units, 'ordinal', scale).alpha!;
    expect(ordinal).toBeGreaterThan(nominal);
  });
});

describe('ratings of a project', () => {
  // Three annotators; items 0-3 overlap, item 4 has one rating. LM labels for items 0-4.
  const ratings: Rating[] = [
    r(0, 'ann', 'A>>B', 30_000),
    r(0, 'bob', 'A>B', 10_000),
    r(0, 'cat', 'A>B', 20_000),
    r(1, 'ann', 'B>A', 50_000),
    r(1, 'bob', 'A=B', 20_000),
    r(2, 'ann', 'A=B', 10_000),
    r(2, 'bob', 'B>>A', Number.NaN),
    r(2, 'cat', 'A>B', 40_000),
    r(3, 'ann', 'B>A', 20_000),
    r(3, 'bob', 'B>>A', 30_000),
    r(4, 'ann', 'A>B', -5),
  ];
  const lm = new Map<number, Preference>([
    [0, 'A>B'],
    [1, 'B>A'],
    [2, 'B>A'],
    [3, 'A>B'],
    [4, 'A>B'],
  ]);

  it('pairwise kappa over the items each pair shares', () => {
    // ann/bob share items 0-3: winners (A,A) (B,tie) (tie,B) (B,B). po = 2/4.
    // ann: A 1, tie 1, B 2; bob: A 1, tie 1, B 2 → pe = (1+1+4)/16 = 3/8; kappa = (1/2 - 3/8)/(5/8) = 1/5.
    const pairs = pairwiseKappa(ratings);
    expect(pairs.map((p) => [p.first, p.second, p.result.n])).toEqual([
      ['ann', 'bob', 4],
      ['ann', 'cat', 2],
      ['bob', 'cat', 2],
    ]);
    expect(pairs[0]!.result.kappa).toBeCloseTo(0.2, 12);
    // ann/cat: (A,A) (tie,A): po = 1/2; ann A 1/2 tie 1/2, cat A 1 → pe = 1/2; kappa = 0.
    expect(pairs[1]!.result.kappa).toBeCloseTo(0, 12);
  });

  it('alpha over winners, all annotators, by hand', () => {
    // Units: 0 [A,A,A], 1 [B,tie], 2 [tie,B,A], 3 [B,B]; item 4 is not pairable.
    // Coincidences (order A, tie, B): unit 0 adds o_AA 3·2/2 = 3; unit 1 adds o_Bt = o_tB = 1;
    // unit 2 adds 1/2 to each of o_tB, o_tA, o_Bt, o_BA, o_At, o_AB; unit 3 adds o_BB 2.
    // n_A = 3 + 1 = 4, n_tie = 1 + 1 = 2, n_B = 1 + 1 + 2 = 4; n = 10.
    // Disagreeing coincidences: 2 + 3 = 5 → D_o = 0.5; D_e = (2·(4·2 + 4·4 + 2·4))/(10·9) = 64/90.
    // alpha = 1 - 0.5/(64/90) = 1 - 45/64 = 19/64.
    const a = alphaOf(ratings, 'winner', 'nominal');
    expect(a.units).toBe(4);
    expect(a.values).toBe(10);
    expect(a.alpha).toBeCloseTo(19 / 64, 12);
  });

  it('counts and active time per annotator (unknown times left out of the time figures)', () => {
    expect(annotatorStats(ratings)).toEqual([
      { annotator: 'ann', items: 5, timed: 4, totalMs: 110_000, meanMs: 27_500, medianMs: 25_000 },
      { annotator: 'bob', items: 4, timed: 3, totalMs: 60_000, meanMs: 20_000, medianMs: 20_000 },
      { annotator: 'cat', items: 2, timed: 2, totalMs: 60_000, meanMs: 30_000, medianMs: 30_000 },
    ]);
  });

  it('human majority against the LM on routed items', () => {
    // Routed items 0-3. Majorities: 0 A (3 votes), 1 none (B vs tie), 2 none (tie, B, A), 3 B.
    // LM winners: 0 A, 3 A → compared 2, agree 1.
    const h = humanLmAgreement(ratings, lm, [0, 1, 2, 3]);
    expect(h).toMatchObject({ items: 4, missingLm: 0, noMajority: 2, compared: 2, agree: 1, rate: 0.5 });
    // Pairs (A,A), (B,A): po = 1/2; human A 1/2 B 1/2, LM A 1 → pe = 1/2; kappa = 0.
    expect(h.kappa.kappa).toBeCloseTo(0, 12);
    expect(h.perAnnotator).toEqual([
      { annotator: 'ann', compared: 4, agree: 2, rate: 0.5 }, // items 0 (A=A) and 1 (B=B)
      { annotator: 'bob', compared: 4, agree: 2, rate: 0.5 }, // items 0 and 2
      { annotator: 'cat', compared: 2, agree: 1, rate: 0.5 }, // item 0
    ]);
    // Without a routed set every rated item counts; without LM labels an item is counted as missing.
    const all = humanLmAgreement(ratings, new Map([[0, 'A>>B']]));
    expect(all).toMatchObject({ items: 5, missingLm: 4, compared: 1, agree: 1, rate: 1 });
    expect(all.kappa.undefinedReason).toBe('no-variation');
  });

  it('majority winner: unique most frequent, strength collapsed', () => {
    expect(majorityWinner([r(0, 'a', 'A>>B'), r(0, 'b', 'A>B'), r(0, 'c', 'B>A')])).toBe('A');
    expect(majorityWinner([r(0, 'a', 'A>>B'), r(0, 'b', 'B>A')])).toBeNull();
    expect(majorityWinner([])).toBeNull();
  });

  it('the disagreements: items whose winners differ, with every rating and the LM label', () => {
    expect(disagreements(ratings, lm)).toEqual([
      {
        idx: 1,
        ratings: [
          { annotator: 'ann', overall: 'B>A', winner: 'B' },
          { annotator: 'bob', overall: 'A=B', winner: 'tie' },
        ],
        winners: ['tie', 'B'],
        lm: 'B>A',
      },
      {
        idx: 2,
        ratings: [
          { annotator: 'ann', overall: 'A=B', winner: 'tie' },
          { annotator: 'bob', overall: 'B>>A', winner: 'B' },
          { annotator: 'cat', overall: 'A>B', winner: 'A' },
        ],
        winners: ['A', 'tie', 'B'],
        lm: 'B>A',
      },
    ]);
    // Item 0 (A>>B, A>B, A>B) and 3 (B>A, B>>A) differ only in strength: not disagreements.
    expect(disagreements(ratings).map((d) => d.idx)).toEqual([1, 2]);
  });

  it('the full report', () => {
    const report = agreementReport(ratings, { lm, routed: [0, 1, 2, 3] });
    expect(report.annotators).toEqual(['ann', 'bob', 'cat']);
    expect(report.ratings).toBe(11);
    expect(report.overlapping).toBe(4);
    expect(report.pairs.map((p) => p.winner.kappa)).toEqual([expect.closeTo(0.2, 12), expect.closeTo(0, 12), expect.any(Number)]);
    expect(report.pairs[0]!.fivePoint.n).toBe(4);
    expect(report.alpha.winnerNominal.alpha).toBeCloseTo(19 / 64, 12);
    expect(report.humanLm?.compared).toBe(2);
    expect(report.disagreements.map((d) => d.idx)).toEqual([1, 2]);
    expect(agreementReport([]).pairs).toEqual([]);
    expect(agreementReport([]).alpha.winnerNominal.undefinedReason).toBe('no-items');
  });

  it('two ratings of one item by one annotator are an error naming both', () => {
    expect(() => alphaOf([r(3, 'ann', 'A>B'), r(3, 'ann', 'B>A')])).toThrow(
      expect.objectContaining({ code: 'duplicate-rating', message: expect.stringMatching(/item 3 .*"ann"/) }),
    );
  });

  it('only submitted annotations with an overall preference become ratings', () => {
    const base: Annotation = {
      id: 'p|0|ann',
      projectId: 'p',
      datasetId: 'd',
      planId: 'p1',
      idx: 0,
      instanceId: 'i0',
      annotator: 'ann',
      status: 'submitted',
      overall: 'A>B',
      aspects: {},
      rationale: '',
      swapped: true,
      activeMs: 1234,
      createdAt: 0,
      updatedAt: 0,
      rev: 1,
      origin: 'local',
    };
    const list: Annotation[] = [
      base,
      { ...base, idx: 1, status: 'draft' },
      { ...base, idx: 2, status: 'skipped', overall: undefined },
      { ...base, idx: 3, overall: undefined },
    ];
    expect(ratingsFromAnnotations(list)).toEqual([{ idx: 0, annotator: 'ann', overall: 'A>B', activeMs: 1234 }]);
  });
});
