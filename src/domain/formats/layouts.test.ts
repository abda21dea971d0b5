import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors';
import type { PairRecord } from '../instance';
import { chosenOnA } from './coin';
import { defaultChosenLabelSource, defaultMapOptions, recogniseLayouts, layoutById } from './layouts';
import { DEFAULT_MAP_OPTIONS, type MapOptions, type MapResult, type RawRow, type LayoutId } from './types';

const rows = (...values: Record<string, unknown>[]): RawRow[] => values.map((value, i) => ({ row: i + 1, value }));
const columnsOf = (sample: readonly RawRow[]): Set<string> => new Set(sample.flatMap((r) => Object.keys(r.value)));
const best = (sample: readonly RawRow[]): LayoutId | undefined => recogniseLayouts(columnsOf(sample), sample)[0]?.shape;

function mapOk(
  shape: LayoutId,
  value: Record<string, unknown>,
  options: MapOptions = DEFAULT_MAP_OPTIONS,
  row = 1,
): { record: PairRecord; warnings: string[] } {
  const result: MapResult = layoutById(shape).map({ row, value }, options);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result;
}

// ---- fixtures, one per shape ----

const PAIRS_ROW = {
  id: 'p-1',
  source: 'S',
  prompt: 'What is 2+2?',
  response_a: '4',
  response_b: '5',
  model_a: 'm1',
  model_b: 'm2',
  pref_human: 'A-is-better',
  human_votes: ['A-is-better', 'Tie', 'A-is-better'],
  pref_lm: 'B-is-better',
  lm_judge: 'gpt-4',
  extra: { origin: 'unit' },
};

const MULTIPREF_ROW = {
  comparison_id: 'c-1',
  prompt_hash: 'h-1',
  text: 'Explain osmosis.',
  completion_a: 'A text',
  completion_b: 'B text',
  model_a: 'tulu',
  model_b: 'llama',
  pref_gpt4: 'A-is-clearly-better',
  subject_of_expertise: 'Biology, Chemistry',
  expertise_level: 'basic domain knowledge',
  rouge: '0.4',
  len_longer: 120,
  normal_worker_annotations: [
    { evaluator: 'n1', overall_pref: 'B-is-slightly-better', time_spent: 30 },
    { evaluator: 'n2', overall_pref: 'B-is-clearly-better', time_spent: 40 },
  ],
  expert_worker_annotations: '[{"evaluator": "e1", "overall_pref": "Tie"}, {"evaluator": "e2", "overall_pref": "B-is-slightly-better"}]',
};

const TRL_ROW = { prompt: 'Name a colour.', chosen: 'Blue.', rejected: 'A car.' };

const TRL_CONV_ROW = {
  chosen: [
    { role: 'user', content: 'Hi there' },
    { role: 'assistant', content: 'Hello! How can I help?' },
  ],
  rejected: [
    { role: 'user', content: 'Hi there' },
    { role: 'assistant', content: 'Go away.' },
  ],
};

const HH_ROW = {
  chosen:
    '\n\nHuman: How do I bake bread?\n\nAssistant: Do you have yeast?\n\nHuman: Yes.\n\nAssistant: Great, mix flour, water and yeast.',
  rejected: '\n\nHuman: How do I bake bread?\n\nAssistant: Do you have yeast?\n\nHuman: Yes.\n\nAssistant: Buy some bread instead.',
};

const KAGGLE_ROW = {
  id: 30192,
  model_a: 'gpt-4',
  model_b: 'claude-2',
  prompt: '["Is it morally right?", "And now?"]',
  response_a: '["Answer one.", "Answer two."]',
  response_b: '["Other one.", null]',
  winner_model_a: 0,
  winner_model_b: 1,
  winner_tie: 0,
};

const ARENA_CONV_ROW = {
  question_id: 'q1',
  model_a: 'vicuna',
  model_b: 'koala',
  winner: 'tie (bothbad)',
  judge: 'arena_user_1',
  conversation_a: [
    { role: 'user', content: 'What is AI?' },
    { role: 'assistant', content: 'A field.' },
  ],
  conversation_b: [
    { role: 'user', content: 'What is AI?' },
    { role: 'assistant', content: 'Magic.' },
  ],
  turn: 1,
};

