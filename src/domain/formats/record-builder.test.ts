// The shared import rules, exercised through the simplest shape (pairs) and directly.
import { describe, expect, it } from 'vitest';
import { completeRecord, jsonList, readScores, readTags, recordId, RowFields } from './record-builder';
import { pairsLayout } from './layout-pairs';
import { DEFAULT_MAP_OPTIONS, type MapOptions, type MapResult } from './types';

const BASE = { id: 'x1', prompt: 'Say hi', response_a: 'Hi', response_b: 'Hello' };
const map = (value: Record<string, unknown>, options: MapOptions = DEFAULT_MAP_OPTIONS, row = 7): MapResult =>
  pairsLayout.map({ row, value }, options);
const ok = (result: MapResult) => {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result;
};

describe('shared validation', () => {
  it('rejects a missing or blank prompt', () => {
    expect(map({ ...BASE, prompt: undefined })).toEqual({ ok: false, reason: 'missing prompt' });
    expect(map({ ...BASE, prompt: null })).toEqual({ ok: false, reason: 'missing prompt' });
    expect(map({ ...BASE, prompt: '  \n' })).toEqual({ ok: false, reason: 'missing prompt' });
  });

  it('rejects missing responses, naming the side', () => {
    const { response_a: _a, ...noA } = BASE;
    expect(map(noA)).toEqual({ ok: false, reason: 'missing response A' });
    expect(map({ ...BASE, response_b: null })).toEqual({ ok: false, reason: 'missing response B' });
  });

  it('imports number and boolean responses as text, with a warning', () => {
    const result = ok(map({ ...BASE, response_a: true, response_b: 42 }));
    expect([result.record.responseA, result.record.responseB]).toEqual(['true', '42']);
    expect(result.warnings).toEqual([
      'response A is a boolean, imported as the text "true"',
      'response B is a number, imported as the text "42"',
    ]);
  });

  it('rejects lists and objects where text is expected', () => {
    expect(map({ ...BASE, response_a: ['Hi'] })).toEqual({ ok: false, reason: 'response A is an array, expected text' });
    expect(map({ ...BASE, prompt: { text: 'x' } })).toEqual({ ok: false, reason: 'prompt is an object, expected text' });
  });

  it('warns about an empty response, or rejects it when asked to', () => {
    const warned = ok(map({ ...BASE, response_b: ' ' }));
    expect(warned.warnings).toEqual(['response B is empty']);
    expect(warned.record.responseB).toBe(' ');
    expect(map({ ...BASE, response_b: '' }, { ...DEFAULT_MAP_OPTIONS, rejectEmptyResponses: true })).toEqual({
      ok: false,
      reason: 'response B is empty',
    });
  });

  it('warns when both responses are the same text', () => {
    expect(ok(map({ ...BASE, response_b: 'Hi' })).warnings).toEqual(['response A and response B are identical']);
  });

  it('rejects an unreadable label naming its column; a missing label is fine', () => {
    expect(map({ ...BASE, pref_lm: 'maybe' })).toEqual({ ok: false, reason: 'pref_lm: unrecognised label "maybe"' });
    expect(map({ ...BASE, pref_human: 3 })).toEqual({
      ok: false,
      reason: 'pref_human: numeric label 3 needs a code scheme (which number means A, B, tie?)',
    });
    expect(map({ ...BASE, human_votes: ['A-is-better', 'huh'] })).toEqual({
      ok: false,
      reason: 'human_votes[2]: unrecognised label "huh"',
    });
    const result = ok(map({ ...BASE, pref_lm: null, pref_human: '' }));
    expect(result.record.lm).toBeUndefined();
    expect(result.record.human).toBeUndefined();
  });

  it('reads label columns under the readings in the options', () => {
    const options = {
      ...DEFAULT_MAP_OPTIONS,
      lmReading: { numeric: 'signed-3' as const },
      humanReading: { boolean: 'true-is-b' as const },
    };
    const result = ok(map({ ...BASE, pref_lm: -3, pref_human: true }, options));
    expect(result.record.lm).toEqual({ value: 'A>>B', original: -3 });
    expect(result.record.human).toEqual({ value: 'B>A', original: true });
  });

  it('takes the id as text, or row-<n> without one', () => {
    expect(ok(map({ ...BASE, id: 17 })).record.id).toBe('17');
    expect(ok(map({ ...BASE, id: '' })).record.id).toBe('row-7');
    expect(ok(map({ ...BASE, id: undefined }, DEFAULT_MAP_OPTIONS, 3)).record.id).toBe('row-3');
    expect(recordId(null, 9)).toBe('row-9');
    expect(recordId(true, 9)).toBe('true');
  });

  it('keeps every unmapped field in extra verbatim', () => {
    const odd = { deep: [1, { two: null }] };
    const result = ok(map({ ...BASE, source: 'S', odd, n: 0, flag: false }));
    expect(result.record.extra).toEqual({ source: 'S', odd, n: 0, flag: false });
    expect(result.record.extra.odd).toBe(odd);
    expect(result.record.sourceRow).toBe(7);
  });
});

