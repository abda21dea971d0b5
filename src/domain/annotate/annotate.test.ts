import { describe, expect, it } from 'vitest';
import { annotationId, annotatorMajorities, type Annotation } from '../annotation';
import type { Preference } from '../labels';
import { assignPacks, checkResultsTarget, PackError, packIdOf, parsePack, parseResults, planResultsImport, RESULTS_FORMAT } from './pack';
import { buildQueue, missingForSubmit, orientPreference, resumePosition, sidesSwapped } from './queue';

function ann(over: Partial<Annotation> & { idx: number; annotator: string }): Annotation {
  return {
    id: annotationId('plan-1', over.idx, over.annotator),
    projectId: 'p',
    datasetId: 'd',
    planId: 'plan-1',
    instanceId: `i${over.idx}`,
    status: 'submitted',
    overall: 'A>B',
    confidence: 'fairly-confident',
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 1000,
    createdAt: 1,
    updatedAt: 2,
    rev: 1,
    origin: 'local',
    ...over,
  };
}

describe('queue', () => {
  it('keeps routing order by gain, and shuffles per annotator with a seed', () => {
    const plan = [9, 4, 7, 1, 3, 8];
    expect([...buildQueue(plan, 'gain', 1, 'ana')]).toEqual(plan);
    const a = [...buildQueue(plan, 'shuffled', 1, 'ana')];
    expect([...a].sort()).toEqual([...plan].sort());
    expect([...buildQueue(plan, 'shuffled', 1, 'ana')]).toEqual(a);
    const others = ['bo', 'cy', 'di', 'ed'].map((n) => buildQueue(plan, 'shuffled', 1, n).join(','));
    expect(others.some((o) => o !== a.join(','))).toBe(true);
  });

  it('randomises sides per annotator and item, about half each, and maps preferences back', () => {
    let swapped = 0;
    for (let i = 0; i < 1000; i++) if (sidesSwapped('plan-1', i, 'ana')) swapped++;
    expect(swapped).toBeGreaterThan(430);
    expect(swapped).toBeLessThan(570);
    expect(sidesSwapped('plan-1', 5, 'ana')).toBe(sidesSwapped('plan-1', 5, 'ana'));
    expect(orientPreference('A>>B', true)).toBe('B>>A');
    expect(orientPreference('A>B', false)).toBe('A>B');
    expect(orientPreference(orientPreference('B>A', true), true)).toBe('B>A');
  });

  it('a queue opened for the first time starts at the first item not submitted or skipped (drafts are not done)', () => {
    const queue = [9, 4, 7, 1];
    expect(resumePosition(queue, [])).toBe(0);
    expect(resumePosition(queue, [ann({ idx: 9, annotator: 'a' }), ann({ idx: 4, annotator: 'a', status: 'skipped' })])).toBe(2);
    expect(resumePosition(queue, [ann({ idx: 9, annotator: 'a', status: 'draft' })])).toBe(0);
    expect(resumePosition(queue, [ann({ idx: 4, annotator: 'a' })])).toBe(0);
    expect(
      resumePosition(
        queue,
        queue.map((idx) => ann({ idx, annotator: 'a' })),
      ),
    ).toBe(0);
  });

  it('requires an overall preference and a confidence to submit', () => {
    expect(missingForSubmit({})).toEqual(['the overall preference', 'your confidence']);
    expect(missingForSubmit({ overall: 'A=B' })).toEqual(['your confidence']);
    expect(missingForSubmit({ overall: 'A=B', confidence: 'not-confident' })).toEqual([]);
  });
});

