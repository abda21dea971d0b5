import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { openDb } from '../../storage/db';
import { listDatasets } from '../../storage/datasets-repo';
import { getFeatureSet } from '../../storage/features-repo';
import { computeFeatures, type FeatureRunOptions } from '../../workers/features-pool';

export const featureKeys = {
  set: (datasetId: string) => ['feature-set', datasetId] as const,
};

export function useProjectDatasets(projectId: string) {
  return useQuery({ queryKey: ['datasets', projectId], queryFn: () => listDatasets(openDb(), projectId) });
}

export function useFeatureSet(datasetId: string | undefined) {
  return useQuery({
    queryKey: featureKeys.set(datasetId ?? ''),
    enabled: datasetId !== undefined,
    queryFn: async () => (await getFeatureSet(openDb(), datasetId!)) ?? null,
  });
}

export function useComputeFeatures(datasetId: string, n: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (opts: FeatureRunOptions) => computeFeatures(datasetId, n, opts),
    onSuccess: () => qc.invalidateQueries({ queryKey: featureKeys.set(datasetId) }),
  });
}
