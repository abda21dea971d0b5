import { describe, expect, it } from 'vitest';
import { concatSearchBlocks, DatasetIndex, EMPTY_QUERY, isEmptyQuery, searchBlockOf, type DatasetQuery } from './dataset-query';
import type { PairRecord } from './instance';
import { winnerOf } from './labels';

const rec = (id: string, prompt: string, lm?: 'A>B' | 'B>>A' | 'A=B', human?: 'A>B' | 'B>A'): PairRecord => ({
  id,
  sourceRow: 1,
  prompt,
  responseA: 'alpha',
  responseB: 'beta',
  extra: {},
  ...(lm ? { lm: { value: lm, original: lm } } : {}),
  ...(human ? { human: { value: human, original: human } } : {}),
});

describe('DatasetIndex', () => {
  const index = new DatasetIndex();
  const rows = [
    rec('a1', 'Sort a list in Python', 'A>B', 'A>B'),
    rec('b2', 'Bake bread', 'B>>A', 'A>B'),
    rec('c3', 'PYTHON decorators', 'A=B'),
    rec('d4', 'Tax law'),
  ];
  rows.forEach((r) => index.add(r));

  it('searches case-insensitively over id, prompt and responses', () => {
    expect([...index.query({ ...EMPTY_QUERY, search: 'python' })]).toEqual([0, 2]);
    expect([...index.query({ ...EMPTY_QUERY, search: 'B2' })]).toEqual([1]);
    expect([...index.query({ ...EMPTY_QUERY, search: 'beta' })]).toEqual([0, 1, 2, 3]);
  });
  it('filters by winner, missing labels and agreement', () => {
    expect([...index.query({ ...EMPTY_QUERY, lm: 'B' })]).toEqual([1]);
    expect([...index.query({ ...EMPTY_QUERY, lm: 'tie' })]).toEqual([2]);
    expect([...index.query({ ...EMPTY_QUERY, lm: 'missing' })]).toEqual([3]);
    expect([...index.query({ ...EMPTY_QUERY, human: 'missing' })]).toEqual([2, 3]);
    expect([...index.query({ ...EMPTY_QUERY, agreement: 'agree' })]).toEqual([0]);
    expect([...index.query({ ...EMPTY_QUERY, agreement: 'disagree' })]).toEqual([1]);
  });
  it('grows past its initial capacity', () => {
    const big = new DatasetIndex();
    for (let i = 0; i < 5000; i++) big.add(rec(`id${i}`, `p${i}`, i % 2 ? 'A>B' : 'B>>A'));
    expect(big.query({ ...EMPTY_QUERY, lm: 'A' }).length).toBe(2500);
    expect(big.query({ ...EMPTY_QUERY, search: 'id4999' })[0]).toBe(4999);
  });
  it('knows an empty query', () => {
    expect(isEmptyQuery(EMPTY_QUERY)).toBe(true);
    expect(isEmptyQuery({ ...EMPTY_QUERY, search: '  ' })).toBe(true);
    expect(isEmptyQuery({ ...EMPTY_QUERY, human: 'A' })).toBe(false);
  });
  it('stored blocks (split and joined anywhere) answer as a plain scan of every pair', () => {
    // Texts with case-changing and length-changing letters (İ lowercases to two code units).
    const words = ['İstanbul', 'python', 'PYTHONIC', 'Straße', 'naïve', 'x', 'ab', 'ba', 'ΣΊΣΥΦΟΣ', ''];
    let seed = 7;
    const pick = () => words[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % words.length]!;
    const labels = ['A>B', 'B>>A', 'A=B', undefined] as const;
    const records = Array.from({ length: 700 }, (_, i) => ({
      ...rec(`id${i}`, `${pick()} ${pick()}`, labels[i % 4], i % 3 ? 'A>B' : undefined),
      responseA: pick(),
      responseB: `${pick()}${pick()}`,
    }));
    // The reference: every pair's own haystack tested with includes(), the LM filter from its label.
    const scan = (q: DatasetQuery) =>
      records.flatMap((r, i) => {
        const winner = r.lm ? winnerOf(r.lm.value) : 'missing';
        if (q.lm !== 'any' && winner !== q.lm) return [];
        const hay = [r.id, r.prompt, r.responseA, r.responseB, '', ''].join('\u0000').toLowerCase();
        return hay.includes(q.search.trim().toLowerCase()) ? [i] : [];
      });
    // Blocks as storage makes them: 256 a block, the last one extended by a later append.
    const blocked = new DatasetIndex();
    blocked.addBlock(searchBlockOf(records.slice(0, 256)));
    blocked.addBlock(searchBlockOf(records.slice(256, 512)));
    blocked.addBlock(concatSearchBlocks(searchBlockOf(records.slice(512, 600)), searchBlockOf(records.slice(600))));
    for (const search of ['python', 'i̇stanbul', 'ß', 'ab', 'ba', 'x', 'σ', 'id69', 'naïve', 'nothing here', '']) {
      for (const lm of ['any', 'A', 'missing'] as const) {
        const q = { ...EMPTY_QUERY, search, lm };
        expect([...blocked.query(q)], `${search} ${lm}`).toEqual(scan(q));
      }
    }
    // A needle never matches across two pairs, and typed separators are ignored.
    const two = new DatasetIndex();
    two.addBlock(searchBlockOf([rec('end-ab', 'x'), { ...rec('cd-start', 'y'), responseA: 'q', responseB: 'r' }]));
    expect([...two.query({ ...EMPTY_QUERY, search: 'beta\u0001cd' })]).toEqual([]);
    expect([...two.query({ ...EMPTY_QUERY, search: 'abcd' })]).toEqual([]);
    expect([...two.query({ ...EMPTY_QUERY, search: 'ab' })]).toEqual([0]);
  });
});
