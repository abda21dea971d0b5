/// <reference lib="webworker" />
// Thin adapter: scores a range of a dataset's pairs (read straight from IndexedDB) and, once all ranges are
// scored, assembles and stores the feature set.
import { lexicalScorers as scorers } from '../domain/tags/lexical-scorers';
import { clearEntityCache } from '../domain/tags/entities';
import { assembleTagSet, joinChunks, scoreChunk, SEMANTIC_SCORES, type ScoredChunk } from '../domain/tags/tag-set';
import { openDb } from '../storage/db';
import { readInstanceRange } from '../storage/instances-repo';
import { getSemanticScores, putTagSet } from '../storage/tags-repo';
import { readAnalyzerTags } from '../storage/analyzer-repo';
import { readJudgeLabels } from '../storage/judge-repo';
import { withJudgeResult } from '../domain/judge/rows';
import { serveWorker, withTransfer } from './worker-host';
import type { TagsRequest, TagsResults } from './tags-protocol';
import { generalError } from '../domain/errors';

function transferablesOf(chunk: ScoredChunk): Transferable[] {
  return [...Object.values(chunk.columns).map((c) => c.buffer), chunk.descriptiveBits.buffer, chunk.defects.buffer, chunk.judgeRisk.buffer];
}

serveWorker<TagsRequest, TagsResults>(self, {
  warm: async (_req) => {
    // Each run starts with an empty entity cache: repeats within the dataset are analysed once, and the texts
    // of an earlier run (another dataset, or this one before an edit) are neither kept nor reused.
    clearEntityCache();
    scorers.countTokens('warm up');
    scorers.entitySim('Paris is in France.', 'Berlin is in Germany.');
    return null;
  },
  score: async (req, ctx) => {
    const db = openDb();
    const stored = await readInstanceRange(db, req.datasetId, req.from, req.to - req.from);
    // Tags from an analyzer run fill in pairs whose file had none (the file's own tags win).
    const analyzed = await readAnalyzerTags(db, req.datasetId, req.from, req.to);
    const tagged =
      analyzed.size === 0 ? stored : stored.map((r) => (r.tags || !analyzed.has(r.idx) ? r : { ...r, tags: analyzed.get(r.idx)! }));
    // A judge run's labels and signals likewise (the file's own LM label wins).
    const judged = await readJudgeLabels(db, req.datasetId, req.from, req.to);
    const rows = judged.size === 0 ? tagged : tagged.map((r) => withJudgeResult(r, judged.get(r.idx)));
    // Progress after every pair (throttled by the host): one pair with a megabyte-long response takes a
    // while, and the bar must move meanwhile rather than sit at the start of the chunk.
    const chunk = scoreChunk(rows, req.from, scorers, (done) => {
      if (ctx.signal.aborted) throw generalError('cancelled', 'Cancelled.');
      ctx.progress({ phase: 'scoring', done, total: rows.length });
    });
    return withTransfer(chunk, transferablesOf(chunk));
  },
  assemble: async (req) => {
    const joined = joinChunks(req.n, req.chunks);
    // Scores from a loaded encoder fill in pairs whose file had no such column (the file's values win).
    const semantic = await getSemanticScores(openDb(), req.datasetId);
    let fromEncoder = 0;
    if (semantic) {
      for (const s of SEMANTIC_SCORES) {
        const col = joined.columns[s];
        const enc = semantic.columns[s];
        for (let i = 0; i < req.n && i < enc.length; i++) {
          if (Number.isNaN(col[i]!) && !Number.isNaN(enc[i]!)) {
            col[i] = enc[i]!;
            fromEncoder++;
          }
        }
      }
    }
    const fs = assembleTagSet({
      datasetId: req.datasetId,
      n: req.n,
      columns: joined.columns,
      descriptiveBits: joined.bits,
      withDescriptive: joined.withDescriptive,
      defects: joined.defects,
      judgeRisk: joined.judgeRisk,
      semanticSource: fromEncoder > 0 ? 'encoder' : 'file',
      computeMs: req.computeMs,
      now: Date.now(),
    });
    await putTagSet(openDb(), fs);
    return { n: fs.n, coverage: fs.coverage };
  },
});
