import { useState } from 'react';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { TAG_COUNT } from '../../domain/tags/tags';
import {
  chooseFit,
  parseCountsCsv,
  parseResultsCsv,
  PROXY_OUTPUT_MEANING,
  PROXY_SCORE_COLUMN,
  type FitData,
  type FitResult,
  type PpmFitKind,
} from '../../domain/ppm-lab';
import { routeHref } from '../../navigation/router';
import { ppmLabWorker } from '../../workers/ppm-lab-client';
import { FitChart } from './fit-chart';
import { throwIfCancelled, useLabJob } from './fields';
import { NumberField } from '../../components/number-field';
import { useLabStore, type FitOutcome, type LabFile } from './lab-store';
import {
  countsTableOf,
  defaultScoreColumn,
  fitDataFromProxy,
  fittedPpmFileName,
  fittedPpmName,
  formatMetric,
  resultsColumns,
  type SessionCounts,
} from './lab-text';
import { useInstallPpm } from './queries';
import { useShallow } from 'zustand/react/shallow';

async function readText(file: File): Promise<LabFile> {
  return { name: file.name, text: await file.text() };
}

/** Step 3: scores in (the proxy's, or a results CSV), a cross-validated linear/quadratic PPM out. */
export function FitPanel({ projectId }: { projectId: string }) {
  const s = useLabStore(
    useShallow((x) => ({
      counts: x.counts,
      fit: x.fit,
      fitKind: x.fitKind,
      fitSeed: x.fitSeed,
      fitSource: x.fitSource,
      folds: x.folds,
      meaning: x.meaning,
      proxy: x.proxy,
      results: x.results,
      run: x.run,
      score: x.score,
      set: x.set,
    })),
  );
  const job = useLabJob();
  const [readError, setReadError] = useState<unknown>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const session: { counts: SessionCounts; what: string } | null = s.run
    ? { counts: s.run.table, what: `the ${s.run.table.ids.length} candidates generated in this session` }
    : s.proxy
      ? {
          counts: { ids: s.proxy.results.map((r) => r.id), counts: concatCounts(s.proxy.results.map((r) => r.counts)) },
          what: `the ${s.proxy.results.length} candidates of this session's proxy run`,
        }
      : null;
  const scoreChoices = s.results ? resultsColumns(s.results.text).scores : [];
  const source = s.fitSource === 'proxy' && !s.proxy ? 'file' : s.fitSource;

  const fit = () => {
    setReadError(null);
    // Reading the files is quick and its errors (file, line, column) belong next to the inputs, so it runs here.
    let data: FitData;
    let score: string;
    let from: string;
    const found: string[] = [];
    try {
      if (source === 'proxy') {
        data = fitDataFromProxy(s.proxy!.results);
        score = PROXY_SCORE_COLUMN;
        from = `PROXY accuracies of ${data.n} candidates (seed ${s.proxy!.settings.seed}) computed in HyPER Workbench`;
      } else {
        if (!s.results) throw new Error('Choose a results CSV first.');
        score = s.score || defaultScoreColumn(scoreChoices) || '';
        const counts = s.counts ? parseCountsCsv(s.counts.text, s.counts.name) : session ? countsTableOf(session.counts) : undefined;
        const parsed = parseResultsCsv(s.results.text, {
          score,
          ...(counts ? { counts } : {}),
          file: s.results.name,
          countsFile: s.counts?.name ?? 'this session’s candidates',
        });
        data = parsed;
        from = `score column ${score} of ${s.results.name}`;
        found.push(
          `${parsed.n} scored candidates from ${s.results.name}, ${parsed.source === 'joined' ? `counts joined from ${s.counts?.name ?? session!.what}` : 'counts from its own columns'}.`,
        );
        if (parsed.unscored.length > 0)
          found.push(
            `${parsed.unscored.length} candidates have no score and are left out (first: ${parsed.unscored.slice(0, 3).join(', ')}).`,
          );
      }
    } catch (e) {
      setReadError(e);
      return;
    }
    if (data.y.every((v) => v === data.y[0]))
      found.push(`Every ${score} is ${data.y[0]}: there is nothing to fit, the PPM will be a constant.`);
    setNotes(found);
    const proxy = score === PROXY_SCORE_COLUMN;
    const meaning = proxy ? PROXY_OUTPUT_MEANING : s.meaning.trim() || 'as in the results file';
    const kinds: PpmFitKind[] = s.fitKind === 'both' ? ['linear', 'quadratic'] : [s.fitKind];
    void job.start(async (signal, onProgress) => {
      s.set({ fit: null });
      const r = await ppmLabWorker().request(
        {
          type: 'fit',
          data: { features: [...data.features], X: data.X, y: data.y, n: data.n, ...(data.ids ? { ids: [...data.ids] } : {}) },
          kinds,
          folds: s.folds,
          seed: s.fitSeed,
          output: `${score}: ${meaning}`,
          scoresFrom: from,
        },
        { signal, onProgress },
      );
      throwIfCancelled(signal);
      s.set({ fit: { fits: r.fits, models: r.models, score, from, proxy, ms: r.ms } });
    });
  };

  return (
    <section aria-label="Fit" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">3. Fit the PPM</h3>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="sr-only">Scores to fit</legend>
        <label className="flex items-center gap-1">
          <input
            type="radio"
            name="fit-source"
            checked={source === 'proxy'}
            disabled={!s.proxy}
            onChange={() => s.set({ fitSource: 'proxy' })}
          />
          PROXY results of this session{s.proxy ? ` (${s.proxy.results.length} candidates)` : ' (run the proxy first)'}
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="fit-source" checked={source === 'file'} onChange={() => s.set({ fitSource: 'file' })} /> A results CSV
        </label>
      </fieldset>
      {source === 'file' && (
        <div className="space-y-2">
          <div className="flex flex-wrap items-end gap-4">
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">Results CSV (a score column and candidate_id, or the count columns)</span>
              <input
                type="file"
                accept=".csv,.tsv,.txt"
                aria-label="Results CSV"
                className="text-xs"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  const file = await readText(f);
                  const cols = resultsColumns(file.text);
                  s.set({ results: file, score: defaultScoreColumn(cols.scores) ?? '', fit: null });
                }}
              />
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">counts.csv of the run (optional)</span>
              <input
                type="file"
                accept=".csv,.tsv,.txt"
                aria-label="Counts CSV"
                className="text-xs"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  s.set({ counts: f ? await readText(f) : null });
                }}
              />
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">Score column</span>
              <select
                aria-label="Score column"
                value={s.score}
                disabled={scoreChoices.length === 0}
                onChange={(e) => s.set({ score: e.target.value })}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                {scoreChoices.length === 0 && <option value="">(choose a results file)</option>}
                {scoreChoices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">What the score means (written into the model)</span>
              <input
                aria-label="Score meaning"
                value={s.meaning}
                placeholder="e.g. RewardBench Overall, 0..1"
                onChange={(e) => s.set({ meaning: e.target.value })}
                className="w-72 rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          </div>
          <p className="text-slate-600">
            {s.counts
              ? `Candidate ids are joined with ${s.counts.name}.`
              : session
                ? `Without a counts.csv, candidate ids are joined with ${session.what} (same settings, same candidates).`
                : 'Without a counts.csv, the results file must hold the count columns under the paper’s feature strings.'}
          </p>
        </div>
      )}
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-600">Kind</span>
          <select
            aria-label="Kind"
            value={s.fitKind}
            onChange={(e) => s.set({ fitKind: e.target.value as PpmFitKind | 'both' })}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            <option value="both">Linear and quadratic</option>
            <option value="linear">Linear</option>
            <option value="quadratic">Quadratic (counts and all their products)</option>
          </select>
        </label>
        <NumberField label="Folds" value={s.folds} min={2} max={50} integer onChange={(folds) => s.set({ folds })} />
        <NumberField label="CV seed" value={s.fitSeed} min={0} max={2 ** 31 - 1} integer onChange={(fitSeed) => s.set({ fitSeed })} />
        <Button variant="primary" disabled={job.running || (source === 'proxy' ? !s.proxy : !s.results)} onClick={fit}>
          Fit PPM
        </Button>
      </div>
      {readError ? <ErrorMessage title="Could not read the scores" error={readError} /> : null}
      {notes.length > 0 && (
        <ul className="ml-5 list-disc text-slate-700">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {job.running && <ProgressBar progress={job.progress} onCancel={job.cancel} />}
      {job.cancelled && (
        <p role="status" className="text-slate-600">
          Cancelled.
        </p>
      )}
      {job.error ? <ErrorMessage title="The fit failed" error={job.error} /> : null}
      {s.fit && <FitReport key={s.fit.ms} outcome={s.fit} projectId={projectId} />}
    </section>
  );
}