describe('recogniseLayouts', () => {
  it.each([
    ['pairs', [PAIRS_ROW]],
    ['hyper-multipref', [MULTIPREF_ROW]],
    ['trl-string', [TRL_ROW]],
    ['trl-conversational', [TRL_CONV_ROW]],
    ['anthropic-hh', [HH_ROW]],
    ['arena', [KAGGLE_ROW]],
    ['arena', [ARENA_CONV_ROW]],
  ] as const)('picks %s', (shape, values) => {
    expect(best(rows(...values))).toBe(shape);
  });

  it('lets pairs beat hyper-multipref clearly on the pairs schema', () => {
    const guesses = recogniseLayouts(columnsOf(rows(PAIRS_ROW)), rows(PAIRS_ROW));
    expect(guesses.map((g) => g.shape)).toEqual(['pairs', 'hyper-multipref']);
    expect(guesses[0]!.score).toBeGreaterThanOrEqual(2 * guesses[1]!.score);
  });

  it('lets hyper-multipref win when the file has its LM column and tags, even with pairs column names', () => {
    const value = {
      prompt: 'p',
      response_a: 'a',
      response_b: 'b',
      pref_human: 'Tie',
      pref_gpt4: 'Tie',
      rouge: 0.1,
      expertise_level: 'expert',
    };
    expect(best(rows(value))).toBe('hyper-multipref');
  });

  it('prefers TRL text over HH when a prompt column exists, and HH without one', () => {
    expect(best(rows({ prompt: 'x', ...HH_ROW }))).toBe('trl-string');
    expect(best(rows(HH_ROW))).toBe('anthropic-hh');
  });

  it('recognises Kaggle arena without winner columns by its JSON-encoded turns', () => {
    const { winner_model_a: _a, winner_model_b: _b, winner_tie: _t, ...unlabelled } = KAGGLE_ROW;
    expect(best(rows(unlabelled))).toBe('arena');
  });

  it('finds nothing for unknown columns, and never proposes custom', () => {
    expect(recogniseLayouts(new Set(['instruction', 'input', 'response1', 'response2']), [])).toEqual([]);
    const all = recogniseLayouts(columnsOf(rows(PAIRS_ROW)), rows(PAIRS_ROW));
    expect(all.some((g) => g.shape === 'custom')).toBe(false);
  });
});

describe('pairs', () => {
  it('maps every field of the schema', () => {
    const { record, warnings } = mapOk('pairs', PAIRS_ROW);
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      id: 'p-1',
      sourceRow: 1,
      prompt: 'What is 2+2?',
      responseA: '4',
      responseB: '5',
      modelA: 'm1',
      modelB: 'm2',
      human: { value: 'A>B', original: 'A-is-better' },
      humanVotes: [
        { value: 'A>B', original: 'A-is-better' },
        { value: 'A=B', original: 'Tie' },
        { value: 'A>B', original: 'A-is-better' },
      ],
      lm: { value: 'B>A', original: 'B-is-better' },
      lmJudge: 'gpt-4',
      extra: { origin: 'unit', source: 'S' },
    });
  });

  it('reads pref_lm null as no LM label and falls back to the vote majority for the human label', () => {
    const { record } = mapOk('pairs', {
      ...PAIRS_ROW,
      pref_lm: null,
      pref_human: null,
      human_votes: '["B-is-better", "B-is-better", "Tie"]',
    });
    expect(record.lm).toBeUndefined();
    expect(record.lmJudge).toBe('gpt-4');
    expect(record.human).toEqual({ value: 'B>A', original: 'majority of 3' });
  });

  it('reads a prompt given as a list of messages as its turns, and refuses a list that is not messages', () => {
    const turns = [
      { role: 'user', content: 'Hi.' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Name a colour.' },
    ];
    const { record } = mapOk('pairs', { ...PAIRS_ROW, prompt: turns });
    expect(record.messages).toEqual(turns);
    expect(record.prompt).toBe('User: Hi.\n\nAssistant: Hello!\n\nUser: Name a colour.');
    const bad = layoutById('pairs').map({ row: 3, value: { ...PAIRS_ROW, prompt: [{ content: 'no role' }] } }, DEFAULT_MAP_OPTIONS);
    expect(bad).toEqual({ ok: false, reason: 'prompt: message 1 has no role' });
  });
});

