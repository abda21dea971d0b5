// A minimal client for an OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server,
// Ollama's /v1, LiteLLM, ...). Runtime-free: the caller passes `fetch` in. Every failure is a
// ChatClientError with a machine-readable code, so the runner can decide what to retry.
import { untilAborted } from '../../util';
import { HyperError } from '../../errors';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One generated token with its log probability (when the request asked for logprobs and the server gives them). */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

export interface ChatCompletion {
  content: string;
  usage?: TokenUsage;
  /** The generated tokens with their log probabilities, when asked for and returned. */
  logprobs?: TokenLogprob[];
}

/** Per-request settings: sampling temperature (default 0) and whether to ask for token log probabilities. */
export interface CompleteOptions {
  temperature?: number;
  logprobs?: boolean;
}

export interface ChatClient {
  /** The model name requests are sent with (also part of the analyzer's cache key). */
  readonly model: string;
  complete(messages: readonly ChatMessage[], signal?: AbortSignal, options?: CompleteOptions): Promise<ChatCompletion>;
}

/** The subset of `fetch` the client uses (so tests and workers can pass their own). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{
  ok: boolean;
  status: number;
  statusText?: string;
  /** 'opaqueredirect' when a browser stopped at a redirect (redirect: 'manual'). */
  type?: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface ChatClientOptions {
  /** E.g. `http://127.0.0.1:8000/v1`. A URL already ending in /chat/completions is used as is. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch: FetchLike;
  /** Per request, from sending to the whole body read. */
  timeoutMs: number;
  /** Sent as `response_format: {type}` when given (servers that support it then constrain output to JSON). */
  responseFormat?: 'json_object';
  /** Sent as `max_tokens` when given. */
  maxTokens?: number;
  /** Clock for HTTP-date Retry-After headers (default Date.now). */
  now?: () => number;
}

/**
 * http: a non-2xx answer other than 401/403 (`status`, `bodyExcerpt`, `retryAfterMs` when the server sent one);
 * auth: 401/403; network: the request never got an answer; timeout: no complete answer within timeoutMs;
 * bad-response: a 2xx answer that is not a chat completion; aborted: the caller's signal fired;
 * config: the options themselves are unusable (thrown by createChatClient).
 */
export type ChatErrorCode = 'http' | 'auth' | 'network' | 'timeout' | 'bad-response' | 'aborted' | 'config' | 'redirect';

