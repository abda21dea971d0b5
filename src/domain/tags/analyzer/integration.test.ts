// The analyzer against a real HTTP server (node:http on 127.0.0.1, port 0) that speaks the OpenAI
// chat-completions API: it reads which dimension a request asks about and which test prompt it concerns,
// answers with canned JSON, and can be scripted to fail (429 + Retry-After, 5xx, malformed answers, slowness).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTIVE_DIMENSIONS, type DescriptiveDimension, type DescriptiveTags } from '../../instance';
import { ChatClientError, createChatClient, type ChatClient, type FetchLike } from './client';
import { analyzePrompts, type AnalyzerCache, type AnalyzerProgress, type CachedAnswer } from './run';

// ---------------------------------------------------------------------------------------------------------
// The fake server

interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  /** Raw body (overrides content). */
  body?: string;
  /** Assistant message content (default: the canned JSON answer). */
  content?: string;
  delayMs?: number;
}

interface SeenRequest {
  marker: string;
  dimension: DescriptiveDimension | undefined;
  body: { model: string; temperature: number; messages: { role: string; content: string }[]; response_format?: unknown };
  authorization: string | undefined;
  url: string;
}

const USAGE = { prompt_tokens: 120, completion_tokens: 8 };

class FakeOpenAI {
  server: Server;
  baseUrl = '';
  requests: SeenRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  delayMs = 0;
  /** `${marker}|${dimension}` (or `*` for any) -> responses to give, in order, before the canned answer. */
  script = new Map<string, Scripted[]>();
  answers: Record<string, DescriptiveTags> = {};

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets the last test, after waiting for its aborted or slow responses to close. */
  async reset(): Promise<void> {
    for (let i = 0; i < 200 && this.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 5));
    this.requests = [];
    this.maxInFlight = 0;
    this.delayMs = 0;
    this.script.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(raw) as SeenRequest['body'];
    const firstUser = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const prompt = /<prompt>\n([\s\S]*?)\n<\/prompt>/.exec(firstUser)?.[1] ?? '';
    const marker = /\[(\w+)\]/.exec(prompt)?.[1] ?? '?';
    const dimension = DESCRIPTIVE_DIMENSIONS.find((d) => firstUser.includes(`"${d}"`));
    this.requests.push({ marker, dimension, body, authorization: req.headers.authorization, url: req.url });

    const queue = this.script.get(`${marker}|${dimension}`) ?? this.script.get('*');
    const step: Scripted = queue?.shift() ?? {};
    const delay = step.delayMs ?? this.delayMs;
    if (delay > 0) {
      const timer = setTimeout(() => this.respond(res, step, marker, dimension), delay);
      res.on('close', () => clearTimeout(timer));
    } else this.respond(res, step, marker, dimension);
  }

  private respond(res: ServerResponse, step: Scripted, marker: string, dimension: DescriptiveDimension | undefined): void {
    if (res.destroyed) return;
    const status = step.status ?? 200;
    let body = step.body;
    if (body === undefined && status === 200) {
      const value = dimension ? this.answers[marker]?.[dimension] : undefined;
      const content = step.content ?? JSON.stringify(dimension ? { [dimension]: value ?? null } : {});
      body = JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion',
        model: 'test-model',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { ...USAGE, total_tokens: USAGE.prompt_tokens + USAGE.completion_tokens },
      });
    }
    res.writeHead(status, { 'Content-Type': 'application/json', ...step.headers });
    res.end(body ?? JSON.stringify({ error: { message: `scripted failure ${status}`, type: 'server_error' } }));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures

const TAGS: Record<string, DescriptiveTags> = {
  P1: {
    subject_of_expertise: ['Computer sciences'],
    languages: ['English'],
    expertise_level: 'basic domain knowledge',
    open_endedness: 'low',
    safety_concern: 'safe',
    complexity_of_intents: 'moderate',
    type_of_in_context_material: ['code'],
    format_constraints: [],
  },
  P2: {
    subject_of_expertise: ['Culinary arts', 'Chemistry'],
    languages: ['English', 'French'],
    expertise_level: 'general public',
    open_endedness: 'high',
    safety_concern: 'low',
    complexity_of_intents: 'simple',
    type_of_in_context_material: [],
    format_constraints: ['under 100 words'],
  },
  P3: {
    subject_of_expertise: ['Law'],
    languages: ['German'],
    expertise_level: 'expert domain knowledge',
    open_endedness: 'moderate',
    safety_concern: 'moderate',
    complexity_of_intents: 'complex',
    type_of_in_context_material: ['contract', 'email'],
    format_constraints: ['formal tone', 'bullet points'],
  },
  P4: {
    subject_of_expertise: ['Mathematics'],
    languages: ['English'],
    expertise_level: 'general public',
    open_endedness: 'no',
    safety_concern: 'safe',
    complexity_of_intents: 'simple',
    type_of_in_context_material: [],
    format_constraints: [],
  },
};

