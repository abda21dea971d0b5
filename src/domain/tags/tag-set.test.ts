import { describe, expect, it } from 'vitest';
import type { PairRecord } from '../instance';
import { assembleTagSet, countTags, joinChunks, scoreChunk, tagsOf, type LexicalScorers } from './tag-set';
import { TAG_INDEX } from './tags';

// Fake scorers with obvious outputs, so the assembly logic is tested on its own.
const scorers: LexicalScorers = {
  countTokens: (t) => (t ? t.split(' ').length : 0),
  rouge1F: (a, b) => (a === b ? 1 : 0.5),
  entitySim: () => 1,
};
const rec = (i: number, prompt: string, a: string, b: string, extra: Partial<PairRecord> = {}): PairRecord => ({
  id: `r${i}`,
  sourceRow: i + 1,
  prompt,
  responseA: a,
  responseB: b,
  extra: {},
  ...extra,
});

const records = [
  rec(0, 'one', 'a b', 'a b', {
    tags: {
      subject_of_expertise: ['Physics', 'chemistry'],
      expertise_level: 'Expert domain knowledge',
      languages: ['English'],
      format_constraints: [],
    },
  }),
  rec(1, 'one two', 'a', 'a b c', { scores: { cosine_sim: -0.2 } }),
  rec(2, 'one two three', 'a b c d', 'a', {
    scores: { cosine_sim: 0.5 },
    tags: { type_of_in_context_material: ['an email'], safety_concern: 'moderate' },
  }),
  rec(3, 'one two three four', 'a', 'b'),
];

function build() {
  const c1 = scoreChunk(records.slice(0, 2), 0, scorers);
  const c2 = scoreChunk(records.slice(2), 2, scorers);
  const joined = joinChunks(4, [c2, c1]);
  return assembleTagSet({
    datasetId: 'd',
    n: 4,
    columns: joined.columns,
    descriptiveBits: joined.bits,
    withDescriptive: joined.withDescriptive,
    defects: joined.defects,
    semanticSource: 'file',
    computeMs: 0,
    now: 0,
  });
}
const has = (fs: ReturnType<typeof build>, i: number, tag: string) => tagsOf(fs.tagBits, i).includes(tag);

describe('feature set assembly', () => {
  const fs = build();
  it('computes length scores and bins them on percentile ranks over the dataset', () => {
    expect([...fs.columns.prompt_len]).toEqual([1, 2, 3, 4]);
    // ranks 0.25, 0.5, 0.75, 1.0 -> bins 0, 1, 2, 2
    expect(has(fs, 0, 'prompt_len::min_val=0.0|max_val=0.33')).toBe(true);
    expect(has(fs, 1, 'prompt_len::min_val=0.33|max_val=0.67')).toBe(true);
    expect(has(fs, 2, 'prompt_len::min_val=0.67|max_val=1.0')).toBe(true);
    expect(has(fs, 3, 'prompt_len::min_val=0.67|max_val=1.0')).toBe(true);
    expect([...fs.columns.token_len_diff]).toEqual([0, 2, 3, 0]);
    expect([...fs.columns.len_shorter]).toEqual([2, 1, 1, 1]);
  });
  it('bins raw similarity scores on their value; out-of-range values get no bin', () => {
    expect(has(fs, 0, 'rouge::min_val=0.67|max_val=1.0')).toBe(true);
    expect(has(fs, 1, 'rouge::min_val=0.33|max_val=0.67')).toBe(true);
    expect(tagsOf(fs.tagBits, 1).filter((t) => t.startsWith('cosine_sim'))).toEqual([]); // -0.2
    expect(has(fs, 2, 'cosine_sim::min_val=0.33|max_val=0.67')).toBe(true);
    expect(fs.scoreSources.cosine_sim).toBe('file');
  });
  it('reports unavailable scores with a reason', () => {
    const bert = fs.coverage.find((c) => c.tag === 'bertscore::min_val=0.0|max_val=0.33')!;
    expect(bert.available).toBe(false);
    expect(bert.reason).toMatch(/no pair has a bertscore score/);
    expect(fs.scoreSources.bertscore).toBe('unavailable');
  });
  it('maps descriptive tags case-insensitively; empty open sets are not tags', () => {
    expect(has(fs, 0, 'analyzer_closed_set::feature_name=subject_of_expertise|constraints=Physics')).toBe(true);
    expect(has(fs, 0, 'analyzer_closed_set::feature_name=subject_of_expertise|constraints=Chemistry')).toBe(true);
    expect(has(fs, 0, 'analyzer_scalar::feature_name=expertise_level|value=expert domain knowledge')).toBe(true);
    expect(has(fs, 0, 'analyzer_closed_set::feature_name=languages|constraints=English')).toBe(true);
    expect(has(fs, 0, 'analyzer_open_set::feature_name=format_constraints|check_for_existence=1')).toBe(false);
    expect(has(fs, 2, 'analyzer_open_set::feature_name=type_of_in_context_material|check_for_existence=1')).toBe(true);
    expect(has(fs, 2, 'analyzer_scalar::feature_name=safety_concern|value=moderate')).toBe(true);
    expect(fs.withDescriptive).toBe(2);
  });
  it('counts tags per instance consistently with the bit matrix', () => {
    const counts = countTags(fs.tagBits, 4);
    expect(counts[TAG_INDEX.get('prompt_len::min_val=0.67|max_val=1.0')!]).toBe(2);
    expect(fs.coverage.find((c) => c.tag === 'prompt_len::min_val=0.67|max_val=1.0')!.count).toBe(2);
    const total = [0, 1, 2, 3].reduce((s, i) => s + tagsOf(fs.tagBits, i).length, 0);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(total);
  });
});

