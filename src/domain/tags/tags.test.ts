import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binOf, PAPER_TAG_IDS, percentileRanks, TAG_COUNT, TAG_DEFS, TAG_IDS, TAG_INDEX } from './tags';

const featureList = resolve(process.cwd(), '../shared/data/hyper-paper/feature-list.txt');

describe('tag ids', () => {
  it('has 90 unique paper ids (27 lexical bins, 46 subjects, English, 14 scalar values, 2 open sets), then 6 judge features', () => {
    expect(TAG_COUNT).toBe(96);
    expect(PAPER_TAG_IDS).toHaveLength(90);
    expect(new Set(TAG_IDS).size).toBe(96);
    const kinds = TAG_DEFS.reduce<Record<string, number>>((m, d) => ({ ...m, [d.kind]: (m[d.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ bin: 27, subject: 46, language: 1, scalar: 14, exists: 2, judge: 3, 'judge-confidence': 3 });
    expect(TAG_IDS.slice(90)).toEqual([
      'judge::feature_name=swap_inconsistent',
      'judge::feature_name=vote_split',
      'judge::feature_name=no_verdict',
      'judge_confidence::min_val=0.0|max_val=0.33',
      'judge_confidence::min_val=0.33|max_val=0.67',
      'judge_confidence::min_val=0.67|max_val=1.0',
    ]);
    expect(TAG_IDS[0]).toBe('bertscore::min_val=0.0|max_val=0.33');
    expect(TAG_IDS[89]).toBe('analyzer_open_set::feature_name=format_constraints|check_for_existence=1');
    expect(TAG_INDEX.get('rouge::min_val=0.67|max_val=1.0')).toBe(23);
  });

  it.skipIf(!existsSync(featureList))('matches the reference feature list exactly, in order', () => {
    const reference = readFileSync(featureList, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t')[1]);
    expect(PAPER_TAG_IDS).toEqual(reference);
  });
});

describe('binOf', () => {
  it('puts bin edges in the upper bin, closes the last bin at 1', () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(0.329999)).toBe(0);
    expect(binOf(0.33)).toBe(1);
    expect(binOf(0.669999)).toBe(1);
    expect(binOf(0.67)).toBe(2);
    expect(binOf(1)).toBe(2);
  });
  it('puts values outside [0, 1] and NaN in no bin', () => {
    expect(binOf(-0.0001)).toBeNull();
    expect(binOf(-0.5)).toBeNull();
    expect(binOf(1.0000001)).toBeNull();
    expect(binOf(Number.NaN)).toBeNull();
    expect(binOf(Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('percentileRanks', () => {
  it('is pandas rank(pct=True): average rank of ties over n', () => {
    // pandas: pd.Series([10, 20, 20, 30]).rank(pct=True) -> 0.25, 0.625, 0.625, 1.0
    expect([...percentileRanks([10, 20, 20, 30])]).toEqual([0.25, 0.625, 0.625, 1]);
    expect([...percentileRanks([5, 5, 5])]).toEqual([2 / 3, 2 / 3, 2 / 3]);
    expect([...percentileRanks([3, 1, 2])]).toEqual([1, 1 / 3, 2 / 3]);
  });
  it('leaves NaN out of the ranking', () => {
    const r = percentileRanks([1, Number.NaN, 2]);
    expect(r[0]).toBe(0.5);
    expect(Number.isNaN(r[1]!)).toBe(true);
    expect(r[2]).toBe(1);
  });
  it('ranks are in (0, 1], so every ranked value falls in a bin', () => {
    const r = percentileRanks([0, 0, 0, 0, 100]);
    for (const v of r) expect(binOf(v)).not.toBeNull();
    expect(binOf(r[0]!)).toBe(1); // ties at rank 2.5/5 = 0.5
    expect(binOf(r[4]!)).toBe(2);
  });
});
