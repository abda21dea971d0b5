import { useQueries } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { ColumnMapping } from '../../domain/formats/types';
import {
  guessNumericSchemes,
  NUMERIC_SCHEME_TEXT,
  parseLabel,
  PREFERENCES,
  PREFERENCE_TEXT,
  type NumericScheme,
  type Preference,
} from '../../domain/labels';
import type { DistinctValue, InspectResult } from '../../workers/import-protocol';
import { importWorker } from '../../workers/import-client';
import { keys } from '../../data/queries';

const DISTINCT_LIMIT = 50;
type ValueChoice = Preference | 'missing' | '';

interface LabelSide {
  scheme: NumericScheme | '';
  overrides: Record<string, ValueChoice>;
}

interface Draft {
  id: string;
  prompt: string[];
  responseA: string;
  responseB: string;
  modelA: string;
  modelB: string;
  lmLabel: string;
  lmJudge: string;
  humanLabels: string[];
  lm: LabelSide;
  human: LabelSide;
}

function guess(columns: string[], patterns: RegExp[]): string {
  for (const p of patterns) {
    const hit = columns.find((c) => p.test(c));
    if (hit) return hit;
  }
  return '';
}

function initialDraft(columns: string[]): Draft {
  const prompt = guess(columns, [/^prompt$/i, /^instruction$/i, /^question$/i, /^text$/i, /^query$/i]);
  return {
    id: guess(columns, [/^id$/i, /^idx$/i, /_id$/i]),
    prompt: prompt ? [prompt] : [],
    responseA: guess(columns, [/^(response|completion|output|answer)_?(a|1)$/i]),
    responseB: guess(columns, [/^(response|completion|output|answer)_?(b|2)$/i]),
    modelA: guess(columns, [/^model_?(a|1)$/i]),
    modelB: guess(columns, [/^model_?(b|2)$/i]),
    lmLabel: '',
    lmJudge: '',
    humanLabels: [],
    lm: { scheme: '', overrides: {} },
    human: { scheme: '', overrides: {} },
  };
}

/** What a distinct value maps to: the user's override, else what the chosen scheme or vocabulary reads. */
function resolve(value: string, side: LabelSide): ValueChoice {
  const o = side.overrides[value];
  if (o !== undefined) return o;
  const parsed = parseLabel(value, side.scheme ? { numeric: side.scheme } : {});
  return parsed.kind === 'label' ? parsed.label.value : parsed.kind === 'missing' ? 'missing' : '';
}

function toMapping(d: Draft, lmValues: DistinctValue[], humanValues: DistinctValue[]): ColumnMapping | null {
  const valueMap = (values: DistinctValue[], side: LabelSide) => {
    const map: Record<string, Preference | 'missing'> = {};
    for (const v of values) {
      const r = resolve(v.value, side);
      if (r === '') return null;
      map[v.value] = r;
    }
    return map;
  };
  const lmMap = d.lmLabel ? valueMap(lmValues, d.lm) : {};
  const humanMap = d.humanLabels.length ? valueMap(humanValues, d.human) : {};
  if (!lmMap || !humanMap || !d.responseA || !d.responseB || d.prompt.length === 0) return null;
  return {
    prompt: d.prompt,
    responseA: d.responseA,
    responseB: d.responseB,
    ...(d.id ? { id: d.id } : {}),
    ...(d.modelA ? { modelA: d.modelA } : {}),
    ...(d.modelB ? { modelB: d.modelB } : {}),
    ...(d.lmLabel ? { lmLabel: d.lmLabel, lmReading: { valueMap: lmMap, ...(d.lm.scheme ? { numeric: d.lm.scheme } : {}) } } : {}),
    ...(d.lmJudge.trim() ? { lmJudge: d.lmJudge.trim() } : {}),
    ...(d.humanLabels.length
      ? { humanLabels: d.humanLabels, humanReading: { valueMap: humanMap, ...(d.human.scheme ? { numeric: d.human.scheme } : {}) } }
      : {}),
  };
}

/** Why a mapping cannot be used yet, or null when it is complete. */
export function mappingProblem(m: ColumnMapping | null): string | null {
  return m ? null : 'Choose the prompt and both response columns, and say what every label value means.';
}

