import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors';
import { readJsonDocument } from './json-reader';
import type { RawRow, RowProblem, TableSink } from './types';

function collect(): TableSink & { rows: RawRow[]; problems: RowProblem[] } {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  return { rows, problems, row: (r) => rows.push(r), problem: (p) => problems.push(p) };
}

function failure(text: string): ImportError {
  try {
    readJsonDocument(text, 'data.json', collect());
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

describe('readJsonDocument', () => {
  it('numbers array elements 1..n and reports elements that are not objects', () => {
    const sink = collect();
    const result = readJsonDocument('[{"a": 1}, 2, null, {"a": [true]}, ["x"]]', 'data.json', sink);
    expect(result).toEqual({ rows: 2 });
    expect(sink.rows).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 4, value: { a: [true] } },
    ]);
    expect(sink.problems).toEqual([
      { row: 2, reason: 'expected a JSON object, found a number' },
      { row: 3, reason: 'expected a JSON object, found null' },
      { row: 5, reason: 'expected a JSON object, found an array' },
    ]);
  });

  it('accepts an object whose one list holds the rows', () => {
    const sink = collect();
    readJsonDocument('{"version": 2, "tags": ["x"], "data": [{"a": 1}, {"a": 2}, 3]}', 'data.json', sink);
    expect(sink.rows.map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(sink.problems).toEqual([{ row: 3, reason: 'expected a JSON object, found a number' }]);
  });

  it('reads an object without a list of objects as the only row', () => {
    const sink = collect();
    readJsonDocument('{"prompt": "p", "human_votes": ["A", "B"]}', 'data.json', sink);
    expect(sink.rows).toEqual([{ row: 1, value: { prompt: 'p', human_votes: ['A', 'B'] } }]);
  });

  it('refuses objects with several lists of rows, and scalars', () => {
    expect(failure('{"train": [], "test": []}').message).toBe(
      'data.json holds a JSON object with several lists ("train", "test"); expected one list of rows.',
    );
    expect(failure('"text"')).toMatchObject({ code: 'no-rows', message: 'data.json holds a string, not a list of rows.' });
  });

  it('reports a syntax error with its line and column', () => {
    const error = failure('[\n  {"a": 1},\n  {"a": 2,,}\n]');
    expect(error.code).toBe('bad-json');
    expect(error.message).toBe(
      'data.json is not valid JSON: unexpected ",", expected a property name in double quotes at line 3, column 11.',
    );
    expect(failure('[{"a": 1}').message).toBe(
      'data.json is not valid JSON: unexpected end of input, expected "," or "]" after an array element at line 1, column 10.',
    );
  });

  it('strips a BOM', () => {
    const sink = collect();
    readJsonDocument('\uFEFF[{"a": 1}]', 'data.json', sink);
    expect(sink.rows).toHaveLength(1);
  });
});
