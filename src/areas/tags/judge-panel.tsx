// The LM judge: labels the dataset's pairs through an OpenAI-compatible endpoint the user runs or pays for. Each
// pair is shown in both orders by default (position bias measured, not assumed); the prompt is shown and can be
// edited before anything is sent; a cost estimate comes first; every answer is stored as it arrives, so a reload or
// a cancel costs nothing on the next run. The labels and signals then feed routing (judge risk) and Review.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../data/queries';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { useWorkerJob } from '../../data/use-worker-job';
import { checkTemplate, FIVE_POINT_TEMPLATE, PAIRWISE_TEMPLATE, type JudgeTemplate } from '../../domain/judge';
import { analyzerWorker } from '../../workers/analyzer-client';
import type { JudgeRunSettings, JudgeRunSummary } from '../../workers/analyzer-protocol';
import { EndpointFields, Field, INPUT, type EndpointLabels } from './field';
import { JudgesTable } from './judges-table';
import { endpointOf, loadStoredForm, saveStoredForm } from './stored-form';

const JUDGE_LABELS: EndpointLabels = {
  baseUrl: { caption: 'Judge endpoint (http://…/v1)', name: 'Judge endpoint' },
  model: { caption: 'Judge model', name: 'Judge model' },
  apiKey: { caption: 'Judge key (optional)', name: 'Judge key' },
  concurrency: { caption: 'Requests in flight', name: 'Judge requests in flight' },
  inputPerMillion: { caption: 'Input tokens: price per million', name: 'Judge input price per million tokens' },
  outputPerMillion: { caption: 'Output tokens: price per million', name: 'Judge output price per million tokens' },
};

const STORAGE_KEY = 'hyper.judge.settings';

interface Form {
  baseUrl: string;
  model: string;
  apiKey: string;
  rememberKey: boolean;
  concurrency: number;
  inputPerMillion: string;
  outputPerMillion: string;
  template: 'pairwise' | 'five-point';
  system: string;
  user: string;
  bothOrders: boolean;
  samples: number;
  temperature: number;
  logprobs: boolean;
  policy: 'tie' | 'first-order';
  onlyUnlabelled: boolean;
}

const BUILT_IN: Record<Form['template'], JudgeTemplate> = { pairwise: PAIRWISE_TEMPLATE, 'five-point': FIVE_POINT_TEMPLATE };

const DEFAULTS: Form = {
  baseUrl: 'http://127.0.0.1:8000/v1',
  model: '',
  apiKey: '',
  rememberKey: false,
  concurrency: 8,
  inputPerMillion: '',
  outputPerMillion: '',
  template: 'pairwise',
  system: PAIRWISE_TEMPLATE.system,
  user: PAIRWISE_TEMPLATE.user,
  bothOrders: true,
  samples: 1,
  temperature: 0.7,
  logprobs: false,
  policy: 'tie',
  onlyUnlabelled: true,
};

const loadForm = (): Form => loadStoredForm(STORAGE_KEY, DEFAULTS);
const saveForm = (f: Form): void => saveStoredForm(STORAGE_KEY, f);

