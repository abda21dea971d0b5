import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { openDb } from '../../storage/db';
import { listDatasets } from '../../storage/datasets-repo';
import { getTagSet } from '../../storage/tags-repo';
import { computeTags, type TagRunOptions } from '../../workers/tags-pool';

export const featureKeys = {
  set: (datasetId: string) => ['tag-set', datasetId] as const,
};

export function useProjectDatasets(projectId: string) {
  return useQuery({ queryKey: ['datasets', projectId], queryFn: () => listDatasets(openDb(), projectId) });
}

export function useTagSet(datasetId: string | undefined) {
  return useQuery({
    queryKey: featureKeys.set(datasetId ?? ''),
    enabled: datasetId !== undefined,
    queryFn: async () => (await getTagSet(openDb(), datasetId!)) ?? null,
  });
}

export function useComputeTags(datasetId: string, n: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (opts: TagRunOptions) => computeTags(datasetId, n, opts),
    onSuccess: () => qc.invalidateQueries({ queryKey: featureKeys.set(datasetId) }),
  });
}
