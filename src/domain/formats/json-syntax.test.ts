import { describe, expect, it } from 'vitest';
import { describeJsonKind, findJsonSyntaxError, lineAndColumn } from './json-syntax';

const VALID = [
  '{}',
  '[]',
  ' [ ] ',
  '{"a":1}',
  '[1, -2.5e+3, 0, 0.1, "x", true, false, null, {"b": [[]]}]',
  '"\\u00e9\\n\\"\\\\\\/"',
  '\n\t{"nested": {"deeper": [{"k": "v"}]}}\r\n',
  '-0',
  '1E5',
];

const INVALID = [
  '',
  '   ',
  '{',
  '[1,]',
  '{"a":1,}',
  '{"a" 1}',
  '{a: 1}',
  "{'a': 1}",
  '[1 2]',
  '01',
  '1.',
  '-',
  '.5',
  'tru',
  'nul',
  '"abc',
  '"a\\x"',
  '"\\u12"',
  '"line\nbreak"',
  '[1]]',
  '{"a":1}{"b":2}',
  '[NaN]',
  '{"a":}',
  '{,}',
  '[,1]',
];

describe('findJsonSyntaxError', () => {
  it.each(VALID)('accepts %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeNull();
  });

  it.each(INVALID)('rejects %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).not.toBeNull();
  });

  it('points at the offending character', () => {
    expect(findJsonSyntaxError('{"a": 1,}')).toEqual({ position: 8, message: 'trailing comma before "}"' });
    expect(findJsonSyntaxError('[1, 2')).toEqual({
      position: 5,
      message: 'unexpected end of input, expected "," or "]" after an array element',
    });
    expect(findJsonSyntaxError('{"a": tru}')).toEqual({ position: 6, message: 'unexpected "t", expected a value' });
    expect(findJsonSyntaxError('{"a":1} x')).toEqual({ position: 8, message: 'unexpected "x" after the end of the JSON value' });
    expect(findJsonSyntaxError('{"a" 1}')).toEqual({ position: 5, message: 'unexpected "1", expected ":" after a property name' });
    expect(findJsonSyntaxError('["ab')).toEqual({ position: 1, message: 'unterminated string' });
  });

  it('survives deep nesting without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(findJsonSyntaxError(deep)).toBeNull();
    expect(findJsonSyntaxError(deep.slice(0, -1))?.message).toMatch(/unexpected end of input/);
  });
});

describe('lineAndColumn', () => {
  it('counts 1-based lines and columns', () => {
    const text = 'ab\ncd\n\nef';
    expect(lineAndColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineAndColumn(text, 8)).toEqual({ line: 4, column: 2 });
  });
});

describe('describeJsonKind', () => {
  it('names every kind of value', () => {
    expect([[], {}, 1, 's', true, null].map(describeJsonKind)).toEqual([
      'an array',
      'an object',
      'a number',
      'a string',
      'a boolean',
      'null',
    ]);
  });
});
