import { describe, expect, it } from 'vitest';
import { CsvReader } from './csv-reader';
import type { RawRow, RowProblem, TableSink } from './types';

function collect(): TableSink & { rows: RawRow[]; problems: RowProblem[] } {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  return { rows, problems, row: (r) => rows.push(r), problem: (p) => problems.push(p) };
}

function read(chunks: readonly string[], delimiter = ','): { rows: RawRow[]; problems: RowProblem[]; columns: readonly string[] | null } {
  const sink = collect();
  const reader = new CsvReader(sink, delimiter);
  for (const c of chunks) reader.push(c);
  reader.end();
  return { rows: sink.rows, problems: sink.problems, columns: reader.columns };
}

const CSV = [
  'id,prompt,response_a,response_b',
  '1,plain,"quoted, with comma","say ""hi"""',
  '2,"multi',
  'line',
  'prompt",a,b',
  '',
  '3,too,few',
  '4,"",,trailing',
  '5,x,y,z,extra',
  '6,last,"a ""b"" c",',
].join('\r\n');

describe('CsvReader', () => {
  it('reads RFC 4180 records with the line each starts on', () => {
    const { rows, problems, columns } = read([CSV]);
    expect(columns).toEqual(['id', 'prompt', 'response_a', 'response_b']);
    expect(rows).toEqual([
      { row: 2, value: { id: '1', prompt: 'plain', response_a: 'quoted, with comma', response_b: 'say "hi"' } },
      { row: 3, value: { id: '2', prompt: 'multi\r\nline\r\nprompt', response_a: 'a', response_b: 'b' } },
      { row: 8, value: { id: '4', prompt: '', response_a: '', response_b: 'trailing' } },
      { row: 10, value: { id: '6', prompt: 'last', response_a: 'a "b" c', response_b: '' } },
    ]);
    expect(problems).toEqual([
      { row: 7, reason: 'expected 4 fields, found 3' },
      { row: 9, reason: 'expected 4 fields, found 5' },
    ]);
  });

  it('gives the same result however the text is sliced (quotes, CRLF and doubled quotes split too)', () => {
    const whole = read([CSV]);
    for (let cut = 0; cut <= CSV.length; cut++) {
      expect(read([CSV.slice(0, cut), CSV.slice(cut)])).toEqual(whole);
    }
    expect(read([...CSV])).toEqual(whole);
  });

  it('reports an unterminated quote at the end of the input', () => {
    const { rows, problems } = read(['a,b\n1,2\n3,"never\nclosed\n']);
    expect(rows).toEqual([{ row: 2, value: { a: '1', b: '2' } }]);
    expect(problems).toEqual([{ row: 3, reason: 'unterminated quoted field: the quote opened on line 3 is never closed' }]);
  });

  it('reads TSV, a BOM and a last line without a line break', () => {
    const { rows, columns } = read(['\uFEFFprompt\tresponse_a\n', 'p\t"r\tq"\nq\tr'], '\t');
    expect(columns).toEqual(['prompt', 'response_a']);
    expect(rows).toEqual([
      { row: 2, value: { prompt: 'p', response_a: 'r\tq' } },
      { row: 3, value: { prompt: 'q', response_a: 'r' } },
    ]);
  });

  it('names empty and repeated header cells so no cell is lost', () => {
    const { rows, columns } = read(['a,,a,a\n1,2,3,4\n']);
    expect(columns).toEqual(['a', 'column_2', 'a_2', 'a_3']);
    expect(rows[0]!.value).toEqual({ a: '1', column_2: '2', a_2: '3', a_3: '4' });
  });

  it('accepts lone CR line ends and takes stray quotes in unquoted fields literally', () => {
    const { rows } = read(['a,b\r1,say "x"\r2,"q"z\r']);
    expect(rows).toEqual([
      { row: 2, value: { a: '1', b: 'say "x"' } },
      { row: 3, value: { a: '2', b: 'qz' } },
    ]);
  });

  it('reads a header-only file as no rows', () => {
    expect(read(['a,b\n'])).toMatchObject({ rows: [], problems: [], columns: ['a', 'b'] });
  });
});