/** The column-mapping screen for files in no recognised layout. */
export function ColumnMappingForm({ inspected, onChange }: { inspected: InspectResult; onChange: (m: ColumnMapping | null) => void }) {
  const columns = inspected.columns;
  const [draft, setDraft] = useState<Draft>(() => initialDraft(columns));
  const labelColumns = useMemo(
    () => [...new Set([draft.lmLabel, ...draft.humanLabels].filter(Boolean))],
    [draft.lmLabel, draft.humanLabels],
  );
  const distinct = useQueries({
    queries: labelColumns.map((column) => ({
      queryKey: keys.datasets.distinct(inspected.sessionId, column),
      queryFn: () => importWorker().request({ type: 'distinct', sessionId: inspected.sessionId, column, limit: DISTINCT_LIMIT }),
    })),
  });
  const valuesOf = (cols: string[]): DistinctValue[] => {
    const merged = new Map<string, number>();
    cols.forEach((c) => {
      const data = distinct[labelColumns.indexOf(c)]?.data ?? [];
      for (const v of data) merged.set(v.value, (merged.get(v.value) ?? 0) + v.count);
    });
    return [...merged].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
  };
  const loading = distinct.some((q) => q.isPending);
  const lmValues = draft.lmLabel ? valuesOf([draft.lmLabel]) : [];
  const humanValues = valuesOf(draft.humanLabels);
  const mapping = loading ? null : toMapping(draft, lmValues, humanValues);
  const mappingKey = JSON.stringify(mapping);

  useEffect(() => {
    onChange(mapping);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key captures the mapping's content
  }, [mappingKey]);

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const columnSelect = (label: string, value: string, onPick: (v: string) => void, optional: boolean) => (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-xs text-slate-600">{label}</span>
      <select
        aria-label={label}
        value={value}
        onChange={(e) => onPick(e.target.value)}
        className="rounded-md border border-slate-300 px-2 py-1"
      >
        <option value="">{optional ? '(none)' : '(choose a column)'}</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
  const columnChecks = (label: string, chosen: string[], onPick: (v: string[]) => void) => (
    <fieldset className="text-sm">
      <legend className="text-xs text-slate-600">{label}</legend>
      <div className="mt-1 flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-auto">
        {columns.map((c) => (
          <label key={c} className="flex items-center gap-1">
            <input
              type="checkbox"
              aria-label={`${label}: ${c}`}
              checked={chosen.includes(c)}
              onChange={(e) =>
                onPick(e.target.checked ? columns.filter((x) => x === c || chosen.includes(x)) : chosen.filter((x) => x !== c))
              }
            />
            {c}
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <section aria-label="Column mapping" className="space-y-3 rounded-md border border-slate-200 p-3">
      <h3 className="font-medium">Map the columns</h3>
      {columnChecks('Prompt columns (joined with a blank line)', draft.prompt, (prompt) => set({ prompt }))}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
        {columnSelect('Response A column', draft.responseA, (responseA) => set({ responseA }), false)}
        {columnSelect('Response B column', draft.responseB, (responseB) => set({ responseB }), false)}
        {columnSelect('Id column', draft.id, (id) => set({ id }), true)}
        {columnSelect('Model A column', draft.modelA, (modelA) => set({ modelA }), true)}
        {columnSelect('Model B column', draft.modelB, (modelB) => set({ modelB }), true)}
        {columnSelect('LM label column', draft.lmLabel, (lmLabel) => set({ lmLabel }), true)}
      </div>
      {draft.lmLabel && (
        <label className="flex items-center gap-2 text-sm">
          LM judge name
          <input
            aria-label="LM judge name"
            value={draft.lmJudge}
            onChange={(e) => set({ lmJudge: e.target.value })}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
      )}
      {columnChecks('Human label columns (one vote each)', draft.humanLabels, (humanLabels) => set({ humanLabels }))}
      {draft.lmLabel && <ValueMapper title="LM label values" values={lmValues} side={draft.lm} onChange={(lm) => set({ lm })} />}
      {draft.humanLabels.length > 0 && (
        <ValueMapper title="Human label values" values={humanValues} side={draft.human} onChange={(human) => set({ human })} />
      )}
    </section>
  );
}

function ValueMapper({
  title,
  values,
  side,
  onChange,
}: {
  title: string;
  values: DistinctValue[];
  side: LabelSide;
  onChange: (s: LabelSide) => void;
}) {
  const numbers = values.map((v) => Number(v.value));
  const allNumeric = values.length > 0 && values.every((v) => v.value.trim() !== '' && Number.isFinite(Number(v.value)));
  const schemes = allNumeric ? guessNumericSchemes(numbers) : [];
  useEffect(() => {
    // One fitting scheme is not ambiguous: take it. Several: the user must choose.
    if (schemes.length === 1 && side.scheme !== schemes[0]) onChange({ ...side, scheme: schemes[0]! });
  }, [schemes.join(), side, onChange]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <fieldset className="text-sm">
      <legend className="font-medium">{title}</legend>
      {allNumeric && schemes.length > 1 && (
        <label className="my-2 flex items-center gap-2">
          What do the numbers mean?
          <select
            aria-label={`${title}: numeric code`}
            value={side.scheme}
            onChange={(e) => onChange({ ...side, scheme: e.target.value as NumericScheme | '', overrides: {} })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="">(choose; several readings fit these values)</option>
            {schemes.map((s) => (
              <option key={s} value={s}>
                {NUMERIC_SCHEME_TEXT[s]}
              </option>
            ))}
          </select>
        </label>
      )}
      <table className="mt-1 text-left">
        <thead>
          <tr>
            <th className="pr-4 text-xs text-slate-500">Value</th>
            <th className="pr-4 text-xs text-slate-500">Rows</th>
            <th className="text-xs text-slate-500">Means</th>
          </tr>
        </thead>
        <tbody>
          {values.map((v) => (
            <tr key={v.value}>
              <td className="pr-4 font-mono">{v.value}</td>
              <td className="pr-4 tabular-nums">{v.count.toLocaleString('en-US')}</td>
              <td>
                <select
                  aria-label={`${title}: ${v.value} means`}
                  value={resolve(v.value, side)}
                  onChange={(e) => onChange({ ...side, overrides: { ...side.overrides, [v.value]: e.target.value as ValueChoice } })}
                  className="rounded-md border border-slate-300 px-1 py-0.5"
                >
                  <option value="">(choose)</option>
                  {PREFERENCES.map((p) => (
                    <option key={p} value={p}>
                      {PREFERENCE_TEXT[p]}
                    </option>
                  ))}
                  <option value="missing">no label</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
