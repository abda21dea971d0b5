import { describe, expect, it } from 'vitest';
import { countWords, sentences, treebankTokens, wordTokens } from './words';

// Expected tokens are NLTK 3.8 NLTKWordTokenizer().tokenize(...) outputs for the same strings.
describe('treebankTokens (NLTK word rules)', () => {
  const cases: [string, string[]][] = [
    [
      'Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.',
      ['Good', 'muffins', 'cost', '$', '3.88', '(', 'roughly', '3,36', 'euros', ')', 'in', 'New', 'York', '.'],
    ],
    [
      `They'll say "I can't" -- and she's gonna cannot.`,
      ['They', "'ll", 'say', '``', 'I', 'ca', "n't", "''", '--', 'and', 'she', "'s", 'gon', 'na', 'can', 'not', '.'],
    ],
    [
      "Wait... what?! The 'quoted' word, e.g. this: *bold* 50% @home #tag & more;",
      [
        'Wait',
        '...',
        'what',
        '?',
        '!',
        'The',
        "'quoted",
        "'",
        'word',
        ',',
        'e.g.',
        'this',
        ':',
        '*',
        'bold',
        '*',
        '50',
        '%',
        '@',
        'home',
        '#',
        'tag',
        '&',
        'more',
        ';',
      ],
    ],
    [
      "«Bonjour» dit-il, “hello” ‘there’ isn't it",
      ['«', 'Bonjour', '»', 'dit-il', ',', '“', 'hello', '”', '‘', 'there', '’', 'is', "n't", 'it'],
    ],
    ["Don't stop: 10:30, 1,000 items.", ['Do', "n't", 'stop', ':', '10:30', ',', '1,000', 'items', '.']],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text.slice(0, 30)), () => expect(treebankTokens(text)).toEqual(expected));
  }
});

describe('sentences (punkt approximation)', () => {
  it('breaks after ordinary words, not after titles, initials or dotted abbreviations', () => {
    expect(sentences('I like it. it works. Mr. Smith met J. Doe at 5 p.m. on time. Apples, pears, etc. The end')).toEqual([
      'I like it.',
      'it works.',
      'Mr. Smith met J. Doe at 5 p.m. on time.',
      'Apples, pears, etc.',
      'The end',
    ]);
  });
  it('breaks before closing markup such as ** and keeps numbers followed by lowercase', () => {
    expect(sentences('**Set goals.** Then act. Born in 1990. and raised')).toEqual([
      '**Set goals.',
      '** Then act.',
      'Born in 1990. and raised',
    ]);
  });
});

describe('wordTokens / countWords', () => {
  it('splits the final period of every sentence', () => {
    expect(wordTokens('One two. Three four.')).toEqual(['One', 'two', '.', 'Three', 'four', '.']);
    expect(countWords('Hello, world! How are you?')).toBe(8);
  });
  it('counts nothing in empty or blank text', () => {
    expect(countWords('')).toBe(0);
    expect(countWords(' \n\t ')).toBe(0);
  });
});