const ITEMS = [
  { key: 'pair-1', prompt: '[P1] Why does this Python loop never end?\n\nwhile i < 10:\n    print(i)' },
  { key: 'pair-2', prompt: '[P2] Give me a quick French omelette recipe, under 100 words.' },
  { key: 'pair-3', prompt: '[P3] Prüfen Sie diesen Vertrag und die E-Mail, förmlich, in Stichpunkten.' },
  { key: 'pair-4', prompt: '[P4] What is 17 * 23?' },
];

class MemoryCache implements AnalyzerCache {
  map = new Map<string, CachedAnswer>();
  gets = 0;
  async get(key: string, dimension: DescriptiveDimension) {
    this.gets++;
    return this.map.get(`${key}#${dimension}`);
  }
  async put(key: string, dimension: DescriptiveDimension, answer: CachedAnswer) {
    this.map.set(`${key}#${dimension}`, answer);
  }
}

/** A sleep that records what it was asked to wait and returns at once. */
function recordingSleep() {
  const calls: number[] = [];
  const sleep = async (ms: number) => {
    calls.push(ms);
    await new Promise((r) => setImmediate(r));
  };
  return { calls, sleep };
}

/** A real, abortable sleep. */
function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

const fetchFn: FetchLike = (url, init) => fetch(url, init);

const server = new FakeOpenAI();
server.answers = TAGS;
beforeAll(() => server.start());
afterAll(() => server.stop());
afterEach(() => server.reset());

function client(options: { model?: string; timeoutMs?: number; apiKey?: string; responseFormat?: 'json_object' } = {}): ChatClient {
  return createChatClient({
    baseUrl: server.baseUrl,
    model: options.model ?? 'test-model',
    fetch: fetchFn,
    timeoutMs: options.timeoutMs ?? 5000,
    apiKey: options.apiKey,
    responseFormat: options.responseFormat,
  });
}

function run(overrides: Partial<Parameters<typeof analyzePrompts>[0]> = {}) {
  const { sleep } = recordingSleep();
  return analyzePrompts({
    items: ITEMS,
    client: client(),
    cache: new MemoryCache(),
    concurrency: 3,
    maxRetries: 2,
    backoff: { baseMs: 100, maxMs: 1000 },
    sleep,
    ...overrides,
  });
}

const tagsByKey = (items: { key: string; tags: DescriptiveTags }[]) => Object.fromEntries(items.map((i) => [i.key, i.tags]));
const EXPECTED = { 'pair-1': TAGS.P1, 'pair-2': TAGS.P2, 'pair-3': TAGS.P3, 'pair-4': TAGS.P4 };

// ---------------------------------------------------------------------------------------------------------
// The client