describe('hyper-multipref', () => {
  it('maps text, completions, the GPT-4 label, tags, scores and annotator votes', () => {
    const { record } = mapOk('hyper-multipref', MULTIPREF_ROW);
    expect(record.id).toBe('c-1');
    expect(record.prompt).toBe('Explain osmosis.');
    expect([record.responseA, record.responseB]).toEqual(['A text', 'B text']);
    expect(record.lm).toEqual({ value: 'A>>B', original: 'A-is-clearly-better' });
    expect(record.lmJudge).toBe('gpt-4');
    expect(record.humanVotes?.map((v) => v.value)).toEqual(['B>A', 'B>>A', 'A=B', 'B>A']);
    expect(record.human).toEqual({ value: 'B>A', original: 'majority of 4' });
    expect(record.tags).toEqual({ subject_of_expertise: ['Biology', 'Chemistry'], expertise_level: 'basic domain knowledge' });
    expect(record.scores).toEqual({ rouge: 0.4, len_longer: 120 });
    expect(record.extra).toEqual({
      prompt_hash: 'h-1',
      normal_worker_annotations: MULTIPREF_ROW.normal_worker_annotations,
      expert_worker_annotations: MULTIPREF_ROW.expert_worker_annotations,
    });
  });

  it('keeps a given pref_human over the vote majority, and accepts prompt/response_a names', () => {
    const { record } = mapOk('hyper-multipref', {
      prompt_hash: 'h',
      prompt: 'p',
      response_a: 'a',
      response_b: 'b',
      pref_human: 'A-is-slightly-better',
      subject_of_expertise: ['Law'],
      normal_worker_annotations: [{ overall_pref: 'B-is-clearly-better' }],
    });
    expect(record.id).toBe('h');
    expect(record.human).toEqual({ value: 'A>B', original: 'A-is-slightly-better' });
    expect(record.humanVotes).toEqual([{ value: 'B>>A', original: 'B-is-clearly-better' }]);
    expect(record.tags).toEqual({ subject_of_expertise: ['Law'] });
  });

  it('rejects an unreadable annotation vote naming where it is', () => {
    const result = layoutById('hyper-multipref').map(
      { row: 4, value: { ...MULTIPREF_ROW, normal_worker_annotations: [{ overall_pref: 'meh' }] } },
      DEFAULT_MAP_OPTIONS,
    );
    expect(result).toEqual({ ok: false, reason: 'normal_worker_annotations[1].overall_pref: unrecognised label "meh"' });
  });
});

