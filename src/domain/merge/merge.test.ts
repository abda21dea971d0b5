import { describe, expect, it } from 'vitest';
import { aggregateAnnotations, countedAnnotations, roundHalfAwayFromZero, type CountedAnnotation } from './aggregate';
import { MergeError } from './errors';
import { mergeRecords, Merger, type MergeDecision } from './merge';
import { aggregationText, parseAggregation, resolveMergeOptions } from './options';
import { ann, plan, rec } from './test-fixtures';
import type { Preference } from '../labels';

const counted = (...overalls: Preference[]): CountedAnnotation[] =>
  overalls.map((o, i) => ann(0, 'x', `annotator-${i}`, o) as CountedAnnotation);

const byId = (decisions: MergeDecision[]) => new Map(decisions.map((d) => [d.record.id, d]));

describe('aggregation of one instance', () => {
  it('majority collapses strength: two "A much better" and one "B better" give "A better"', () => {
    expect(aggregateAnnotations(counted('A>>B', 'A>>B', 'B>A'), { kind: 'majority' })?.value).toBe('A>B');
    expect(aggregateAnnotations(counted('B>>A', 'B>A', 'A=B'), { kind: 'majority' })?.value).toBe('B>A');
  });

  it('majority without a majority is a tie', () => {
    expect(aggregateAnnotations(counted('A>B', 'B>A'), { kind: 'majority' })?.value).toBe('A=B');
    expect(aggregateAnnotations(counted('A>>B', 'B>>A', 'A=B'), { kind: 'majority' })?.value).toBe('A=B');
    expect(aggregateAnnotations(counted('A=B', 'A=B', 'A>B'), { kind: 'majority' })?.value).toBe('A=B');
  });

  it('majority of one annotation is its winner at "better" strength', () => {
    expect(aggregateAnnotations(counted('B>>A'), { kind: 'majority' })?.value).toBe('B>A');
  });

  it('mean strength rounds half away from zero, the same for A and B', () => {
    // -2 and +1: mean -0.5 -> -1; +2 and -1: mean 0.5 -> +1.
    expect(aggregateAnnotations(counted('A>>B', 'B>A'), { kind: 'mean-strength' })?.value).toBe('A>B');
    expect(aggregateAnnotations(counted('B>>A', 'A>B'), { kind: 'mean-strength' })?.value).toBe('B>A');
    expect(aggregateAnnotations(counted('A>>B', 'A>>B'), { kind: 'mean-strength' })?.value).toBe('A>>B');
    expect(aggregateAnnotations(counted('A>>B', 'A>>B', 'B>A'), { kind: 'mean-strength' })?.value).toBe('A>B');
    expect(aggregateAnnotations(counted('A>B', 'B>A'), { kind: 'mean-strength' })?.value).toBe('A=B');
    // -1, -1, +2: mean 0 exactly.
    expect(aggregateAnnotations(counted('A>B', 'A>B', 'B>>A'), { kind: 'mean-strength' })?.value).toBe('A=B');
    expect(roundHalfAwayFromZero(-1.5)).toBe(-2);
    expect(roundHalfAwayFromZero(1.5)).toBe(2);
    expect(roundHalfAwayFromZero(0.49)).toBe(0);
  });

  it('one named annotator: their label with its strength, or nothing when they did not label', () => {
    const list = counted('A>>B', 'B>A');
    const one = aggregateAnnotations(list, { kind: 'annotator', annotator: 'annotator-1' });
    expect(one?.value).toBe('B>A');
    expect(one?.used.map((a) => a.annotator)).toEqual(['annotator-1']);
    expect(aggregateAnnotations(list, { kind: 'annotator', annotator: 'nobody' })).toBeNull();
    expect(aggregateAnnotations([], { kind: 'majority' })).toBeNull();
  });

  it('counts only submitted annotations with an overall preference, the latest per annotator, of the plan asked for', () => {
    const draft = ann(0, 'x', 'dora', 'A>B', { status: 'draft' });
    const skipped = ann(0, 'x', 'sam', undefined, { status: 'skipped' });
    const noOverall = ann(0, 'x', 'nina', undefined);
    const old = ann(0, 'x', 'ann', 'A>B', { id: 'old', submittedAt: 100 });
    const newer = ann(0, 'x', 'ann', 'B>A', { id: 'new', submittedAt: 300, planId: 'plan-2' });
    const bob = ann(0, 'x', 'bob', 'A=B');
    for (const order of [
      [draft, skipped, noOverall, old, newer, bob],
      [bob, newer, old, noOverall, skipped, draft],
    ]) {
      const { counted: c, verdicts } = countedAnnotations(order);
      expect(c.map((a) => a.id)).toEqual(['new', bob.id]);
      expect([draft, skipped, noOverall].map((a) => verdicts.get(a))).toEqual(['incomplete', 'incomplete', 'incomplete']);
      expect(verdicts.get(old)).toBe('superseded');
    }
    const onlyPlan1 = countedAnnotations([old, newer, bob], 'plan-1');
    expect(onlyPlan1.counted.map((a) => a.id)).toEqual(['old', bob.id]);
    expect(onlyPlan1.verdicts.get(newer)).toBe('other-plan');
  });

  it('breaks equal times by revision, then by id', () => {
    const r1 = ann(0, 'x', 'ann', 'A>B', { id: 'z', rev: 1 });
    const r2 = ann(0, 'x', 'ann', 'B>A', { id: 'a', rev: 2 });
    expect(countedAnnotations([r1, r2]).counted[0]!.id).toBe('a');
    expect(countedAnnotations([r2, r1]).counted[0]!.id).toBe('a');
    const i1 = ann(0, 'x', 'ann', 'A>B', { id: 'b' });
    const i2 = ann(0, 'x', 'ann', 'B>A', { id: 'c' });
    expect(countedAnnotations([i2, i1]).counted[0]!.id).toBe('c');
  });
});

