import { useEffect, useRef, useState } from 'react';
import { isCancelled, WorkerJobError, type JobProgress } from '../../workers/protocol';

/**
 * A number input that keeps what is typed until it is a valid value (so clearing the field to type a new
 * number does not snap it to the minimum), and shows the stored value again on blur.
 */
export function NumberField(props: { label: string; value: number; min: number; max: number; step?: number; integer?: boolean; disabled?: boolean; onChange: (v: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const valid = (text: string) => {
    const v = Number(text);
    return text.trim() !== '' && Number.isFinite(v) && v >= props.min && v <= props.max && (!props.integer || Number.isInteger(v)) ? v : null;
  };
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{props.label}</span>
      <input
        type="number"
        aria-label={props.label}
        value={draft ?? String(props.value)}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        disabled={props.disabled}
        aria-invalid={draft !== null && valid(draft) === null}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = valid(e.target.value);
          if (v !== null) props.onChange(v);
        }}
        onBlur={() => setDraft(null)}
        className="w-32 rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500"
      />
    </label>
  );
}

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
