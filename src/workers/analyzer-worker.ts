/// <reference lib="webworker" />
// Thin adapter: asks the user's OpenAI-compatible endpoint for the descriptive tags of a dataset's prompts
// (answers cached in IndexedDB, so a rerun or a reload resumes for free) and stores the tags per pair.
// The endpoint and key come from the user; this worker sends nothing anywhere else.
import { createChatClient } from '../domain/tags/analyzer/client';
import { analyzePrompts, seededRandom } from '../domain/tags/analyzer/run';
import type { DescriptiveTags } from '../domain/instance';
import { openDb } from '../storage/db';
import { getDataset } from '../storage/datasets-repo';
import { forEachInstanceChunk } from '../storage/instances-repo';
import { analyzerCacheOn, putAnalyzerTags } from '../storage/analyzer-repo';
import { serveWorker, type JobContext } from './worker-host';
import { estimateJudgeCost, runJudge, type InconsistencyPolicy, type JudgeAnswer, type JudgePair } from '../domain/judge';
import { judgeName, type EnsembleSettings } from '../domain/judge/combine';
import { judgeStoreOn, judgesOf, recombineJudges } from '../storage/judge-repo';
import type { AnalyzerRequest, AnalyzerResults, AnalyzerRunSummary, EndpointSettings } from './analyzer-protocol';
import { generalError } from '../domain/errors';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

type JudgeRequest = Extract<AnalyzerRequest, { type: 'judge' }>;

/** The chat client of a run's endpoint: requests go to the user's address only. */
function clientFor(settings: EndpointSettings) {
  return createChatClient({
    baseUrl: settings.baseUrl,
    model: settings.model,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    fetch: (input, init) => fetch(input, init),
    timeoutMs: settings.timeoutMs,
  });
}

/**
 * The dataset's ensemble settings after a run of `judge`: the stored ones when their primary judge has a readable
 * answer, else this run's judge as the primary.
 */
function ensembleFor(judge: string, policy: InconsistencyPolicy) {
  return (answers: readonly JudgeAnswer[], stored: EnsembleSettings | undefined): EnsembleSettings => {
    const primary = stored && answers.some((a) => a.verdict !== null && judgeName(a) === stored.primary) ? stored.primary : judge;
    return { primary, ensemble: stored?.ensemble ?? 'primary', policy };
  };
}

async function judgedPairs(datasetId: string, onlyUnlabelled: boolean): Promise<JudgePair[]> {
  const db = openDb();
  if (!(await getDataset(db, datasetId))) throw generalError('not-found', 'The dataset no longer exists.');
  const pairs: JudgePair[] = [];
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows)
      if (!onlyUnlabelled || !r.lm) pairs.push({ idx: r.idx, id: r.id, prompt: r.prompt, responseA: r.responseA, responseB: r.responseB });
  });
  return pairs;
}

/** Asks the judge about every pair (stored answers are not asked again), then stores each pair's label and signals. */
async function judge(req: JudgeRequest, ctx: JobContext): Promise<AnalyzerResults['judge']> {
  const db = openDb();
  const { settings } = req;
  const pairs = await judgedPairs(req.datasetId, req.onlyUnlabelled);
  const client = clientFor(settings);
  let lastWait: number | null = null;
  const result = await runJudge({
    pairs,
    settings: {
      template: settings.template,
      orders: settings.orders,
      samples: settings.samples,
      temperature: settings.temperature,
      logprobs: settings.logprobs,
      ...(settings.price ? { price: settings.price } : {}),
    },
    client,
    store: judgeStoreOn(db, req.datasetId),
    concurrency: settings.concurrency,
    maxRetries: settings.maxRetries,
    backoff: { baseMs: 500, maxMs: 20_000 },
    sleep,
    random: seededRandom(1),
    signal: ctx.signal,
    onProgress: (p) => {
      const changed = (p.waiting?.untilMs ?? null) !== lastWait;
      lastWait = p.waiting?.untilMs ?? null;
      ctx.progress(
        {
          phase: 'judging',
          done: p.done,
          total: p.total,
          detail: {
            stored: p.stored,
            unparseable: p.unparseable,
            failed: p.failed,
            requests: p.requests,
            cost: p.cost,
            perSecond: p.perSecond,
            eta: p.etaSeconds,
            waitUntil: p.waiting?.untilMs ?? null,
            waitMs: p.waiting?.ms ?? null,
          },
        },
        changed,
      );
    },
  });
  // Labels from every stored answer on the dataset (earlier runs and other judges included). The primary judge
  // stays the one the lead chose (or the first that answered); the first run on a dataset makes its judge primary.
  const name = judgeName({ model: settings.model, templateId: settings.template.id });
  const { rows, judges } = await recombineJudges(db, req.datasetId, ensembleFor(name, settings.policy));
  const costAll = settings.price ? (judges.find((j) => j.judge === name)?.cost ?? 0) : null;
  const inconsistent = rows.filter(
    (r) => r.perJudge?.[name]?.swapInconsistent ?? (r.judge === name && r.signals.judge_swap_inconsistent),
  ).length;
  const p = result.progress;
  return {
    pairs: pairs.length,
    answers: p.done,
    requests: p.requests,
    stored: p.stored,
    unparseable: p.unparseable,
    failed: p.failed,
    cost: p.cost,
    costAll,
    labelled: rows.filter((r) => r.label !== null).length,
    judges: judges.length,
    inconsistent,
    cancelled: result.cancelled,
    ...(result.fatal ? { fatal: result.fatal.message } : {}),
    errors: result.errors.slice(0, 20).map((e) => ({ idx: e.idx, order: e.order, message: e.message })),
  };
}

