// Running an LM judge over pairs: one request per (pair, order, sample) through a ChatClient, every answer
// stored as it arrives (raw text, parsed verdict, tokens, cost) so a reload or a crash resumes where it stopped
// and no request is paid for twice. A concurrency limit, retries with backoff on transient failures (honouring
// Retry-After), a stop on failures no retry can mend (a wrong key, URL or model), cancellation, and progress
// with the rate and an ETA. Runtime-free: the store, sleep, clock and randomness are passed in.
import { HyperError } from '../errors';
import { fnv1a32, runPool, untilAborted } from '../util';
import { ChatClientError, isRetryable, type ChatClient, type TokenUsage } from '../tags/analyzer/client';
import { durationText, estimateCost, isFatal, retryDelay, seededRandom, type Backoff, type Price } from '../tags/analyzer/run';
import { countTokens } from '../tags/tokenizer';
import type { Preference } from '../labels';
import { verdictConfidence } from './aggregate';
import { renderJudgePrompt, type JudgeOrder, type JudgeTemplate } from './templates';
import { parseVerdict } from './verdict';

/** Prices per million tokens (the analyzer's Price). */
export type JudgePrice = Price;

export interface JudgePair {
  /** The pair's position in the dataset. */
  idx: number;
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
}

/** One stored request and answer. Answers that could not be read are stored too (with `reason`), never guessed. */
export interface JudgeAnswer {
  key: string;
  idx: number;
  pairId: string;
  order: JudgeOrder;
  sample: number;
  model: string;
  templateId: string;
  raw: string;
  /** As shown to the judge (answer A = the response shown first); null when unreadable. */
  verdict: Preference | null;
  reason?: string;
  confidence: number | null;
  usage: TokenUsage | null;
  /** From the usage and the price; null without either. */
  cost: number | null;
  at: number;
}

/** Where answers persist (IndexedDB in the app, a JSONL file in the CLI, a Map in tests). */
export interface JudgeStore {
  get(key: string): Promise<JudgeAnswer | undefined>;
  put(answer: JudgeAnswer): Promise<void>;
}

export interface JudgeSettings {
  template: JudgeTemplate;
  /** Both orders (the default) measure position bias; one order halves the cost. */
  orders: readonly JudgeOrder[];
  /** Answers per pair and order (1 = one answer at temperature 0). */
  samples: number;
  /** Sampling temperature when samples > 1. */
  temperature: number;
  /** Ask for the verdict token's log probability (used as confidence when the endpoint returns it). */
  logprobs: boolean;
  price?: JudgePrice;
}

export interface JudgeProgress {
  done: number;
  total: number;
  /** Answers taken from the store (not requested again). */
  stored: number;
  unparseable: number;
  failed: number;
  requests: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  /** Cost of the answers received in this run (stored ones not counted again); null without a price. */
  cost: number | null;
  /** Tasks finished per second in this run, and the seconds left at that rate (null until it is known). */
  perSecond: number | null;
  etaSeconds: number | null;
  waiting: { untilMs: number; ms: number; serverAsked: boolean } | null;
}

export interface JudgeRunResult {
  progress: JudgeProgress;
  cancelled: boolean;
  fatal?: { code: string; message: string; status?: number };
  /** Requests that failed after their retries (nothing stored: they are asked again on the next run). */
  errors: { key: string; idx: number; order: JudgeOrder; sample: number; code: string; message: string }[];
}

export interface JudgeRunOptions {
  pairs: readonly JudgePair[];
  settings: JudgeSettings;
  client: ChatClient;
  store: JudgeStore;
  concurrency: number;
  maxRetries: number;
  backoff: Backoff;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /**
   * Cancel: no new request is sent and waits end, but requests already in flight are let finish and their answers
   * stored (they are paid for either way).
   */
  signal?: AbortSignal;
  /** Abandons requests in flight too (a second Ctrl-C). */
  abortInFlight?: AbortSignal;
  onProgress?: (p: JudgeProgress) => void;
  onAnswer?: (a: JudgeAnswer) => void;
}

/**
 * The key of one answer: model, template (id and a hash of its text), pair (id and a hash of its texts), order
 * and sample. Another model, a changed template or an edited pair each ask again; nothing else does.
 */
export function judgeAnswerKey(model: string, template: JudgeTemplate, pair: JudgePair, order: JudgeOrder, sample: number): string {
  const t = fnv1a32(`${template.scale}\u0000${template.system}\u0000${template.user}`).toString(16);
  const p = fnv1a32(`${pair.prompt}\u0000${pair.responseA}\u0000${pair.responseB}`).toString(16);
  return `hyper-judge/${model}/${template.id}.${t}/${pair.id}.${p}/${order}/${sample}`;
}