describe('createChatClient against a local server', () => {
  const msgs = [{ role: 'user' as const, content: '<prompt>\n[P1] x\n</prompt>\n{"safety_concern": ...}' }];

  it('posts {model, messages, temperature: 0} and returns content and usage', async () => {
    const c = createChatClient({
      baseUrl: `${server.baseUrl}/`,
      model: 'm1',
      fetch: fetchFn,
      timeoutMs: 2000,
      apiKey: 'sk-test',
      responseFormat: 'json_object',
    });
    const out = await c.complete(msgs);
    expect(out).toEqual({ content: '{"safety_concern":"safe"}', usage: USAGE });
    const seen = server.requests[0]!;
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.body).toEqual({ model: 'm1', messages: msgs, temperature: 0, response_format: { type: 'json_object' } });
    expect(seen.authorization).toBe('Bearer sk-test');
  });

  it('sends no Authorization header and no response_format when not configured', async () => {
    await client().complete(msgs);
    expect(server.requests[0]!.authorization).toBeUndefined();
    expect(server.requests[0]!.body).not.toHaveProperty('response_format');
  });

  async function failure(step: Scripted, timeoutMs = 2000): Promise<ChatClientError> {
    server.script.set('*', [step]);
    const e = await client({ timeoutMs })
      .complete(msgs)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChatClientError);
    return e as ChatClientError;
  }

  it('types the failures', async () => {
    const auth = await failure({ status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided' } }) });
    expect(auth).toMatchObject({ code: 'auth', status: 401, bodyExcerpt: 'Incorrect API key provided' });
    expect(auth.message).toContain('API key');
    expect((await failure({ status: 403 })).code).toBe('auth');

    const http = await failure({ status: 500, body: '<html>Internal error</html>' });
    expect(http).toMatchObject({ code: 'http', status: 500, bodyExcerpt: '<html>Internal error</html>' });

    const limited = await failure({ status: 429, headers: { 'Retry-After': '2' } });
    expect(limited).toMatchObject({ code: 'http', status: 429, retryAfterMs: 2000 });
    expect((await failure({ status: 429, headers: { 'retry-after-ms': '350' } })).retryAfterMs).toBe(350);

    const bad = await failure({ body: '<!doctype html><p>Welcome</p>' });
    expect(bad.code).toBe('bad-response');
    expect(bad.message).toContain('/v1');
    expect((await failure({ body: JSON.stringify({ choices: [] }) })).code).toBe('bad-response');
    expect(
      (await failure({ body: JSON.stringify({ choices: [{ message: { content: null }, finish_reason: 'length' }] }) })).message,
    ).toContain('finish_reason: length');

    const slow = await failure({ delayMs: 3000 }, 150);
    expect(slow.code).toBe('timeout');
  });

  it('refuses a redirect (a 307 would resend the prompts elsewhere) and says where it pointed', async () => {
    let elsewhere = 0;
    const other = createServer((_req, res) => {
      elsewhere++;
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/steal`;
    try {
      for (const status of [307, 308, 301, 302]) {
        const e = await failure({ status, headers: { Location: target } });
        expect(e.code).toBe('redirect');
        expect(e.message).toContain(`answered with a redirect (HTTP ${status}) to ${target}`);
        expect(e.message).toContain('it was not followed');
      }
      expect(elsewhere).toBe(0);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('hints at the base URL on a 404', async () => {
    const c = createChatClient({ baseUrl: server.baseUrl.replace('/v1', '/v2'), model: 'm', fetch: fetchFn, timeoutMs: 2000 });
    const e = (await c.complete(msgs).catch((x: unknown) => x)) as ChatClientError;
    expect(e).toMatchObject({ code: 'http', status: 404 });
    expect(e.message).toContain('Check the base URL');
  });

  it('reports an unreachable server as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = createChatClient({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', fetch: fetchFn, timeoutMs: 2000 });
    const e = (await c.complete(msgs).catch((x: unknown) => x)) as ChatClientError;
    expect(e.code).toBe('network');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('stops at once when the caller aborts', async () => {
    server.delayMs = 5000;
    const ac = new AbortController();
    const started = Date.now();
    const p = client()
      .complete(msgs, ac.signal)
      .catch((x: unknown) => x);
    setTimeout(() => ac.abort(), 50);
    const e = (await p) as ChatClientError;
    expect(e.code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects unusable options', () => {
    expect(() => createChatClient({ baseUrl: '127.0.0.1:8000/v1', model: 'm', fetch: fetchFn, timeoutMs: 1 })).toThrow(/http/);
    expect(() => createChatClient({ baseUrl: server.baseUrl, model: ' ', fetch: fetchFn, timeoutMs: 1 })).toThrow(/model/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The runner

describe('analyzePrompts against a local server', () => {
  it('tags every prompt, one temperature-0 request per (prompt, dimension), within the concurrency limit, and prices it', async () => {
    server.delayMs = 25;
    const events: AnalyzerProgress[] = [];
    const r = await run({ concurrency: 3, price: { inputPerMillion: 500, outputPerMillion: 2000 }, onProgress: (p) => events.push(p) });
    expect(tagsByKey(r.items)).toEqual(EXPECTED);
    expect(r.errors).toEqual([]);
    expect(r.cancelled).toBe(false);
    expect(server.requests).toHaveLength(32);
    expect(server.requests.every((q) => q.body.temperature === 0 && q.body.model === 'test-model')).toBe(true);
    const asked = new Set(server.requests.map((q) => `${q.marker}|${q.dimension}`));
    expect(asked.size).toBe(32);
    expect(server.maxInFlight).toBe(3);
    expect(r.progress).toMatchObject({
      done: 32,
      total: 32,
      cached: 0,
      failed: 0,
      requests: 32,
      retries: 0,
      promptTokens: 32 * 120,
      completionTokens: 32 * 8,
    });
    // 32 * (120/1000 * 0.5 + 8/1000 * 2) = 32 * 0.076
    expect(r.progress.estimatedCost).toBeCloseTo(2.432, 10);
    expect(events.at(-1)).toEqual(r.progress);
    const done = events.map((e) => e.done);
    expect(done.every((d, i) => i === 0 || d >= done[i - 1]!)).toBe(true);
  });

  it('a second run with the same cache sends zero requests; another model asks again', async () => {
    const cache = new MemoryCache();
    await run({ cache });
    expect(server.requests).toHaveLength(32);
    await server.reset();
    const again = await run({ cache, price: { inputPerMillion: 1000, outputPerMillion: 1000 } });
    expect(server.requests).toHaveLength(0);
    expect(tagsByKey(again.items)).toEqual(EXPECTED);
    expect(again.progress).toMatchObject({ done: 32, cached: 32, requests: 0, estimatedCost: 0 });

    const other = await run({ cache, client: client({ model: 'other-model' }), dimensions: ['safety_concern'] });
    expect(server.requests).toHaveLength(4);
    expect(other.progress.cached).toBe(0);
  });

  it('asks each distinct prompt once even when several items share it', async () => {
    const items = [ITEMS[0]!, { ...ITEMS[0]! }, ITEMS[3]!];
    const r = await run({ items });
    expect(server.requests).toHaveLength(16);
    expect(r.progress.total).toBe(16);
    expect(r.items.map((i) => i.tags)).toEqual([TAGS.P1, TAGS.P1, TAGS.P4]);
  });

  it('retries 429 (honouring Retry-After), 5xx and timeouts, corrects a malformed answer once, and records what still fails', async () => {
    server.script.set('P1|expertise_level', [{ status: 429, headers: { 'Retry-After': '2' } }]);
    server.script.set('P1|safety_concern', [{ status: 500 }, { status: 503 }]);
    server.script.set('P2|open_endedness', [{ content: 'It is quite open, I would say.' }]);
    server.script.set('P2|languages', [{ content: '{"languages": [42]}' }, { content: '```json\n{"languages": "???"}\n```' }]);
    server.script.set('P3|complexity_of_intents', [{ delayMs: 3000 }]);
    const { calls, sleep } = recordingSleep();
    const cache = new MemoryCache();
    const r = await run({ sleep, cache, client: client({ timeoutMs: 300 }), random: () => 0.5 });

    expect(calls).toContain(2000); // Retry-After: 2
    // 500 then 503 for one task: exponential backoff with jitter 0.5 -> 0.75 * 100, 0.75 * 200
    expect(calls.filter((ms) => ms !== 2000).sort((a, b) => a - b)).toEqual([75, 75, 150]);
    expect(r.progress.retries).toBe(1 + 2 + 1 + 1 + 1); // 429, 500+503, timeout, two corrections
    expect(r.progress.requests).toBe(32 + 6);
    expect(r.progress.failed).toBe(1);

    const expected = structuredClone(EXPECTED);
    delete expected['pair-2']!.languages;
    expect(tagsByKey(r.items)).toEqual(expected);
    expect(r.errors).toEqual([
      {
        key: 'pair-2',
        dimension: 'languages',
        code: 'invalid-answer',
        message: expect.stringContaining('not a language name'),
        raw: '```json\n{"languages": "???"}\n```',
        attempts: 2,
      },
    ]);
    expect(r.items[1]!.errors).toEqual(r.errors);

    // The correction went back as a conversation: the first answer, then what was wrong.
    const corrected = server.requests.filter((q) => q.marker === 'P2' && q.dimension === 'open_endedness');
    expect(corrected).toHaveLength(2);
    expect(corrected[1]!.body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(corrected[1]!.body.messages[2]!.content).toBe('It is quite open, I would say.');
    expect(corrected[1]!.body.messages[3]!.content).toContain('could not be used');

    // Only valid answers were cached: a rerun asks just the failed one again.
    await server.reset();
    const rerun = await run({ cache });
    expect(server.requests.map((q) => `${q.marker}|${q.dimension}`)).toEqual(['P2|languages']);
    expect(rerun.errors).toEqual([]);
    expect(tagsByKey(rerun.items)).toEqual(EXPECTED);
  });

  it('gives up after maxRetries transient failures, and never retries other 4xx', async () => {
    server.script.set(
      'P1|open_endedness',
      Array.from({ length: 10 }, () => ({ status: 502 })),
    );
    server.script.set('P4|format_constraints', [{ status: 400, body: JSON.stringify({ error: { message: 'context length exceeded' } }) }]);
    const r = await run({ maxRetries: 2 });
    expect(server.requests.filter((q) => q.marker === 'P1' && q.dimension === 'open_endedness')).toHaveLength(3);
    expect(server.requests.filter((q) => q.marker === 'P4' && q.dimension === 'format_constraints')).toHaveLength(1);
    expect(r.errors).toEqual([
      expect.objectContaining({ key: 'pair-1', dimension: 'open_endedness', code: 'http', status: 502, attempts: 3 }),
      expect.objectContaining({
        key: 'pair-4',
        dimension: 'format_constraints',
        code: 'http',
        status: 400,
        attempts: 1,
        message: expect.stringContaining('context length exceeded'),
      }),
    ]);
    expect(r.progress).toMatchObject({ done: 32, failed: 2, retries: 2 });
  });

  it('stops the whole run on an authentication failure', async () => {
    server.script.set(
      '*',
      Array.from({ length: 100 }, () => ({ status: 401 })),
    );
    const r = await run({ concurrency: 2 });
    expect(r.fatal).toMatchObject({ code: 'auth', status: 401 });
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(r.errors.length).toBeGreaterThanOrEqual(1);
    expect(r.progress.done).toBeLessThan(32);
  });

  it('cancellation stops promptly: in-flight requests are dropped and no new ones start', async () => {
    server.delayMs = 10_000;
    const ac = new AbortController();
    const started = Date.now();
    const pending = run({ concurrency: 2, signal: ac.signal });
    while (server.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.cancelled).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.progress.done).toBe(0);
    await new Promise((res) => setTimeout(res, 100));
    expect(server.requests).toHaveLength(2);
    await new Promise((res) => setTimeout(res, 50));
    expect(server.inFlight).toBe(0); // the aborted connections were closed
  });

  it('cancellation also cuts a Retry-After wait short', async () => {
    server.script.set('*', [{ status: 429, headers: { 'Retry-After': '60' } }]);
    const ac = new AbortController();
    const started = Date.now();
    const pending = run({ concurrency: 1, sleep: realSleep, signal: ac.signal });
    while (server.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
    setTimeout(() => ac.abort(), 50);
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.cancelled).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('a Retry-After beyond the cap stops the run and says how long the server asked for, instead of waiting silently', async () => {
    server.script.set('*', [{ status: 429, headers: { 'Retry-After': '86400' } }]);
    const r = await run({ concurrency: 1, sleep: realSleep });
    expect(server.requests).toHaveLength(1);
    expect(r.fatal?.message).toContain('The server asks to wait 24 h (Retry-After) before more requests; the run stopped');
  });

  it('reports a retry wait while it lasts (how long, whether the server asked), then clears it', async () => {
    server.script.set('*', [{ status: 429, headers: { 'Retry-After': '1' } }]);
    const seen: AnalyzerProgress['waiting'][] = [];
    const r = await run({
      concurrency: 1,
      items: ITEMS.slice(0, 1),
      dimensions: ['safety_concern'],
      onProgress: (p) => seen.push(p.waiting),
    });
    expect(r.errors).toEqual([]);
    expect(seen).toContainEqual({ untilMs: expect.any(Number), ms: 1000, serverAsked: true });
    expect(seen.at(-1)).toBeNull();
  });

  it('an already-aborted signal sends nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await run({ signal: ac.signal });
    expect(server.requests).toHaveLength(0);
    expect(r.cancelled).toBe(true);
  });

  it('keeps answers when the cache cannot store them', async () => {
    const cache: AnalyzerCache = {
      get: async () => undefined,
      put: async () => {
        throw new Error('QuotaExceededError');
      },
    };
    const r = await run({ cache, items: [ITEMS[3]!] });
    expect(r.items[0]!.tags).toEqual(TAGS.P4);
    expect(r.cacheWriteErrors).toBe(8);
  });
});
