// The LM judge's domain: templates, the verdict parser, a pair's label and signals, and runs against a fake judge
// with planted position bias and failures (retries, Retry-After, resume without paying twice, cancel, cost).
import { describe, expect, it } from 'vitest';
import { ChatClientError, createChatClient, type ChatClient, type ChatMessage, type CompleteOptions } from '../tags/analyzer/client';
import type { Preference } from '../labels';
import { judgePair, verdictConfidence, type JudgeVerdict } from './aggregate';
import { judgeRisk } from './risk';
import { fitJudgeErrors, predictJudgeErrors } from './adaptive';
import { calibrationReport, type CalibrationItem } from './calibration';
import { estimateJudgeCost, judgeAnswerKey, runJudge, type JudgeAnswer, type JudgePair, type JudgeSettings, type JudgeStore } from './run';
import { checkTemplate, FIVE_POINT_TEMPLATE, missingPlaceholders, PAIRWISE_TEMPLATE, renderJudgePrompt } from './templates';
import { parseVerdict } from './verdict';
import { combineJudges, summarizeJudges } from './combine';

const pair = (idx: number): JudgePair => ({
  idx,
  id: `p${idx}`,
  prompt: `question ${idx}`,
  responseA: `first answer ${idx}`,
  responseB: `second answer ${idx}`,
});

describe('templates', () => {
  it('renders both orders; text in a pair that looks like a placeholder is sent as written', () => {
    const p = { prompt: 'Say {response_b}', responseA: 'alpha', responseB: 'beta {prompt}' };
    const ab = renderJudgePrompt(PAIRWISE_TEMPLATE, p, 'ab');
    const ba = renderJudgePrompt(PAIRWISE_TEMPLATE, p, 'ba');
    expect(ab[1]!.content).toContain('[Answer A]\nalpha\n');
    expect(ab[1]!.content).toContain('[Answer B]\nbeta {prompt}\n');
    expect(ab[1]!.content).toContain('[User request]\nSay {response_b}\n');
    expect(ba[1]!.content).toContain('[Answer A]\nbeta {prompt}\n');
    expect(ab[0]!.role).toBe('system');
    expect(missingPlaceholders(PAIRWISE_TEMPLATE)).toEqual([]);
    expect(missingPlaceholders(FIVE_POINT_TEMPLATE)).toEqual([]);
    expect(() => checkTemplate({ ...PAIRWISE_TEMPLATE, user: 'Which is better? {response_a}' })).toThrow(
      /lacks \{prompt\}, \{response_b\}/,
    );
  });
});

describe('verdict parser', () => {
  const cases: [string, 'pairwise' | 'five-point', Preference | null][] = [
    ['A', 'pairwise', 'A>B'],
    ['b', 'pairwise', 'B>A'],
    ['tie', 'pairwise', 'A=B'],
    ['Verdict: B.', 'pairwise', 'B>A'],
    ['Answer A restates the question; answer B solves it.\n[[B]]', 'pairwise', 'B>A'],
    ['Options are [[A]], [[B]] or [[C]]. My verdict: [[C]]', 'pairwise', 'A=B'],
    ['{"winner": "A"}', 'pairwise', 'A>B'],
    ['Here you go: {"reason": "shorter", "winner": "tie"}', 'pairwise', 'A=B'],
    ['A-is-slightly-better', 'five-point', 'A>B'],
    ['Reasoning... B is clearly better overall.\nB-is-clearly-better', 'five-point', 'B>>A'],
    ['tie', 'five-point', 'A=B'],
    ['', 'pairwise', null],
    ['Both have merits.', 'pairwise', null],
    ['{"winner": "both"}', 'pairwise', null],
    ['I cannot decide between A and B', 'pairwise', null],
  ];
  for (const [text, scale, want] of cases) {
    it(`${JSON.stringify(text)} (${scale}) -> ${want ?? 'unparseable'}`, () => {
      const v = parseVerdict(text, scale);
      if (want === null) {
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.reason.length).toBeGreaterThan(5);
      } else expect(v).toMatchObject({ ok: true, preference: want });
    });
  }
});

