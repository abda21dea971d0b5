import { describe, expect, it } from 'vitest';
import { TAG_IDS } from '../tags/tags';
import { parseCountsCsv, parseResultsCsv } from './results-csv';

const F = TAG_IDS.length;
const quote = (s: string) => (s.includes(',') ? `"${s}"` : s);
const header = ['candidate_id', ...TAG_IDS].map(quote).join(',');
const countsRow = (id: string, base: number) => [id, ...TAG_IDS.map((_, t) => base + t)].join(',');
const countsText = [header, countsRow('c000', 0), countsRow('c001', 100), countsRow('c002', 200)].join('\n') + '\n';

describe('parseCountsCsv', () => {
  it('reads ids and the counts (one column per feature) in column order', () => {
    const t = parseCountsCsv(countsText);
    expect(t.ids).toEqual(['c000', 'c001', 'c002']);
    expect(t.features).toEqual([...TAG_IDS]);
    expect(t.X[1 * F + 5]).toBe(105);
    expect(t.byId.get('c002')).toBe(2);
  });

  it('names the line and column of a bad cell, a repeated id, and unexpected columns', () => {
    const bad = countsText.replace('c001,100,101', 'c001,100,x');
    expect(() => parseCountsCsv(bad)).toThrow(`counts.csv line 3: column "${TAG_IDS[1]}" is "x", expected a count >= 0`);
    expect(() => parseCountsCsv(countsText.replace('c001,100,101', 'c001,100,-1'))).toThrow(/line 3: .* is "-1", expected a count >= 0/);
    expect(() => parseCountsCsv(countsText.replace('c002', 'c000'))).toThrow(
      'counts.csv line 4: candidate "c000" appears again (first on line 2)',
    );
    expect(() => parseCountsCsv(`${header},budget\n${countsRow('c000', 0)},3\n`)).toThrow('counts.csv line 1: unexpected column "budget"');
    expect(() => parseCountsCsv('candidate_id,rouge::nope\nc0,1\n')).toThrow(/column "rouge::nope" looks like a feature but is not one/);
    expect(() => parseCountsCsv(countsText.replace('c001,100,101', 'c001,100'))).toThrow(
      new RegExp(`counts.csv line 3: expected ${F + 1} fields, found ${F}`),
    );
    expect(() => parseCountsCsv(`${TAG_IDS.join(',')}\n`)).toThrow(/no candidate id column/);
  });
});

describe('parseResultsCsv', () => {
  const counts = parseCountsCsv(countsText);

  it('joins on the candidate id, in the results order, and lists unscored candidates', () => {
    const r = parseResultsCsv('candidate_id,Overall,Chat\nc002,0.7,1\nc000,0.61,2\n', { score: 'Overall', counts });
    expect(r.ids).toEqual(['c002', 'c000']);
    expect(Array.from(r.y)).toEqual([0.7, 0.61]);
    expect(r.X[0]).toBe(200);
    expect(r.X[F]).toBe(0);
    expect(r.unscored).toEqual(['c001']);
    expect(r.source).toBe('joined');
  });

  it("reads the count columns by feature name in any order (the paper pipeline's layout), TSV too", () => {
    const cols = [...TAG_IDS].reverse();
    const text = `Overall\t${cols.join('\t')}\n0.5\t${cols.map((_, k) => k).join('\t')}\n0.6\t${cols.map(() => 1).join('\t')}\n`;
    const r = parseResultsCsv(text, { score: 'Overall' });
    expect(r.features).toEqual(cols);
    expect(r.n).toBe(2);
    expect(r.X[0]).toBe(0);
    expect(r.X[F - 1]).toBe(F - 1);
    expect(r.ids).toBeUndefined();
  });

  it('gives line-numbered errors for every kind of bad input', () => {
    const file = { file: 'res.csv', countsFile: 'cnt.csv' };
    expect(() => parseResultsCsv('candidate_id,score\nc000,1\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 1: no score column "Overall" (columns: candidate_id, score)',
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\nc009,0.2\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 3: candidate "c009" is not in cnt.csv',
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\nc001,\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 3: column "Overall" is empty, expected a number',
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\nc001,n/a\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 3: column "Overall" is "n/a", expected a number',
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\nc000,0.6\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 3: candidate "c000" appears again (first on line 2)',
    );
    expect(() => parseResultsCsv('name,Overall\nc000,0.5\n', { score: 'Overall', counts, ...file })).toThrow(
      /res.csv line 1: no candidate id column .* to join with cnt.csv/,
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\n', { score: 'Overall', ...file })).toThrow(
      /no count columns .* pass the run's counts.csv/,
    );
    expect(() => parseResultsCsv('candidate_id,Overall\n', { score: 'Overall', counts, ...file })).toThrow(
      expect.objectContaining({ code: 'too-few-rows' }),
    );
    expect(() => parseResultsCsv('candidate_id,Overall,Overall\nc000,1,2\n', { score: 'Overall', counts, ...file })).toThrow(
      'res.csv line 1: column "Overall" appears more than once',
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,"0.5\n', { score: 'Overall', counts, ...file })).toThrow(
      /res.csv line 2: unterminated quoted field/,
    );
    expect(() => parseResultsCsv('candidate_id,Overall\nc000,0.5\nc001,x\n', { score: 'Overall', counts, ...file })).toThrow(
      expect.objectContaining({ code: 'bad-results', line: 3 }),
    );
  });
});