describe('trl-string', () => {
  it('places chosen by a seeded coin and labels it for the configured source', () => {
    for (const source of ['lm', 'human'] as const) {
      const options = { ...DEFAULT_MAP_OPTIONS, seed: 5, chosenLabelSource: source };
      const { record } = mapOk('trl-string', TRL_ROW, options, 3);
      const onA = chosenOnA(5, 'row-3');
      expect(record.responseA).toBe(onA ? 'Blue.' : 'A car.');
      expect(record.responseB).toBe(onA ? 'A car.' : 'Blue.');
      const label = { value: onA ? 'A>B' : 'B>A', original: 'chosen' };
      expect(record[source]).toEqual(label);
      expect(record[source === 'lm' ? 'human' : 'lm']).toBeUndefined();
    }
  });

  it('is deterministic per seed and id, and balanced over many rows', () => {
    const sides = (seed: number) =>
      Array.from(
        { length: 2000 },
        (_, i) => mapOk('trl-string', { ...TRL_ROW, id: `id-${i}` }, { ...DEFAULT_MAP_OPTIONS, seed }).record.lm!.value,
      );
    const first = sides(1);
    expect(sides(1)).toEqual(first);
    const aShare = first.filter((v) => v === 'A>B').length / first.length;
    expect(aShare).toBeGreaterThan(0.45);
    expect(aShare).toBeLessThan(0.55);
    const other = sides(2);
    const changed = other.filter((v, i) => v !== first[i]).length / other.length;
    expect(changed).toBeGreaterThan(0.4);
    expect(changed).toBeLessThan(0.6);
  });

  it('uses the id column for the record and the coin', () => {
    const { record } = mapOk('trl-string', { ...TRL_ROW, id: 'abc', score_chosen: 8 }, DEFAULT_MAP_OPTIONS, 9);
    expect(record.id).toBe('abc');
    expect(record.lm?.value).toBe(chosenOnA(1, 'abc') ? 'A>B' : 'B>A');
    expect(record.extra).toEqual({ score_chosen: 8 });
  });
});

describe('trl-conversational', () => {
  it('takes the common leading messages as the prompt', () => {
    const { record } = mapOk('trl-conversational', TRL_CONV_ROW, { ...DEFAULT_MAP_OPTIONS, seed: 3 });
    expect(record.messages).toEqual([{ role: 'user', content: 'Hi there' }]);
    expect(record.prompt).toBe('Hi there');
    expect(new Set([record.responseA, record.responseB])).toEqual(new Set(['Hello! How can I help?', 'Go away.']));
    const chosenSide = record.responseA === 'Hello! How can I help?' ? 'A>B' : 'B>A';
    expect(record.lm).toEqual({ value: chosenSide, original: 'chosen' });
  });

  it('joins an explicit prompt list with multi-turn context, rendering it as text', () => {
    const { record } = mapOk('trl-conversational', {
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: 'A1' },
        { role: 'user', content: 'Q2' },
      ],
      chosen: [{ role: 'assistant', content: 'Good' }],
      rejected: [{ role: 'assistant', content: 'Bad' }],
    });
    expect(record.messages).toHaveLength(4);
    expect(record.prompt).toBe('System: Be brief.\n\nUser: Q1\n\nAssistant: A1\n\nUser: Q2');
  });

  it('does not repeat a string prompt that the conversations already start with', () => {
    const { record } = mapOk('trl-conversational', { prompt: 'Hi there', ...TRL_CONV_ROW });
    expect(record.messages).toEqual([{ role: 'user', content: 'Hi there' }]);
  });

  it('reads JSON-encoded message lists and rejects malformed ones', () => {
    const encoded = { chosen: JSON.stringify(TRL_CONV_ROW.chosen), rejected: JSON.stringify(TRL_CONV_ROW.rejected) };
    expect(mapOk('trl-conversational', encoded).record.prompt).toBe('Hi there');
    const bad = layoutById('trl-conversational').map(
      { row: 1, value: { ...TRL_CONV_ROW, rejected: [{ content: 'x' }] } },
      DEFAULT_MAP_OPTIONS,
    );
    expect(bad).toEqual({ ok: false, reason: 'rejected: message 1 has no role' });
  });
});