describe('a pair from its answers', () => {
  const v = (order: 'ab' | 'ba', verdict: Preference | null, extra: Partial<JudgeVerdict> = {}): JudgeVerdict => ({
    judge: 'm1',
    order,
    sample: 0,
    verdict,
    confidence: null,
    ...extra,
  });
  it('both orders agree: the label, no inconsistency, no split', () => {
    // "ba" showed B first: its A>B verdict means the pair's B is better.
    expect(judgePair([v('ab', 'B>A'), v('ba', 'A>B')], { primary: 'm1' })).toEqual({
      label: 'B>A',
      signals: { swapInconsistent: false, voteSplit: 0, confidence: null, answers: 2, unparseable: 0 },
    });
  });
  it('orders that disagree: a tie by default, or the first order; the inconsistency and the split are signals', () => {
    const answers = [v('ab', 'A>B'), v('ba', 'A>B')];
    expect(judgePair(answers, { primary: 'm1' })).toMatchObject({ label: 'A=B', signals: { swapInconsistent: true, voteSplit: 0.5 } });
    expect(judgePair(answers, { primary: 'm1', policy: 'first-order' }).label).toBe('A>B');
  });
  it('one order only: no inconsistency signal; an unreadable answer is counted, not used', () => {
    expect(judgePair([v('ab', 'A>>B')], { primary: 'm1' })).toMatchObject({ label: 'A>>B', signals: { swapInconsistent: null } });
    expect(judgePair([v('ab', null), v('ba', 'B>A')], { primary: 'm1' })).toMatchObject({
      label: 'A>B',
      signals: { unparseable: 1, swapInconsistent: null },
    });
    expect(judgePair([v('ab', null)], { primary: 'm1' }).label).toBeNull();
  });
  it('an ensemble takes the majority winner over the judges; confidence is the mean verdict probability', () => {
    const answers = [
      v('ab', 'A>B', { confidence: 0.9 }),
      v('ba', 'B>A', { confidence: 0.7 }),
      v('ab', 'B>A', { judge: 'm2' }),
      v('ba', 'A>B', { judge: 'm2' }),
      v('ab', 'A>>B', { judge: 'm3' }),
      v('ba', 'B>>A', { judge: 'm3' }),
    ];
    const j = judgePair(answers, { primary: 'm2', ensemble: 'majority' });
    expect(j.label).toBe('A>>B');
    expect(j.signals.voteSplit).toBeCloseTo(1 / 3, 12);
    expect(j.signals.confidence).toBeCloseTo(0.8, 12);
    expect(judgePair(answers, { primary: 'm2' }).label).toBe('B>A');
  });
  it('reads the verdict token probability from logprobs', () => {
    const toks = [
      { token: 'Verdict', logprob: -0.1 },
      { token: ':', logprob: 0 },
      { token: ' [[', logprob: 0 },
      { token: 'B', logprob: Math.log(0.6) },
      { token: ']]', logprob: 0 },
    ];
    expect(verdictConfidence(toks)).toBeCloseTo(0.6, 12);
    expect(verdictConfidence([{ token: 'hello', logprob: -1 }])).toBeNull();
    expect(verdictConfidence(undefined)).toBeNull();
  });
});