export class ChatClientError extends HyperError<ChatErrorCode> {
  override readonly name = 'ChatClientError';
  readonly status?: number;
  readonly bodyExcerpt?: string;
  readonly retryAfterMs?: number;
  constructor(code: ChatErrorCode, message: string, details: { status?: number; bodyExcerpt?: string; retryAfterMs?: number } = {}) {
    super(code, message);
    if (details.status !== undefined) this.status = details.status;
    if (details.bodyExcerpt !== undefined) this.bodyExcerpt = details.bodyExcerpt;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Whether a failed request is worth repeating: 429, 5xx, network failures and timeouts. */
export function isRetryable(e: ChatClientError): boolean {
  if (e.code === 'network' || e.code === 'timeout') return true;
  return e.code === 'http' && e.status !== undefined && (e.status === 429 || e.status >= 500);
}

const EXCERPT_CHARS = 300;

/** `{baseUrl}/chat/completions`, tolerating a trailing slash or a URL that already names the endpoint. */
export function chatCompletionsUrl(baseUrl: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const { model, apiKey, timeoutMs, responseFormat, maxTokens } = options;
  // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
  const fetchFn = options.fetch;
  const now = options.now ?? (() => Date.now());
  const url = chatCompletionsUrl(options.baseUrl);
  if (!/^https?:\/\//i.test(url))
    throw new ChatClientError('config', `The base URL must start with http:// or https:// (got "${options.baseUrl}").`);
  if (!model.trim()) throw new ChatClientError('config', 'No model name is set.');
  if (!(timeoutMs > 0)) throw new ChatClientError('config', `The timeout must be a positive number of milliseconds (got ${timeoutMs}).`);

  async function complete(messages: readonly ChatMessage[], signal?: AbortSignal, request: CompleteOptions = {}): Promise<ChatCompletion> {
    if (signal?.aborted) throw aborted();
    const body: Record<string, unknown> = { model, messages, temperature: request.temperature ?? 0 };
    if (request.logprobs) body.logprobs = true;
    if (responseFormat) body.response_format = { type: responseFormat };
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Prompts go only to the URL the user gave: a redirect is refused, not followed (a 307 would resend the
      // whole body to an address nobody configured). Browsers report it as an opaque response.
      const res = await raceAbort(
        fetchFn(url, { method: 'POST', headers, body: JSON.stringify(body), signal: controller.signal, redirect: 'manual' }),
        controller.signal,
      );
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        const to = res.headers.get('location');
        throw new ChatClientError(
          'redirect',
          `${url} answered with a redirect${res.status ? ` (HTTP ${res.status})` : ''}${to ? ` to ${to}` : ''}. Prompts are sent only to the address you set, so it was not followed: set the base URL to the server's real address.`,
          res.status ? { status: res.status } : {},
        );
      }
      const text = await raceAbort(res.text(), controller.signal);
      if (!res.ok) throw httpError(res.status, res.statusText, text, res.headers, now());
      return parseCompletion(text);
    } catch (e) {
      if (signal?.aborted) throw aborted();
      if (timedOut) throw new ChatClientError('timeout', `No complete answer from ${url} within ${timeoutMs} ms.`);
      if (e instanceof ChatClientError) throw e;
      const cause = e instanceof Error ? e.message + (e.cause instanceof Error ? ` (${e.cause.message})` : '') : String(e);
      throw new ChatClientError('network', `Could not reach ${url}: ${cause}. Is the server running and the base URL right?`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function httpError(status: number, statusText: string | undefined, text: string, headers: { get(n: string): string | null }, at: number) {
    const excerpt = errorExcerpt(text);
    const retryAfterMs = parseRetryAfter(headers, at);
    const details = { status, bodyExcerpt: excerpt, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    const said = excerpt ? `: ${excerpt}` : statusText ? ` ${statusText}` : '';
    if (status === 401 || status === 403) {
      return new ChatClientError('auth', `The server refused the request (HTTP ${status}${said}). Check the API key.`, details);
    }
    const hint = status === 404 ? ' Check the base URL (it usually ends in /v1) and the model name.' : '';
    return new ChatClientError('http', `HTTP ${status} from ${url}${said}.${hint}`, details);
  }

  return { model, complete };
}

function aborted(): ChatClientError {
  return new ChatClientError('aborted', 'The request was cancelled.');
}

/** Rejects as soon as the signal fires, even if the promise (a foreign fetch) ignores it. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return untilAborted(promise, signal, () => new Error('aborted'));
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

/** The server's error message when the body is an OpenAI-style error object, else the start of the body. */
function errorExcerpt(text: string): string {
  try {
    const j: unknown = JSON.parse(text);
    if (isRecord(j)) {
      const err = j.error;
      if (isRecord(err) && typeof err.message === 'string') return excerptOf(err.message);
      if (typeof err === 'string') return excerptOf(err);
      if (typeof j.message === 'string') return excerptOf(j.message);
      if (typeof j.detail === 'string') return excerptOf(j.detail);
    }
  } catch {
    /* not JSON: show the text */
  }
  return excerptOf(text);
}

/** `retry-after-ms` (OpenAI), else `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfter(headers: { get(name: string): string | null }, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Math.round(Number(v) * 1000));
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseCompletion(text: string): ChatCompletion {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw new ChatClientError(
      'bad-response',
      `The server's answer is not JSON (it starts with "${excerptOf(text).slice(0, 80)}"). Is the base URL an OpenAI-compatible API (usually ending in /v1)?`,
      { bodyExcerpt: excerptOf(text) },
    );
  }
  if (!isRecord(j))
    throw new ChatClientError('bad-response', 'The server answered with JSON that is not a chat completion object.', {
      bodyExcerpt: excerptOf(text),
    });
  if (j.error !== undefined && j.choices === undefined) {
    const err = j.error;
    const msg = isRecord(err) && typeof err.message === 'string' ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    throw new ChatClientError('bad-response', `The server reported an error: ${excerptOf(msg)}`, { bodyExcerpt: excerptOf(text) });
  }
  const choices = j.choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const message = isRecord(first) ? first.message : undefined;
  const content = isRecord(message) ? contentText(message.content) : undefined;
  if (content === undefined) {
    const finish = isRecord(first) && typeof first.finish_reason === 'string' ? ` (finish_reason: ${first.finish_reason})` : '';
    throw new ChatClientError('bad-response', `The chat completion has no message content${finish}.`, { bodyExcerpt: excerptOf(text) });
  }
  const out: ChatCompletion = { content };
  const logprobs = isRecord(first) && isRecord(first.logprobs) ? first.logprobs.content : undefined;
  if (Array.isArray(logprobs)) {
    const tokens = logprobs.flatMap((l) =>
      isRecord(l) && typeof l.token === 'string' && typeof l.logprob === 'number' ? [{ token: l.token, logprob: l.logprob }] : [],
    );
    if (tokens.length > 0) out.logprobs = tokens;
  }
  const usage = j.usage;
  if (isRecord(usage) && typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') {
    out.usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens };
  }
  return out;
}

/** Message content as text: a string, or an array of `{type: 'text', text}` parts. */
function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.flatMap((p) => (isRecord(p) && typeof p.text === 'string' ? [p.text] : typeof p === 'string' ? [p] : []));
    return parts.length > 0 ? parts.join('') : undefined;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
