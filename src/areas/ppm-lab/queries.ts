// TanStack Query hooks of the PPM lab: the dataset and its tags, the candidate pool, and installing a fitted PPM.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { sha256Hex } from '../../domain/util';
import { openDb } from '../../storage/db';
import { putPpm } from '../../storage/routing-repo';
import { ppmLabWorker } from '../../workers/ppm-lab-client';

/** The candidate pool a gold share and seed leave (read in the worker: it scans every pair's labels). */
export function usePoolSummary(datasetId: string, tagSetAt: number, goldShare: number, seed: number) {
  return useQuery({
    queryKey: keys.lab.pool(datasetId, tagSetAt, goldShare, seed),
    staleTime: Infinity,
    queryFn: ({ signal }) => ppmLabWorker().request({ type: 'inspect', datasetId, goldShare, seed }, { signal }),
    placeholderData: (prev) => prev,
  });
}

/** Stores a fitted PPM beside the built-in ones; the Route area's list (keys.ppms) shows it at once. */
export function useInstallPpm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ bytes, name }: { bytes: Uint8Array; name: string }) => {
      const hash = await sha256Hex(bytes);
      await putPpm(openDb(), { hash, name, bytes, builtIn: false, addedAt: Date.now() });
      return { hash, name };
    },
    onSuccess: () => announce(qc, [keys.ppms]),
  });
}