describe('tags and scores', () => {
  it('reads dimension columns in any shape: lists, JSON-encoded lists and comma-separated text', () => {
    const result = ok(
      map({
        ...BASE,
        subject_of_expertise: '["Chemistry", "Biology"]',
        languages: 'English, French',
        expertise_level: ' expert domain knowledge ',
        open_endedness: 'high',
        safety_concern: '',
        complexity_of_intents: null,
        type_of_in_context_material: 'a table',
        format_constraints: [],
      }),
    );
    expect(result.record.tags).toEqual({
      subject_of_expertise: ['Chemistry', 'Biology'],
      languages: ['English', 'French'],
      expertise_level: 'expert domain knowledge',
      open_endedness: 'high',
      type_of_in_context_material: 'a table',
      format_constraints: [],
    });
    expect(result.record.extra).toEqual({});
  });

  it('keeps a tag it cannot read in extra, with a warning', () => {
    const warnings: string[] = [];
    const fields = new RowFields({ row: 1, value: { safety_concern: { level: 'low' } } });
    expect(readTags(fields, warnings)).toBeUndefined();
    expect(fields.untaken()).toEqual(['safety_concern']);
    expect(warnings).toEqual(['safety_concern: expected text or a list of text, found an object; kept in extra']);
  });

  it('reads score columns from numbers and numeric text', () => {
    const warnings: string[] = [];
    const fields = new RowFields({ row: 1, value: { rouge: '0.25', cosine_sim: 0.9, prompt_len: '', bertscore: 'n/a' } });
    expect(readScores(fields, warnings)).toEqual({ rouge: 0.25, cosine_sim: 0.9 });
    expect(fields.untaken()).toEqual(['bertscore']);
    expect(warnings).toEqual(['bertscore: "n/a" is not a number; kept in extra']);
  });
});

describe('completeRecord', () => {
  it('makes one vote the human label as it stands, and several their majority', () => {
    const fields = () => new RowFields({ row: 1, value: {} });
    const draft = { prompt: 'p', responseA: 'a', responseB: 'b' };
    const one = completeRecord(fields(), { ...draft, humanVotes: [{ column: 'v', value: 'A-is-clearly-better' }] }, DEFAULT_MAP_OPTIONS);
    expect(one.ok && one.record.human).toEqual({ value: 'A>>B', original: 'A-is-clearly-better' });
    const three = completeRecord(
      fields(),
      { ...draft, humanVotes: ['A>>B', 'B>A', 'A>B', null].map((value, i) => ({ column: `v${i}`, value })) },
      DEFAULT_MAP_OPTIONS,
    );
    expect(three.ok && three.record.human).toEqual({ value: 'A>B', original: 'majority of 3' });
    expect(three.ok && three.record.humanVotes).toHaveLength(3);
  });

  it('puts nested extra entries beside untaken fields without losing either', () => {
    const fields = new RowFields({ row: 1, value: { note: 'top' } });
    const result = completeRecord(
      fields,
      { prompt: 'p', responseA: 'a', responseB: 'b', extra: { note: 'nested', other: 1 } },
      DEFAULT_MAP_OPTIONS,
    );
    expect(result.ok && result.record.extra).toEqual({ 'extra.note': 'nested', other: 1, note: 'top' });
  });
});

describe('jsonList', () => {
  it('parses only text that holds a JSON list', () => {
    expect(jsonList(' ["a", 1] ')).toEqual(['a', 1]);
    expect(jsonList('[not json]')).toBeUndefined();
    expect(jsonList('{"a": 1}')).toBeUndefined();
    expect(jsonList('plain')).toBeUndefined();
  });
});
