/// <reference lib="webworker" />
// Thin adapter: builds a search index of a dataset once (streamed from IndexedDB) and answers queries.
import { DatasetIndex } from '../domain/dataset-query';
import { openDb } from '../storage/db';
import { forEachInstanceChunk, getDataset } from '../storage/datasets-repo';
import { serveWorker, withTransfer, type JobContext } from './worker-host';
import type { QueryRequest, QueryResults } from './query-protocol';
import { generalError } from '../domain/errors';

const indexes = new Map<string, Promise<DatasetIndex>>();

async function buildIndex(datasetId: string, ctx: JobContext): Promise<DatasetIndex> {
  const db = openDb();
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw generalError('not-found', `Dataset ${datasetId} does not exist.`);
  const index = new DatasetIndex();
  await forEachInstanceChunk(db, datasetId, 2000, (rows) => {
    for (const r of rows) index.add(r);
    ctx.progress({ phase: 'indexing', done: index.size, total: dataset.rowCount });
  });
  return index;
}

function indexFor(datasetId: string, ctx: JobContext): Promise<DatasetIndex> {
  let p = indexes.get(datasetId);
  if (!p) {
    p = buildIndex(datasetId, ctx);
    p.catch(() => indexes.delete(datasetId));
    indexes.set(datasetId, p);
  }
  return p;
}

serveWorker<QueryRequest, QueryResults>(self, {
  query: async (req, ctx) => {
    const index = await indexFor(req.datasetId, ctx);
    const indices = index.query(req.query);
    return withTransfer({ indices, total: index.size }, [indices.buffer]);
  },
  forget: async (req) => {
    indexes.delete(req.datasetId);
    return null;
  },
});