describe('packs', () => {
  it('splits a queue round-robin with a seeded overlap', () => {
    const queue = Array.from({ length: 10 }, (_, i) => 100 + i);
    const none = assignPacks(queue, ['ana', 'bo'], 0, 1);
    expect(none.get('ana')).toEqual([100, 102, 104, 106, 108]);
    expect(none.get('bo')).toEqual([101, 103, 105, 107, 109]);
    const some = assignPacks(queue, ['ana', 'bo'], 0.4, 1);
    const both = some.get('ana')!.filter((x) => some.get('bo')!.includes(x));
    expect(both).toHaveLength(4);
    expect(new Set([...some.get('ana')!, ...some.get('bo')!]).size).toBe(10);
    expect(assignPacks(queue, ['ana', 'bo'], 0.4, 1)).toEqual(some);
    expect(() => assignPacks(queue, ['ana', 'ana'], 0, 1)).toThrow(PackError);
    expect(() => assignPacks(queue, ['ana'], 1.5, 1)).toThrow(/overlap/);
    expect(packIdOf('plan-1', 'ana', [1, 2])).toBe(packIdOf('plan-1', 'ana', [1, 2]));
    expect(packIdOf('plan-1', 'ana', [1, 2])).not.toBe(packIdOf('plan-1', 'bo', [1, 2]));
  });

  it('rejects broken packs and results with a message that names the problem', () => {
    expect(() => parsePack('{', 'p.json')).toThrow(/p\.json is not JSON/);
    expect(() => parsePack('{"format":"other"}', 'p.json')).toThrow(/not an annotation pack/);
    const good = {
      format: 'hyper-annotation-pack',
      version: 1,
      packId: 'x',
      annotator: 'ana',
      projectName: 'P',
      projectId: 'p',
      planId: 'plan-1',
      datasetId: 'd',
      guidelines: '',
      createdAt: '',
      items: [{ idx: 1, instanceId: 'i1', prompt: 'q', responseA: 'a', responseB: 'b' }],
    };
    expect(parsePack(JSON.stringify(good), 'p.json').items).toHaveLength(1);
    expect(() => parsePack(JSON.stringify({ ...good, items: [{ idx: -1 }] }), 'p.json')).toThrow(/items\[0\]\.idx/);
    expect(() => parsePack(JSON.stringify({ ...good, items: [] }), 'p.json')).toThrow('p.json: the pack has no items to label');
    expect(() => parsePack(JSON.stringify({ ...good, items: [good.items[0], { ...good.items[0], instanceId: 'i2' }] }), 'p.json')).toThrow(
      /items\[1\] has position 1, as items\[0\] has/,
    );
    const a = ann({ idx: 1, annotator: 'ana' });
    const one = parseResults(JSON.stringify({ format: RESULTS_FORMAT, version: 1, annotations: [a] }), 'r.json');
    expect(one.annotations.map((x) => x.annotation)).toEqual([a]);
    expect(one.rejected).toEqual([]);
    expect(parseResults(`${JSON.stringify(a)}\n${JSON.stringify(ann({ idx: 2, annotator: 'ana' }))}`, 'r.jsonl').annotations).toHaveLength(
      2,
    );
    expect(parseResults(`${JSON.stringify(a)}\n{oops`, 'r.jsonl').rejected).toEqual([
      { line: 2, message: expect.stringMatching(/^invalid JSON/) },
    ]);
    const forged = parseResults(
      `${JSON.stringify({ ...a, id: 'forged' })}\n${JSON.stringify({ ...a, id: 'p|1|x', projectId: '' })}`,
      'r.jsonl',
    );
    expect(forged.annotations).toEqual([]);
    expect(forged.rejected.map((r) => r.message)).toEqual([
      expect.stringMatching(/^"id" "forged" does not match its plan/),
      '"projectId" must be the project\'s id',
    ]);
    expect(() => parseResults('', 'r.json')).toThrow(PackError);
  });

  it('checks results against the project: plan, queue item and instance id; each bad record says why', () => {
    const rows = [
      ann({ idx: 1, annotator: 'ana' }),
      ann({ idx: 99999, annotator: 'ana' }),
      ann({ idx: 2, annotator: 'ana', instanceId: 'someone-else' }),
      { ...ann({ idx: 1, annotator: 'bo' }), planId: 'forged', id: annotationId('forged', 1, 'bo') },
      ann({ idx: 3, annotator: 'ana', projectId: 'other' }),
      ann({ idx: 4, annotator: 'ana' }),
    ];
    const reading = parseResults(rows.map((r) => JSON.stringify(r)).join('\n'), 'r.jsonl');
    const checked = checkResultsTarget(reading, {
      projectId: 'p',
      plans: new Map([['plan-1', { datasetId: 'd', version: 1, routed: new Set([1, 2, 3, 99999]) }]]),
      instanceId: (_d, idx) => (idx < 10 ? `i${idx}` : undefined),
    });
    expect(checked.annotations.map((x) => x.idx)).toEqual([1]);
    expect(checked.rejected).toEqual([
      { line: 2, message: 'item 99999 is not in the dataset' },
      { line: 3, message: 'item 2 is pair "i2" in this dataset, not "someone-else"' },
      { line: 4, message: 'plan "forged" is not a plan of this project' },
      { line: 5, message: 'made for another project ("other"); open the project the pack was made from' },
      { line: 6, message: 'item 4 is not in the human queue of plan v1' },
    ]);
  });

  it('imports idempotently, updates older copies of the same origin, and reports conflicts', () => {
    const a1 = ann({ idx: 1, annotator: 'ana' });
    const a2 = ann({ idx: 2, annotator: 'ana' });
    const first = planResultsImport([a1, a2], new Map(), 'pack:x');
    expect(first.add.map((a) => a.id)).toEqual([a1.id, a2.id]);
    expect(first.add[0]!.origin).toBe('pack:x');
    const stored = new Map(first.add.map((a) => [a.id, a]));
    const again = planResultsImport([a1, a2, a1], stored, 'pack:x');
    expect(again).toEqual({ add: [], update: [], unchanged: 2, conflicts: [] });
    const edited = { ...a1, overall: 'B>A' as const, updatedAt: 10 };
    const upd = planResultsImport([edited], stored, 'pack:x');
    expect(upd.update.map((a) => [a.overall, a.rev])).toEqual([['B>A', 2]]);
    const local = new Map([[a1.id, { ...a1, origin: 'local' }]]);
    const clash = planResultsImport([edited], local, 'pack:x');
    expect(clash.conflicts).toHaveLength(1);
    expect(clash.conflicts[0]!.reason).toMatch(/already annotated here/);
  });
});

describe('annotatorMajorities', () => {
  const a = (idx: number, annotator: string, overall: Preference, updatedAt: number, extra: Partial<Annotation> = {}): Annotation => ({
    id: `p|${idx}|${annotator}|${updatedAt}`,
    projectId: 'P',
    datasetId: 'd',
    planId: 'p',
    idx,
    instanceId: `i${idx}`,
    annotator,
    status: 'submitted',
    overall,
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 0,
    createdAt: 0,
    updatedAt,
    rev: 1,
    origin: 'local',
    ...extra,
  });
  it("takes each annotator's latest submitted label, then the majority winner; drafts and other datasets do not count", () => {
    const m = annotatorMajorities(
      [
        a(1, 'ana', 'A>B', 1),
        a(1, 'ana', 'B>A', 5), // ana changed her mind under a newer plan
        a(1, 'bo', 'B>>A', 2),
        a(1, 'cy', 'A>B', 3),
        a(2, 'ana', 'A>B', 1, { status: 'draft' }),
        a(3, 'ana', 'A=B', 1, { datasetId: 'other' }),
      ],
      'd',
    );
    expect([...m]).toEqual([[1, 'B>A']]);
  });
});
