import { Name } from '../../components/name';
import { useEffect } from 'react';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import type { TagSet } from '../../domain/tags/tag-set';
import { routeHref } from '../../navigation/router';
import type { DatasetRow } from '../../storage/db';
import { ppmLabWorker } from '../../workers/ppm-lab-client';
import type { LabRunSettings, PoolSummary } from '../../workers/ppm-lab-protocol';
import { FitPanel } from './fit-panel';
import { throwIfCancelled, useLabJob } from './fields';
import { NumberField } from '../../components/number-field';
import { useLabStore } from './lab-store';
import { countsCsv, parseBudgetList } from './lab-text';
import { ProxyPanel } from './proxy-panel';
import { useDatasets, useTagSet } from '../../data/queries';
import { usePoolSummary } from './queries';
import { useShallow } from 'zustand/react/shallow';

/** The PPM lab: candidate mixes out, reward-model scores (or the PROXY's) in, a fitted PPM for routing. */
export function LabArea({ projectId }: { projectId: string }) {
  const datasets = useDatasets(projectId);
  const dataset = datasets.data?.[datasets.data.length - 1];
  const tagSet = useTagSet(dataset?.id);
  if (datasets.isPending || (dataset && tagSet.isPending)) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (datasets.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not read the project's datasets" error={datasets.error} />
      </div>
    );
  if (!dataset) {
    return (
      <p className="p-6 text-sm text-slate-600">
        This project has no dataset yet: import one with both human and LM labels per pair (a PandaLM or MultiPref file, for example) on the
        Data page first.
      </p>
    );
  }
  if (!tagSet.data) {
    return (
      <p className="p-6 text-sm text-slate-700" role="status" data-testid="lab-no-tags">
        The PPM lab needs the dataset's tags, and none are stored for {dataset.name} (or they were computed by an older version).{' '}
        <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'tags' })}>
          Compute tags
        </a>{' '}
        first.
      </p>
    );
  }
  return <LabPanel projectId={projectId} dataset={dataset} tagSet={tagSet.data} />;
}

/** The run settings as the domain takes them, or what is wrong with them. */
function runSettings(
  s: Pick<ReturnType<typeof useLabStore.getState>, 'budgetMode' | 'budgetText' | 'cap' | 'goldShare' | 'includeExtremes' | 'k' | 'seed'>,
): { settings: LabRunSettings } | { error: string } {
  let budgets: LabRunSettings['budgets'] = 'random';
  if (s.budgetMode === 'list') {
    const r = parseBudgetList(s.budgetText);
    if ('error' in r) return r;
    budgets = r.budgets;
  }
  return {
    settings: {
      k: s.k,
      budgets,
      includeExtremes: s.budgetMode === 'random' && s.includeExtremes,
      seed: s.seed,
      cap: s.cap > 0 ? s.cap : null,
      goldShare: s.goldShare,
    },
  };
}

