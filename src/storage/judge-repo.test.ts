import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { JudgeAnswer } from '../domain/judge/run';
import { judgeStoreOn, listJudgeAnswers } from './judge-repo';
import { freshDatabases } from './test-db';

const freshDb = freshDatabases('judge');

const answer: JudgeAnswer = {
  key: 'hyper-judge/m/pairwise-v1.x/p1.y/ab/0',
  idx: 0,
  pairId: 'p1',
  order: 'ab',
  sample: 0,
  model: 'm',
  templateId: 'pairwise-v1',
  raw: '[[A]]',
  verdict: 'A>B',
  confidence: null,
  usage: null,
  cost: null,
  at: 1,
};

describe('judge answers in IndexedDB', () => {
  it('an answer is kept per dataset; the same question for another dataset is answered from it, not asked again', async () => {
    const db = freshDb();
    await judgeStoreOn(db, 'd1').put(answer);
    expect(await judgeStoreOn(db, 'd1').get(answer.key)).toMatchObject({ raw: '[[A]]' });
    // A copy of the dataset: the stored answer is reused and filed under the copy too.
    expect(await judgeStoreOn(db, 'd2').get(answer.key)).toMatchObject({ raw: '[[A]]' });
    expect((await listJudgeAnswers(db, 'd2')).map((a) => a.key)).toEqual([answer.key]);
    expect((await listJudgeAnswers(db, 'd1')).map((a) => a.key)).toEqual([answer.key]);
    expect(await judgeStoreOn(db, 'd3').get('another key')).toBeUndefined();
  });
});
