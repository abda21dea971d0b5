// Running the analyzer over many prompts: one request per (prompt, dimension) through a ChatClient, with a
// cache consulted first (cached answers are never requested again, so a rerun or reload resumes for free),
// a concurrency limit across all requests, retries with exponential backoff and jitter on transient
// failures (honouring Retry-After), one corrective retry for an unusable answer, cost accounting from the
// servers' usage figures, and prompt cancellation. Runtime-free: sleep, randomness and the cache are passed in.
import { runPool, untilAborted } from '../../util';
import { mulberry32 } from '../../random';
import { DESCRIPTIVE_DIMENSIONS, type DescriptiveDimension, type DescriptiveTags } from '../../instance';
import { ChatClientError, isRetryable, type ChatClient, type ChatErrorCode, type ChatMessage, type TokenUsage } from './client';
import { parseAnswer, type AnswerValue } from './parse';
import { ANALYZER_PROMPT_VERSION, buildMessages, correctionMessage, DEFAULT_MAX_PROMPT_CHARS, truncatePrompt } from './prompts';

/** A valid answer as the cache keeps it. Only valid answers are cached: errors are retried on the next run. */
export interface CachedAnswer {
  value: AnswerValue;
  /** The model's text the value was read from. */
  raw: string;
  model: string;
  promptVersion: number;
  /** Tokens the request that produced it used (first request, correction included). */
  usage?: TokenUsage;
}

/** Where answers persist between runs (the app implements it on IndexedDB; tests on a Map). */
export interface AnalyzerCache {
  get(key: string, dimension: DescriptiveDimension): Promise<CachedAnswer | undefined>;
  put(key: string, dimension: DescriptiveDimension, answer: CachedAnswer): Promise<void>;
}

export interface AnalyzerProgress {
  /** (prompt, dimension) tasks finished: answered, taken from the cache, or failed. */
  done: number;
  /** (prompt, dimension) tasks in the run (items sharing a cache key are one task per dimension). */
  total: number;
  cached: number;
  failed: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests repeated: after a transient failure, or once with a correction after an unusable answer. */
  retries: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests whose answer carried no usage figures (their tokens are missing from the totals and the cost). */
  requestsWithoutUsage: number;
  /** From the usage figures and the price; null when no price is set. */
  estimatedCost: number | null;
  /**
   * Set while the run waits before retrying (a 429 or 5xx answer): until when (epoch ms), how long, and whether
   * the server asked for it (Retry-After). Cancel stops the wait.
   */
  waiting: { untilMs: number; ms: number; serverAsked: boolean } | null;
}

/** Token prices as providers quote them: per million prompt (input) and completion (output) tokens. */
export interface Price {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface Backoff {
  /** Delay before the first retry (before jitter); doubles on each further retry. */
  baseMs: number;
  /** Cap on the exponential delay. */
  maxMs: number;
  /** Cap on a server's Retry-After (default 120 s). */
  maxRetryAfterMs?: number;
}

export type AnalyzerErrorCode = Exclude<ChatErrorCode, 'aborted'> | 'invalid-answer';

export interface AnalyzerError {
  /** The item's key. */
  key: string;
  dimension: DescriptiveDimension;
  code: AnalyzerErrorCode;
  message: string;
  /** HTTP status, for code 'http' and 'auth'. */
  status?: number;
  /** The model's last answer, for 'invalid-answer'. */
  raw?: string;
  /** Requests made for this (item, dimension). */
  attempts: number;
}

export interface AnalyzedItem {
  key: string;
  tags: DescriptiveTags;
  errors: AnalyzerError[];
}

export interface AnalyzeResult {
  /** One per input item, in input order. */
  items: AnalyzedItem[];
  /** Every item's errors, flattened. */
  errors: AnalyzerError[];
  progress: AnalyzerProgress;
  /** The caller's signal fired; unfinished (item, dimension) pairs have neither a tag nor an error. */
  cancelled: boolean;
  /**
   * A failure that makes every further request pointless (401/403, 404: wrong key, URL or model); the run
   * stopped at it. Unfinished pairs have neither a tag nor an error.
   */
  fatal?: { code: AnalyzerErrorCode; message: string; status?: number };
  /** Answers that could not be written to the cache (they are in the result, but will be requested again). */
  cacheWriteErrors: number;
}

export interface AnalyzeOptions {
  items: readonly { key: string; prompt: string }[];
  /** Default: all eight, in DESCRIPTIVE_DIMENSIONS order. */
  dimensions?: readonly DescriptiveDimension[];
  client: ChatClient;
  cache: AnalyzerCache;
  /** Most requests in flight at once, across all items and dimensions. */
  concurrency: number;
  /** Retries after a transient failure (429, 5xx, network, timeout), per (item, dimension). */
  maxRetries: number;
  backoff: Backoff;
  /** Waits ms milliseconds; should resolve or reject early when the signal fires (the runner does not wait for it anyway). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1) for the jitter; default a fixed-seed generator (reproducible). */
  random?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: AnalyzerProgress) => void;
  price?: Price;
  /** Passed to buildMessages (and part of the cache key through the truncated text). */
  maxPromptChars?: number;
}

