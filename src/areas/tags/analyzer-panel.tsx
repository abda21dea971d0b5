import { useEffect, useState } from 'react';
import { useWorkerJob } from '../../data/use-worker-job';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { AnalyzerRunSummary, AnalyzerSettings } from '../../workers/analyzer-protocol';
import { analyzerWorker } from '../../workers/analyzer-client';
import { EndpointFields, type EndpointLabels } from './field';
import { endpointOf, loadStoredForm, saveStoredForm } from './stored-form';

const ANALYZER_LABELS: EndpointLabels = {
  baseUrl: { caption: 'Base URL', name: 'Base URL' },
  model: { caption: 'Model', name: 'Model' },
  apiKey: { caption: 'API key (optional)', name: 'API key' },
  concurrency: { caption: 'Parallel requests', name: 'Parallel requests' },
  inputPerMillion: { caption: 'Input tokens: price per million', name: 'Input tokens: price per million' },
  outputPerMillion: { caption: 'Output tokens: price per million', name: 'Output tokens: price per million' },
};

const STORAGE_KEY = 'hyper.analyzer.settings';

interface Form {
  baseUrl: string;
  model: string;
  apiKey: string;
  rememberKey: boolean;
  concurrency: number;
  inputPerMillion: string;
  outputPerMillion: string;
  onlyMissing: boolean;
}

const DEFAULTS: Form = {
  baseUrl: 'http://127.0.0.1:8000/v1',
  model: '',
  apiKey: '',
  rememberKey: false,
  concurrency: 4,
  inputPerMillion: '',
  outputPerMillion: '',
  onlyMissing: true,
};

const loadForm = (): Form => loadStoredForm(STORAGE_KEY, DEFAULTS);
const saveForm = (f: Form): void => saveStoredForm(STORAGE_KEY, f);

function toSettings(f: Form): AnalyzerSettings | string {
  const endpoint = endpointOf(f, { noModel: 'Name the model to ask.', maxConcurrency: 32 });
  if (typeof endpoint === 'string') return endpoint;
  const price =
    f.inputPerMillion.trim() || f.outputPerMillion.trim()
      ? { inputPerMillion: Number(f.inputPerMillion) || 0, outputPerMillion: Number(f.outputPerMillion) || 0 }
      : undefined;
  return { ...endpoint, maxRetries: 4, timeoutMs: 60_000, ...(price ? { price } : {}) };
}

/** Descriptive tags through an OpenAI-compatible endpoint the user runs or pays for. */
export function AnalyzerPanel({
  datasetId,
  withDescriptive,
  n,
  onDone,
}: {
  datasetId: string;
  withDescriptive: number | null;
  n: number;
  onDone: () => void;
}) {
  const [form, setForm] = useState<Form>(loadForm);
  const run = useWorkerJob(
    (settings: AnalyzerSettings, { signal, onProgress }) =>
      analyzerWorker().request({ type: 'analyze', datasetId, settings, onlyMissing: form.onlyMissing }, { signal, onProgress }),
    // A cancelled run still answers with what it tagged so far; the summary says it stopped.
    { onSuccess: onDone, keepOnCancel: true },
  );
  const progress = run.progress;
  const update = (patch: Partial<Form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    saveForm(next);
  };
  const settings = toSettings(form);
  const d = progress?.detail;

  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4 text-sm" open={withDescriptive === 0}>
      <summary className="cursor-pointer font-semibold">
        Descriptive tags from an LLM{' '}
        <span className="font-normal text-slate-500">
          (
          {withDescriptive === null
            ? 'compute tags to see coverage'
            : `${withDescriptive.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} pairs have them`}
          )
        </span>
      </summary>
      <p className="mt-2 text-slate-600">
        One request per prompt and dimension (8 dimensions) to an OpenAI-compatible chat endpoint, temperature 0. Answers are checked
        against the allowed values and cached in this browser, so a rerun costs nothing. The requests go only to the URL below; the key
        stays in this browser.
      </p>
      <EndpointFields form={form} update={update} labels={ANALYZER_LABELS} maxConcurrency={32} />
      <div className="mt-3 flex flex-wrap items-center gap-4">
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.rememberKey} onChange={(e) => update({ rememberKey: e.target.checked })} /> Remember the key
          in this browser
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={form.onlyMissing} onChange={(e) => update({ onlyMissing: e.target.checked })} /> Only pairs
          without tags from the file
        </label>
        <Button
          variant="primary"
          disabled={typeof settings === 'string' || run.running}
          onClick={() => typeof settings !== 'string' && void run.start(settings)}
        >
          Run analyzer
        </Button>
      </div>
      {typeof settings === 'string' && <p className="mt-2 text-slate-500">{settings}</p>}
      {run.running && (
        <div className="mt-3 space-y-1">
          <ProgressBar progress={progress} label="Asking the analyzer" onCancel={run.cancel} />
          {d && (
            <p className="text-xs text-slate-600" data-testid="analyzer-progress">
              {progress?.done.toLocaleString('en-US')} of {progress?.total.toLocaleString('en-US')} answers · {d.cached ?? 0} cached ·{' '}
              {d.failed ?? 0} failed · {d.requests ?? 0} requests
              {d.cost !== null && d.cost !== undefined ? ` · est. cost ${d.cost.toFixed(4)}` : ''}
            </p>
          )}
          {d?.waitUntil ? <WaitNote until={d.waitUntil} ms={d.waitMs ?? 0} serverAsked={d.waitServer === 1} /> : null}
        </div>
      )}
      {run.error ? (
        <div className="mt-3">
          <ErrorMessage title="The analyzer run failed" error={run.error} />
        </div>
      ) : null}
      {run.result && <Summary s={run.result} />}
    </details>
  );
}

function Summary({ s }: { s: AnalyzerRunSummary }) {
  return (
    <div className="mt-3 space-y-1" role="status" data-testid="analyzer-summary">
      <p>
        {s.cancelled ? 'Stopped: ' : s.fatal ? 'Stopped early: ' : 'Done: '}
        {s.tagged.toLocaleString('en-US')} of {s.total.toLocaleString('en-US')} pairs tagged · {s.cached} answers from the cache ·{' '}
        {s.failed} failed · {s.requests} requests{s.estimatedCost !== null ? ` · est. cost ${s.estimatedCost.toFixed(4)}` : ''}. The tags
        are recomputed with the new descriptive tags.
      </p>
      {s.fatal && <p className="text-red-700">{s.fatal}</p>}
      {s.errors.slice(0, 10).map((e, i) => (
        <p key={i} className="pair-text text-xs text-red-700">
          pair {Number(e.key) + 1}, {e.dimension}: {e.message}
        </p>
      ))}
    </div>
  );
}

/** The run is pausing before a retry: how long, why, and that Cancel stops it. */
function WaitNote({ until, ms, serverAsked }: { until: number; ms: number; serverAsked: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <p role="status" className="text-xs text-amber-800" data-testid="analyzer-waiting">
      {serverAsked ? `The server asked to wait (Retry-After ${Math.round(ms / 1000)} s)` : 'The server is busy'}: retrying in {left} s.
      Cancel stops the run; answers so far are kept.
    </p>
  );
}