describe('merge rules', () => {
  // r0 routed, two annotators agree on A; r1 not routed; r2 routed, no annotations; r3 routed, LM tie,
  // annotators split (human tie); r4 not routed, LM tie; r5 nothing at all; r6 routed, no LM, annotated B.
  const records = [
    rec('r0', 'B>A'),
    rec('r1', 'A>>B'),
    rec('r2', 'B>>A'),
    rec('r3', 'A=B'),
    rec('r4', 'A=B'),
    rec('r5', null),
    rec('r6', null),
  ];
  const p = plan([0, 'r0', 0.5], [2, 'r2', 0.25], [3, 'r3', 0.125], [6, 'r6', 0.0625]);
  const annotations = [
    ann(0, 'r0', 'ann', 'A>>B'),
    ann(0, 'r0', 'bob', 'A>B'),
    ann(1, 'r1', 'ann', 'B>A'), // on an instance the plan did not route
    ann(3, 'r3', 'ann', 'A>B'),
    ann(3, 'r3', 'bob', 'B>A'),
    ann(6, 'r6', 'ann', 'B>>A'),
  ];

  it('routed and annotated: the human label, with its provenance', () => {
    const { decisions } = mergeRecords(records, { plan: p, annotations });
    const r0 = byId(decisions).get('r0')!;
    expect(r0).toMatchObject({
      outcome: 'kept',
      label: 'A>B',
      source: 'human',
      humanFrom: 'annotations',
      routed: true,
      gain: 0.5,
      human: 'A>B',
      lm: 'B>A',
      idx: 0,
    });
    expect(r0.used.map((a) => a.annotator)).toEqual(['ann', 'bob']);
    const r6 = byId(decisions).get('r6')!;
    expect(r6).toMatchObject({ outcome: 'kept', label: 'B>A', source: 'human', lm: null });
  });

  it('not routed but annotated (under an earlier plan): the human label is kept, and counted as outside the plan', () => {
    const { decisions, summary } = mergeRecords(records, { plan: p, annotations });
    const r1 = byId(decisions).get('r1')!;
    expect(r1).toMatchObject({
      outcome: 'kept',
      label: 'B>A',
      source: 'human',
      humanFrom: 'annotations',
      routed: false,
      gain: null,
      human: 'B>A',
      lm: 'A>>B',
    });
    expect(r1.annotations).toHaveLength(1);
    expect(r1.used).toHaveLength(1);
    expect(summary.annotations.notRouted).toBe(1);
    expect(summary.humanOutsidePlan).toBe(1);
  });

  it('restricted to one plan, annotations of other plans are left out and the plan alone decides', () => {
    const anns = [
      ann(1, 'r1', 'ann', 'B>A', { planId: 'old', id: 'old|1|ann' }),
      ann(0, 'r0', 'ann', 'A>B', { planId: 'new', id: 'new|0|ann' }),
    ];
    const r = mergeRecords(records, { plan: p, annotations: anns, options: { planId: 'new' } });
    expect(byId(r.decisions).get('r1')).toMatchObject({ label: 'A>>B', source: 'lm', human: null });
    expect(byId(r.decisions).get('r0')).toMatchObject({ label: 'A>B', source: 'human' });
    expect(r.summary).toMatchObject({ humanOutsidePlan: 0, annotations: { otherPlan: 1, counted: 1 } });
  });

  it('a copy carried into a newer plan and its source count as one label made once', () => {
    const source = ann(0, 'r0', 'ann', 'A>B', { planId: 'v1', id: 'v1|0|ann', rev: 3 });
    const copy = ann(0, 'r0', 'ann', 'A>B', { planId: 'v2', id: 'v2|0|ann', rev: 1, carriedFrom: 'v1|0|ann' });
    const r = mergeRecords([rec('r0', 'B>A')], { plan: plan([0, 'r0', 1]), annotations: [source, copy] });
    expect(r.decisions[0]).toMatchObject({ label: 'A>B', source: 'human' });
    expect(r.summary.annotations).toMatchObject({ given: 2, counted: 1, carried: 1, superseded: 0, used: 1 });
    // Changed after it was carried: the later label counts and the earlier one is superseded.
    const changed = { ...copy, overall: 'B>>A' as const, submittedAt: 900, updatedAt: 900 };
    const r2 = mergeRecords([rec('r0', 'B>A')], { plan: plan([0, 'r0', 1]), annotations: [source, changed] });
    expect(r2.decisions[0]).toMatchObject({ label: 'B>A', source: 'human' });
    expect(r2.summary.annotations).toMatchObject({ counted: 1, carried: 0, superseded: 1 });
  });

  it('routed but unlabelled: the LM label by default, or left out', () => {
    const lm = mergeRecords(records, { plan: p, annotations });
    expect(byId(lm.decisions).get('r2')).toMatchObject({ outcome: 'kept', label: 'B>>A', source: 'lm', routed: true, gain: 0.25 });
    expect(lm.summary.routedUnlabelled).toBe(1);
    expect(lm.summary.routedUnlabelledToLm).toBe(1);
    expect(lm.summary.omitted.unlabelled).toBe(0);
    const omit = mergeRecords(records, { plan: p, annotations, options: { unlabelled: 'omit' } });
    expect(byId(omit.decisions).get('r2')).toMatchObject({ outcome: 'unlabelled-omitted', label: null, source: null });
    expect(omit.merged.map((m) => m.record.id)).not.toContain('r2');
    expect(omit.summary.omitted.unlabelled).toBe(1);
    expect(omit.summary.routedUnlabelledToLm).toBe(0);
  });

  it('ties are dropped by default, counted by source; kept on request', () => {
    const drop = mergeRecords(records, { plan: p, annotations });
    expect(byId(drop.decisions).get('r3')).toMatchObject({ outcome: 'tie-dropped', label: 'A=B', source: 'human' });
    expect(byId(drop.decisions).get('r4')).toMatchObject({ outcome: 'tie-dropped', label: 'A=B', source: 'lm' });
    expect(drop.summary.tiesDropped).toEqual({ human: 1, lm: 1 });
    expect(drop.summary.tiesKept).toBe(0);
    const keep = mergeRecords(records, { plan: p, annotations, options: { ties: 'keep' } });
    expect(keep.merged.filter((m) => m.label === 'A=B').map((m) => m.record.id)).toEqual(['r3', 'r4']);
    expect(keep.summary.tiesDropped).toEqual({ human: 0, lm: 0 });
    expect(keep.summary.tiesKept).toBe(2);
    expect(keep.summary.winners.tie).toBe(2);
  });

  it('no label from either source: left out and counted', () => {
    const { decisions, summary } = mergeRecords(records, { plan: p, annotations });
    expect(byId(decisions).get('r5')).toMatchObject({ outcome: 'no-label', label: null, routed: false });
    expect(summary.omitted.noLabel).toBe(1);
    // Routed, unlabelled and without an LM label: no label either, under the LM fallback.
    const routedBare = mergeRecords([rec('q', null)], { plan: plan([0, 'q', 1]), annotations: [] });
    expect(routedBare.decisions[0]!.outcome).toBe('no-label');
    expect(routedBare.summary).toMatchObject({ routedUnlabelled: 1, routedUnlabelledToLm: 0, omitted: { noLabel: 1, unlabelled: 0 } });
  });

  it('summary counts', () => {
    const { merged, summary } = mergeRecords(records, { plan: p, annotations });
    expect(merged.map((m) => m.record.id)).toEqual(['r0', 'r1', 'r2', 'r6']);
    expect(summary).toMatchObject({
      instances: 7,
      output: 4,
      bySource: { human: 3, lm: 1 },
      winners: { A: 1, B: 3, tie: 0 },
      routed: 4,
      routedLabelled: 3,
      humanOutsidePlan: 1,
      routedUnlabelled: 1,
      annotations: { given: 6, counted: 6, used: 6, notRouted: 1, incomplete: 0, superseded: 0, otherPlan: 0, carried: 0 },
    });
  });

  it('agreement: winner level with ties as a class, on instances with both labels, before ties are dropped', () => {
    const { summary } = mergeRecords(records, { plan: p, annotations });
    // r0: human A vs LM B (disagree); r1 (outside the plan): human B vs LM A (disagree); r3: human tie vs LM tie
    // (agree); r6 has no LM label; r2 no human label.
    expect(summary.agreement.compared).toBe(3);
    expect(summary.agreement.agree).toBe(1);
    expect(summary.agreement.rate).toBe(1 / 3);
    expect(summary.agreement.table.A.B).toBe(1);
    expect(summary.agreement.table.B.A).toBe(1);
    expect(summary.agreement.table.tie.tie).toBe(1);
    const none = mergeRecords([rec('a', 'A>B')], { plan: plan(), annotations: [] });
    expect(none.summary.agreement).toMatchObject({ compared: 0, agree: 0, rate: null });
  });

  it('mean-strength and one annotator as the aggregation', () => {
    const mean = mergeRecords(records, { plan: p, annotations, options: { aggregate: { kind: 'mean-strength' } } });
    // r0: -2 and -1 -> -1.5 -> -2.
    expect(byId(mean.decisions).get('r0')).toMatchObject({ label: 'A>>B', source: 'human' });
    const bob = mergeRecords(records, { plan: p, annotations, options: { aggregate: { kind: 'annotator', annotator: 'bob' } } });
    expect(byId(bob.decisions).get('r0')).toMatchObject({ label: 'A>B', source: 'human' });
    expect(byId(bob.decisions).get('r3')).toMatchObject({ label: 'B>A', source: 'human', outcome: 'kept' });
    // bob did not label r6: unlabelled, no LM label, so nothing.
    expect(byId(bob.decisions).get('r6')).toMatchObject({ outcome: 'no-label' });
    expect(bob.summary.routedUnlabelled).toBe(2);
    const bobOmit = mergeRecords(records, {
      plan: p,
      annotations,
      options: { aggregate: { kind: 'annotator', annotator: 'bob' }, unlabelled: 'omit' },
    });
    expect(byId(bobOmit.decisions).get('r6')).toMatchObject({ outcome: 'unlabelled-omitted' });
  });

  it("the dataset's own human labels stand in for routed instances without annotations when asked", () => {
    const rs = [rec('h0', 'A>B', 'B>A'), rec('h1', 'A>B', 'B>A'), rec('h2', 'A>B', 'B>A')];
    const pl = plan([0, 'h0', 1], [1, 'h1', 1]);
    const anns = [ann(1, 'h1', 'ann', 'A>>B')];
    const ignore = mergeRecords(rs, { plan: pl, annotations: anns });
    // One annotation's majority keeps its winner at "better" strength.
    expect(ignore.decisions.map((d) => [d.label, d.source])).toEqual([
      ['A>B', 'lm'],
      ['A>B', 'human'],
      ['A>B', 'lm'],
    ]);
    const use = mergeRecords(rs, { plan: pl, annotations: anns, options: { fileHuman: 'use' } });
    expect(use.decisions.map((d) => [d.label, d.source, d.humanFrom])).toEqual([
      ['B>A', 'human', 'file'],
      ['A>B', 'human', 'annotations'],
      ['A>B', 'lm', null],
    ]);
    // h0: file human B vs LM A; h1: annotated A vs LM A.
    expect(use.summary.agreement).toMatchObject({ compared: 2, agree: 1 });
  });

  it('pairs with an empty response or identical responses are left out and counted, even when routed and labelled; kept on request', () => {
    const rs = [rec('ok', 'A>B'), rec('same', 'A>B'), rec('blank', 'B>A'), rec('spaces', 'A>B')];
    rs[1]!.responseB = rs[1]!.responseA;
    rs[2]!.responseA = '  \n';
    rs[3]!.responseB = `  ${rs[3]!.responseA.replace(' ', '\n\t')} `;
    const input = { plan: plan([1, 'same', 1], [2, 'blank', 0.5]), annotations: [ann(1, 'same', 'ann', 'A>B')] };
    const drop = mergeRecords(rs, input);
    expect(drop.merged.map((m) => m.record.id)).toEqual(['ok']);
    expect(drop.decisions.map((d) => d.outcome)).toEqual(['kept', 'degenerate-omitted', 'degenerate-omitted', 'degenerate-omitted']);
    expect(drop.summary.omitted.degenerate).toEqual({ empty: 1, identical: 2 });
    expect(drop.summary).toMatchObject({
      routed: 0,
      routedLabelled: 0,
      bySource: { human: 0, lm: 1 },
      annotations: { counted: 1, used: 0 },
    });
    const keep = mergeRecords(rs, { ...input, options: { degenerate: 'keep' } });
    expect(keep.merged.map((m) => [m.record.id, m.source])).toEqual([
      ['ok', 'lm'],
      ['same', 'human'],
      ['blank', 'lm'],
      ['spaces', 'lm'],
    ]);
    expect(keep.summary.omitted.degenerate).toEqual({ empty: 0, identical: 0 });
  });

  it("planId keeps only that plan's annotations", () => {
    const anns = [ann(0, 'a', 'ann', 'A>B', { planId: 'old' }), ann(0, 'a', 'bob', 'B>A', { planId: 'new' })];
    const r = mergeRecords([rec('a', 'A=B')], { plan: plan([0, 'a', 1]), annotations: anns, options: { planId: 'new' } });
    expect(r.decisions[0]).toMatchObject({ label: 'B>A', source: 'human' });
    expect(r.summary.annotations).toMatchObject({ counted: 1, otherPlan: 1 });
  });

  it('incomplete and superseded annotations do not count', () => {
    const anns = [
      ann(0, 'a', 'ann', 'B>A', { status: 'draft' }),
      ann(0, 'a', 'bob', undefined, { status: 'skipped' }),
      ann(0, 'a', 'cyd', 'A>B', { id: 'c1', submittedAt: 10 }),
      ann(0, 'a', 'cyd', 'B>>A', { id: 'c2', submittedAt: 20 }),
    ];
    const r = mergeRecords([rec('a', 'A>B')], { plan: plan([0, 'a', 1]), annotations: anns });
    expect(r.decisions[0]).toMatchObject({ label: 'B>A', source: 'human' });
    expect(r.decisions[0]!.used.map((a) => a.id)).toEqual(['c2']);
    expect(r.summary.annotations).toMatchObject({ given: 4, counted: 1, incomplete: 2, superseded: 1, used: 1 });
  });

  it('streams: chunks give the same decisions and summary as one pass', () => {
    const whole = mergeRecords(records, { plan: p, annotations, options: { ties: 'keep' } });
    const m = new Merger({ plan: p, annotations, options: { ties: 'keep' } });
    const kept = [...m.push(records.slice(0, 2)), ...m.push([]), ...m.push(records.slice(2, 5)), ...m.push(records.slice(5))];
    expect(kept.map((k) => [k.idx, k.label, k.source])).toEqual(whole.merged.map((k) => [k.idx, k.label, k.source]));
    expect(m.finish()).toEqual(whole.summary);
    expect(() => m.push([rec('late', 'A>B')])).toThrow(/after finish/);
  });
});

