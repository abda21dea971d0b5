import { Name } from '../../components/name';
import { stripBidiControls } from '../../domain/bidi';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { FormatSelect } from '../../components/format-select';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { datasetsLoadCall, FORMAT_INFO, type ExportFormat } from '../../domain/export';
import { aggregationText, DEFAULT_MERGE_OPTIONS, parseAggregation, type MergeOptions, type MergeSummary } from '../../domain/merge';
import { listProjectAnnotations } from '../../storage/annotations-repo';
import { listDatasets } from '../../storage/datasets-repo';
import { openDb } from '../../storage/db';
import { currentPlan } from '../../storage/routing-repo';
import { routeHref } from '../../navigation/router';
import { exportWorker } from '../../workers/export-client';
import type { ExportRequest } from '../../workers/export-protocol';
import { keys } from '../../data/queries';
import { useWorkerJob } from '../../data/use-worker-job';

/** What an export is asked for: the merge spec, the format and its options. */
type ExportRequestSpec = Omit<Extract<ExportRequest, { type: 'export' }>, 'id' | 'type'>;

function useExportInputs(projectId: string) {
  return useQuery({
    queryKey: keys.export.inputs(projectId),
    queryFn: async () => {
      const db = openDb();
      const datasets = await listDatasets(db, projectId);
      const plan = (await currentPlan(db, projectId)) ?? null;
      const dataset = (plan ? datasets.find((d) => d.id === plan.datasetId) : undefined) ?? datasets[datasets.length - 1] ?? null;
      const annotators = [...new Set((await listProjectAnnotations(db, projectId)).map((a) => a.annotator))].sort();
      return { dataset, plan, annotators };
    },
    staleTime: 0,
  });
}

