import type { ScoredChunk, TagCoverage } from '../domain/tags/tag-set';

export type TagsRequest =
  | { type: 'score'; id: number; datasetId: string; from: number; to: number }
  | { type: 'assemble'; id: number; datasetId: string; n: number; chunks: ScoredChunk[]; computeMs: number }
  /** Warms the scorers (tokenizer tables, NER model) so timings measure work, not start-up. */
  | { type: 'warm'; id: number };

export interface TagsResults {
  score: ScoredChunk;
  assemble: { n: number; coverage: TagCoverage[] };
  warm: null;
}