function LabPanel({ projectId, dataset, tagSet }: { projectId: string; dataset: DatasetRow; tagSet: TagSet }) {
  const s = useLabStore(
    useShallow((x) => ({
      budgetMode: x.budgetMode,
      budgetText: x.budgetText,
      cap: x.cap,
      datasetId: x.datasetId,
      forDataset: x.forDataset,
      goldShare: x.goldShare,
      includeExtremes: x.includeExtremes,
      k: x.k,
      seed: x.seed,
      set: x.set,
    })),
  );
  const forDataset = s.forDataset;
  useEffect(() => forDataset(dataset.id), [forDataset, dataset.id]);
  const pool = usePoolSummary(dataset.id, tagSet.createdAt, s.goldShare, s.seed);
  const parsed = runSettings(s);
  const settings = 'settings' in parsed ? parsed.settings : null;
  const usable = !!pool.data && pool.data.size > 0;
  if (s.datasetId !== dataset.id) return null;

  return (
    <div className="mx-auto max-w-6xl space-y-5 p-6 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">PPM lab</h2>
        <span className="text-slate-500">
          <Name text={dataset.name} /> · {dataset.rowCount.toLocaleString('en-US')} pairs
        </span>
      </div>
      <p className="max-w-4xl text-slate-700">
        Fit a performance prediction model for this dataset as the paper did for MultiPref: generate candidate mixes of human and LM labels,
        train one reward model per mix on your own infrastructure, bring its scores back as a CSV, fit and cross-validate the PPM, and
        install it for routing. The built-in proxy evaluator closes the loop on this machine for trials; it is a <strong>proxy</strong>, not
        reward-model training.
      </p>
      <PoolSection pool={pool.data} loading={pool.isFetching} error={pool.error} tagSet={tagSet} />
      <section aria-label="Candidates" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="font-semibold">1. Candidate mixes</h3>
        <div className="flex flex-wrap items-end gap-4">
          <NumberField label="Candidates (K)" value={s.k} min={1} max={100_000} integer onChange={(k) => s.set({ k })} />
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-600">Budgets</span>
            <select
              aria-label="Budgets"
              value={s.budgetMode}
              onChange={(e) => s.set({ budgetMode: e.target.value as 'random' | 'list' })}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              <option value="random">Random (uniform in 1 … pool − 1)</option>
              <option value="list">A list of fractions</option>
            </select>
          </label>
          {s.budgetMode === 'list' ? (
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">Fractions of the pool (candidate i takes the i-th, cycling)</span>
              <input
                aria-label="Budget list"
                value={s.budgetText}
                onChange={(e) => s.set({ budgetText: e.target.value })}
                className="w-72 rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          ) : (
            <label className="flex items-center gap-1 pb-1">
              <input type="checkbox" checked={s.includeExtremes} onChange={(e) => s.set({ includeExtremes: e.target.checked })} /> All-human
              and all-LM mixes first
            </label>
          )}
          <NumberField label="Seed" value={s.seed} min={0} max={2 ** 31 - 1} integer onChange={(seed) => s.set({ seed })} />
          <NumberField
            label="Cap (pairs per mix, 0 = none)"
            value={s.cap}
            min={0}
            max={10_000_000}
            integer
            onChange={(cap) => s.set({ cap })}
          />
          <NumberField
            label="Gold share"
            value={s.goldShare}
            min={0}
            max={0.9}
            step={0.05}
            onChange={(goldShare) => s.set({ goldShare })}
          />
        </div>
        <p className="text-slate-600">
          Gold pairs are held out of every mix; the proxy scores on them. For reward models you train yourself, a gold share of 0 puts every
          pair in the pool. The zip holds one TRL file per candidate (<code>candidates/&lt;id&gt;.jsonl</code>), the ids of its
          human-labelled pairs, <code>counts.csv</code> (the PPM input) and <code>manifest.json</code>; the same settings give the same
          candidates.
        </p>
        {'error' in parsed && <ErrorMessage title="Check the budgets" error={parsed.error} />}
        <GenerateControls datasetId={dataset.id} settings={settings} disabled={!usable} />
      </section>
      <ProxyPanel
        datasetId={dataset.id}
        settings={settings}
        disabled={!usable || (pool.data?.gold ?? 0) === 0}
        goldMissing={!!pool.data && pool.data.gold === 0}
      />
      <FitPanel projectId={projectId} />
    </div>
  );
}

