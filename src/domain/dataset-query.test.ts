import { describe, expect, it } from 'vitest';
import { DatasetIndex, EMPTY_QUERY, isEmptyQuery } from './dataset-query';
import type { PairRecord } from './instance';

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
});