describe('arena', () => {
  it('reads Kaggle rows: JSON-encoded turns joined with a blank line, one-hot winner as a human label', () => {
    const { record, warnings } = mapOk('arena', KAGGLE_ROW);
    expect(record.id).toBe('30192');
    expect(record.prompt).toBe('Is it morally right?\n\nAnd now?');
    expect(record.responseA).toBe('Answer one.\n\nAnswer two.');
    expect(record.responseB).toBe('Other one.\n\n');
    expect(record.human).toEqual({ value: 'B>A', original: 'winner_model_b' });
    expect(record.lm).toBeUndefined();
    expect([record.modelA, record.modelB]).toEqual(['gpt-4', 'claude-2']);
    expect(warnings).toEqual([]);
    expect(record.extra).toEqual({});
  });

  it('reads one-hot flags written as text, and ties', () => {
    const { record } = mapOk('arena', { ...KAGGLE_ROW, winner_model_a: '0', winner_model_b: '0', winner_tie: '1' });
    expect(record.human).toEqual({ value: 'A=B', original: 'winner_tie' });
  });

  it('rejects one-hot columns that are not exactly one 1', () => {
    const map = (value: Record<string, unknown>) => layoutById('arena').map({ row: 1, value }, DEFAULT_MAP_OPTIONS);
    expect(map({ ...KAGGLE_ROW, winner_model_a: 1 })).toEqual({
      ok: false,
      reason: 'winner_model_a/winner_model_b/winner_tie: expected exactly one of them to be 1, found 2',
    });
    expect(map({ ...KAGGLE_ROW, winner_tie: 'x' })).toEqual({ ok: false, reason: 'winner_tie: expected 0 or 1, found "x"' });
  });

  it('reads lmsys conversation rows with a winner column', () => {
    const { record } = mapOk('arena', ARENA_CONV_ROW);
    expect(record.id).toBe('q1');
    expect(record.prompt).toBe('What is AI?');
    expect(record.messages).toEqual([{ role: 'user', content: 'What is AI?' }]);
    expect([record.responseA, record.responseB]).toEqual(['A field.', 'Magic.']);
    expect(record.human).toEqual({ value: 'A=B', original: 'tie (bothbad)' });
    expect(record.extra).toEqual({ judge: 'arena_user_1', turn: 1 });
    expect(mapOk('arena', { ...ARENA_CONV_ROW, winner: 'model_a' }).record.human?.value).toBe('A>B');
  });

  it('keeps later turns of a multi-turn battle in the responses', () => {
    const { record } = mapOk('arena', {
      ...ARENA_CONV_ROW,
      conversation_a: [
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'Q2' },
        { role: 'assistant', content: 'a2' },
      ],
      conversation_b: [
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: 'b1' },
        { role: 'user', content: 'Q2' },
        { role: 'assistant', content: 'b2' },
      ],
    });
    expect(record.prompt).toBe('Q1');
    expect(record.responseA).toBe('Assistant: a1\n\nUser: Q2\n\nAssistant: a2');
  });
});

describe('anthropic-hh', () => {
  it('splits the transcripts at the last shared "Assistant:" and labels chosen as human by default', () => {
    expect(defaultChosenLabelSource('anthropic-hh')).toBe('human');
    const options = defaultMapOptions('anthropic-hh');
    const { record, warnings } = mapOk('anthropic-hh', HH_ROW, options, 12);
    expect(warnings).toEqual([]);
    expect(record.messages).toEqual([
      { role: 'user', content: 'How do I bake bread?' },
      { role: 'assistant', content: 'Do you have yeast?' },
      { role: 'user', content: 'Yes.' },
    ]);
    expect(record.prompt).toBe('User: How do I bake bread?\n\nAssistant: Do you have yeast?\n\nUser: Yes.');
    const onA = chosenOnA(options.seed, 'row-12');
    expect(record.responseA).toBe(onA ? 'Great, mix flour, water and yeast.' : 'Buy some bread instead.');
    expect(record.human).toEqual({ value: onA ? 'A>B' : 'B>A', original: 'chosen' });
    expect(record.lm).toBeUndefined();
  });

  it('reads a single-turn pair whose prompt is one user message', () => {
    const { record } = mapOk('anthropic-hh', {
      chosen: '\n\nHuman: Hi\n\nAssistant: Hello',
      rejected: '\n\nHuman: Hi\n\nAssistant: Hey',
    });
    expect(record.prompt).toBe('Hi');
    expect(new Set([record.responseA, record.responseB])).toEqual(new Set(['Hello', 'Hey']));
  });

  it('keeps identical transcripts with a warning', () => {
    const { record, warnings } = mapOk('anthropic-hh', { chosen: HH_ROW.chosen, rejected: HH_ROW.chosen });
    expect(record.responseA).toBe('Great, mix flour, water and yeast.');
    expect(warnings).toEqual(['response A and response B are identical']);
  });

  it('follows chosenLabelSource when told the label came from an LM', () => {
    const { record } = mapOk('anthropic-hh', HH_ROW, { ...DEFAULT_MAP_OPTIONS, chosenLabelSource: 'lm' });
    expect(record.lm?.original).toBe('chosen');
    expect(record.human).toBeUndefined();
  });

  it('rejects transcripts that share no prompt', () => {
    const result = layoutById('anthropic-hh').map(
      { row: 1, value: { chosen: '\n\nHuman: A\n\nAssistant: x', rejected: '\n\nHuman: B\n\nAssistant: y' } },
      DEFAULT_MAP_OPTIONS,
    );
    expect(result).toEqual({ ok: false, reason: 'chosen and rejected share no dialogue up to an "Assistant:" turn' });
  });
});

