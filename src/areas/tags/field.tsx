import type { ReactNode } from 'react';

export const INPUT = 'w-full rounded-md border border-slate-300 px-2 py-1';

/** A form field: a small caption above its control; clicking the caption focuses the control. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-600">{label}</span>
      {children}
    </label>
  );
}

/** The endpoint part of an LLM form (the analyzer's and the judge's): address, model, key, parallelism, prices. */
export interface EndpointForm {
  baseUrl: string;
  model: string;
  apiKey: string;
  concurrency: number;
  inputPerMillion: string;
  outputPerMillion: string;
}

/** Each field's caption and its accessible name. */
export type EndpointLabels = Record<keyof EndpointForm, { caption: string; name: string }>;

export function EndpointFields({
  form,
  update,
  labels,
  maxConcurrency,
}: {
  form: EndpointForm;
  update: (patch: Partial<EndpointForm>) => void;
  labels: EndpointLabels;
  maxConcurrency: number;
}) {
  const text = (key: 'baseUrl' | 'model' | 'inputPerMillion' | 'outputPerMillion') => (
    <Field label={labels[key].caption}>
      <input aria-label={labels[key].name} value={form[key]} onChange={(e) => update({ [key]: e.target.value })} className={INPUT} />
    </Field>
  );
  return (
    <div className="mt-3 grid grid-cols-1 gap-3 md:grid-cols-3">
      {text('baseUrl')}
      {text('model')}
      <Field label={labels.apiKey.caption}>
        <input
          aria-label={labels.apiKey.name}
          type="password"
          autoComplete="off"
          value={form.apiKey}
          onChange={(e) => update({ apiKey: e.target.value })}
          className={INPUT}
        />
      </Field>
      <Field label={labels.concurrency.caption}>
        <input
          aria-label={labels.concurrency.name}
          type="number"
          min={1}
          max={maxConcurrency}
          value={form.concurrency}
          onChange={(e) => update({ concurrency: Number(e.target.value) || 1 })}
          className={INPUT}
        />
      </Field>
      {text('inputPerMillion')}
      {text('outputPerMillion')}
    </div>
  );
}