/** A judge with planted position bias (always prefers the first answer on pairs divisible by 3) and planted failures. */
function fakeJudge(
  opts: { fail?: (call: number, messages: readonly ChatMessage[]) => ChatClientError | null; answer?: (prompt: string) => string } = {},
) {
  const calls: { user: string; options: CompleteOptions | undefined }[] = [];
  const client: ChatClient = {
    model: 'fake-judge',
    async complete(messages, _signal, options) {
      calls.push({ user: messages[1]!.content, options });
      const failure = opts.fail?.(calls.length, messages);
      if (failure) throw failure;
      const user = messages[1]!.content;
      const idx = Number(/question (\d+)/.exec(user)![1]);
      const firstIsA = user.indexOf(`first answer ${idx}`) < user.indexOf(`second answer ${idx}`);
      const content = opts.answer ? opts.answer(user) : idx % 3 === 0 ? '[[A]]' : firstIsA ? '[[B]]' : '[[A]]';
      return {
        content,
        usage: { prompt_tokens: 100, completion_tokens: 10 },
        logprobs: [{ token: content.slice(2, 3), logprob: Math.log(0.75) }],
      };
    },
  };
  return { client, calls };
}

class MapStore implements JudgeStore {
  readonly rows = new Map<string, JudgeAnswer>();
  puts = 0;
  async get(key: string) {
    return this.rows.get(key);
  }
  async put(a: JudgeAnswer) {
    this.puts++;
    this.rows.set(a.key, a);
  }
}

const SETTINGS: JudgeSettings = {
  template: PAIRWISE_TEMPLATE,
  orders: ['ab', 'ba'],
  samples: 1,
  temperature: 0.7,
  logprobs: true,
  price: { inputPerMillion: 2, outputPerMillion: 8 },
};
const base = (client: ChatClient, store: JudgeStore, pairs: JudgePair[], extra: Partial<Parameters<typeof runJudge>[0]> = {}) => ({
  pairs,
  settings: SETTINGS,
  client,
  store,
  concurrency: 4,
  maxRetries: 3,
  backoff: { baseMs: 100, maxMs: 1000 },
  sleep: async () => undefined,
  ...extra,
});

