// TanStack Query hooks of the PPM lab: the dataset and its tags, the candidate pool, and installing a fitted PPM.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listDatasets } from '../../storage/datasets-repo';
import { openDb } from '../../storage/db';
import { getTagSet } from '../../storage/tags-repo';
import { putPpm } from '../../storage/routing-repo';
import { ppmLabWorker } from '../../workers/ppm-lab-client';

export function useLabDatasets(projectId: string) {
  return useQuery({ queryKey: ['datasets', projectId], queryFn: () => listDatasets(openDb(), projectId) });
}

export function useLabTagSet(datasetId: string | undefined) {
  return useQuery({ queryKey: ['tag-set', datasetId ?? ''], enabled: datasetId !== undefined, queryFn: async () => (await getTagSet(openDb(), datasetId!)) ?? null });
}

/** The candidate pool a gold share and seed leave (read in the worker: it scans every pair's labels). */
export function usePoolSummary(datasetId: string, tagSetAt: number, goldShare: number, seed: number) {
  return useQuery({
    queryKey: ['ppm-lab-pool', datasetId, tagSetAt, goldShare, seed],
    staleTime: Infinity,
    queryFn: ({ signal }) => ppmLabWorker().request({ type: 'inspect', datasetId, goldShare, seed }, { signal }),
    placeholderData: (prev) => prev,
  });
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Stores a fitted PPM beside the built-in ones; the Route area's list (query ['ppms']) shows it at once. */
export function useInstallPpm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ bytes, name }: { bytes: Uint8Array; name: string }) => {
      const hash = await sha256Hex(bytes);
      await putPpm(openDb(), { hash, name, bytes, builtIn: false, addedAt: Date.now() });
      return { hash, name };
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['ppms'] }),
  });
}