/**
 * The cache key of one prompt: prompt version, model, a hash of the text actually sent, and the item's key.
 * A new prompt wording, another model, or a changed prompt text each make old answers unreachable.
 */
export function analyzerCacheKey(model: string, itemKey: string, promptText: string, maxPromptChars = DEFAULT_MAX_PROMPT_CHARS): string {
  const sent = truncatePrompt(promptText, maxPromptChars).text;
  return `hyper-analyzer/v${ANALYZER_PROMPT_VERSION}/${model}/${hashText(sent)}/${itemKey}`;
}

/** A 64-bit hash of the UTF-16 code units (two FNV-1a-style 32-bit lanes, the second mixed with the first), as 16 hex digits. */
export function hashText(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

export function estimateCost(promptTokens: number, completionTokens: number, price: Price | undefined): number | null {
  if (!price) return null;
  return (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6;
}

/** A small seeded generator for reproducible jitter. */
export const seededRandom = mulberry32;

/**
 * The wait before retry number `retry` (0-based): the server's Retry-After when given (capped), otherwise
 * min(maxMs, baseMs * 2^retry), jittered uniformly into its upper half.
 */
export function retryDelay(retry: number, backoff: Backoff, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), backoff.maxRetryAfterMs ?? 120_000);
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** retry);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Failures after which no further request can succeed. */
export function isFatal(e: ChatClientError): boolean {
  return e.code === 'auth' || e.code === 'config' || e.code === 'redirect' || (e.code === 'http' && e.status === 404);
}

/** How a wait the server asks for reads to people ("3 min", "24 h"). */
export function durationText(ms: number): string {
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

class Cancelled extends Error {}

/** Resolves with the promise, or rejects with Cancelled as soon as the signal fires. */
function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return untilAborted(promise, signal, () => new Cancelled());
}

interface Task {
  cacheKey: string;
  prompt: string;
  dimension: DescriptiveDimension;
}

type Outcome = { ok: true; value: AnswerValue } | { ok: false; error: Omit<AnalyzerError, 'key'> };

const MAX_ECHO_CHARS = 2000;

