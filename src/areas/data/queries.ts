// TanStack Query hooks for datasets, their rows and searches.
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { isEmptyQuery, type DatasetQuery } from '../../domain/dataset-query';
import { openDb, type InstanceRow } from '../../storage/db';
import { deleteDataset, getDataset, listDatasets, readInstances } from '../../storage/datasets-repo';
import { getTagSet } from '../../storage/tags-repo';
import { queryWorker } from '../../workers/query-client';
import type { JobProgress } from '../../workers/protocol';

export const PAGE_SIZE = 50;

export const datasetKeys = {
  list: (projectId: string) => ['datasets', projectId] as const,
  one: (id: string) => ['dataset', id] as const,
  query: (id: string, q: DatasetQuery) => ['dataset-query', id, q] as const,
  page: (id: string, q: DatasetQuery, page: number) => ['dataset-page', id, q, page] as const,
};

export function useDatasets(projectId: string) {
  return useQuery({ queryKey: datasetKeys.list(projectId), queryFn: () => listDatasets(openDb(), projectId) });
}

export function useDataset(id: string) {
  return useQuery({ queryKey: datasetKeys.one(id), queryFn: async () => (await getDataset(openDb(), id)) ?? null });
}

export function useDeleteDataset(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await deleteDataset(openDb(), id);
      await queryWorker().request({ type: 'forget', datasetId: id });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: datasetKeys.list(projectId) }),
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

export function useInstance(datasetId: string, idx: number | undefined) {
  return useQuery({
    queryKey: ['instance', datasetId, idx],
    enabled: idx !== undefined,
    queryFn: async () => (await readInstances(openDb(), datasetId, [idx!]))[0] ?? null,
  });
}

/** The dataset's feature set (null when features were not computed), for the tags of one pair. */
export function useDatasetTagSet(datasetId: string) {
  return useQuery({ queryKey: ['tag-set', datasetId], queryFn: async () => (await getTagSet(openDb(), datasetId)) ?? null });
}