serveWorker<AnalyzerRequest, AnalyzerResults>(self, {
  judge: (req, ctx) => judge(req, ctx),
  judges: async (req) => judgesOf(openDb(), req.datasetId),
  'judge-combine': async (req, ctx) => {
    ctx.progress({ phase: 'combining-judges', done: 0, total: 1 });
    const { rows, judges } = await recombineJudges(openDb(), req.datasetId, (answers) => {
      if (!answers.some((a) => judgeName(a) === req.settings.primary))
        throw generalError('bad-option', `No answers of ${req.settings.primary} are stored for this dataset: run that judge first.`);
      return req.settings;
    });
    return { judges, settings: req.settings, labelled: rows.filter((r) => r.label !== null).length };
  },
  'judge-estimate': async (req, ctx) => {
    ctx.progress({ phase: 'estimating-cost', done: 0, total: 1 });
    const pairs = await judgedPairs(req.datasetId, req.onlyUnlabelled);
    const e = estimateJudgeCost(
      pairs,
      {
        template: req.settings.template,
        orders: req.settings.orders,
        samples: req.settings.samples,
        ...(req.settings.price ? { price: req.settings.price } : {}),
      },
      req.outputTokens,
    );
    return { pairs: pairs.length, ...e };
  },
  analyze: async (req, ctx) => {
    const db = openDb();
    const dataset = await getDataset(db, req.datasetId);
    if (!dataset) throw generalError('not-found', 'The dataset no longer exists.');
    const items: { key: string; prompt: string; idx: number }[] = [];
    await forEachInstanceChunk(db, req.datasetId, 2000, (rows) => {
      for (const r of rows) if (!req.onlyMissing || !r.tags) items.push({ key: String(r.idx), prompt: r.prompt, idx: r.idx });
    });
    const { settings } = req;
    const client = clientFor(settings);
    let lastWait: number | null = null;
    const result = await analyzePrompts({
      items,
      client,
      cache: analyzerCacheOn(db),
      concurrency: settings.concurrency,
      maxRetries: settings.maxRetries,
      backoff: { baseMs: 500, maxMs: 20_000 },
      sleep,
      random: seededRandom(1),
      signal: ctx.signal,
      ...(settings.price ? { price: settings.price } : {}),
      onProgress: (p) => {
        const waiting: Record<string, number | null> = p.waiting
          ? { waitUntil: p.waiting.untilMs, waitMs: p.waiting.ms, waitServer: p.waiting.serverAsked ? 1 : 0 }
          : { waitUntil: null };
        // A wait starting or ending is always sent (not thrown away by the throttle): the page says why nothing moves.
        const changed = (p.waiting?.untilMs ?? null) !== lastWait;
        lastWait = p.waiting?.untilMs ?? null;
        ctx.progress(
          {
            phase: 'analyzing',
            done: p.done,
            total: p.total,
            detail: { cached: p.cached, failed: p.failed, requests: p.requests, cost: p.estimatedCost, ...waiting },
          },
          changed,
        );
      },
    });
    const entries: { idx: number; tags: DescriptiveTags }[] = [];
    result.items.forEach((item, i) => {
      if (Object.keys(item.tags).length > 0) entries.push({ idx: items[i]!.idx, tags: item.tags });
    });
    await putAnalyzerTags(db, req.datasetId, settings.model, entries);
    const summary: AnalyzerRunSummary = {
      total: items.length,
      tagged: entries.length,
      cached: result.progress.cached,
      failed: result.progress.failed,
      requests: result.progress.requests,
      estimatedCost: result.progress.estimatedCost,
      cancelled: result.cancelled,
      ...(result.fatal ? { fatal: result.fatal.message } : {}),
      errors: result.errors.slice(0, 50),
    };
    return summary;
  },
});
