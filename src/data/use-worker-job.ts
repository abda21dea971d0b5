// One way to run a worker job from the page: start it, watch its progress, cancel it, see how it ended.
// Every long job of the UI (tags, analyzer, encoder, PPM lab, export) goes through this hook.
import { useCallback, useEffect, useRef, useState } from 'react';
import { generalError } from '../domain/errors';
import { isCancelled, type JobProgress } from '../workers/protocol';

export interface JobControl {
  signal: AbortSignal;
  onProgress: (p: JobProgress) => void;
}

export interface WorkerJob<A, R> {
  /** Starts the job (a running one is cancelled first); resolves with its result, or undefined if it was cancelled or failed. */
  start(args: A): Promise<R | undefined>;
  cancel(): void;
  running: boolean;
  /** The last progress message of the running job. */
  progress: JobProgress | null;
  /** How the last run failed (null when it succeeded or was cancelled). */
  error: unknown;
  cancelled: boolean;
  result: R | undefined;
  /** Forgets the last result and error. */
  reset(): void;
}

/**
 * A cancellable worker job. The job gets an AbortSignal (forwarded to the worker as a cancel message) and a
 * progress callback. A job that stores what it makes (tags, a judge run, an import) goes on when the user leaves
 * the page, and its onSuccess still runs (so the other pages learn of the result); `cancelOnLeave` stops a job
 * whose result lives only on the page (the PPM lab's steps). A worker busy in one long synchronous step may answer
 * after a cancel: such a late result is dropped.
 */
export function useWorkerJob<A, R>(
  job: (args: A, control: JobControl) => Promise<R>,
  /** keepOnCancel: a result that still arrives after a cancel is kept (a job that returns what it did so far). */
  opts: { onSuccess?: (result: R, args: A) => void; keepOnCancel?: boolean; cancelOnLeave?: boolean } = {},
): WorkerJob<A, R> {
  const [state, setState] = useState<{
    running: boolean;
    progress: JobProgress | null;
    error: unknown;
    cancelled: boolean;
    result: R | undefined;
  }>({
    running: false,
    progress: null,
    error: null,
    cancelled: false,
    result: undefined,
  });
  const controller = useRef<AbortController | null>(null);
  const latest = useRef({ job, onSuccess: opts.onSuccess, keepOnCancel: opts.keepOnCancel ?? false });
  useEffect(() => {
    latest.current = { job, onSuccess: opts.onSuccess, keepOnCancel: opts.keepOnCancel ?? false };
  });
  const cancelOnLeave = opts.cancelOnLeave ?? false;
  useEffect(() => () => void (cancelOnLeave && controller.current?.abort()), [cancelOnLeave]);

  const start = useCallback(async (args: A): Promise<R | undefined> => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setState({ running: true, progress: null, error: null, cancelled: false, result: undefined });
    const mine = () => controller.current === c;
    try {
      const result = await latest.current.job(args, {
        signal: c.signal,
        onProgress: (progress) => mine() && setState((s) => ({ ...s, progress })),
      });
      if (c.signal.aborted && !latest.current.keepOnCancel) throw generalError('cancelled', 'Cancelled.');
      if (mine()) setState({ running: false, progress: null, error: null, cancelled: c.signal.aborted, result });
      latest.current.onSuccess?.(result, args);
      return result;
    } catch (e) {
      const cancelled = c.signal.aborted || isCancelled(e);
      if (mine()) setState({ running: false, progress: null, error: cancelled ? null : e, cancelled, result: undefined });
      return undefined;
    } finally {
      if (mine()) controller.current = null;
    }
  }, []);
  const cancel = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => setState((s) => ({ ...s, error: null, cancelled: false, result: undefined })), []);
  return { ...state, start, cancel, reset };
}
