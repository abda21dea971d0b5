import { useState } from 'react';

/**
 * A number input that keeps what is typed until it is a valid value (so clearing the field to type a new
 * number does not snap it to the minimum), and shows the stored value again on blur.
 */
export function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  integer?: boolean;
  disabled?: boolean;
  onChange: (v: number) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const problem = (text: string): string | null => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) return `Enter a number from ${fmt(props.min)} to ${fmt(props.max)}.`;
    if (props.integer && !Number.isInteger(v)) return 'Enter a whole number.';
    if (v < props.min) return `${fmt(v)} is less than ${fmt(props.min)}, the least allowed.`;
    if (v > props.max) return `${fmt(v)} is more than ${fmt(props.max)}, the most allowed.`;
    return null;
  };
  const valid = (text: string) => (problem(text) === null ? Number(text) : null);
  // The value changed from elsewhere (a slider, a linked field): what was typed here no longer applies.
  const [shown, setShown] = useState(props.value);
  if (shown !== props.value) {
    setShown(props.value);
    if (draft !== null && valid(draft) !== props.value) setDraft(null);
  }
  const error = draft === null ? null : problem(draft);
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
        aria-invalid={error !== null}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = valid(e.target.value);
          if (v !== null) props.onChange(v);
        }}
        // An invalid entry stays, with its message, until it is corrected: leaving the field must not quietly
        // bring back the old value while the page goes on showing results for it.
        onBlur={() => setDraft((d) => (d !== null && problem(d) !== null ? d : null))}
        className="w-32 rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500"
      />
      {error && (
        <span role="alert" className="max-w-[12rem] text-xs text-red-700">
          {error} The value in use is still {fmt(props.value)}.
        </span>
      )}
    </label>
  );
}

const fmt = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 6 });
