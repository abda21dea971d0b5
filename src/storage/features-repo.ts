import type { FeatureSet } from '../domain/features/feature-set';
import { FEATURE_CODE_VERSION } from '../domain/features/feature-set';
import type { HyperDb, SemanticScoresRow } from './db';

/** The dataset's feature set if it was computed by the current feature code; older versions count as missing. */
export async function getFeatureSet(db: HyperDb, datasetId: string): Promise<FeatureSet | undefined> {
  const fs = await db.featureSets.get(datasetId);
  return fs && fs.version === FEATURE_CODE_VERSION ? fs : undefined;
}

export async function putFeatureSet(db: HyperDb, fs: FeatureSet): Promise<void> {
  await db.featureSets.put(fs);
}

export async function deleteFeatureSet(db: HyperDb, datasetId: string): Promise<void> {
  await db.featureSets.delete(datasetId);
}

export async function getSemanticScores(db: HyperDb, datasetId: string): Promise<SemanticScoresRow | undefined> {
  return db.semanticScores.get(datasetId);
}

export async function putSemanticScores(db: HyperDb, row: SemanticScoresRow): Promise<void> {
  await db.semanticScores.put(row);
}
