import { describe, expect, it } from 'vitest';
import {
  elementLines,
  parseAnnotationsDocument,
  parseAnnotationsFile,
  readAnnotationsFile,
  serializeAnnotationsFile,
} from './annotations-file';
import { MergeError } from './errors';
import { ann } from './test-fixtures';

function problems(text: string, name = 'anns.jsonl'): { message: string; lines: number[] } {
  try {
    parseAnnotationsFile(text, name);
  } catch (e) {
    expect(e).toBeInstanceOf(MergeError);
    const err = e as MergeError;
    expect(err.code).toBe('bad-annotations');
    return { message: err.message, lines: err.problems.map((p) => p.line) };
  }
  throw new Error('expected the file to be rejected');
}

const minimal = (idx: number, id: string, annotator: string, overall = 'A>B') =>
  JSON.stringify({ idx, instanceId: id, annotator, planId: 'p1', status: 'submitted', overall });

describe('parseAnnotationsFile', () => {
  it('reads JSONL, fills defaults, skips blank lines, accepts CRLF and a BOM', () => {
    const text = `\ufeff${minimal(0, 'a', 'ann')}\r\n\r\n${JSON.stringify({ ...ann(1, 'b', 'bob', 'B>>A'), confidence: 'fairly-confident' })}\n`;
    const out = parseAnnotationsFile(text, 'x.jsonl');
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({
      id: 'p1|0|ann',
      projectId: '',
      datasetId: '',
      planId: 'p1',
      idx: 0,
      instanceId: 'a',
      annotator: 'ann',
      status: 'submitted',
      overall: 'A>B',
      aspects: {},
      rationale: '',
      swapped: false,
      activeMs: 0,
      createdAt: 0,
      updatedAt: 0,
      rev: 0,
      origin: 'file:x.jsonl',
    });
    expect(out[1]).toEqual({ ...ann(1, 'b', 'bob', 'B>>A'), confidence: 'fairly-confident' });
  });

  it('names the line of every bad JSONL record and what was expected', () => {
    const lines = [
      minimal(0, 'a', 'ann'),
      '{"idx": 1, "instanceId": "b",',
      minimal(2, 'c', 'ann', 'A-better'),
      JSON.stringify({ idx: -1, instanceId: 'd', annotator: 'x', planId: 'p', status: 'submitted', overall: 'A>B' }),
      JSON.stringify({ idx: 4, instanceId: 'e', annotator: 'x', planId: 'p', status: 'submitted' }),
      JSON.stringify({ idx: 5, instanceId: 'f', annotator: 'x', planId: 'p', status: 'done', overall: 'A>B' }),
      minimal(0, 'a', 'ann'),
      JSON.stringify({ idx: 7, instanceId: 'g', annotator: 'x', planId: 'p', status: 'draft', aspects: { style: {} } }),
      '[1]',
    ];
    const p = problems(lines.join('\n'));
    expect(p.lines).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(p.message).toMatch(/^anns\.jsonl: 8 problems\n/);
    expect(p.message).toContain('line 2: invalid JSON');
    expect(p.message).toContain('line 3: "overall" must be one of A>>B, A>B, A=B, B>A, B>>A, got "A-better"');
    expect(p.message).toContain('line 4: "idx" must be a non-negative integer');
    expect(p.message).toContain('line 5: a submitted annotation needs "overall"');
    expect(p.message).toContain('line 6: "status" must be one of draft, submitted, skipped, got "done"');
    expect(p.message).toContain('… and 3 more');
    const all = (() => {
      try {
        parseAnnotationsFile(lines.join('\n'), 'anns.jsonl');
      } catch (e) {
        return (e as MergeError).problems.map((q) => q.message);
      }
      return [];
    })();
    expect(all[5]).toBe('annotation id "p1|0|ann" appears twice (first at line 1)');
    expect(all[6]).toBe('"aspects.style" is not an aspect (expected helpfulness, truthfulness, harmlessness)');
    expect(all[7]).toBe('expected an annotation object, got a list');
  });

  it('reads the JSON form and reports the line where each bad annotation starts', () => {
    const good = serializeAnnotationsFile([
      ann(0, 'a', 'ann', 'A>B'),
      ann(1, 'b', 'bob', 'B>A', { aspects: { helpfulness: { preference: 'B>A', reasons: ['correct'], text: 'why' } } }),
    ]);
    expect(parseAnnotationsFile(good, 'pack.json')).toEqual([
      ann(0, 'a', 'ann', 'A>B'),
      ann(1, 'b', 'bob', 'B>A', { aspects: { helpfulness: { preference: 'B>A', reasons: ['correct'], text: 'why' } } }),
    ]);
    const pretty = JSON.stringify(
      {
        format: 'hyper-annotations',
        version: 1,
        annotations: [JSON.parse(minimal(0, 'a', 'ann')), { ...JSON.parse(minimal(1, 'b', 'bob')), overall: 'C' }],
      },
      null,
      2,
    );
    const p = problems(pretty, 'pack.json');
    // The line where the second annotation's object opens.
    const expectedLine = pretty.split('\n').findIndex((l, i, all) => l.trim() === '{' && all[i + 1]!.includes('"idx": 1')) + 1;
    expect(p.lines).toEqual([expectedLine]);
    expect(p.message).toContain(`line ${expectedLine}: "overall" must be one of`);
  });

  it('reads a plain JSON array too', () => {
    const text = `[\n${minimal(0, 'a', 'ann')},\n${minimal(1, 'b', 'ann', 'nope')}\n]`;
    expect(problems(text, 'a.json').lines).toEqual([3]);
    expect(parseAnnotationsFile(`[${minimal(0, 'a', 'ann')}]`)).toHaveLength(1);
  });

  it('rejects a wrapper of another format or version, and broken JSON with its line', () => {
    expect(problems('{"format": "other", "annotations": []}').message).toContain('"format" must be "hyper-annotations", got "other"');
    expect(problems('{"format": "hyper-annotations", "version": 2, "annotations": []}').message).toContain('unsupported version 2');
    expect(problems('{"format": "hyper-annotations", "version": 1, "annotations": {}}').message).toContain('"annotations" must be a list');
    const broken = problems('{"format": "hyper-annotations",\n "version": 1,\n "annotations": [\n {"idx": 0,, }\n]}');
    expect(broken.lines).toEqual([4]);
    expect(broken.message).toMatch(/line 4: invalid JSON at column \d+/);
  });

  it('an empty file is refused (a 0-byte file is a failed write, not "no annotations")', () => {
    expect(() => parseAnnotationsFile('', 'empty.jsonl')).toThrow('empty.jsonl: the file is empty');
    expect(() => parseAnnotationsFile('\n\n', 'empty.jsonl')).toThrow(/the file is empty/);
    // An explicit empty list is a file that says so.
    expect(parseAnnotationsFile('{"format": "hyper-annotations", "version": 1, "annotations": []}')).toEqual([]);
  });

  it('the head names the datasets and their orientation; it round-trips and bad heads are refused', () => {
    const head = {
      datasets: [{ id: 'd', name: 'hh', sha256: 'a'.repeat(64), n: 3, layout: 'anthropic-hh' as const, sideSeed: 2 }],
      packId: 'pack-1',
      annotator: 'ana',
      exportedAt: 'now',
    };
    const text = serializeAnnotationsFile([ann(0, 'a', 'ann', 'A>B')], head);
    const doc = parseAnnotationsDocument(text, 'r.json');
    expect(doc.head).toEqual(head);
    expect(doc.annotations).toEqual([ann(0, 'a', 'ann', 'A>B')]);
    expect(() => parseAnnotationsDocument(text.replace('"sideSeed":2', '"sideSeed":"two"'))).toThrow(
      /datasets\[0\]\.sideSeed must be an integer or null/,
    );
    expect(() => parseAnnotationsDocument(text.replace('"layout":"anthropic-hh",', ''))).toThrow(/datasets\[0\]\.layout/);
  });

  it('reads record by record: tampered records are rejected with their line, the rest accepted', () => {
    const good = ann(0, 'a', 'ann', 'A>B');
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ ...good, id: 'x1', overall: 'X>>Y' }),
      JSON.stringify({ ...good, id: 'x2', confidence: 'very' }),
      JSON.stringify({ ...good, id: 'x3', overall: undefined }),
      JSON.stringify(good),
      JSON.stringify({ ...good, id: 'x4', idx: -3 }),
    ];
    const r = readAnnotationsFile(lines.join('\n'), 'r.jsonl');
    expect(r.accepted.map((a) => a.line)).toEqual([1]);
    expect(r.rejected.map((p) => [p.line, p.message.split(',')[0]])).toEqual([
      [2, '"overall" must be one of A>>B'],
      [3, '"confidence" must be one of absolutely-confident'],
      [4, 'a submitted annotation needs "overall"'],
      [5, `annotation id "${good.id}" appears twice (first at line 1)`],
      [6, '"idx" must be a non-negative integer (the instance\'s position)'],
    ]);
  });

  it('elementLines finds element starts, not nested objects or strings that look like them', () => {
    const text = '{"note": "[ { ]",\n "annotations": [\n  {"a": [1, {"b": 2}]},\n\n  {"c": "x,y"}, {"d": 1}\n ]}';
    expect(elementLines(text)).toEqual([3, 5, 5]);
    expect(elementLines('[]')).toEqual([]);
    expect(elementLines('{"other": [1, 2], "annotations": [\n3]}')).toEqual([2]);
  });
});