/** The Export area: merge options, a summary before anything is written, and the hybrid dataset as a zip. */
export function ExportArea({ projectId }: { projectId: string }) {
  const inputs = useExportInputs(projectId);
  const [options, setOptions] = useState<MergeOptions>(DEFAULT_MERGE_OPTIONS);
  const [format, setFormat] = useState<ExportFormat>('trl');
  const [csvGuardFormulas, setCsvGuardFormulas] = useState(true);
  const job = useWorkerJob(async (spec: ExportRequestSpec, { signal, onProgress }) => {
    const r = await exportWorker().request({ type: 'export', ...spec }, { signal, onProgress });
    downloadFile(r.fileName, r.zip, 'application/zip');
    return r;
  });
  const { progress, result, error } = job;
  const busy = job.running;
  const d = inputs.data;
  const spec = d?.dataset ? { projectId, datasetId: d.dataset.id, planId: d.plan?.id ?? null, options, appVersion: __APP_VERSION__ } : null;
  const summary = useQuery({
    queryKey: keys.export.summary(spec),
    enabled: !!spec,
    staleTime: 0,
    queryFn: ({ signal }) => exportWorker().request({ type: 'summary', ...spec! }, { signal }),
  });
  if (inputs.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (inputs.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not read the project" error={inputs.error} />
      </div>
    );
  if (!d?.dataset) return <p className="p-6 text-sm text-slate-600">This project has no dataset yet: import one on the Data page first.</p>;
  const set = (patch: Partial<MergeOptions>) => setOptions((o) => ({ ...o, ...patch }));

  const run = () => void job.start({ ...spec!, format, compress: true, csvGuardFormulas });

  return (
    <div className="mx-auto max-w-4xl space-y-4 p-6 text-sm">
      <h2 className="text-lg font-semibold">Export the hybrid dataset</h2>
      <p className="text-slate-600" data-testid="export-plan">
        <Name text={d.dataset.name} /> · {d.dataset.rowCount.toLocaleString('en-US')} pairs ·{' '}
        {d.plan ? (
          <>
            routing plan v{d.plan.version} ({d.plan.strategy}, {d.plan.humanIdx.length.toLocaleString('en-US')} routed to humans), the plan
            in use:{' '}
            <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>
              pick another on the Route page
            </a>
          </>
        ) : (
          'no routing plan: pairs nobody annotated keep their LM label'
        )}
      </p>
      <section aria-label="Merge options" className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Human label from several annotators</span>
          <select
            aria-label="Aggregation"
            value={aggregationText(options.aggregate)}
            onChange={(e) => set({ aggregate: parseAggregation(e.target.value) })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="majority">Majority, strength collapsed (paper)</option>
            <option value="mean-strength">Mean strength</option>
            {d.annotators.map((a) => (
              <option key={a} value={`annotator:${a}`}>
                Only {stripBidiControls(a)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Routed to humans but not labelled</span>
          <select
            aria-label="Unlabelled"
            value={options.unlabelled}
            onChange={(e) => set({ unlabelled: e.target.value as MergeOptions['unlabelled'] })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="lm">Fall back to the LM label</option>
            <option value="omit">Leave out</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Ties</span>
          <select
            aria-label="Ties"
            value={options.ties}
            onChange={(e) => set({ ties: e.target.value as MergeOptions['ties'] })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="drop">Drop (paper)</option>
            <option value="keep">Keep (TRL formats cannot express them and skip them)</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Annotations that count</span>
          <select
            aria-label="Annotations that count"
            value={options.planId ?? ''}
            onChange={(e) =>
              setOptions((o) => {
                const { planId: _omit, ...rest } = o;
                return e.target.value === '' ? rest : { ...rest, planId: e.target.value };
              })
            }
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="">Every annotation of the dataset, whatever plan it was made under</option>
            {d.plan && <option value={d.plan.id}>Only those made under plan v{d.plan.version}</option>}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Pairs with an empty response or identical responses</span>
          <select
            aria-label="Empty or identical pairs"
            value={options.degenerate}
            onChange={(e) => set({ degenerate: e.target.value as MergeOptions['degenerate'] })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="drop">Leave out (they carry no preference)</option>
            <option value="keep">Keep</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Human labels already in the file</span>
          <select
            aria-label="File human labels"
            value={options.fileHuman}
            onChange={(e) => set({ fileHuman: e.target.value as MergeOptions['fileHuman'] })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="ignore">Ignore (only annotations made here count)</option>
            <option value="use">Use for routed pairs without annotations</option>
          </select>
        </label>
      </section>
      {summary.error && <ErrorMessage title="The merge cannot run" error={summary.error} />}
      {summary.data && <Summary s={summary.data} />}
      <section aria-label="Format" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Format</span>
          <FormatSelect label="Export format" value={format} onChange={setFormat} />
        </label>
        {format === 'csv' && (
          <label className="flex items-start gap-2">
            <input type="checkbox" checked={csvGuardFormulas} onChange={(e) => setCsvGuardFormulas(e.target.checked)} className="mt-1" />
            <span>
              Protect spreadsheets: a text cell that starts with =, +, -, @ gets a leading apostrophe, so a spreadsheet shows it instead of
              running it as a formula (counted in the manifest; JSON lines and Parquet never change text).
            </span>
          </label>
        )}
        <p className="text-slate-600">
          One zip: the data file, <code>manifest.json</code> (how it was produced) and <code>README.md</code> (a dataset card). Load the
          data with <code className="break-all">{datasetsLoadCall(format, `DATA_FILE.${FORMAT_INFO[format].extension}`)}</code> (the exact
          call is shown after the export and written in the manifest).
        </p>
        <Button variant="primary" disabled={busy || !summary.data} onClick={run}>
          Export zip
        </Button>
        {busy && <ProgressBar progress={progress} onCancel={job.cancel} />}
        {error ? <ErrorMessage title="The export failed" error={error} /> : null}
        {result && (
          <p role="status" data-testid="export-done" className="rounded-md bg-emerald-50 p-2 text-emerald-900">
            Exported {result.fileName}: <span data-testid="export-rows">{result.manifest.export.rows}</span> records in{' '}
            {result.manifest.export.file}. After unzipping: <code className="break-all">{result.manifest.export.loadWith}</code>
          </p>
        )}
      </section>
    </div>
  );
}

function Summary({ s }: { s: MergeSummary }) {
  const agreement = s.agreement;
  return (
    <section aria-label="Merge summary" data-testid="merge-summary" className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="mb-2 font-semibold">Before exporting</h3>
      <dl className="grid grid-cols-[16rem_1fr] gap-x-3 gap-y-0.5">
        <dt className="text-slate-500">Pairs in the hybrid dataset</dt>
        <dd data-testid="summary-output">{s.output}</dd>
        <dt className="text-slate-500">Human label / LM label</dt>
        <dd data-testid="summary-sources">
          {s.bySource.human} / {s.bySource.lm}
        </dd>
        <dt className="text-slate-500">Routed to humans</dt>
        <dd>
          {s.routed} ({s.routedLabelled} labelled, {s.routedUnlabelled} not)
        </dd>
        <dt className="text-slate-500">Labelled under another plan</dt>
        <dd data-testid="summary-outside">{s.humanOutsidePlan} pairs this plan does not route keep their human label</dd>
        {s.annotations.otherPlan > 0 && (
          <>
            <dt className="text-amber-800">Left out by the restriction</dt>
            <dd className="text-amber-800" data-testid="summary-other-plan">
              {s.annotations.otherPlan} annotations made under other plans are not used
            </dd>
          </>
        )}
        <dt className="text-slate-500">Annotations</dt>
        <dd>
          {s.annotations.given - s.annotations.carried} made, {s.annotations.counted} counted (latest per annotator and pair),{' '}
          {s.annotations.used} used
        </dd>
        <dt className="text-slate-500">Ties dropped (human / LM)</dt>
        <dd>
          {s.tiesDropped.human} / {s.tiesDropped.lm}
        </dd>
        <dt className="text-slate-500">Left out</dt>
        <dd data-testid="summary-left-out">
          {s.omitted.unlabelled} unlabelled, {s.omitted.noLabel} with no usable label, {s.omitted.degenerate.empty} with an empty response,{' '}
          {s.omitted.degenerate.identical} with identical responses
        </dd>
        <dt className="text-slate-500">Human–LM agreement</dt>
        <dd>
          {agreement.compared > 0
            ? `${agreement.agree} of ${agreement.compared} (${((agreement.agree / agreement.compared) * 100).toFixed(1)}%)`
            : 'no pair has both labels yet'}
        </dd>
      </dl>
    </section>
  );
}
