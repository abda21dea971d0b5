/// <reference lib="webworker" />
// Thin adapter: runs the user's encoder (ONNX + tokenizer.json, loaded from disk) over every pair of a
// dataset and stores cosine_sim, bertscore and bertscore_length. Nothing is downloaded.
import { encoderScores, loadTokenizer, type Encoder } from '../domain/tags/encoder';
import { openDb } from '../storage/db';
import { getDataset } from '../storage/datasets-repo';
import { forEachInstanceChunk } from '../storage/instances-repo';
import { putSemanticScores } from '../storage/tags-repo';
import { createEncoderSession } from './onnx-runtime';
import { serveWorker } from './worker-host';
import type { EncoderFiles, EncoderRequest, EncoderResults } from './encoder-protocol';
import { generalError } from '../domain/errors';

async function load(files: EncoderFiles): Promise<Encoder & { release(): Promise<void> }> {
  let tokenizer;
  try {
    tokenizer = loadTokenizer(files.tokenizerJson);
  } catch (e) {
    throw generalError('bad-tokenizer', `${files.tokenizerName}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const session = await createEncoderSession(files.model, files.modelName);
  return { session, tokenizer, release: () => session.release() };
}

async function sha256(parts: (Uint8Array | string)[]): Promise<string> {
  const enc = new TextEncoder();
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  const d = await crypto.subtle.digest('SHA-256', all);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

serveWorker<EncoderRequest, EncoderResults>(self, {
  semantic: async (req, ctx) => {
    const db = openDb();
    const dataset = await getDataset(db, req.datasetId);
    if (!dataset) throw generalError('not-found', 'The dataset no longer exists.');
    const started = performance.now();
    const cosine = await load(req.cosine);
    const bert = req.bertscore ? await load(req.bertscore) : undefined;
    const n = dataset.rowCount;
    const columns = {
      cosine_sim: new Float64Array(n).fill(Number.NaN),
      bertscore: new Float64Array(n).fill(Number.NaN),
      bertscore_length: new Float64Array(n).fill(Number.NaN),
    };
    let done = 0;
    try {
      const pending: { idx: number; a: string; b: string }[] = [];
      await forEachInstanceChunk(db, req.datasetId, 500, (rows) => {
        for (const r of rows) pending.push({ idx: r.idx, a: r.responseA, b: r.responseB });
      });
      for (const p of pending) {
        if (ctx.signal.aborted) throw generalError('cancelled', 'Cancelled.');
        const s = await encoderScores(p.a, p.b, { ...cosine, ...(bert ? { bertscoreEncoder: bert } : {}) });
        columns.cosine_sim[p.idx] = s.cosine_sim;
        columns.bertscore[p.idx] = s.bertscore;
        columns.bertscore_length[p.idx] = s.bertscore_length;
        ctx.progress({ phase: 'encoding', done: ++done, total: n });
      }
    } finally {
      await cosine.release();
      await bert?.release();
    }
    const files = [req.cosine, ...(req.bertscore ? [req.bertscore] : [])];
    const modelHash = await sha256(files.flatMap((f) => [f.model, f.tokenizerJson]));
    await putSemanticScores(db, { datasetId: req.datasetId, columns, modelHash, createdAt: Date.now() });
    return { n, seconds: (performance.now() - started) / 1000 };
  },
});
