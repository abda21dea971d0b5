import { Name } from '../../components/name';
import { useEffect, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import type { ImportReport } from '../../domain/formats/report';
import { defaultChosenLabelSource } from '../../domain/formats/layouts';
import {
  DEFAULT_MAP_OPTIONS,
  LAYOUT_TEXT,
  type ColumnMapping,
  type LabelSource,
  type MapOptions,
  type LayoutId,
} from '../../domain/formats/types';
import { PREFERENCES, PREFERENCE_TEXT } from '../../domain/labels';
import type { InspectResult } from '../../workers/import-protocol';
import { importWorker } from '../../workers/import-client';
import { ColumnMappingForm, mappingProblem } from './column-mapping';

const SHAPES_WITH_CHOSEN: readonly LayoutId[] = ['trl-string', 'trl-conversational', 'anthropic-hh'];
const LIST_PAGE = 100;

function baseName(fileName: string): string {
  return fileName.replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '') || fileName;
}

/** The validation report and the choices that shape it (shape, mapping, options), before anything is stored. */
export function ImportReview(props: {
  inspected: InspectResult;
  onImport: (shape: LayoutId, options: MapOptions, datasetName: string) => void;
  onDiscard: () => void;
}) {
  const { inspected } = props;
  const best = inspected.guesses.find((g) => g.score > 0);
  const [shape, setLayout] = useState<LayoutId>(best?.shape ?? 'custom');
  const [options, setOptions] = useState<MapOptions>({
    ...DEFAULT_MAP_OPTIONS,
    chosenLabelSource: defaultChosenLabelSource(best?.shape ?? 'custom'),
  });
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [report, setReport] = useState<ImportReport | null>(inspected.report);
  const [evaluating, setEvaluating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState(baseName(inspected.fileName));

  // A file whose every row is a syntax error (an unclosed quote, one broken JSON line) has no columns to map:
  // say what is wrong and where, not "no known layout".
  const unreadable = inspected.rowsRead === 0 && inspected.readProblems.length > 0;
  const problem = shape === 'custom' ? mappingProblem(mapping) : null;
  const effective: MapOptions = shape === 'custom' && mapping ? { ...options, mapping } : options;

  // Re-check every row whenever the shape, mapping or options change (in the worker; the page stays free).
  useEffect(() => {
    if (shape === 'custom' && problem) {
      setReport(null);
      return;
    }
    let live = true;
    setEvaluating(true);
    importWorker()
      .request({ type: 'evaluate', sessionId: inspected.sessionId, shape, options: effective })
      .then((r) => live && (setReport(r), setError(null)))
      .catch((e: unknown) => live && (setReport(null), setError(e)))
      .finally(() => live && setEvaluating(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- effective is derived from these
  }, [inspected.sessionId, shape, options, mapping, problem]);

  const chooseLayout = (s: LayoutId) => {
    setLayout(s);
    setOptions((o) => ({ ...o, chosenLabelSource: defaultChosenLabelSource(s) }));
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4 text-sm">
        <div>
          <p className="text-xs text-slate-500">File</p>
          <p className="font-medium">
            <Name text={inspected.fileName} />
          </p>
          <p className="text-xs text-slate-500">
            {inspected.format.toUpperCase()}
            {inspected.compressed ? ' (gzip)' : ''} · SHA-256 {inspected.contentHash.slice(0, 12)}…
          </p>
        </div>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Layout</span>
          <select
            aria-label="Layout"
            value={shape}
            onChange={(e) => chooseLayout(e.target.value as LayoutId)}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            {inspected.guesses
              .filter((g) => g.score > 0 && g.shape !== 'custom')
              .map((g) => (
                <option key={g.shape} value={g.shape}>
                  {LAYOUT_TEXT[g.shape]}
                  {g === best ? ' (recognised)' : ''}
                </option>
              ))}
            <option value="custom">{LAYOUT_TEXT.custom}</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Dataset name</span>
          <input
            aria-label="Dataset name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
      </div>
      {inspected.notes.map((n) => (
        <p key={n} className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="alert" data-testid="import-note">
          {n}
        </p>
      ))}
      {unreadable ? (
        <div
          role="alert"
          className="space-y-1 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900"
          data-testid="unreadable"
        >
          <p className="font-semibold">
            No row of <Name text={inspected.fileName} /> could be read: {inspected.format.toUpperCase()} syntax errors.
          </p>
          <ul className="list-disc pl-5">
            {inspected.readProblems.slice(0, 10).map((p) => (
              <li key={p.row}>
                Line {p.row}: <bdi>{p.reason}</bdi>
              </li>
            ))}
          </ul>
          {inspected.readProblems.length > 10 && <p>… and more; fix the first ones and import the file again.</p>}
        </div>
      ) : (
        <>
          {!best && (
            <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900" role="status">
              This file's columns match no known layout. Map the columns below.
            </p>
          )}
          {shape === 'custom' && <ColumnMappingForm inspected={inspected} onChange={setMapping} />}
        </>
      )}
      <fieldset className="flex flex-wrap gap-6 text-sm">
        <legend className="sr-only">Import options</legend>
        {SHAPES_WITH_CHOSEN.includes(shape) && (
          <>
            <label className="flex items-center gap-2">
              Chosen/rejected labels come from
              <select
                aria-label="Chosen/rejected labels come from"
                value={options.chosenLabelSource}
                onChange={(e) => setOptions({ ...options, chosenLabelSource: e.target.value as LabelSource })}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                <option value="lm">an LM judge</option>
                <option value="human">human annotators</option>
              </select>
            </label>
            <label
              className="flex items-center gap-2"
              title="The chosen response is placed on A or B by a coin seeded with this number, so the position does not reveal the label."
            >
              Side seed
              <input
                type="number"
                aria-label="Side seed"
                value={options.seed}
                onChange={(e) => setOptions({ ...options, seed: Number(e.target.value) || 0 })}
                className="w-24 rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          </>
        )}
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={options.rejectEmptyResponses}
            onChange={(e) => setOptions({ ...options, rejectEmptyResponses: e.target.checked })}
          />
          Reject pairs with an empty response
        </label>
      </fieldset>
      {problem && (
        <p className="text-sm text-slate-600" role="status">
          {problem}
        </p>
      )}
      {error !== null && <ErrorMessage title="These settings cannot read the file" error={error} />}
      {report && <ReportView report={report} stale={evaluating} />}
      <div className="flex gap-2">
        <Button
          variant="primary"
          disabled={!report || evaluating || report.importable === 0 || name.trim() === ''}
          onClick={() => report && props.onImport(shape, effective, name.trim())}
        >
          {report ? `Import ${report.importable.toLocaleString('en-US')} pairs` : 'Import'}
        </Button>
        <Button onClick={props.onDiscard}>Discard file</Button>
      </div>
    </div>
  );
}

function ReportView({ report, stale }: { report: ImportReport; stale: boolean }) {
  const [rejectShown, setRejectShown] = useState(LIST_PAGE);
  const [warnShown, setWarnShown] = useState(LIST_PAGE);
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    <section aria-label="Validation report" aria-busy={stale} className={`space-y-3 ${stale ? 'opacity-60' : ''}`}>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="Rows read" value={n(report.rowsRead)} testId="rows-read" />
        <Stat label="Importable" value={n(report.importable)} testId="rows-importable" />
        <Stat label="Rejected" value={n(report.rejected.length)} testId="rows-rejected" />
        <Stat label="Warnings" value={n(report.warnings.length)} testId="rows-warnings" />
        <Stat label="With LM label" value={n(report.withLmLabel)} testId="with-lm" />
        <Stat label="With human label" value={n(report.withHumanLabel)} testId="with-human" />
        <Stat label="With descriptive tags" value={n(report.withTags)} />
        <Stat label="With score columns" value={n(report.withScores)} />
      </dl>
      <LabelCounts title="LM labels" counts={report.lmCounts} />
      <LabelCounts title="Human labels" counts={report.humanCounts} />
      {report.rejected.length > 0 && (
        <details open className="rounded-md border border-red-200 bg-red-50 p-2 text-sm">
          <summary className="cursor-pointer font-medium text-red-900">
            Rejected rows ({n(report.rejected.length)}): they will not be imported
          </summary>
          <table className="mt-2 w-full text-left" aria-label="Rejected rows">
            <thead>
              <tr>
                <th className="w-24 pr-2">Line/row</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.slice(0, rejectShown).map((r, i) => (
                <tr key={`${r.row}-${i}`}>
                  <td className="pr-2 tabular-nums">{r.row}</td>
                  <td className="pair-text">{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rejected.length > rejectShown && (
            <Button variant="ghost" onClick={() => setRejectShown((s) => s + LIST_PAGE * 5)}>
              Show more
            </Button>
          )}
        </details>
      )}
      {report.warnings.length > 0 && (
        <details className="rounded-md border border-amber-200 bg-amber-50 p-2 text-sm">
          <summary className="cursor-pointer font-medium text-amber-900">
            Warnings ({n(report.warnings.length)}): these rows are imported
          </summary>
          <table className="mt-2 w-full text-left" aria-label="Warnings">
            <thead>
              <tr>
                <th className="w-24 pr-2">Line/row</th>
                <th>Warning</th>
              </tr>
            </thead>
            <tbody>
              {report.warnings.slice(0, warnShown).map((w, i) => (
                <tr key={`${w.row}-${i}`}>
                  <td className="pr-2 tabular-nums">{w.row}</td>
                  <td className="pair-text">{w.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.warnings.length > warnShown && (
            <Button variant="ghost" onClick={() => setWarnShown((s) => s + LIST_PAGE * 5)}>
              Show more
            </Button>
          )}
        </details>
      )}
    </section>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-100 p-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function LabelCounts({ title, counts }: { title: string; counts: ImportReport['lmCounts'] }) {
  const total = PREFERENCES.reduce((s, p) => s + counts[p], 0);
  if (total === 0) return null;
  return (
    <p className="text-xs text-slate-600">
      <span className="font-medium">{title}:</span>{' '}
      {PREFERENCES.filter((p) => counts[p] > 0)
        .map((p) => `${PREFERENCE_TEXT[p]} ${counts[p].toLocaleString('en-US')}`)
        .join(' · ')}
    </p>
  );
}
