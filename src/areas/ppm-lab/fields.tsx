import { useEffect, useRef, useState } from 'react';
import { isCancelled, WorkerJobError, type JobProgress } from '../../workers/protocol';

/** A cancellable background job of the page: progress, the error it ended with, and whether it was cancelled. */
export function useJob() {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [cancelled, setCancelled] = useState(false);
  const controller = useRef<AbortController | null>(null);
  // Leaving the page stops the job: its results would land in a session nobody is looking at.
  useEffect(() => () => controller.current?.abort(), []);
  const run = async (job: (signal: AbortSignal, onProgress: (p: JobProgress) => void) => Promise<void>) => {
    const c = new AbortController();
    controller.current = c;
    setBusy(true);
    setError(null);
    setCancelled(false);
    setProgress(null);
    try {
      await job(c.signal, setProgress);
    } catch (e) {
      if (isCancelled(e) || c.signal.aborted) setCancelled(true);
      else setError(e);
    } finally {
      if (controller.current === c) controller.current = null;
      setBusy(false);
      setProgress(null);
    }
  };
  return { busy, progress, error, cancelled, run, cancel: () => controller.current?.abort() };
}

/**
 * A worker that was busy in one long synchronous step answers after a cancel all the same: call this after
 * awaiting it, so a cancelled job never lands its result.
 */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new WorkerJobError('cancelled', 'Cancelled.');
}