describe('merge errors', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(MergeError);
      return `${(e as MergeError).code}: ${(e as MergeError).message}`;
    }
    return 'no error';
  };

  it('a plan that routes another id at a position', () => {
    expect(code(() => mergeRecords([rec('a', 'A>B')], { plan: plan([0, 'zz', 1]), annotations: [] }))).toMatch(
      /^plan-mismatch: plan: instance 0 should be "zz" but the dataset has "a" there/,
    );
  });

  it('a plan that routes past the end, routes twice, or was made for another size', () => {
    expect(code(() => mergeRecords([rec('a', 'A>B')], { plan: plan([3, 'd', 1]), annotations: [] }))).toMatch(
      /^plan-mismatch: .*routes instance 3 \("d"\), but the dataset has 1/,
    );
    expect(code(() => new Merger({ plan: plan([0, 'a', 1], [0, 'a', 1]), annotations: [] }))).toMatch(/^plan-mismatch: .*routed twice/);
    expect(code(() => mergeRecords([rec('a', 'A>B')], { plan: { human: [], dataset: { n: 2 } }, annotations: [] }))).toMatch(
      /^plan-mismatch: .*2 instances, this one has 1/,
    );
  });

  it('an annotation for another id, or past the end', () => {
    expect(code(() => mergeRecords([rec('a', 'A>B')], { plan: plan(), annotations: [ann(0, 'b', 'x', 'A>B')] }))).toMatch(
      /^annotation-mismatch: annotation "plan-1\|0\|x": instance 0 should be "b" but the dataset has "a"/,
    );
    expect(code(() => mergeRecords([rec('a', 'A>B')], { plan: plan(), annotations: [ann(5, 'f', 'x', 'A>B')] }))).toMatch(
      /^annotation-mismatch: .*instance 5 \("f"\) is not in the dataset \(1 instances\)/,
    );
  });

  it('options: parsed and checked', () => {
    expect(parseAggregation('majority')).toEqual({ kind: 'majority' });
    expect(parseAggregation('mean-strength')).toEqual({ kind: 'mean-strength' });
    expect(parseAggregation('annotator:a:b')).toEqual({ kind: 'annotator', annotator: 'a:b' });
    expect(aggregationText(parseAggregation('annotator:zoe'))).toBe('annotator:zoe');
    expect(code(() => parseAggregation('annotator:'))).toMatch(/^bad-option: .*needs a name/);
    expect(code(() => parseAggregation('median'))).toMatch(/^bad-option: unknown aggregation "median"/);
    expect(code(() => resolveMergeOptions({ ties: 'maybe' as never }))).toMatch(/^bad-option: ties must be "drop" or "keep", got "maybe"/);
    expect(code(() => resolveMergeOptions({ unlabelled: 'x' as never }))).toMatch(/^bad-option: unlabelled/);
    expect(code(() => resolveMergeOptions({ fileHuman: 'x' as never }))).toMatch(/^bad-option: fileHuman/);
    expect(code(() => resolveMergeOptions({ aggregate: { kind: 'mode' } as never }))).toMatch(/^bad-option: aggregate.kind/);
    expect(resolveMergeOptions()).toEqual({
      aggregate: { kind: 'majority' },
      unlabelled: 'lm',
      ties: 'drop',
      fileHuman: 'ignore',
      degenerate: 'drop',
    });
    expect(code(() => resolveMergeOptions({ degenerate: 'x' as never }))).toMatch(/^bad-option: degenerate/);
  });
});