describe('custom', () => {
  const mapping = {
    id: 'idx',
    prompt: ['instruction', 'input'],
    responseA: 'response1',
    responseB: 'response2',
    modelA: 'm1',
    lmLabel: 'judge',
    lmJudge: 'my-judge',
    humanLabels: ['annotator1', 'annotator2', 'annotator3'],
    humanReading: { numeric: 'first-second-tie-120' as const },
  };
  const options = { ...DEFAULT_MAP_OPTIONS, mapping };
  const row = {
    idx: 4,
    instruction: 'Fix the sentence.',
    input: '',
    response1: 'One',
    response2: true,
    m1: 'model-x',
    judge: 'B',
    annotator1: 1,
    annotator2: 2,
    annotator3: 2,
    app: 'Grammarly',
  };

  it('maps through the column mapping', () => {
    const { record, warnings } = mapOk('custom', row, options);
    expect(record.id).toBe('4');
    expect(record.prompt).toBe('Fix the sentence.');
    expect(record.responseB).toBe('true');
    expect(warnings).toEqual(['response B is a boolean, imported as the text "true"']);
    expect(record.modelA).toBe('model-x');
    expect(record.lm).toEqual({ value: 'B>A', original: 'B' });
    expect(record.lmJudge).toBe('my-judge');
    expect(record.humanVotes?.map((v) => v.value)).toEqual(['A>B', 'B>A', 'B>A']);
    expect(record.human).toEqual({ value: 'B>A', original: 'majority of 3' });
    expect(record.extra).toEqual({ app: 'Grammarly' });
  });

  it('joins prompt columns with a blank line, skipping empty ones', () => {
    expect(mapOk('custom', { ...row, input: 'The cat sat.' }, options).record.prompt).toBe('Fix the sentence.\n\nThe cat sat.');
    const none = layoutById('custom').map({ row: 1, value: { ...row, instruction: ' ', input: null } }, options);
    expect(none).toEqual({ ok: false, reason: 'missing prompt' });
  });

  it('rejects a label outside the scheme, naming the column', () => {
    const result = layoutById('custom').map({ row: 1, value: { ...row, annotator2: 5 } }, options);
    expect(result).toEqual({ ok: false, reason: 'annotator2: label 5 is outside the scheme "1 = A better, 2 = B better, 0 = tie"' });
  });

  it('throws bad-mapping without a usable mapping', () => {
    const thrown = (opts: MapOptions): unknown => {
      try {
        layoutById('custom').map({ row: 1, value: row }, opts);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(thrown(DEFAULT_MAP_OPTIONS)).toBeInstanceOf(ImportError);
    expect(thrown(DEFAULT_MAP_OPTIONS)).toMatchObject({ code: 'bad-mapping' });
    expect(thrown({ ...DEFAULT_MAP_OPTIONS, mapping: { ...mapping, prompt: [] } })).toMatchObject({ code: 'bad-mapping' });
    expect(thrown({ ...DEFAULT_MAP_OPTIONS, mapping: { ...mapping, responseB: '' } })).toMatchObject({ code: 'bad-mapping' });
  });
});