export function judgeCost(usage: TokenUsage | null, price: JudgePrice | undefined): number | null {
  if (!usage || !price) return null;
  return estimateCost(usage.prompt_tokens, usage.completion_tokens, price);
}

/**
 * What a run would cost before anything is sent: the prompt tokens of every rendered request (counted with the
 * Llama-2 tokenizer, an approximation of the judge's own) and `outputTokens` per answer, times the prices.
 */
export function estimateJudgeCost(
  pairs: readonly JudgePair[],
  settings: Pick<JudgeSettings, 'template' | 'orders' | 'samples' | 'price'>,
  outputTokens: number,
): { requests: number; promptTokens: number; completionTokens: number; cost: number | null } {
  let promptTokens = 0;
  for (const pair of pairs) {
    for (const order of settings.orders) {
      // Chat formatting adds a few tokens per message.
      const tokens = renderJudgePrompt(settings.template, pair, order).reduce((s, m) => s + countTokens(m.content) + 4, 0);
      promptTokens += tokens * settings.samples;
    }
  }
  const requests = pairs.length * settings.orders.length * settings.samples;
  const completionTokens = requests * outputTokens;
  return {
    requests,
    promptTokens,
    completionTokens,
    cost: judgeCost({ prompt_tokens: promptTokens, completion_tokens: completionTokens }, settings.price),
  };
}

class Cancelled extends Error {}

/**
 * Child signals that fire with a parent, with one listener on the parent in all: a listener per request in flight
 * would pile up on one signal (and trip Node's MaxListeners warning at 11).
 */
class SignalFan {
  private readonly children = new Set<AbortController>();
  constructor(private readonly parent: AbortSignal) {
    parent.addEventListener(
      'abort',
      () => {
        for (const c of this.children) c.abort();
      },
      { once: true },
    );
  }
  child(): { signal: AbortSignal; done(): void } {
    const c = new AbortController();
    if (this.parent.aborted) c.abort();
    else this.children.add(c);
    return { signal: c.signal, done: () => void this.children.delete(c) };
  }
}

interface Task {
  pair: JudgePair;
  order: JudgeOrder;
  sample: number;
  key: string;
}

