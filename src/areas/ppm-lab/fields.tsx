import { useWorkerJob } from '../../data/use-worker-job';
import { WorkerJobError, type JobProgress } from '../../workers/protocol';

type LabStep = (signal: AbortSignal, onProgress: (p: JobProgress) => void) => Promise<void>;

/** A lab step (generate, proxy, fit) as a worker job (data/use-worker-job.ts): the step gets the signal and the progress callback. */
export function useLabJob() {
  // Leaving the lab stops a step: its result would land in a session nobody is looking at.
  return useWorkerJob(async (step: LabStep, { signal, onProgress }) => step(signal, onProgress), { cancelOnLeave: true });
}

/**
 * A worker that was busy in one long synchronous step answers after a cancel all the same: call this after
 * awaiting it, so a cancelled job never lands its result.
 */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new WorkerJobError('cancelled', 'Cancelled.');
}
