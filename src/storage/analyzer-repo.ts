import type { AnalyzerCache, CachedAnswer } from '../domain/tags/analyzer/run';
import type { DescriptiveTags } from '../domain/instance';
import type { HyperDb } from './db';

/** The analyzer's answer cache on IndexedDB: answers survive reloads, so a rerun resumes where it stopped. */
export function analyzerCacheOn(db: HyperDb): AnalyzerCache {
  return {
    async get(key, dimension) {
      return (await db.analyzerCache.get([key, dimension]))?.answer as CachedAnswer | undefined;
    },
    async put(key, dimension, answer) {
      await db.analyzerCache.put({ key, dimension, answer, createdAt: Date.now() });
    },
  };
}

export async function putAnalyzerTags(
  db: HyperDb,
  datasetId: string,
  model: string,
  entries: readonly { idx: number; tags: DescriptiveTags }[],
): Promise<void> {
  const now = Date.now();
  await db.analyzerTags.bulkPut(entries.map((e) => ({ datasetId, idx: e.idx, tags: e.tags, model, createdAt: now })));
}

/** Analyzer tags for instances [from, to), as a map from idx. */
export async function readAnalyzerTags(db: HyperDb, datasetId: string, from: number, to: number): Promise<Map<number, DescriptiveTags>> {
  const rows = await db.analyzerTags.where('[datasetId+idx]').between([datasetId, from], [datasetId, to], true, false).toArray();
  return new Map(rows.map((r) => [r.idx, r.tags]));
}
