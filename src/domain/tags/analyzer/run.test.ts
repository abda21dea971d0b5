import { describe, expect, it } from 'vitest';
import { ChatClientError, chatCompletionsUrl, isRetryable, parseRetryAfter } from './client';
import { ANALYZER_PROMPT_VERSION } from './prompts';
import { analyzePrompts, analyzerCacheKey, estimateCost, hashText, retryDelay, seededRandom } from './run';

describe('analyzerCacheKey', () => {
  it('includes the prompt version and the model, and changes with the prompt text', () => {
    const k = analyzerCacheKey('llama-3-8b', 'pair-1', 'Hello');
    expect(k.startsWith(`hyper-analyzer/v${ANALYZER_PROMPT_VERSION}/llama-3-8b/`)).toBe(true);
    expect(k.endsWith('/pair-1')).toBe(true);
    expect(analyzerCacheKey('other', 'pair-1', 'Hello')).not.toBe(k);
    expect(analyzerCacheKey('llama-3-8b', 'pair-1', 'Hello!')).not.toBe(k);
    expect(analyzerCacheKey('llama-3-8b', 'pair-1', 'Hello')).toBe(k);
  });

  it('depends on the truncation limit only when it changes the text sent', () => {
    const long = 'x'.repeat(500);
    expect(analyzerCacheKey('m', 'k', 'short', 100)).toBe(analyzerCacheKey('m', 'k', 'short', 200));
    expect(analyzerCacheKey('m', 'k', long, 100)).not.toBe(analyzerCacheKey('m', 'k', long, 200));
  });

  it('hashes to 16 hex digits', () => {
    expect(hashText('')).toMatch(/^[0-9a-f]{16}$/);
    expect(hashText('a')).not.toBe(hashText('b'));
  });
});

describe('retryDelay', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };
  it('doubles from baseMs, capped at maxMs, jittered into the upper half', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelay(n, backoff, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelay(n, backoff, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('uses Retry-After as given, capped', () => {
    expect(retryDelay(3, backoff, () => 0.5, 2000)).toBe(2000);
    expect(retryDelay(0, backoff, () => 0.5, 0)).toBe(0);
    expect(retryDelay(0, backoff, () => 0.5, 10 * 60_000)).toBe(120_000);
    expect(retryDelay(0, { ...backoff, maxRetryAfterMs: 5000 }, () => 0.5, 60_000)).toBe(5000);
  });
  it('has reproducible jitter by default', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('client helpers', () => {
  it('builds the endpoint URL', () => {
    expect(chatCompletionsUrl('http://127.0.0.1:8000/v1')).toBe('http://127.0.0.1:8000/v1/chat/completions');
    expect(chatCompletionsUrl(' http://h/v1// ')).toBe('http://h/v1/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
  });
  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    const h = (m: Record<string, string>) => ({ get: (n: string) => m[n] ?? null });
    expect(parseRetryAfter(h({ 'retry-after': '3' }), 0)).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), 0)).toBe(500);
    expect(parseRetryAfter(h({ 'retry-after-ms': '20', 'retry-after': '3' }), 0)).toBe(20);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now)).toBe(10_000);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
  });
  it('retries only 429, 5xx, network and timeout', () => {
    const e = (code: ChatClientError['code'], status?: number) => new ChatClientError(code, 'x', status === undefined ? {} : { status });
    expect([e('http', 429), e('http', 500), e('http', 503), e('network'), e('timeout')].every(isRetryable)).toBe(true);
    expect([e('http', 400), e('http', 404), e('http', 422), e('auth', 401), e('bad-response'), e('aborted')].some(isRetryable)).toBe(false);
  });
  it('prices tokens per 1k', () => {
    expect(estimateCost(2000, 500, { inputPerMillion: 10, outputPerMillion: 30 })).toBeCloseTo(0.035, 12);
    expect(estimateCost(2000, 500, undefined)).toBeNull();
  });
});

describe('analyzePrompts with a fake client', () => {
  const noSleep = async () => {};
  it('treats an unexpected error from the client as a network failure (retried, then recorded)', async () => {
    let calls = 0;
    const r = await analyzePrompts({
      items: [{ key: 'k', prompt: 'p' }],
      dimensions: ['safety_concern'],
      client: {
        model: 'm',
        complete: async () => {
          calls++;
          throw new TypeError('boom');
        },
      },
      cache: { get: async () => undefined, put: async () => {} },
      concurrency: 4,
      maxRetries: 1,
      backoff: { baseMs: 1, maxMs: 1 },
      sleep: noSleep,
    });
    expect(calls).toBe(2);
    expect(r.errors).toEqual([{ key: 'k', dimension: 'safety_concern', code: 'network', message: 'boom', attempts: 2 }]);
  });

  it('reads a throwing cache as a miss, and rejects unknown dimensions', async () => {
    const r = await analyzePrompts({
      items: [{ key: 'k', prompt: 'p' }],
      dimensions: ['open_endedness'],
      client: { model: 'm', complete: async () => ({ content: 'high' }) },
      cache: {
        get: async () => {
          throw new Error('db closed');
        },
        put: async () => {},
      },
      concurrency: 1,
      maxRetries: 0,
      backoff: { baseMs: 1, maxMs: 1 },
      sleep: noSleep,
    });
    expect(r.items[0]!.tags).toEqual({ open_endedness: 'high' });
    expect(r.progress.requestsWithoutUsage).toBe(1);
    await expect(
      analyzePrompts({
        items: [],
        dimensions: ['mood' as never],
        client: { model: 'm', complete: async () => ({ content: '' }) },
        cache: { get: async () => undefined, put: async () => {} },
        concurrency: 1,
        maxRetries: 0,
        backoff: { baseMs: 1, maxMs: 1 },
        sleep: noSleep,
      }),
    ).rejects.toThrow(/Unknown descriptive dimension/);
  });

  it('handles an empty item list', async () => {
    const r = await analyzePrompts({
      items: [],
      client: { model: 'm', complete: async () => ({ content: '' }) },
      cache: { get: async () => undefined, put: async () => {} },
      concurrency: 2,
      maxRetries: 0,
      backoff: { baseMs: 1, maxMs: 1 },
      sleep: noSleep,
    });
    expect(r).toMatchObject({ items: [], errors: [], cancelled: false, progress: { done: 0, total: 0 } });
  });
});