export async function runJudge(options: JudgeRunOptions): Promise<JudgeRunResult> {
  const { pairs, settings, client, store, maxRetries, backoff, sleep } = options;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? seededRandom(0x6a756467);
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const tasks: Task[] = [];
  for (const pair of pairs) {
    for (const order of settings.orders) {
      for (let sample = 0; sample < settings.samples; sample++)
        tasks.push({ pair, order, sample, key: judgeAnswerKey(client.model, settings.template, pair, order, sample) });
    }
  }
  const progress: JudgeProgress = {
    done: 0,
    total: tasks.length,
    stored: 0,
    unparseable: 0,
    failed: 0,
    requests: 0,
    retries: 0,
    promptTokens: 0,
    completionTokens: 0,
    cost: settings.price ? 0 : null,
    perSecond: null,
    etaSeconds: null,
    waiting: null,
  };
  const started = now();
  let answeredHere = 0;
  const report = () => {
    const seconds = (now() - started) / 1000;
    if (answeredHere > 0 && seconds > 0) {
      progress.perSecond = answeredHere / seconds;
      progress.etaSeconds = (progress.total - progress.done) / progress.perSecond;
    }
    options.onProgress?.({ ...progress });
  };
  // `stop`: send nothing more (the caller's cancel, or a failure no retry can mend). `hard`: abandon requests in
  // flight too (a fatal failure, or the caller's abortInFlight).
  const stop = new AbortController();
  const hard = new AbortController();
  const onCallerAbort = () => stop.abort();
  const onHardAbort = () => (stop.abort(), hard.abort());
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  options.abortInFlight?.addEventListener('abort', onHardAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  if (options.abortInFlight?.aborted) onHardAbort();
  const stopFan = new SignalFan(stop.signal);
  const hardFan = new SignalFan(hard.signal);
  /** Settles with `run(signal)`, or rejects with Cancelled when `fan`'s signal fires. */
  const within = async <T>(fan: SignalFan, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const child = fan.child();
    try {
      return await untilAborted(run(child.signal), child.signal, () => new Cancelled());
    } finally {
      child.done();
    }
  };
  let fatal: JudgeRunResult['fatal'];
  const errors: JudgeRunResult['errors'] = [];

  async function runTask(task: Task): Promise<void> {
    const have = await within(stopFan, () => store.get(task.key)).catch((e: unknown) => {
      if (e instanceof Cancelled) throw e;
      return undefined; // an unreadable stored answer is asked again
    });
    if (have) {
      progress.stored++;
      progress.done++;
      if (have.verdict === null) progress.unparseable++;
      report();
      return;
    }
    const messages = renderJudgePrompt(settings.template, task.pair, task.order);
    const request = { temperature: settings.samples > 1 ? settings.temperature : 0, logprobs: settings.logprobs };
    for (let retry = 0; ; retry++) {
      if (stop.signal.aborted) throw new Cancelled();
      progress.requests++;
      let completion: Awaited<ReturnType<ChatClient['complete']>>;
      try {
        completion = await within(hardFan, (signal) => client.complete(messages, signal, request));
      } catch (e) {
        if (e instanceof Cancelled || hard.signal.aborted) throw new Cancelled();
        const err = e instanceof ChatClientError ? e : new ChatClientError('network', e instanceof Error ? e.message : String(e));
        if (err.code === 'aborted') throw new Cancelled();
        const cap = backoff.maxRetryAfterMs ?? 120_000;
        const tooLong = isRetryable(err) && err.retryAfterMs !== undefined && err.retryAfterMs > cap;
        if (isFatal(err) || tooLong) {
          const message = tooLong
            ? `${err.message} The server asks to wait ${durationText(err.retryAfterMs!)} (Retry-After); the run stopped. Answers so far are stored: run it again later.`
            : err.message;
          fatal ??= { code: err.code, message, ...(err.status !== undefined ? { status: err.status } : {}) };
          onHardAbort();
          throw new Cancelled();
        }
        if (stop.signal.aborted) throw new Cancelled();
        if (isRetryable(err) && retry < maxRetries) {
          const delay = retryDelay(retry, backoff, random, err.retryAfterMs);
          progress.retries++;
          const wait = { untilMs: now() + delay, ms: delay, serverAsked: err.retryAfterMs !== undefined };
          progress.waiting = wait;
          report();
          try {
            await within(stopFan, (signal) => sleep(delay, signal));
          } finally {
            if (progress.waiting === wait) progress.waiting = null;
          }
          continue;
        }
        progress.failed++;
        progress.done++;
        errors.push({ key: task.key, idx: task.pair.idx, order: task.order, sample: task.sample, code: err.code, message: err.message });
        report();
        return;
      }
      const parsed = parseVerdict(completion.content, settings.template.scale);
      const usage = completion.usage ?? null;
      const answer: JudgeAnswer = {
        key: task.key,
        idx: task.pair.idx,
        pairId: task.pair.id,
        order: task.order,
        sample: task.sample,
        model: client.model,
        templateId: settings.template.id,
        raw: completion.content,
        verdict: parsed.ok ? parsed.preference : null,
        ...(parsed.ok ? {} : { reason: parsed.reason }),
        confidence: parsed.ok ? verdictConfidence(completion.logprobs) : null,
        usage,
        cost: judgeCost(usage, settings.price),
        at: now(),
      };
      // Paid for: stored even when the run is being cancelled meanwhile. A store that cannot write stops the run
      // with its error (the next run asks again), rather than answers being received and silently lost.
      try {
        await store.put(answer);
      } catch (e) {
        throw new HyperError(
          'not-stored',
          `The judge's answer for pair ${task.pair.idx + 1} (${task.order}, sample ${task.sample}) could not be stored: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }
      if (usage) {
        progress.promptTokens += usage.prompt_tokens;
        progress.completionTokens += usage.completion_tokens;
      }
      if (progress.cost !== null && answer.cost !== null) progress.cost += answer.cost;
      if (answer.verdict === null) progress.unparseable++;
      progress.done++;
      answeredHere++;
      options.onAnswer?.(answer);
      report();
      return;
    }
  }

  report();
  try {
    // A bug or a store that cannot write stops the other workers too, and abandons the requests in flight.
    const guarded = async (task: Task) => {
      try {
        await runTask(task);
      } catch (e) {
        if (!(e instanceof Cancelled)) onHardAbort();
        throw e;
      }
    };
    await runPool(tasks, concurrency, guarded, stop, (e) => e instanceof Cancelled);
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
    options.abortInFlight?.removeEventListener('abort', onHardAbort);
  }
  const result: JudgeRunResult = {
    progress: { ...progress },
    cancelled: stop.signal.aborted && !fatal && progress.done < progress.total,
    errors,
  };
  if (fatal) result.fatal = fatal;
  return result;
}