function PoolSection({
  pool,
  loading,
  error,
  tagSet,
}: {
  pool: PoolSummary | undefined;
  loading: boolean;
  error: unknown;
  tagSet: TagSet;
}) {
  const available = tagSet.coverage.filter((c) => c.available).length;
  const missing = new Map<string, number>();
  for (const c of tagSet.coverage)
    if (!c.available) missing.set(c.reason ?? 'unavailable', (missing.get(c.reason ?? 'unavailable') ?? 0) + 1);
  const e = pool?.excluded;
  return (
    <section aria-label="Dataset and tags" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <p data-testid="lab-tags">
        <strong>{available}</strong> of {tagSet.coverage.length} tags are available (the paper's 90 and the 6 LM judge features).
        {missing.size > 0 && ' Missing (they count as zero in every mix, so a PPM fitted here cannot use them):'}
      </p>
      {missing.size > 0 && (
        <ul className="ml-5 list-disc text-slate-700">
          {[...missing].map(([reason, n]) => (
            <li key={reason}>
              {n} tags: {reason}
            </li>
          ))}
        </ul>
      )}
      {error ? <ErrorMessage title="Could not read the dataset" error={error} /> : null}
      {pool && e && (
        <p data-testid="pool-summary" className={loading ? 'opacity-60' : ''}>
          Pool: <strong>{pool.size.toLocaleString('en-US')}</strong> pairs with both a human and an LM winner (
          {pool.disagreements.toLocaleString('en-US')} where they differ). Left out: {e.gold} gold, {e.humanTie} human ties,{' '}
          {e.humanMissing} without a human label, {e.lmTie} LM ties, {e.lmMissing} without an LM label.
        </p>
      )}
      {pool && pool.size === 0 && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
          No pair has both a human and an LM winner, so there is nothing to mix. The lab needs both labels on each pair (an imported PandaLM
          file has them; ties and missing labels are dropped, as in the paper).
        </div>
      )}
      {pool && pool.size > 0 && pool.disagreements === 0 && (
        <p className="rounded-md bg-amber-50 p-2 text-amber-900">
          Humans and the LM agree on every pool pair: every mix has the same labels, so every reward model would score the same.
        </p>
      )}
      {!pool && loading && <p className="text-slate-500">Reading the labels…</p>}
    </section>
  );
}

function GenerateControls({ datasetId, settings, disabled }: { datasetId: string; settings: LabRunSettings | null; disabled: boolean }) {
  const s = useLabStore(useShallow((x) => ({ run: x.run, set: x.set })));
  const job = useLabJob();
  const run = s.run;
  const generate = () =>
    settings &&
    job.start(async (signal, onProgress) => {
      const r = await ppmLabWorker().request({ type: 'generate', datasetId, settings }, { signal, onProgress });
      throwIfCancelled(signal);
      s.set({ run: { settings, table: r.table, pool: r.pool, zip: r.zip, fileName: r.fileName, bytes: r.bytes, ms: r.ms } });
      downloadFile(r.fileName, r.zip, 'application/zip');
    });
  const sizes = run?.table.mixSize ?? [];
  const humans = run?.table.humanInMix ?? [];
  return (
    <div className="space-y-2">
      <Button variant="primary" disabled={disabled || !settings || job.running} onClick={generate}>
        Generate candidates (zip)
      </Button>
      {job.running && <ProgressBar progress={job.progress} onCancel={job.cancel} />}
      {job.cancelled && (
        <p role="status" className="text-slate-600">
          Cancelled: nothing was written.
        </p>
      )}
      {job.error ? <ErrorMessage title="Could not generate the candidates" error={job.error} /> : null}
      {run && (
        <div
          role="status"
          data-testid="candidates-done"
          className="flex flex-wrap items-center gap-3 rounded-md bg-emerald-50 p-2 text-emerald-900"
        >
          <span>
            {run.table.ids.length} candidates: mixes of {Math.min(...sizes).toLocaleString('en-US')}–
            {Math.max(...sizes).toLocaleString('en-US')} pairs, {Math.min(...humans).toLocaleString('en-US')}–
            {Math.max(...humans).toLocaleString('en-US')} with the human label; {run.fileName} ({(run.bytes / 1e6).toFixed(1)} MB) in{' '}
            {(run.ms / 1000).toFixed(1)} s.
          </span>
          <Button onClick={() => downloadFile(run.fileName, run.zip, 'application/zip')}>Download the zip again</Button>
          <Button onClick={() => downloadFile('counts.csv', countsCsv(run.table), 'text/csv')}>Download counts.csv</Button>
        </div>
      )}
    </div>
  );
}
