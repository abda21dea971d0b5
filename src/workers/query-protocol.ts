import type { DatasetQuery } from '../domain/dataset-query';

export type QueryRequest =
  | { type: 'query'; id: number; datasetId: string; query: DatasetQuery }
  /** Reads a dataset's index ahead of its first search (the table opened). */
  | { type: 'warm'; id: number; datasetId: string }
  | { type: 'forget'; id: number; datasetId: string };

export interface QueryResults {
  query: { indices: Uint32Array; total: number };
  warm: { total: number };
  forget: null;
}
