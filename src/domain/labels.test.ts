import { describe, expect, it } from 'vitest';
import {
  guessNumericSchemes,
  majorityOf,
  MULTIPREF_SCALE,
  parseLabel,
  PREFERENCES,
  preferenceFromBoolean,
  preferenceFromNumber,
  preferenceFromStrength,
  preferenceFromWord,
  strengthOf,
  swapPreference,
  winnerOf,
  type Label,
  type Preference,
} from './labels';

const label = (value: Preference, original: Label['original'] = value): Label => ({ value, original });

describe('preference arithmetic', () => {
  it('maps winners, strengths and swaps consistently', () => {
    expect(PREFERENCES.map(winnerOf)).toEqual(['A', 'A', 'tie', 'B', 'B']);
    expect(PREFERENCES.map(strengthOf)).toEqual([-2, -1, 0, 1, 2]);
    expect(PREFERENCES.map(swapPreference)).toEqual(['B>>A', 'B>A', 'A=B', 'A>B', 'A>>B']);
    for (const p of PREFERENCES) expect(preferenceFromStrength(strengthOf(p))).toBe(p);
    expect(preferenceFromStrength(7)).toBe('B>>A');
    expect(preferenceFromStrength(-0.4)).toBe('A=B');
  });
});

describe('word vocabulary', () => {
  it('reads the MultiPref 5-point scale exactly and case-insensitively', () => {
    expect(Object.entries(MULTIPREF_SCALE).map(([w, p]) => [preferenceFromWord(w), p])).toEqual(
      Object.values(MULTIPREF_SCALE).map((p) => [p, p]),
    );
    expect(preferenceFromWord('a-is-clearly-better')).toBe('A>>B');
    expect(preferenceFromWord(' B-is-slightly-better ')).toBe('B>A');
    expect(preferenceFromWord('TIE')).toBe('A=B');
  });

  it.each([
    ['A-is-better', 'A>B'],
    ['B-is-better', 'B>A'],
    ['Tie', 'A=B'],
    ['model_a', 'A>B'],
    ['model_b', 'B>A'],
    ['tie (bothbad)', 'A=B'],
    ['Tie (both bad)', 'A=B'],
    ['response1', 'A>B'],
    ['Response 2', 'B>A'],
    ['a>>b', 'A>>B'],
    ['B>>A', 'B>>A'],
    ['A<B', 'B>A'],
    ['a<<b', 'B>>A'],
    ['b=a', 'A=B'],
    ['1>2', 'A>B'],
    ['2>1', 'B>A'],
    ['output_1', 'A>B'],
    ['Output 2', 'B>A'],
    ['[[A]]', 'A>B'],
    ['[[B]]', 'B>A'],
    ['[[TIE]]', 'A=B'],
    ['Assistant A', 'A>B'],
    ['first', 'A>B'],
    ['right', 'B>A'],
    ['A slightly better', 'A>B'],
    ['B is much better', 'B>>A'],
  ] as const)('reads %j as %s', (word, expected) => {
    expect(preferenceFromWord(word)).toBe(expected);
  });

  it('returns null for unknown words', () => {
    expect(preferenceFromWord('maybe')).toBeNull();
    expect(preferenceFromWord('')).toBeNull();
  });
});

describe('numeric schemes', () => {
  it('reads PandaLM codes (1 = first, 2 = second, 0 = tie)', () => {
    expect([1, 2, 0, 3].map((n) => preferenceFromNumber(n, 'first-second-tie-120'))).toEqual(['A>B', 'B>A', 'A=B', null]);
  });

  it('reads 0/1/2 = A/B/tie', () => {
    expect([0, 1, 2, -1].map((n) => preferenceFromNumber(n, 'a-b-tie-012'))).toEqual(['A>B', 'B>A', 'A=B', null]);
  });

  it('reads signed -3..3 with 2 and 3 collapsing into "much better"', () => {
    expect([-3, -2, -1, 0, 1, 2, 3].map((n) => preferenceFromNumber(n, 'signed-3'))).toEqual([
      'A>>B',
      'A>>B',
      'A>B',
      'A=B',
      'B>A',
      'B>>A',
      'B>>A',
    ]);
    expect(preferenceFromNumber(4, 'signed-3')).toBeNull();
    expect(preferenceFromNumber(1.5, 'signed-3')).toBeNull();
  });

  it('reads signed -2..2, binary and probabilities', () => {
    expect([-2, -1, 0, 1, 2, 3].map((n) => preferenceFromNumber(n, 'signed-2'))).toEqual(['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A', null]);
    expect([1, 0, 2].map((n) => preferenceFromNumber(n, 'binary-a1'))).toEqual(['A>B', 'B>A', null]);
    expect([0.9, 0.5, 0.1, 1.2].map((n) => preferenceFromNumber(n, 'probability-a'))).toEqual(['A>B', 'A=B', 'B>A', null]);
    expect(preferenceFromNumber(Number.NaN, 'binary-a1')).toBeNull();
  });

  it('lists every scheme that fits: {0,1,2} is ambiguous, so the caller must ask', () => {
    expect(guessNumericSchemes([0, 1, 2, 1])).toEqual(['first-second-tie-120', 'a-b-tie-012', 'signed-3', 'signed-2']);
    expect(guessNumericSchemes([-3, 0, 3])).toEqual(['signed-3']);
    expect(guessNumericSchemes([-2, 2])).toEqual(['signed-3', 'signed-2']);
    expect(guessNumericSchemes([0, 1])).toContain('binary-a1');
    expect(guessNumericSchemes([0, 1])).not.toContain('probability-a');
    expect(guessNumericSchemes([0.25, 0.5, 1])).toEqual(['probability-a']);
    expect(guessNumericSchemes([7])).toEqual([]);
    expect(guessNumericSchemes([])).toEqual([]);
  });
});

