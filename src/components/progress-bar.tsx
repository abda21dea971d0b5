import { PHASE_TEXT, type JobProgress } from '../workers/protocol';
import { Button } from './button';

/** A labelled progress bar with an optional cancel button. */
export function ProgressBar({ progress, label, onCancel }: { progress: JobProgress | null; label?: string; onCancel?: () => void }) {
  const fraction = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const text = label ?? (progress ? PHASE_TEXT[progress.phase] : 'Starting');
  return (
    <div className="flex items-center gap-3" role="group" aria-label="Progress">
      <div className="min-w-0 flex-1">
        <div className="mb-1 flex justify-between text-xs text-slate-600">
          <span>{text}</span>
          <span>{Math.round(fraction * 100)}%</span>
        </div>
        <div
          role="progressbar"
          aria-label={text}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
          className="h-2 overflow-hidden rounded bg-slate-200"
        >
          <div className="h-full bg-indigo-500 transition-[width]" style={{ width: `${fraction * 100}%` }} />
        </div>
      </div>
      {onCancel && <Button onClick={onCancel}>Cancel</Button>}
    </div>
  );
}
