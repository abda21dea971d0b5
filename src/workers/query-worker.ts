/// <reference lib="webworker" />
// Thin adapter: reads a dataset's stored search blocks once (streamed from IndexedDB) and answers queries.
import { DatasetIndex } from '../domain/dataset-query';
import { openDb } from '../storage/db';
import { getDataset } from '../storage/datasets-repo';
import { forEachInstanceChunk, forEachSearchBlock } from '../storage/instances-repo';
import { serveWorker, withTransfer, type JobContext } from './worker-host';
import type { QueryRequest, QueryResults } from './query-protocol';
import { generalError } from '../domain/errors';

/** Indexes of the datasets searched last (an index holds all of a dataset's text: at most KEEP are kept). */
const indexes = new Map<string, Promise<DatasetIndex>>();
const KEEP = 2;

async function buildIndex(datasetId: string, ctx: JobContext): Promise<DatasetIndex> {
  const db = openDb();
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw generalError('not-found', `Dataset ${datasetId} does not exist.`);
  // The search form was written with the pairs: read it back. Where it is incomplete (not expected), build
  // the index from the pairs themselves.
  const stored = new DatasetIndex();
  const complete = await forEachSearchBlock(db, datasetId, (b) => {
    stored.addBlock(b);
    ctx.progress({ phase: 'indexing', done: stored.size, total: dataset.rowCount });
  });
  if (complete) return stored;
  const index = new DatasetIndex();
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows) index.add(r);
    ctx.progress({ phase: 'indexing', done: index.size, total: dataset.rowCount });
  });
  return index;
}

function indexFor(datasetId: string, ctx: JobContext): Promise<DatasetIndex> {
  let p = indexes.get(datasetId);
  if (p) {
    indexes.delete(datasetId);
  } else {
    p = buildIndex(datasetId, ctx);
    p.catch(() => indexes.delete(datasetId));
  }
  indexes.set(datasetId, p);
  for (const oldest of indexes.keys()) if (indexes.size > KEEP) indexes.delete(oldest);
  return p;
}

serveWorker<QueryRequest, QueryResults>(self, {
  query: async (req, ctx) => {
    const index = await indexFor(req.datasetId, ctx);
    const indices = index.query(req.query);
    return withTransfer({ indices, total: index.size }, [indices.buffer]);
  },
  warm: async (req, ctx) => ({ total: (await indexFor(req.datasetId, ctx)).size }),
  forget: async (req) => {
    indexes.delete(req.datasetId);
    return null;
  },
});