function concatCounts(rows: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(rows.length * TAG_COUNT);
  rows.forEach((r, i) => out.set(r, i * TAG_COUNT));
  return out;
}

const pm = (m: { mean: number; std: number }, digits: number) => `${formatMetric(m.mean, digits)} ± ${formatMetric(m.std, digits)}`;

function FitReport({ outcome, projectId }: { outcome: FitOutcome; projectId: string }) {
  const { fits, score } = outcome;
  const choice = chooseFit(fits);
  const best = choice.best;
  const [chosen, setChosen] = useState(best);
  const install = useInstallPpm();
  const f = fits[chosen]!;
  const name = fittedPpmName(f, score);
  return (
    <div className="space-y-3" data-testid="cv-report">
      <table className="w-full" aria-label="Cross-validation report">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>Kind</th>
            <th className="text-right">λ (relative)</th>
            <th className="text-right">CV Spearman (mean ± sd)</th>
            <th className="text-right">CV RMSE (mean ± sd)</th>
            <th className="text-right">Train RMSE</th>
            <th className="text-right">Terms</th>
            <th className="pl-4">Solver</th>
          </tr>
        </thead>
        <tbody>
          {fits.map((x, i) => (
            <tr
              key={x.kind}
              className="border-t border-slate-100 tabular-nums"
              data-kind={x.kind}
              data-spearman={x.cv.spearman.mean}
              data-rmse={x.cv.rmse.mean}
            >
              <td>
                {x.kind}
                {fits.length > 1 && i === best ? (choice.clear ? ' (lower CV RMSE)' : ' (simpler; no clear difference)') : ''}
              </td>
              <td className="text-right">{x.lambda}</td>
              <td className="text-right">{pm(x.cv.spearman, 3)}</td>
              <td className="text-right">{pm(x.cv.rmse, 4)}</td>
              <td className="text-right">{formatMetric(x.train.rmse, 4)}</td>
              <td className="text-right">{x.terms}</td>
              <td className="pl-4">{x.solver}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {fits.length > 1 && (
        <p className="text-slate-600" data-testid="fit-choice">
          Kept: {fits[best]!.kind}, {choice.reason}.
        </p>
      )}
      <p className="text-slate-600">
        {f.n} candidates, {f.folds}-fold cross-validation (seed {f.seed}); λ is relative to the mean eigenvalue and chosen by the lowest
        mean fold RMSE on the same folds, so the report is slightly optimistic (no nested CV). {f.usedFeatures.length} of {TAG_COUNT}{' '}
        features vary over the candidates; the others get no weight. Fitted in {(outcome.ms / 1000).toFixed(2)} s.{' '}
        {outcome.proxy
          ? 'These are PROXY accuracies: the PPM predicts the proxy, not a RewardBench score, and is not comparable with the paper’s Table 2.'
          : 'The paper’s Table 2, for comparison (MultiPref, RewardBench Overall): Spearman 0.41 linear, 0.61 quadratic.'}
      </p>
      <details>
        <summary className="cursor-pointer text-indigo-700">Per fold, and every λ tried</summary>
        <div className="flex flex-wrap gap-8">
          {fits.map((x) => (
            <FoldTable key={x.kind} fit={x} />
          ))}
        </div>
      </details>
      {fits.length > 1 && (
        <label className="flex items-center gap-2">
          Model
          <select
            aria-label="Model"
            value={chosen}
            onChange={(e) => setChosen(Number(e.target.value))}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            {fits.map((x, i) => (
              <option key={x.kind} value={i}>
                {x.kind}
              </option>
            ))}
          </select>
        </label>
      )}
      <FitChart points={f.outOfFold} score={score} />
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="primary" disabled={install.isPending} onClick={() => install.mutate({ bytes: outcome.models[chosen]!, name })}>
          Install as the project's PPM
        </Button>
        <Button
          onClick={() =>
            downloadFile(fittedPpmFileName(f, score), outcome.models[chosen]! as Uint8Array<ArrayBuffer>, 'application/octet-stream')
          }
        >
          Download .onnx
        </Button>
      </div>
      {install.error ? <ErrorMessage title="Could not store the PPM" error={install.error} /> : null}
      {install.data && (
        <p role="status" data-testid="ppm-installed" className="rounded-md bg-emerald-50 p-2 text-emerald-900">
          Installed “<span data-testid="ppm-installed-name">{install.data.name}</span>”. Choose it in the PPM list of{' '}
          <a className="underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>
            the Route page
          </a>{' '}
          to route with it.
        </p>
      )}
    </div>
  );
}

function FoldTable({ fit }: { fit: FitResult }) {
  return (
    <div className="space-y-2">
      <table aria-label={`Folds of the ${fit.kind} fit`} className="tabular-nums">
        <caption className="text-left font-medium">
          {fit.kind}: per fold at λ {fit.lambda}
        </caption>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>Fold</th>
            <th className="pl-4 text-right">Spearman</th>
            <th className="pl-4 text-right">RMSE</th>
          </tr>
        </thead>
        <tbody>
          {fit.cv.spearman.folds.map((sp, i) => (
            <tr key={i} className="border-t border-slate-100">
              <td>{i + 1}</td>
              <td className="pl-4 text-right">{formatMetric(sp)}</td>
              <td className="pl-4 text-right">{formatMetric(fit.cv.rmse.folds[i]!, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label={`Lambdas of the ${fit.kind} fit`} className="tabular-nums">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>λ</th>
            <th className="pl-4 text-right">CV Spearman</th>
            <th className="pl-4 text-right">CV RMSE</th>
          </tr>
        </thead>
        <tbody>
          {fit.grid.map((g) => (
            <tr key={g.lambda} className={`border-t border-slate-100 ${g.lambda === fit.lambda ? 'font-semibold' : ''}`}>
              <td>{g.lambda}</td>
              <td className="pl-4 text-right">{pm(g.spearman, 3)}</td>
              <td className="pl-4 text-right">{pm(g.rmse, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
