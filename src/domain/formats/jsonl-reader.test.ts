import { describe, expect, it } from 'vitest';
import { JsonlReader } from './jsonl-reader';
import type { RawRow, RowProblem, TableSink } from './types';

function collect(): TableSink & { rows: RawRow[]; problems: RowProblem[] } {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  return { rows, problems, row: (r) => rows.push(r), problem: (p) => problems.push(p) };
}

function read(chunks: readonly string[]): { rows: RawRow[]; problems: RowProblem[] } {
  const sink = collect();
  const reader = new JsonlReader(sink);
  for (const c of chunks) reader.push(c);
  reader.end();
  return { rows: sink.rows, problems: sink.problems };
}

const TEXT = [
  '{"id": 1, "text": "é ✓ 😀"}',
  '',
  '   ',
  '{"id": 2, "nested": {"list": [1, 2]}}',
  '{"id": 3,}',
  '[1, 2]',
  '42',
  '"text"',
  'null',
  '{"id": 4',
  '{"id": 5}',
].join('\n');

describe('JsonlReader', () => {
  it('numbers rows by 1-based line, skips blank lines, and reports broken lines', () => {
    const { rows, problems } = read([TEXT]);
    expect(rows).toEqual([
      { row: 1, value: { id: 1, text: 'é ✓ 😀' } },
      { row: 4, value: { id: 2, nested: { list: [1, 2] } } },
      { row: 11, value: { id: 5 } },
    ]);
    expect(problems).toEqual([
      { row: 5, reason: 'invalid JSON: trailing comma before "}" (column 10)' },
      { row: 6, reason: 'expected a JSON object, found an array' },
      { row: 7, reason: 'expected a JSON object, found a number' },
      { row: 8, reason: 'expected a JSON object, found a string' },
      { row: 9, reason: 'expected a JSON object, found null' },
      { row: 10, reason: 'invalid JSON: unexpected end of input, expected "," or "}" after a property value (column 9)' },
    ]);
  });

  it('gives the same result however the text is sliced', () => {
    const whole = read([TEXT]);
    for (let cut = 0; cut <= TEXT.length; cut++) {
      expect(read([TEXT.slice(0, cut), TEXT.slice(cut)])).toEqual(whole);
    }
    expect(read([...TEXT])).toEqual(whole);
  });

  it('handles CRLF line ends, a trailing line break and a BOM', () => {
    const { rows, problems } = read(['\uFEFF{"a": 1}\r\n{"a": 2}\r', '\n\r\n{"a": 3}\r\n']);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 1, value: { a: 1 } },
      { row: 2, value: { a: 2 } },
      { row: 4, value: { a: 3 } },
    ]);
  });

  it('reads a last line without a line break', () => {
    expect(read(['{"a": 1}\n{"a"', ': 2}']).rows.map((r) => r.row)).toEqual([1, 2]);
  });
});