describe('booleans', () => {
  it('reads true as A by default, and as B under true-is-b', () => {
    expect(preferenceFromBoolean(true)).toBe('A>B');
    expect(preferenceFromBoolean(false)).toBe('B>A');
    expect(preferenceFromBoolean(true, 'true-is-b')).toBe('B>A');
    expect(preferenceFromBoolean(false, 'true-is-b')).toBe('A>B');
  });
});

describe('parseLabel', () => {
  it('treats null, undefined and blank text as missing', () => {
    expect(parseLabel(null)).toEqual({ kind: 'missing' });
    expect(parseLabel(undefined)).toEqual({ kind: 'missing' });
    expect(parseLabel('  ')).toEqual({ kind: 'missing' });
  });

  it('keeps the original value beside the preference', () => {
    expect(parseLabel('A-is-clearly-better')).toEqual({ kind: 'label', label: { value: 'A>>B', original: 'A-is-clearly-better' } });
    expect(parseLabel(true)).toEqual({ kind: 'label', label: { value: 'A>B', original: true } });
    expect(parseLabel('false', { boolean: 'true-is-b' })).toEqual({ kind: 'label', label: { value: 'A>B', original: 'false' } });
  });

  it('needs a scheme for numbers, also for numeric text', () => {
    expect(parseLabel(1)).toEqual({ kind: 'invalid', reason: 'numeric label 1 needs a code scheme (which number means A, B, tie?)' });
    expect(parseLabel('2', { numeric: 'first-second-tie-120' })).toEqual({ kind: 'label', label: { value: 'B>A', original: '2' } });
    expect(parseLabel(-3, { numeric: 'signed-3' })).toEqual({ kind: 'label', label: { value: 'A>>B', original: -3 } });
    expect(parseLabel(5, { numeric: 'signed-3' })).toEqual({
      kind: 'invalid',
      reason: 'label 5 is outside the scheme "-3..3 strength, negative = A better"',
    });
  });

  it('lets an explicit value map win, including mapping a value to missing', () => {
    const reading = { valueMap: { yes: 'A>B' as const, skip: 'missing' as const, '1': 'B>>A' as const } };
    expect(parseLabel('yes', reading)).toEqual({ kind: 'label', label: { value: 'A>B', original: 'yes' } });
    expect(parseLabel('skip', reading)).toEqual({ kind: 'missing' });
    expect(parseLabel(1, reading)).toEqual({ kind: 'label', label: { value: 'B>>A', original: 1 } });
  });

  it('rejects unknown words and non-scalar values with a reason', () => {
    expect(parseLabel('maybe')).toEqual({ kind: 'invalid', reason: 'unrecognised label "maybe"' });
    expect(parseLabel(['A'])).toEqual({ kind: 'invalid', reason: 'label is a list, expected text, a number or a boolean' });
    expect(parseLabel('x'.repeat(60))).toEqual({ kind: 'invalid', reason: `unrecognised label "${'x'.repeat(40)}…"` });
  });
});

describe('majorityOf', () => {
  it('is null without votes', () => {
    expect(majorityOf([])).toBeNull();
  });

  it('collapses strength and takes the majority winner', () => {
    expect(majorityOf([label('A>>B'), label('A>B'), label('B>A')])).toEqual({ value: 'A>B', original: 'majority of 3' });
    expect(majorityOf([label('B>>A'), label('B>>A'), label('A=B')])?.value).toBe('B>A');
    expect(majorityOf([label('A=B'), label('A=B'), label('A>B')])?.value).toBe('A=B');
  });

  it('makes a tie when no side has a majority', () => {
    expect(majorityOf([label('A>B'), label('B>A')])?.value).toBe('A=B');
    expect(majorityOf([label('A>B'), label('B>A'), label('A=B')])?.value).toBe('A=B');
    expect(majorityOf([label('A>B'), label('A>B'), label('B>A'), label('B>A')])?.value).toBe('A=B');
  });
});
