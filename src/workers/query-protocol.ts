import type { DatasetQuery } from '../domain/dataset-query';

export type QueryRequest =
  { type: 'query'; id: number; datasetId: string; query: DatasetQuery } | { type: 'forget'; id: number; datasetId: string };

export interface QueryResults {
  query: { indices: Uint32Array; total: number };
  forget: null;
}