export async function analyzePrompts(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const { items, client, cache, maxRetries, backoff, sleep, onProgress, price } = options;
  const dimensions = options.dimensions ?? DESCRIPTIVE_DIMENSIONS;
  const random = options.random ?? seededRandom(0x2545f491);
  const maxPromptChars = options.maxPromptChars ?? DEFAULT_MAX_PROMPT_CHARS;
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  for (const d of dimensions) {
    if (!(DESCRIPTIVE_DIMENSIONS as readonly string[]).includes(d)) throw new Error(`Unknown descriptive dimension "${String(d)}".`);
  }

  // One task per distinct (cache key, dimension): identical prompts under one key are asked once.
  const keyOfItem = items.map((it) => analyzerCacheKey(client.model, it.key, it.prompt, maxPromptChars));
  const tasks: Task[] = [];
  const seen = new Set<string>();
  items.forEach((it, i) => {
    const cacheKey = keyOfItem[i]!;
    if (seen.has(cacheKey)) return;
    seen.add(cacheKey);
    for (const dimension of dimensions) tasks.push({ cacheKey, prompt: it.prompt, dimension });
  });
  const outcomes = new Map<string, Map<DescriptiveDimension, Outcome>>();

  const progress: AnalyzerProgress = {
    done: 0,
    total: tasks.length,
    cached: 0,
    failed: 0,
    requests: 0,
    retries: 0,
    promptTokens: 0,
    completionTokens: 0,
    requestsWithoutUsage: 0,
    estimatedCost: estimateCost(0, 0, price),
    waiting: null,
  };
  const report = () => onProgress?.({ ...progress });

  // Internal stop: the caller's cancellation or a fatal error.
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let fatal: AnalyzeResult['fatal'];
  let cacheWriteErrors = 0;

  const record = (task: Task, outcome: Outcome) => {
    let m = outcomes.get(task.cacheKey);
    if (!m) outcomes.set(task.cacheKey, (m = new Map()));
    m.set(task.dimension, outcome);
    progress.done++;
    if (!outcome.ok) progress.failed++;
    report();
  };

  const addUsage = (usage: TokenUsage | undefined) => {
    if (usage) {
      progress.promptTokens += usage.prompt_tokens;
      progress.completionTokens += usage.completion_tokens;
    } else progress.requestsWithoutUsage++;
    progress.estimatedCost = estimateCost(progress.promptTokens, progress.completionTokens, price);
  };

  async function runTask(task: Task): Promise<void> {
    let cached: CachedAnswer | undefined;
    try {
      cached = await untilCancelled(cache.get(task.cacheKey, task.dimension), stop.signal);
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      cached = undefined; // an unreadable cache entry is a miss
    }
    if (cached && (typeof cached.value === 'string' || Array.isArray(cached.value))) {
      progress.cached++;
      record(task, { ok: true, value: cached.value });
      return;
    }

    let messages: ChatMessage[] = buildMessages(task.dimension, task.prompt, { maxPromptChars });
    let transientRetries = 0;
    let corrected = false;
    let attempts = 0;
    const used: TokenUsage = { prompt_tokens: 0, completion_tokens: 0 };
    for (;;) {
      if (stop.signal.aborted) throw new Cancelled();
      attempts++;
      progress.requests++;
      let content: string;
      try {
        const completion = await untilCancelled(client.complete(messages, stop.signal), stop.signal);
        content = completion.content;
        addUsage(completion.usage);
        if (completion.usage) {
          used.prompt_tokens += completion.usage.prompt_tokens;
          used.completion_tokens += completion.usage.completion_tokens;
        }
        report();
      } catch (e) {
        if (e instanceof Cancelled || stop.signal.aborted) throw new Cancelled();
        const err = e instanceof ChatClientError ? e : new ChatClientError('network', e instanceof Error ? e.message : String(e));
        if (err.code === 'aborted') throw new Cancelled();
        const code = err.code as Exclude<ChatErrorCode, 'aborted'>;
        if (isFatal(err)) {
          fatal ??= { code, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
          record(task, { ok: false, error: errorOf(task, code, err.message, attempts, err.status) });
          stop.abort();
          throw new Cancelled();
        }
        // The server asks for a longer pause than the run waits (Retry-After beyond the cap): stop, and say
        // so, rather than retry too early or sit silent for hours. Answers so far are cached: rerun later.
        const cap = backoff.maxRetryAfterMs ?? 120_000;
        if (isRetryable(err) && err.retryAfterMs !== undefined && err.retryAfterMs > cap) {
          const message = `${err.message} The server asks to wait ${durationText(err.retryAfterMs)} (Retry-After) before more requests; the run stopped. Answers so far are kept: run it again later.`;
          fatal ??= { code, message, ...(err.status !== undefined ? { status: err.status } : {}) };
          record(task, { ok: false, error: errorOf(task, code, message, attempts, err.status) });
          stop.abort();
          throw new Cancelled();
        }
        if (isRetryable(err) && transientRetries < maxRetries) {
          const delay = retryDelay(transientRetries, backoff, random, err.retryAfterMs);
          transientRetries++;
          progress.retries++;
          const wait = { untilMs: Date.now() + delay, ms: delay, serverAsked: err.retryAfterMs !== undefined };
          if (!progress.waiting || progress.waiting.untilMs < wait.untilMs) progress.waiting = wait;
          report();
          try {
            await untilCancelled(sleep(delay, stop.signal), stop.signal);
          } finally {
            if (progress.waiting === wait) {
              progress.waiting = null;
              report();
            }
          }
          continue;
        }
        record(task, { ok: false, error: errorOf(task, code, err.message, attempts, err.status) });
        return;
      }

      const parsed = parseAnswer(task.dimension, content);
      if (parsed.ok) {
        const answer: CachedAnswer = {
          value: parsed.value,
          raw: content,
          model: client.model,
          promptVersion: ANALYZER_PROMPT_VERSION,
          usage: used,
        };
        try {
          await untilCancelled(cache.put(task.cacheKey, task.dimension, answer), stop.signal);
        } catch (e) {
          if (e instanceof Cancelled) {
            // Keep the paid-for answer in the result even when cancelled while storing it.
            record(task, { ok: true, value: parsed.value });
            throw e;
          }
          cacheWriteErrors++;
        }
        record(task, { ok: true, value: parsed.value });
        return;
      }
      if (!corrected) {
        corrected = true;
        progress.retries++;
        report();
        const echo = content.length > MAX_ECHO_CHARS ? `${content.slice(0, MAX_ECHO_CHARS)}…` : content;
        messages = [...messages, { role: 'assistant', content: echo }, correctionMessage(task.dimension, parsed.reason)];
        continue;
      }
      record(task, {
        ok: false,
        error: { ...errorOf(task, 'invalid-answer', `Unusable answer: ${parsed.reason}.`, attempts), raw: content },
      });
      return;
    }
  }

  report();
  try {
    // A bug, not a request failure, stops the other workers too.
    await runPool(tasks, concurrency, runTask, stop, (e) => e instanceof Cancelled);
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
  }

  const resultItems: AnalyzedItem[] = items.map((it, i) => {
    const tags: DescriptiveTags = {};
    const errors: AnalyzerError[] = [];
    const m = outcomes.get(keyOfItem[i]!);
    for (const dimension of dimensions) {
      const o = m?.get(dimension);
      if (!o) continue;
      if (o.ok) tags[dimension] = o.value;
      else errors.push({ key: it.key, ...o.error });
    }
    return { key: it.key, tags, errors };
  });
  const result: AnalyzeResult = {
    items: resultItems,
    errors: resultItems.flatMap((r) => r.errors),
    progress: { ...progress },
    cancelled: options.signal?.aborted === true && progress.done < progress.total,
    cacheWriteErrors,
  };
  if (fatal) result.fatal = fatal;
  return result;
}

function errorOf(task: Task, code: AnalyzerErrorCode, message: string, attempts: number, status?: number): Omit<AnalyzerError, 'key'> {
  return { dimension: task.dimension, code, message, attempts, ...(status !== undefined ? { status } : {}) };
}
