import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors';
import { ImportSession } from './import-session';
import { DEFAULT_MAP_OPTIONS, type ColumnMapping, type MapOptions } from './types';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const jsonl = (...rows: unknown[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

const PAIRS = jsonl(
  { id: 'a', prompt: 'p1', response_a: 'x', response_b: 'y', pref_human: 'A-is-better', pref_lm: 'Tie', model_a: 'm', model_b: 'n' },
  { id: 'b', prompt: 'p2', response_a: 'x', response_b: '', pref_human: 'B-is-better', pref_lm: null },
  '{"id": "c", broken',
  { id: 'a', prompt: 'p3', response_a: 'x', response_b: 'y' },
  { id: 'd', prompt: '', response_a: 'x', response_b: 'y' },
  { id: 'e', prompt: 'p5', response_a: false, response_b: 'y', pref_lm: 'B-is-better', subject_of_expertise: ['Math'] },
  '',
  { id: 'f', prompt: 'p6', response_a: 'x', response_b: 'z', pref_lm: 'maybe' },
);

describe('ImportSession', () => {
  it('collects rows, problems and the ordered union of column names', () => {
    const session = new ImportSession();
    session.row({ row: 1, value: { b: 1, a: 2 } });
    session.problem({ row: 2, reason: 'bad' });
    session.row({ row: 3, value: { a: 1, c: 3 } });
    expect(session.columns()).toEqual(['b', 'a', 'c']);
    expect(session.rows).toHaveLength(2);
    expect(session.problems).toEqual([{ row: 2, reason: 'bad' }]);
    expect(session.sampleRows(1)).toEqual([{ row: 1, value: { b: 1, a: 2 } }]);
  });

  it('evaluates a file: counts, warnings, and rejects (read problems, mapping rejects, duplicates) by row', async () => {
    const session = await ImportSession.read(enc(PAIRS), 'pairs.jsonl');
    expect(session.meta).toEqual({ fileName: 'pairs.jsonl', format: 'jsonl', compressed: false, notes: [] });
    expect(session.recognise()[0]?.shape).toBe('pairs');
    const report = session.evaluate('pairs', DEFAULT_MAP_OPTIONS);
    expect(report).toMatchObject({
      fileName: 'pairs.jsonl',
      format: 'jsonl',
      compressed: false,
      shape: 'pairs',
      rowsRead: 7,
      importable: 3,
      withLmLabel: 2,
      withHumanLabel: 2,
      withModelNames: 1,
      withTags: 1,
      withScores: 0,
      withMessages: 0,
    });
    expect(report.columns).toEqual([
      'id',
      'prompt',
      'response_a',
      'response_b',
      'pref_human',
      'pref_lm',
      'model_a',
      'model_b',
      'subject_of_expertise',
    ]);
    expect(report.rejected).toEqual([
      { row: 3, reason: 'invalid JSON: unexpected "b", expected a property name in double quotes (column 13)' },
      { row: 4, reason: 'duplicate id "a" (first seen at row 1)' },
      { row: 5, reason: 'missing prompt' },
      { row: 8, reason: 'pref_lm: unrecognised label "maybe"' },
    ]);
    expect(report.warnings).toEqual([
      { row: 2, message: 'response B is empty' },
      { row: 6, message: 'response A is a boolean, imported as the text "false"' },
    ]);
    expect(report.lmCounts).toEqual({ 'A>>B': 0, 'A>B': 0, 'A=B': 1, 'B>A': 1, 'B>>A': 0 });
    expect(report.humanCounts).toEqual({ 'A>>B': 0, 'A>B': 1, 'A=B': 0, 'B>A': 1, 'B>>A': 0 });
  });

  it('yields exactly the importable records, in file order', async () => {
    const session = await ImportSession.read(enc(PAIRS), 'pairs.jsonl');
    const records = [...session.records('pairs', DEFAULT_MAP_OPTIONS)];
    expect(records.map((r) => [r.id, r.sourceRow])).toEqual([
      ['a', 1],
      ['b', 2],
      ['e', 6],
    ]);
    expect(records).toHaveLength(session.evaluate('pairs', DEFAULT_MAP_OPTIONS).importable);
  });

  it('rejects empty responses when the options say so', async () => {
    const session = await ImportSession.read(enc(PAIRS), 'pairs.jsonl');
    const options: MapOptions = { ...DEFAULT_MAP_OPTIONS, rejectEmptyResponses: true };
    const report = session.evaluate('pairs', options);
    expect(report.importable).toBe(2);
    expect(report.rejected.find((r) => r.row === 2)).toEqual({ row: 2, reason: 'response B is empty' });
    expect([...session.records('pairs', options)]).toHaveLength(2);
  });

  it('gives ids row-<n> when a file has no id column, so duplicate text is not a duplicate', async () => {
    const text = jsonl({ prompt: 'p', chosen: 'c', rejected: 'r' }, { prompt: 'p', chosen: 'c', rejected: 'r' });
    const session = await ImportSession.read(enc(text), 'trl.jsonl');
    expect(session.recognise()[0]?.shape).toBe('trl-string');
    expect([...session.records('trl-string', DEFAULT_MAP_OPTIONS)].map((r) => r.id)).toEqual(['row-1', 'row-2']);
  });

  describe('custom mappings on CSV', () => {
    const csv = 'idx,instruction,input,out1,out2,a1,a2\n1,Do it,,yes,no,1,2\n2,Do that,with this,,no,1,1\n3,,,x,y,0,0\n';
    const mapping: ColumnMapping = {
      id: 'idx',
      prompt: ['instruction', 'input'],
      responseA: 'out1',
      responseB: 'out2',
      humanLabels: ['a1', 'a2'],
      humanReading: { numeric: 'first-second-tie-120' },
    };

    it('maps rows with the line numbers of the CSV', async () => {
      const session = await ImportSession.read(enc(csv), 'data.csv');
      expect(session.recognise()).toEqual([]);
      const report = session.evaluate('custom', { ...DEFAULT_MAP_OPTIONS, mapping });
      expect(report).toMatchObject({ format: 'csv', rowsRead: 3, importable: 2, withHumanLabel: 2 });
      expect(report.rejected).toEqual([{ row: 4, reason: 'missing prompt' }]);
      expect(report.warnings).toEqual([{ row: 3, message: 'response A is empty' }]);
      const records = [...session.records('custom', { ...DEFAULT_MAP_OPTIONS, mapping })];
      expect(records.map((r) => [r.id, r.prompt, r.human?.value])).toEqual([
        ['1', 'Do it', 'A=B'],
        ['2', 'Do that\n\nwith this', 'A>B'],
      ]);
    });

    it('refuses a mapping that names a column the file lacks, or uses one column twice', async () => {
      const session = await ImportSession.read(enc(csv), 'data.csv');
      const bad = (m: ColumnMapping): unknown => {
        try {
          session.evaluate('custom', { ...DEFAULT_MAP_OPTIONS, mapping: m });
        } catch (e) {
          return e;
        }
        return undefined;
      };
      expect(bad({ ...mapping, responseB: 'nope' })).toEqual(
        new ImportError('bad-mapping', 'The response B column "nope" is not in the file.'),
      );
      expect(bad({ ...mapping, responseB: 'out1' })).toMatchObject({
        code: 'bad-mapping',
        message: 'The column "out1" is mapped twice (as response A and as response B).',
      });
      expect(bad({ ...mapping, humanLabels: undefined })).toBeUndefined();
      expect(() => [...session.records('custom', DEFAULT_MAP_OPTIONS)]).toThrow(ImportError);
    });

    it('lists distinct values with counts for the value-mapping screen', async () => {
      const session = await ImportSession.read(enc(csv), 'data.csv');
      expect(session.distinctValues('a1')).toEqual([
        { value: '1', count: 2, original: '1' },
        { value: '0', count: 1, original: '0' },
      ]);
      expect(session.distinctValues('input')).toEqual([{ value: 'with this', count: 1, original: 'with this' }]);
      expect(session.distinctValues('a1', 1)).toHaveLength(1);
      expect(session.distinctValues('missing-column')).toEqual([]);
    });
  });

  it('keeps original types in distinct values of JSON files', async () => {
    const session = await ImportSession.read(enc(jsonl({ v: 1 }, { v: true }, { v: 1 }, { v: null }, { v: [1] })), 'v.jsonl');
    expect(session.distinctValues('v')).toEqual([
      { value: '1', count: 2, original: 1 },
      { value: 'true', count: 1, original: true },
      { value: '[1]', count: 1, original: [1] },
    ]);
  });
});

describe('hostile keys', () => {
  it('keeps a "__proto__" column as data in CSV rows and in extra', async () => {
    const session = await ImportSession.read(enc('prompt,response_a,response_b,__proto__\np,a,b,x\n'), 'data.csv');
    const [row] = session.sampleRows(1);
    expect(Object.getPrototypeOf(row!.value)).toBe(Object.prototype);
    expect(Object.keys(row!.value)).toContain('__proto__');
    const [record] = session.records('pairs', DEFAULT_MAP_OPTIONS);
    expect(Object.getPrototypeOf(record!.extra)).toBe(Object.prototype);
    expect(Object.entries(record!.extra)).toEqual([['__proto__', 'x']]);
  });
});
