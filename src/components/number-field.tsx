import { useState } from 'react';

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
