/// <reference lib="webworker" />
// Thin adapter: asks the user's OpenAI-compatible endpoint for the descriptive tags of a dataset's prompts
// (answers cached in IndexedDB, so a rerun or a reload resumes for free) and stores the tags per pair.
// The endpoint and key come from the user; this worker sends nothing anywhere else.
import { createChatClient } from '../domain/tags/analyzer/client';
import { analyzePrompts, seededRandom } from '../domain/tags/analyzer/run';
import type { DescriptiveTags } from '../domain/instance';
import { openDb } from '../storage/db';
import { forEachInstanceChunk, getDataset } from '../storage/datasets-repo';
import { analyzerCacheOn, putAnalyzerTags } from '../storage/analyzer-repo';
import { serveWorker } from './worker-host';
import type { AnalyzerRequest, AnalyzerResults, AnalyzerRunSummary } from './analyzer-protocol';
import { generalError } from '../domain/errors';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

serveWorker<AnalyzerRequest, AnalyzerResults>(self, {
  analyze: async (req, ctx) => {
    const db = openDb();
    const dataset = await getDataset(db, req.datasetId);
    if (!dataset) throw generalError('not-found', 'The dataset no longer exists.');
    const items: { key: string; prompt: string; idx: number }[] = [];
    await forEachInstanceChunk(db, req.datasetId, 2000, (rows) => {
      for (const r of rows) if (!req.onlyMissing || !r.tags) items.push({ key: String(r.idx), prompt: r.prompt, idx: r.idx });
    });
    const { settings } = req;
    const client = createChatClient({
      baseUrl: settings.baseUrl,
      model: settings.model,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      fetch: (input, init) => fetch(input, init),
      timeoutMs: settings.timeoutMs,
    });
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