function toSettings(f: Form): JudgeRunSettings | string {
  const endpoint = endpointOf(f, { noModel: 'Name the judge model.', maxConcurrency: 64 });
  if (typeof endpoint === 'string') return endpoint;
  const built = BUILT_IN[f.template];
  // An edited template is another template: its answers are stored under its own id.
  const edited = f.system !== built.system || f.user !== built.user;
  let template: JudgeTemplate;
  try {
    template = checkTemplate({
      ...built,
      ...(edited ? { id: `${built.id}-edited`, name: `${built.name} (edited)` } : {}),
      system: f.system,
      user: f.user,
    });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const price =
    f.inputPerMillion.trim() || f.outputPerMillion.trim()
      ? { inputPerMillion: Number(f.inputPerMillion) || 0, outputPerMillion: Number(f.outputPerMillion) || 0 }
      : undefined;
  return {
    ...endpoint,
    maxRetries: 4,
    timeoutMs: 120_000,
    template,
    orders: f.bothOrders ? ['ab', 'ba'] : ['ab'],
    samples: Math.max(1, Math.min(20, f.samples)),
    temperature: f.temperature,
    logprobs: f.logprobs,
    policy: f.policy,
    ...(price ? { price } : {}),
  };
}

const money = (x: number | null) => (x === null ? '—' : x.toFixed(4));

export function JudgePanel({ datasetId, onDone }: { datasetId: string; onDone: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(loadForm);
  const update = (patch: Partial<Form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    saveForm(next);
  };
  const settings = toSettings(form);
  const estimate = useWorkerJob((s: JudgeRunSettings, { signal, onProgress }) =>
    analyzerWorker().request(
      {
        type: 'judge-estimate',
        datasetId,
        settings: s,
        onlyUnlabelled: form.onlyUnlabelled,
        outputTokens: s.template.scale === 'pairwise' ? 150 : 20,
      },
      { signal, onProgress },
    ),
  );
  const run = useWorkerJob(
    (s: JudgeRunSettings, { signal, onProgress }) =>
      analyzerWorker().request({ type: 'judge', datasetId, settings: s, onlyUnlabelled: form.onlyUnlabelled }, { signal, onProgress }),
    // A cancelled run still stores what it has; its labels count and the tags are computed again.
    {
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: keys.judges(datasetId) });
        onDone();
      },
      keepOnCancel: true,
    },
  );
  const d = run.progress?.detail;
  const ready = typeof settings !== 'string';
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <summary className="cursor-pointer font-semibold">LM judge: label the pairs through an OpenAI-compatible endpoint</summary>
      <p className="mt-2 text-slate-600">
        Each pair is shown to the judge in both orders (A/B and B/A) unless you untick it, so its position bias is measured: a verdict that
        flips with the order counts as a risk for routing. Requests go to this address only; answers are stored in this browser as they
        arrive, so a reload or a cancel costs nothing on the next run. The key is kept only for this tab unless you tick "Keep the judge
        key".
      </p>
      <EndpointFields form={form} update={update} labels={JUDGE_LABELS} maxConcurrency={64} />
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <label className="flex items-center gap-1">
          Template
          <select
            aria-label="Judge template"
            value={form.template}
            onChange={(e) => {
              const t = BUILT_IN[e.target.value as Form['template']];
              update({ template: e.target.value as Form['template'], system: t.system, user: t.user });
            }}
            className="rounded-md border border-slate-300 px-1"
          >
            <option value="pairwise">{PAIRWISE_TEMPLATE.name}</option>
            <option value="five-point">{FIVE_POINT_TEMPLATE.name}</option>
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.bothOrders} onChange={(e) => update({ bothOrders: e.target.checked })} /> Both orders
        </label>
        <label className="flex items-center gap-1">
          Samples
          <input
            aria-label="Judge samples"
            type="number"
            min={1}
            max={20}
            value={form.samples}
            onChange={(e) => update({ samples: Number(e.target.value) || 1 })}
            className="w-16 rounded-md border border-slate-300 px-1"
          />
        </label>
        {form.samples > 1 && (
          <label className="flex items-center gap-1">
            Temperature
            <input
              aria-label="Judge temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={form.temperature}
              onChange={(e) => update({ temperature: Number(e.target.value) || 0 })}
              className="w-16 rounded-md border border-slate-300 px-1"
            />
          </label>
        )}
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.logprobs} onChange={(e) => update({ logprobs: e.target.checked })} /> Verdict probability
          (logprobs)
        </label>
        <label className="flex items-center gap-1">
          When the orders disagree
          <select
            aria-label="When the orders disagree"
            value={form.policy}
            onChange={(e) => update({ policy: e.target.value as Form['policy'] })}
            className="rounded-md border border-slate-300 px-1"
          >
            <option value="tie">a tie</option>
            <option value="first-order">the first order's verdict</option>
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.onlyUnlabelled} onChange={(e) => update({ onlyUnlabelled: e.target.checked })} /> Only pairs
          without an LM label from the file
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.rememberKey} onChange={(e) => update({ rememberKey: e.target.checked })} /> Keep the judge
          key in this browser
        </label>
      </div>
      <div className="mt-3 grid grid-cols-1 gap-2 md:grid-cols-2">
        <Field label="System message (sent as written)">
          <textarea
            aria-label="Judge system message"
            rows={6}
            value={form.system}
            onChange={(e) => update({ system: e.target.value })}
            className={`${INPUT} font-mono text-xs`}
          />
        </Field>
        <Field label="User message: {prompt}, {response_a} and {response_b} are replaced by the pair">
          <textarea
            aria-label="Judge user message"
            rows={6}
            value={form.user}
            onChange={(e) => update({ user: e.target.value })}
            className={`${INPUT} font-mono text-xs`}
          />
        </Field>
      </div>
      {typeof settings === 'string' && (
        <p className="mt-2 text-slate-500" role="status">
          {settings}
        </p>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button disabled={!ready || estimate.running || run.running} onClick={() => ready && void estimate.start(settings)}>
          Estimate the cost
        </Button>
        <Button variant="primary" disabled={!ready || run.running} onClick={() => ready && void run.start(settings)}>
          Run the judge
        </Button>
        {estimate.result && (
          <span data-testid="judge-estimate">
            {estimate.result.pairs.toLocaleString('en-US')} pairs, {estimate.result.requests.toLocaleString('en-US')} requests, about{' '}
            {estimate.result.promptTokens.toLocaleString('en-US')} input tokens; cost about {money(estimate.result.cost)} (answers not yet
            stored are all counted).
          </span>
        )}
      </div>
      {estimate.error ? <ErrorMessage title="Could not estimate the cost" error={estimate.error} /> : null}
      {run.running && (
        <div className="mt-3 space-y-1">
          <ProgressBar progress={run.progress} onCancel={run.cancel} />
          {d && (
            <p className="text-xs text-slate-600" data-testid="judge-progress">
              {run.progress?.done.toLocaleString('en-US')} of {run.progress?.total.toLocaleString('en-US')} answers · {d.stored ?? 0} stored
              before · {d.unparseable ?? 0} without a verdict · {d.failed ?? 0} failed · {d.requests ?? 0} requests
              {typeof d.perSecond === 'number' ? ` · ${d.perSecond.toFixed(1)}/s, about ${Math.round(d.eta ?? 0)} s left` : ''}
              {typeof d.cost === 'number' ? ` · cost ${d.cost.toFixed(4)}` : ''}
              {typeof d.waitMs === 'number' ? ` · waiting ${Math.round(d.waitMs / 1000)} s (the server asked)` : ''}
            </p>
          )}
        </div>
      )}
      {run.error ? (
        <div className="mt-3">
          <ErrorMessage title="The judge run failed" error={run.error} />
        </div>
      ) : null}
      {run.result && <RunSummary s={run.result} />}
      <JudgesTable datasetId={datasetId} policy={form.policy} onChanged={onDone} />
    </details>
  );
}

function RunSummary({ s }: { s: JudgeRunSummary }) {
  return (
    <div className="mt-3 space-y-1" role="status" data-testid="judge-summary">
      <p>
        {s.cancelled ? 'Stopped: ' : s.fatal ? 'Stopped early: ' : 'Done: '}
        {s.labelled.toLocaleString('en-US')} of {s.pairs.toLocaleString('en-US')} pairs labelled ({s.inconsistent} flip with the order) ·{' '}
        {s.requests} requests · {s.stored} answers stored before · {s.unparseable} without a verdict (kept) · {s.failed} failed · cost this
        run {money(s.cost)}, all answers of this judge {money(s.costAll)}.
        {s.judges > 1 ? ` ${s.judges} judges answered on this dataset (see the table below).` : ''} The tags are computed again with the
        judge's signals.
      </p>
      {s.fatal && <p className="text-red-700">{s.fatal}</p>}
      {s.errors.slice(0, 5).map((e, i) => (
        <p key={i} className="pair-text text-xs text-red-700">
          pair {e.idx + 1} ({e.order}): {e.message}
        </p>
      ))}
    </div>
  );
}
