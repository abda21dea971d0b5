import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { TAG_COUNT } from '../../domain/tags/tags';
import { PROXY_SCORE_COLUMN, spearman } from '../../domain/ppm-lab';
import { runProxy } from '../../workers/ppm-lab-client';
import type { LabRunSettings } from '../../workers/ppm-lab-protocol';
import { throwIfCancelled, useLabJob } from './fields';
import { NumberField } from '../../components/number-field';
import { sameRun, useLabStore, type SessionProxyRun } from './lab-store';
import { countsCsv, formatMetric, proxyResultsCsv } from './lab-text';
import { useShallow } from 'zustand/react/shallow';

/** The PROXY evaluator: a small local reward model per candidate, so the loop can be tried on one machine. */
export function ProxyPanel({
  datasetId,
  settings,
  disabled,
  goldMissing,
}: {
  datasetId: string;
  settings: LabRunSettings | null;
  disabled: boolean;
  goldMissing: boolean;
}) {
  const s = useLabStore(useShallow((x) => ({ epochs: x.epochs, k: x.k, proxy: x.proxy, set: x.set })));
  const job = useLabJob();
  const run = s.proxy;
  const start = () =>
    settings &&
    job.start(async (signal, onProgress) => {
      // A new run replaces the last one: scores of two runs are never on screen as if they were one.
      s.set({ proxy: null });
      const r = await runProxy(datasetId, settings, { epochs: s.epochs, signal, onProgress });
      throwIfCancelled(signal);
      s.set({ proxy: { ...r, settings }, fitSource: 'proxy' });
    });
  return (
    <section aria-label="Proxy evaluator" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">2. Score the mixes: your reward models, or the PROXY evaluator</h3>
      <p className="max-w-4xl text-slate-700">
        For a real PPM, train one reward model per candidate file and score it (the paper: RewardBench), then bring a results CSV to step 3.
        To try the loop here, the proxy trains a small Bradley–Terry model (hashed word n-grams and lengths, logistic regression) on each
        mix and scores it on the gold pairs' human labels. <strong>It is a PROXY for reward-model training, not a substitute:</strong> it
        learns wording and length cues, its gold pairs come from the same dataset, and a PPM fitted to it predicts the proxy.
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <NumberField label="Proxy epochs" value={s.epochs} min={1} max={50} integer onChange={(epochs) => s.set({ epochs })} />
        <Button variant="primary" disabled={disabled || !settings || job.running} onClick={start}>
          Run the proxy on {settings?.k ?? s.k} candidates
        </Button>
      </div>
      {goldMissing && <p className="text-amber-800">The proxy needs gold pairs to score on: set a gold share above 0.</p>}
      {job.running && <ProgressBar progress={job.progress} onCancel={job.cancel} />}
      {job.cancelled && (
        <p role="status" className="text-slate-600">
          Cancelled.
        </p>
      )}
      {job.error ? <ErrorMessage title="The proxy run failed" error={job.error} /> : null}
      {run && <ProxyResults run={run} stale={!!settings && !sameRun(run.settings, settings)} />}
    </section>
  );
}

function ProxyResults({ run, stale }: { run: SessionProxyRun; stale: boolean }) {
  const r = run.results;
  const acc = r.map((x) => x.accuracy);
  const allHuman = r.find((x) => x.fraction === 1);
  const allLm = r.find((x) => x.fraction === 0);
  const byShare = spearman(
    r.map((x) => x.fraction),
    acc,
  );
  const ids = r.map((x) => x.id);
  const counts = new Int32Array(r.length * TAG_COUNT);
  r.forEach((x, i) => counts.set(x.counts, i * TAG_COUNT));
  return (
    <div className="space-y-2">
      <div
        role="status"
        data-testid="proxy-done"
        className="flex flex-wrap items-center gap-3 rounded-md bg-emerald-50 p-2 text-emerald-900"
      >
        <span>
          PROXY scores for {r.length} candidates on {run.pool.gold.toLocaleString('en-US')} gold pairs: {PROXY_SCORE_COLUMN}{' '}
          {formatMetric(Math.min(...acc))}–{formatMetric(Math.max(...acc))}
          {allHuman && allLm ? ` (all human ${formatMetric(allHuman.accuracy)}, all LM ${formatMetric(allLm.accuracy)})` : ''};{' '}
          {run.workers} workers, {(run.trainMs / Math.max(1, r.length)).toFixed(0)} ms per candidate after{' '}
          {(run.prepareMs / 1000).toFixed(1)} s of reading and hashing.
        </span>
        <Button onClick={() => downloadFile('results.csv', proxyResultsCsv(r), 'text/csv')}>Download results.csv</Button>
        <Button onClick={() => downloadFile('counts.csv', countsCsv({ ids, counts }), 'text/csv')}>Download counts.csv</Button>
      </div>
      {stale && <p className="text-amber-800">The settings above changed since this run: these scores belong to the earlier candidates.</p>}
      <p className="text-slate-600">
        The human share of a mix alone ranks these scores with Spearman {formatMetric(byShare)}: a PPM fitted to them largely learns "more
        human labels, higher proxy accuracy".
      </p>
      <details>
        <summary className="cursor-pointer text-indigo-700">Every candidate</summary>
        <div className="max-h-72 overflow-auto">
          <table className="w-full" aria-label="Proxy results">
            <thead className="sticky top-0 bg-white text-left text-xs uppercase text-slate-500">
              <tr>
                <th>Candidate</th>
                <th className="text-right">Budget (share of pool)</th>
                <th className="text-right">Human in mix</th>
                <th className="text-right">Mix size</th>
                <th className="text-right">{PROXY_SCORE_COLUMN}</th>
                <th className="text-right">Train accuracy</th>
              </tr>
            </thead>
            <tbody>
              {r.map((x) => (
                <tr key={x.id} className="border-t border-slate-100 tabular-nums">
                  <td className="font-mono text-xs">{x.id}</td>
                  <td className="text-right">{(x.fraction * 100).toFixed(1)}%</td>
                  <td className="text-right">{x.humanInMix}</td>
                  <td className="text-right">{x.mixSize}</td>
                  <td className="text-right">{x.accuracy.toFixed(4)}</td>
                  <td className="text-right">{x.trainAccuracy.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