describe('scoreChunk progress', () => {
  it('reports after every pair, with the pair already scored', () => {
    const seen: number[] = [];
    let counted = 0;
    const counting: LexicalScorers = {
      ...scorers,
      countTokens: (t) => {
        counted++;
        return scorers.countTokens(t);
      },
    };
    scoreChunk(records, 0, counting, (done) => {
      // three countTokens calls (prompt, A, B) per pair happened before this pair's report
      expect(counted).toBe(done * 3);
      seen.push(done);
    });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('stops the chunk when the callback throws (a cancelled run)', () => {
    let counted = 0;
    const counting: LexicalScorers = {
      ...scorers,
      countTokens: (t) => {
        counted++;
        return scorers.countTokens(t);
      },
    };
    expect(() =>
      scoreChunk(records, 0, counting, (done) => {
        if (done === 2) throw new Error('cancelled');
      }),
    ).toThrow('cancelled');
    expect(counted).toBe(6);
  });
});

describe('judge features', () => {
  const signals = (s: Record<string, unknown>) => ({
    extra: { judge_swap_inconsistent: false, judge_vote_split: 0, judge_confidence: null, judge_answers: 2, judge_unparseable: 0, ...s },
  });
  const judged = [
    rec(0, 'p', 'a', 'b', signals({ judge_swap_inconsistent: true, judge_vote_split: 0.5, judge_confidence: 0.9 })),
    rec(1, 'p q', 'a', 'b c', signals({ judge_confidence: 0.2 })),
    rec(2, 'p q r', 'a b', 'c', signals({ judge_unparseable: 2, judge_swap_inconsistent: null })),
    rec(3, 'p q r s', 'a', 'c'),
  ];
  const assemble = (rows: PairRecord[]) => {
    const c = scoreChunk(rows, 0, scorers);
    const joined = joinChunks(rows.length, [c]);
    return assembleTagSet({
      datasetId: 'd',
      n: rows.length,
      columns: joined.columns,
      descriptiveBits: joined.bits,
      withDescriptive: joined.withDescriptive,
      defects: joined.defects,
      judgeRisk: joined.judgeRisk,
      semanticSource: 'file',
      computeMs: 0,
      now: 0,
    });
  };

  it("sets the order flip, the split vote, no verdict and the confidence bin from each pair's judge signals", () => {
    const fs = assemble(judged);
    const judgeTags = (i: number) => tagsOf(fs.tagBits, i).filter((t) => t.startsWith('judge'));
    expect(judgeTags(0)).toEqual([
      'judge::feature_name=swap_inconsistent',
      'judge::feature_name=vote_split',
      'judge_confidence::min_val=0.67|max_val=1.0',
    ]);
    expect(judgeTags(1)).toEqual(['judge_confidence::min_val=0.0|max_val=0.33']);
    expect(judgeTags(2)).toEqual(['judge::feature_name=no_verdict']);
    expect(judgeTags(3)).toEqual([]);
    const cov = new Map(fs.coverage.map((c) => [c.tag, c]));
    expect(cov.get('judge::feature_name=swap_inconsistent')).toMatchObject({ available: true, count: 1 });
    expect(cov.get('judge_confidence::min_val=0.33|max_val=0.67')).toMatchObject({ available: true, count: 0 });
  });

  it('are unavailable, with the reason, on pairs no judge labelled; the confidence bins without logprobs', () => {
    const plain = assemble(judged.slice(3));
    const cov = new Map(plain.coverage.map((c) => [c.tag, c]));
    expect(cov.get('judge::feature_name=vote_split')).toMatchObject({
      available: false,
      reason: expect.stringContaining('run the LM judge'),
    });
    const noConf = assemble([judged[2]!, rec(5, 'x', 'a', 'b', signals({}))]);
    const c2 = new Map(noConf.coverage.map((c) => [c.tag, c]));
    expect(c2.get('judge::feature_name=no_verdict')).toMatchObject({ available: true, count: 1 });
    expect(c2.get('judge_confidence::min_val=0.0|max_val=0.33')).toMatchObject({
      available: false,
      reason: expect.stringContaining('logprobs'),
    });
  });
});
