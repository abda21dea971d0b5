import llamaTokenizer from 'llama-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { clearTokenCache, countTokens, encode } from './index';

/** What the reference package gives: no BOS, with the SentencePiece dummy-prefix space. */
const reference = (text: string): number[] => llamaTokenizer.encode(text, false);

// Counts (and a few ids) written down from llama-tokenizer-js 1.2.2 (`encode(text, false)`).
const FIXTURES: Array<[text: string, count: number]> = [
  ['', 0],
  [' ', 1],
  ['Hello world', 2],
  ['Hello, world!', 4],
  [' leading and trailing  ', 5],
  ['multiple    spaces\tand\ttabs\n\nnew lines\r\n', 13],
  ['naïve café über', 6],
  ['東京は日本の首都です。', 12],
  ['😀 👍🏽 🌍', 16],
  ['supercalifragilisticexpialidocious', 11],
  ['x'.repeat(100), 26],
  ['The quick brown fox jumps over the lazy dog.', 12],
  ['def f(x):\n    return x ** 2\n', 13],
  ['a\u2581b', 2],
  ['\ud800', 4],
];

describe('llama tokenizer: literal fixtures', () => {
  it.each(FIXTURES)('%j has %i tokens', (text, count) => {
    expect(countTokens(text)).toBe(count);
    expect(encode(text)).toHaveLength(count);
  });

  it('gives the Llama-2 ids', () => {
    expect(encode('Hello world')).toEqual([15043, 3186]);
    expect(encode(' leading and trailing  ')).toEqual([29871, 8236, 322, 25053, 259]);
    // Emoji outside the vocabulary fall back to their UTF-8 bytes (<0xF0> = id 243, ...); 🌍 is a piece.
    expect(encode('😀 👍🏽 🌍')).toEqual([29871, 243, 162, 155, 131, 29871, 243, 162, 148, 144, 243, 162, 146, 192, 29871, 31494]);
    expect(encode('multiple    spaces\tand\ttabs\n\nnew lines\r\n')).toEqual([
      2999, 1678, 8162, 12, 392, 12, 21175, 13, 13, 1482, 3454, 30004, 13,
    ]);
    expect(encode('\ud800')).toEqual([29871, 242, 194, 192]); // lone surrogate -> U+FFFD bytes
  });
});

// ---- agreement with llama-tokenizer-js on generated text --------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const ATOMS = [
  'the',
  'The',
  'quick',
  'brown',
  'fox',
  'jumps',
  'über',
  'naïve',
  'café',
  'Straße',
  '東京',
  '日本語のテキスト',
  '中文字符',
  '한국어',
  'Привет',
  'мир',
  'مرحبا',
  'שלום',
  'ελληνικά',
  'हिन्दी',
  '😀',
  '👍🏽',
  '👨‍👩‍👧',
  '🌍',
  '𝕜',
  '𝓝',
  '🤖',
  '\ud800',
  '\udc00',
  '\u2581',
  '\u2581\u2581',
  ' ',
  '  ',
  '   ',
  '\t',
  '\n',
  '\r\n',
  '\n\n',
  '\u00a0',
  '\u200b',
  '\u3000',
  '...',
  '!!!',
  '```',
  'function()',
  '{',
  '}',
  '=>',
  '0x1F',
  '123456789',
  '3.14159',
  '<0x0A>',
  '<s>',
  '</s>',
  '<unk>',
  'https://example.com/a?b=c&d=%20',
  'supercalifragilisticexpialidocious',
  'pneumonoultramicroscopicsilicovolcanoconiosis',
  '—',
  '–',
  '’',
  '“',
  '”',
  '•',
  '©',
  'ß',
  'ﬁ',
  '\u0301',
  'e\u0301',
  '\u0000',
  '\u007f',
  '\ufffd',
  '\ufeff',
  "don't",
  "I'm",
  'e.g.',
  '**bold**',
  '# Heading',
  '- item',
  '1.',
  '$x^2$',
];

function generate(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const parts = 1 + Math.floor(random() * 40);
  let s = '';
  for (let i = 0; i < parts; i++) {
    const r = random();
    if (r < 0.6) s += pick(ATOMS);
    else if (r < 0.8)
      s += String.fromCharCode(32 + Math.floor(random() * 95)); // printable ASCII
    else if (r < 0.9)
      s += String.fromCodePoint(Math.floor(random() * 0x3000)); // any BMP code point below U+3000
    else if (r < 0.95)
      s += String.fromCodePoint(0x1f300 + Math.floor(random() * 0x300)); // emoji block
    else s += ' '.repeat(Math.floor(random() * 40));
  }
  return s;
}

describe('llama tokenizer: agreement with llama-tokenizer-js', () => {
  it('matches on edge cases', () => {
    const cases = [
      '',
      ' ',
      '  ',
      'a',
      ' a',
      'a ',
      ' a ',
      '\n',
      ' \n ',
      '\n ',
      '\u2581',
      '\u2581x',
      '\r',
      '\t\t',
      'a\u2581\u2581 b',
      '🌍🌍',
      '𝕜x',
      'x🌍',
      '\udc00\ud800',
      '😀'.repeat(50),
      '日本'.repeat(200),
      ' '.repeat(1000),
      'x'.repeat(3000),
      'ab'.repeat(2000),
      'hello world '.repeat(200),
      `   ${'a'.repeat(70)}   `,
      `${'é'.repeat(60)}\n${'ü'.repeat(49)}`,
    ];
    for (const text of cases) {
      const expected = reference(text);
      expect(encode(text), JSON.stringify(text.slice(0, 80))).toEqual(expected);
      expect(countTokens(text)).toBe(expected.length);
    }
  });

  it('matches on 3,000 generated texts (unicode, emoji, CJK, whitespace runs, lone surrogates)', () => {
    const random = rng(20241026);
    let mismatches = 0;
    for (let i = 0; i < 3000; i++) {
      const text = generate(random);
      const expected = reference(text);
      const ids = encode(text);
      const count = countTokens(text);
      if (count !== expected.length || ids.length !== expected.length || ids.some((id, j) => id !== expected[j])) {
        mismatches++;
        expect.soft(ids, JSON.stringify(text)).toEqual(expected);
      }
    }
    expect(mismatches).toBe(0);
  });

  it('matches on very long words (the heap path of the merge loop)', () => {
    const random = rng(7);
    const letters = 'abcdefghijklmnopqrstuvwxyzeeeeettttaaaooiinnsshr';
    for (let i = 0; i < 60; i++) {
      let word = '';
      const length = 40 + Math.floor(random() * 600);
      for (let j = 0; j < length; j++) word += letters[Math.floor(random() * letters.length)];
      const text = i % 2 ? word : ` ${word} and ${word.toUpperCase()}.`;
      expect(encode(text)).toEqual(reference(text));
      expect(countTokens(text)).toBe(reference(text).length);
    }
  });

  it('keeps counts right while the chunk cache rolls over', () => {
    clearTokenCache();
    const random = rng(99);
    const words: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      let w = '';
      const length = 2 + Math.floor(random() * 10);
      for (let j = 0; j < length; j++) w += String.fromCharCode(97 + Math.floor(random() * 26));
      words.push(w);
    }
    const first = words.map((w) => countTokens(w));
    const second = words.map((w) => countTokens(w));
    expect(second).toEqual(first);
    for (let i = 0; i < words.length; i += 97) expect(first[i]).toBe(reference(words[i]!).length);
    const text = words.slice(0, 5000).join(' ');
    expect(countTokens(text)).toBe(reference(text).length);
  });
});
