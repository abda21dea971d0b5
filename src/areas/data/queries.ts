// TanStack Query hooks for datasets, their rows and searches.
import { useEffect } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { isEmptyQuery, type DatasetQuery } from '../../domain/dataset-query';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { openDb, type InstanceRow } from '../../storage/db';
import { deleteDataset } from '../../storage/datasets-repo';
import { readInstances } from '../../storage/instances-repo';
import { queryWorker } from '../../workers/query-client';
import type { JobProgress } from '../../workers/protocol';

export const PAGE_SIZE = 50;

const datasetKeys = keys.datasets;

export function useDeleteDataset(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await deleteDataset(openDb(), id);
      await queryWorker().request({ type: 'forget', datasetId: id });
    },
    onSuccess: () => announce(qc, [datasetKeys.list(projectId)]),
  });
}

/** Positions matching a query, with the query they answer; `indices: null` means "all rows". */
export interface QueryMatches {
  query: DatasetQuery;
  indices: Uint32Array | null;
}

/**
 * Matches of a search/filter. While a new query runs, the previous matches stay on screen (placeholder);
 * they carry their own query so row pages are never cached under a query they do not belong to.
 */
export function useDatasetQuery(datasetId: string, q: DatasetQuery, onProgress: (p: JobProgress) => void) {
  return useQuery({
    queryKey: datasetKeys.query(datasetId, q),
    queryFn: async ({ signal }): Promise<QueryMatches> => {
      if (isEmptyQuery(q)) return { query: q, indices: null };
      const r = await queryWorker().request({ type: 'query', datasetId, query: q }, { signal, onProgress });
      return { query: q, indices: r.indices };
    },
    placeholderData: (prev) => prev,
  });
}

/** Reads a dataset's search index in the query worker ahead of the first search (errors surface then). */
export function useWarmSearchIndex(datasetId: string): void {
  useEffect(() => {
    queryWorker()
      .request({ type: 'warm', datasetId })
      .catch(() => undefined);
  }, [datasetId]);
}

/** The rows of the pages that cover [first, last] of a query's matches. */
export function useRowPages(datasetId: string, matches: QueryMatches, first: number, last: number) {
  const { query: q, indices } = matches;
  const firstPage = Math.floor(first / PAGE_SIZE);
  const lastPage = Math.floor(Math.max(first, last) / PAGE_SIZE);
  const pages: number[] = [];
  for (let p = firstPage; p <= lastPage; p++) pages.push(p);
  const results = useQueries({
    queries: pages.map((page) => ({
      queryKey: datasetKeys.page(datasetId, q, page),
      queryFn: () => {
        const positions: number[] = [];
        for (let i = page * PAGE_SIZE; i < (page + 1) * PAGE_SIZE; i++) {
          if (indices) {
            if (i >= indices.length) break;
            positions.push(indices[i]!);
          } else positions.push(i);
        }
        return readInstances(openDb(), datasetId, positions);
      },
      staleTime: Infinity,
      gcTime: 30_000,
    })),
  });
  const rows = new Map<number, InstanceRow>();
  results.forEach((r, k) => r.data?.forEach((row, j) => rows.set((firstPage + k) * PAGE_SIZE + j, row)));
  return rows;
}