describe('judge runs', () => {
  const pairs = Array.from({ length: 9 }, (_, i) => pair(i));

  it('asks every pair in both orders, stores every answer with tokens and cost, and measures the planted position bias', async () => {
    const store = new MapStore();
    const { client, calls } = fakeJudge();
    const r = await runJudge(base(client, store, pairs));
    expect(r.progress).toMatchObject({
      done: 18,
      total: 18,
      requests: 18,
      stored: 0,
      failed: 0,
      unparseable: 0,
      promptTokens: 1800,
      completionTokens: 180,
    });
    expect(r.progress.cost).toBeCloseTo((1800 * 2 + 180 * 8) / 1e6, 12);
    expect(calls.every((c) => c.options?.temperature === 0 && c.options.logprobs === true)).toBe(true);
    const byPair = (idx: number) =>
      [...store.rows.values()]
        .filter((a) => a.idx === idx)
        .map((a) => ({ judge: 'fake-judge', order: a.order, sample: a.sample, verdict: a.verdict, confidence: a.confidence }));
    const inconsistent = pairs
      .filter((p) => judgePair(byPair(p.idx), { primary: 'fake-judge' }).signals.swapInconsistent)
      .map((p) => p.idx);
    expect(inconsistent).toEqual([0, 3, 6]);
    expect(judgePair(byPair(1), { primary: 'fake-judge' }).label).toBe('B>A');
    expect([...store.rows.values()][0]!.confidence).toBeCloseTo(0.75, 12);
  });

  it('a rerun pays for nothing already answered; a cancelled run resumes where it stopped', async () => {
    const store = new MapStore();
    const first = fakeJudge();
    const controller = new AbortController();
    const r1 = await runJudge(
      base(first.client, store, pairs, {
        concurrency: 1,
        signal: controller.signal,
        onAnswer: () => {
          if (store.rows.size === 7) controller.abort();
        },
      }),
    );
    expect(r1.cancelled).toBe(true);
    expect(store.rows.size).toBe(7);
    const second = fakeJudge();
    const r2 = await runJudge(base(second.client, store, pairs));
    expect(second.calls).toHaveLength(11);
    expect(r2.progress).toMatchObject({ done: 18, stored: 7, requests: 11 });
    const third = fakeJudge();
    await runJudge(base(third.client, store, pairs));
    expect(third.calls).toHaveLength(0);
    // Another template, another model or an edited pair is a new question.
    expect(judgeAnswerKey('fake-judge', FIVE_POINT_TEMPLATE, pairs[0]!, 'ab', 0)).not.toBe(
      judgeAnswerKey('fake-judge', PAIRWISE_TEMPLATE, pairs[0]!, 'ab', 0),
    );
    expect(judgeAnswerKey('fake-judge', PAIRWISE_TEMPLATE, { ...pairs[0]!, responseB: 'edited' }, 'ab', 0)).not.toBe(
      judgeAnswerKey('fake-judge', PAIRWISE_TEMPLATE, pairs[0]!, 'ab', 0),
    );
  });

  it('a cancel sends nothing more but lets the requests in flight finish and stores them (they are paid for)', async () => {
    const store = new MapStore();
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    const inner = fakeJudge();
    const client: ChatClient = {
      model: inner.client.model,
      async complete(messages, signal, options) {
        inFlight++;
        if (inFlight === 3) controller.abort();
        await gate;
        return inner.client.complete(messages, signal, options);
      },
    };
    const run = runJudge(base(client, store, pairs, { concurrency: 3, signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const r = await run;
    expect(r.cancelled).toBe(true);
    expect(inFlight).toBe(3);
    expect(store.rows.size).toBe(3);
    expect(r.progress).toMatchObject({ done: 3, requests: 3 });
  });

  it('retries 429 after the Retry-After the server asks for, and 500 with backoff; a failure that outlasts the retries is reported, not stored', async () => {
    const store = new MapStore();
    const waits: number[] = [];
    const { client } = fakeJudge({
      fail: (call, messages) => {
        if (call === 1) return new ChatClientError('http', 'HTTP 429', { status: 429, retryAfterMs: 1500 });
        if (call === 2) return new ChatClientError('http', 'HTTP 500', { status: 500 });
        if (messages[1]!.content.includes('question 4')) return new ChatClientError('http', 'HTTP 503', { status: 503 });
        return null;
      },
    });
    const r = await runJudge(base(client, store, pairs.slice(0, 5), { concurrency: 1, sleep: async (ms) => void waits.push(ms) }));
    expect(waits[0]).toBe(1500);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
    expect(r.errors.map((e) => [e.idx, e.order])).toEqual([
      [4, 'ab'],
      [4, 'ba'],
    ]);
    expect(r.progress).toMatchObject({ done: 10, failed: 2 });
    expect(store.rows.size).toBe(8);
  });

  it('a wrong key stops the run at once; a Retry-After beyond the cap stops it and says to come back', async () => {
    const { client, calls } = fakeJudge({ fail: () => new ChatClientError('auth', 'HTTP 401: bad key', { status: 401 }) });
    const r = await runJudge(base(client, new MapStore(), pairs, { concurrency: 1 }));
    expect(r.fatal).toMatchObject({ code: 'auth', status: 401 });
    expect(calls).toHaveLength(1);
    const slow = fakeJudge({ fail: () => new ChatClientError('http', 'HTTP 429', { status: 429, retryAfterMs: 3_600_000 }) });
    const r2 = await runJudge(base(slow.client, new MapStore(), pairs, { concurrency: 1 }));
    expect(r2.fatal?.message).toMatch(/asks to wait 60 min \(Retry-After\); the run stopped/);
  });

  it('an answer without a verdict is stored with its text and reason, counted, and not asked again', async () => {
    const store = new MapStore();
    const { client } = fakeJudge({ answer: (user) => (user.includes('question 2') ? 'They are both fine.' : '[[A]]') });
    const r = await runJudge(base(client, store, pairs.slice(0, 3)));
    expect(r.progress.unparseable).toBe(2);
    const bad = [...store.rows.values()].filter((a) => a.verdict === null);
    expect(bad.map((a) => [a.idx, a.raw])).toEqual([
      [2, 'They are both fine.'],
      [2, 'They are both fine.'],
    ]);
    expect(bad[0]!.reason).toMatch(/no verdict found/);
    const again = fakeJudge();
    expect((await runJudge(base(again.client, store, pairs.slice(0, 3)))).progress).toMatchObject({ requests: 0, unparseable: 2 });
  });

  it('k samples at the set temperature; a store that cannot write stops the run with the pair named', async () => {
    const { client, calls } = fakeJudge();
    const r = await runJudge({ ...base(client, new MapStore(), pairs.slice(0, 2)), settings: { ...SETTINGS, samples: 3, orders: ['ab'] } });
    expect(r.progress.done).toBe(6);
    expect(calls.every((c) => c.options?.temperature === 0.7)).toBe(true);
    const broken: JudgeStore = { get: async () => undefined, put: async () => Promise.reject(new Error('QuotaExceededError')) };
    await expect(runJudge(base(fakeJudge().client, broken, pairs.slice(0, 2), { concurrency: 1 }))).rejects.toThrow(
      /answer for pair 1 \(ab, sample 0\) could not be stored: QuotaExceededError/,
    );
  });

  it('estimates the cost before anything is sent', () => {
    const e = estimateJudgeCost(pairs, SETTINGS, 20);
    expect(e.requests).toBe(18);
    expect(e.promptTokens).toBeGreaterThan(18 * 40);
    expect(e.cost).toBeCloseTo((e.promptTokens * 2 + 18 * 20 * 8) / 1e6, 12);
  });
});

describe('the chat client asks for what the judge needs', () => {
  it('sends the temperature and logprobs, and reads the tokens back', async () => {
    let body: Record<string, unknown> = {};
    const client = createChatClient({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      timeoutMs: 1000,
      fetch: async (_url, init) => {
        body = JSON.parse(init.body) as Record<string, unknown>;
        const payload = {
          choices: [
            {
              message: { content: '[[A]]' },
              logprobs: {
                content: [
                  { token: '[[', logprob: -0.01 },
                  { token: 'A', logprob: -0.2 },
                ],
              },
            },
          ],
          usage: { prompt_tokens: 5, completion_tokens: 2 },
        };
        return { ok: true, status: 200, headers: { get: () => null }, text: async () => JSON.stringify(payload) };
      },
    });
    const c = await client.complete([{ role: 'user', content: 'x' }], undefined, { temperature: 0.5, logprobs: true });
    expect(body).toMatchObject({ temperature: 0.5, logprobs: true });
    expect(c.logprobs).toEqual([
      { token: '[[', logprob: -0.01 },
      { token: 'A', logprob: -0.2 },
    ]);
    await client.complete([{ role: 'user', content: 'x' }]);
    expect(body.temperature).toBe(0);
    expect(body.logprobs).toBeUndefined();
  });
});

describe('judge risk', () => {
  const s = { judge_swap_inconsistent: false, judge_vote_split: 0, judge_confidence: null, judge_answers: 2, judge_unparseable: 0 };
  it('no verdict is certain risk; a flip with the order is a coin; otherwise the split or the doubt of the verdict token', () => {
    expect(judgeRisk(s, false)).toBe(1);
    expect(judgeRisk({ ...s, judge_unparseable: 2 }, true)).toBe(1);
    expect(judgeRisk({ ...s, judge_swap_inconsistent: true, judge_vote_split: 0.5 }, true)).toBe(0.5);
    expect(judgeRisk({ ...s, judge_vote_split: 0.25 }, true)).toBe(0.25);
    expect(judgeRisk({ ...s, judge_confidence: 0.9 }, true)).toBeCloseTo(0.1, 12);
    expect(judgeRisk(s, true)).toBe(0);
  });
});

describe('calibration report', () => {
  const item = (judge: Preference | null, human: Preference, extra: Partial<CalibrationItem> = {}): CalibrationItem => ({
    judge,
    human,
    swapInconsistent: false,
    confidence: null,
    tags: [],
    ...extra,
  });
  it('accuracy and kappa over winners, the position-bias rate, pairs without a verdict apart', () => {
    const items = [
      item('A>B', 'A>>B'),
      item('B>A', 'B>A'),
      item('A>B', 'B>A', { swapInconsistent: true }),
      item('A=B', 'A=B'),
      item(null, 'A>B', { swapInconsistent: null }),
    ];
    const r = calibrationReport(items);
    expect(r).toMatchObject({ n: 4, noVerdict: 1, accuracy: 0.75 });
    // Winners judge/human: A/A, B/B, A/B, tie/tie: po = 0.75, pe = (2*1 + 1*2 + 1*1)/16 = 5/16.
    expect(r.kappa).toBeCloseTo((0.75 - 5 / 16) / (1 - 5 / 16), 12);
    expect(r.positionBiasRate).toBeCloseTo(1 / 4, 12);
    expect(r.calibration).toBeNull();
  });
  it('ECE and Brier of the confidence, with the reliability bins; the tags it errs on most', () => {
    const items = [
      item('A>B', 'A>B', { confidence: 0.95, tags: ['t1'] }),
      item('A>B', 'B>A', { confidence: 0.95, tags: ['t1', 't2'] }),
      item('B>A', 'B>A', { confidence: 0.55, tags: ['t2'] }),
      item('B>A', 'A>B', { confidence: 0.55, tags: ['t2'] }),
    ];
    const r = calibrationReport(items, { minSupport: 2 });
    // Bin 0.9-1.0: confidence 0.95, accuracy 0.5; bin 0.5-0.6: 0.55, 0.5: ECE = 0.5*0.45 + 0.5*0.05.
    expect(r.calibration!.ece).toBeCloseTo(0.25, 12);
    expect(r.calibration!.brier).toBeCloseTo((0.05 ** 2 + 0.95 ** 2 + 0.45 ** 2 + 0.55 ** 2) / 4, 12);
    expect(r.calibration!.bins.map((b) => [b.n, b.accuracy])).toEqual([
      [2, 0.5],
      [2, 0.5],
    ]);
    expect(r.byTag).toEqual([
      { tag: 't2', n: 3, errorRate: 2 / 3 },
      { tag: 't1', n: 2, errorRate: 0.5 },
    ]);
  });
});

describe('learning where the judge errs', () => {
  it('finds the tag its errors come with, and ranks the unlabelled pairs that carry it first', () => {
    const n = 400;
    const bits = new Uint32Array(n * 3);
    // Tag 7 on every third pair; the judge is wrong on most of those and right elsewhere. The rule risk says nothing.
    for (let i = 0; i < n; i++) if (i % 3 === 0) bits[i * 3]! |= 1 << 7;
    const rule = new Float64Array(n);
    const idx = Array.from({ length: 200 }, (_, k) => k);
    const wrong = idx.map((i) => (i % 3 === 0 ? (i % 9 === 0 ? 0 : 1) : i % 17 === 0 ? 1 : 0)) as (0 | 1)[];
    const model = fitJudgeErrors({ idx, wrong }, rule, bits);
    expect(model).toMatchObject({ n: 200, errors: wrong.reduce<number>((s, v) => s + v, 0) });
    const p = predictJudgeErrors(model, rule, bits, n);
    const withTag = Array.from({ length: 200 }, (_, k) => 200 + k).filter((i) => i % 3 === 0);
    const without = Array.from({ length: 200 }, (_, k) => 200 + k).filter((i) => i % 3 !== 0);
    expect(Math.min(...withTag.map((i) => p[i]!))).toBeGreaterThan(Math.max(...without.map((i) => p[i]!)));
    // Deterministic: the same labels give the same model.
    expect([...fitJudgeErrors({ idx, wrong }, rule, bits).weights]).toEqual([...model.weights]);
  });
});

describe('several judges on one dataset', () => {
  const answer = (idx: number, model: string, order: 'ab' | 'ba', verdict: Preference | null, pairId = `p${idx}`): JudgeAnswer => ({
    key: `${model}|${idx}|${order}`,
    idx,
    pairId,
    order,
    sample: 0,
    model,
    templateId: 'pairwise-v1',
    raw: verdict ?? 'no verdict',
    verdict,
    confidence: null,
    usage: null,
    cost: model === 'big' ? 0.01 : null,
    at: idx,
  });
  // Pair 0: both judges say A in both orders. Pair 1: big says A (both orders), small says B (both orders).
  // Pair 2: big flips with the order; small says B. Pair 3: only small answered. Pair 4: an answer for another pair.
  const answers = [
    answer(0, 'big', 'ab', 'A>B'),
    answer(0, 'big', 'ba', 'B>A'),
    answer(0, 'small', 'ab', 'A>B'),
    answer(0, 'small', 'ba', 'B>A'),
    answer(1, 'big', 'ab', 'A>B'),
    answer(1, 'big', 'ba', 'B>A'),
    answer(1, 'small', 'ab', 'B>A'),
    answer(1, 'small', 'ba', 'A>B'),
    answer(2, 'big', 'ab', 'A>B'),
    answer(2, 'big', 'ba', 'A>B'),
    answer(2, 'small', 'ab', 'B>A'),
    answer(2, 'small', 'ba', null),
    answer(3, 'small', 'ab', 'B>A'),
    answer(4, 'big', 'ab', 'A>B', 'replaced'),
  ];
  const ids = new Map([0, 1, 2, 3, 4].map((i) => [i, `p${i}`]));
  const big = 'big (pairwise-v1)';
  const small = 'small (pairwise-v1)';

  it("primary: the label is the primary judge's; every judge counts in the vote split; answers of a replaced pair do not count", () => {
    const c = combineJudges(answers, ids, { primary: big, ensemble: 'primary', policy: 'tie' });
    expect(c.map((x) => x.idx)).toEqual([0, 1, 2, 3]);
    expect(c.map((x) => x.label)).toEqual(['A>B', 'A>B', 'A=B', null]);
    expect(c.map((x) => x.judge)).toEqual([big, big, big, big]);
    expect(c[0]!.signals.judge_vote_split).toBe(0);
    expect(c[1]!.signals.judge_vote_split).toBe(0.5);
    expect(c[2]!.signals.judge_swap_inconsistent).toBe(true);
    expect(c[1]!.signals.judge_swap_inconsistent).toBe(false);
    expect(c[2]!.perJudge).toEqual({ [big]: { label: 'A=B', swapInconsistent: true }, [small]: { label: 'B>A', swapInconsistent: null } });
    expect(c[0]!.swappedOrder).toBe('A>B');
    expect(c[2]!.swappedOrder).toBe('B>A');
  });

  it("majority: the judges' most common winner, a tie between two judges that disagree", () => {
    const c = combineJudges(answers, ids, { primary: big, ensemble: 'majority', policy: 'tie' });
    expect(c.map((x) => x.label)).toEqual(['A>B', 'A=B', 'A=B', 'B>A']);
    expect(c[0]!.judge).toBe(`majority of 2 judges (${big}, ${small})`);
    // With one judge on the pair there is nothing to take a majority of: its label stands, under its name.
    expect(c[3]!.judge).toBe(small);
  });

  it('summarises each judge: answers, cost, order flips and agreement with the primary', () => {
    const c = combineJudges(answers, ids, { primary: big, ensemble: 'primary', policy: 'tie' });
    const s = summarizeJudges(answers, c, big);
    expect(s.map((j) => [j.judge, j.answers, j.unparseable, j.pairs, j.flipRate, j.agreesWithPrimary, j.cost])).toEqual([
      [big, 7, 0, 3, 1 / 3, 1, 0.07],
      [small, 7, 1, 4, 0, 1 / 3, null],
    ]);
  });
});
