// The Tags area's job: computing a dataset's tags in the worker pool.
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { useWorkerJob } from '../../data/use-worker-job';
import { computeTags } from '../../workers/tags-pool';

export function useComputeTags(datasetId: string, n: number) {
  const qc = useQueryClient();
  return useWorkerJob((workers: number, { signal, onProgress }) => computeTags(datasetId, n, { workers, signal, onProgress }), {
    onSuccess: () => void announce(qc, [keys.tagSet(datasetId)]),
  });
}
