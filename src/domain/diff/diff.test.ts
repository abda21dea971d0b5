import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { diffText, lineTokens, wordTokens, type DiffResult } from './index';

const sideA = (r: DiffResult) =>
  r.segments
    .filter((s) => s.kind !== 'added')
    .map((s) => s.text)
    .join('');
const sideB = (r: DiffResult) =>
  r.segments
    .filter((s) => s.kind !== 'removed')
    .map((s) => s.text)
    .join('');

/** Tokens removed plus added by a shortest edit script: n + m - 2 LCS, by the textbook dynamic program. */
function editDistance(a: readonly string[], b: readonly string[]): number {
  const prev = Array.from({ length: b.length + 1 }, () => 0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(prev[j]!, prev[j - 1]!);
      diag = up;
    }
  }
  return a.length + b.length - 2 * prev[b.length]!;
}

describe('tokens', () => {
  it('words, whitespace runs and single other characters; CJK one by one', () => {
    expect(wordTokens('Hello,  wörld_1!\n\t日本語 ok')).toEqual(['Hello', ',', '  ', 'wörld_1', '!', '\n\t', '日', '本', '語', ' ', 'ok']);
    expect(wordTokens('a😀b')).toEqual(['a', '😀', 'b']);
    expect(lineTokens('a\nb\n\nc')).toEqual(['a\n', 'b\n', '\n', 'c']);
    expect(lineTokens('')).toEqual([]);
  });
});

describe('diffText', () => {
  it('a small word diff, with neighbouring replacements joined across a space', () => {
    expect(diffText('The cat sat on the mat.', 'A dog sat on the red mat!')).toEqual({
      granularity: 'word',
      segments: [
        { kind: 'removed', text: 'The cat' },
        { kind: 'added', text: 'A dog' },
        { kind: 'same', text: ' sat on the ' },
        { kind: 'added', text: 'red ' },
        { kind: 'same', text: 'mat' },
        { kind: 'removed', text: '.' },
        { kind: 'added', text: '!' },
      ],
    });
  });

  it('equal, empty and one-sided inputs', () => {
    expect(diffText('same text', 'same text')).toEqual({ granularity: 'word', segments: [{ kind: 'same', text: 'same text' }] });
    expect(diffText('', '')).toEqual({ granularity: 'word', segments: [] });
    expect(diffText('', 'new')).toEqual({ granularity: 'word', segments: [{ kind: 'added', text: 'new' }] });
    expect(diffText('old', '')).toEqual({ granularity: 'word', segments: [{ kind: 'removed', text: 'old' }] });
  });

  it('finds a shortest edit script (checked against LCS on seeded random texts)', () => {
    const rand = mulberry32(20240905);
    // Punctuation characters are one token each and carry no whitespace, so no replacements are joined and
    // the changed tokens must be exactly a shortest edit script.
    const vocab = ['.', ',', ';', '!', '?', '-'];
    for (let trial = 0; trial < 300; trial++) {
      const make = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rand() * vocab.length)]!).join('');
      const a = make(Math.floor(rand() * 40));
      const b = rand() < 0.5 ? make(Math.floor(rand() * 40)) : [...a].map((c) => (rand() < 0.2 ? '?' : c)).join('');
      const r = diffText(a, b);
      expect(r.granularity).toBe('word');
      expect(sideA(r)).toBe(a);
      expect(sideB(r)).toBe(b);
      const changed = r.segments.filter((s) => s.kind !== 'same').reduce((n, s) => n + s.text.length, 0);
      expect(changed).toBe(editDistance([...a], [...b]));
    }
  });

  it('keeps both texts whole on seeded random word edits', () => {
    const rand = mulberry32(99);
    const vocab = ['a', 'b', 'the', 'x', ' ', '  ', '\n', ','];
    for (let trial = 0; trial < 200; trial++) {
      const a = Array.from({ length: Math.floor(rand() * 60) }, () => vocab[Math.floor(rand() * vocab.length)]!).join(' ');
      const b = a
        .split(' ')
        .map((w) => (rand() < 0.15 ? vocab[Math.floor(rand() * vocab.length)]! : w))
        .join(' ');
      const r = diffText(a, b);
      expect(sideA(r)).toBe(a);
      expect(sideB(r)).toBe(b);
      // Neighbouring segments never share a kind.
      r.segments.forEach((seg, i) => i > 0 && expect(seg.kind).not.toBe(r.segments[i - 1]!.kind));
    }
  });

  it('falls back to lines when the word diff is over its limit, and says so', () => {
    const a = 'alpha beta gamma\nkeep this line\ndelta epsilon';
    const b = 'one two three\nkeep this line\nfour five';
    const r = diffText(a, b, { maxEdits: 4 });
    expect(r.granularity).toBe('line');
    expect(r.note).toMatch(/lines/);
    expect(r.segments).toEqual([
      { kind: 'removed', text: 'alpha beta gamma\n' },
      { kind: 'added', text: 'one two three\n' },
      { kind: 'same', text: 'keep this line\n' },
      { kind: 'removed', text: 'delta epsilon' },
      { kind: 'added', text: 'four five' },
    ]);
  });

  it('falls back to one replacement of the differing middle when lines are over the limit too', () => {
    const a = 'same start\n1\n2\n3\nsame end';
    const b = 'same start\n4\n5\n6\nsame end';
    const r = diffText(a, b, { maxTokens: 2 });
    expect(r.granularity).toBe('coarse');
    expect(r.segments).toEqual([
      { kind: 'same', text: 'same start\n' },
      { kind: 'removed', text: '1\n2\n3\n' },
      { kind: 'added', text: '4\n5\n6\n' },
      { kind: 'same', text: 'same end' },
    ]);
  });

  it('long texts: two 20,000-word answers with scattered edits still get a word diff', () => {
    const rand = mulberry32(7);
    const words = Array.from({ length: 20_000 }, () => `w${Math.floor(rand() * 400)}`);
    const a = words.join(' ');
    const b = words.map((w) => (rand() < 0.02 ? `${w}x` : w)).join(' ');
    const r = diffText(a, b);
    expect(r.granularity).toBe('word');
    expect(sideA(r)).toBe(a);
    expect(sideB(r)).toBe(b);
  });

  it('unrelated long texts and 1 MB unbroken strings finish with a bounded fallback', () => {
    const rand = mulberry32(11);
    const a = Array.from({ length: 30_000 }, () => `a${Math.floor(rand() * 1000)}`).join(' ');
    const b = Array.from({ length: 30_000 }, () => `b${Math.floor(rand() * 1000)}`).join(' ');
    const r = diffText(a, b);
    expect(r.granularity).not.toBe('word');
    expect(sideA(r)).toBe(a);
    expect(sideB(r)).toBe(b);
    const big = diffText('x'.repeat(1_000_000), `${'x'.repeat(999_999)}y`);
    expect(big.segments.map((s) => s.kind)).toEqual(['removed', 'added']);
  });
});
