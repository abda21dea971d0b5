import type { TagSet } from '../domain/tags/tag-set';
import { TAG_CODE_VERSION } from '../domain/tags/tag-set';
import type { HyperDb, SemanticScoresRow } from './db';

/** The dataset's feature set if it was computed by the current feature code; older versions count as missing. */
export async function getTagSet(db: HyperDb, datasetId: string): Promise<TagSet | undefined> {
  const fs = await db.featureSets.get(datasetId);
  return fs && fs.version === TAG_CODE_VERSION ? fs : undefined;
}

export async function putTagSet(db: HyperDb, fs: TagSet): Promise<void> {
  await db.featureSets.put(fs);
}

export async function getSemanticScores(db: HyperDb, datasetId: string): Promise<SemanticScoresRow | undefined> {
  return db.semanticScores.get(datasetId);
}

export async function putSemanticScores(db: HyperDb, row: SemanticScoresRow): Promise<void> {
  await db.semanticScores.put(row);
}
