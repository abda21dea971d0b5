import { Name } from '../../components/name';
import { stripBidiControls } from '../../domain/bidi';
import { useQuery } from '@tanstack/react-query';
import { agreementReport, ratingsFromAnnotations, type AgreementReport } from '../../domain/agreement';
import type { Annotation } from '../../domain/annotation';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { serializeAnnotationsFile } from '../../domain/merge';
import type { Preference } from '../../domain/labels';
import { routeHref } from '../../navigation/router';
import { listProjectAnnotations } from '../../storage/annotations-repo';
import { annotatedDatasetOf, listDatasets } from '../../storage/datasets-repo';
import { readInstances } from '../../storage/instances-repo';
import { openDb } from '../../storage/db';
import { currentPlan } from '../../storage/routing-repo';
import { keys } from '../../data/queries';
import { JudgeCalibration } from './judge-calibration';

/** The latest annotation per annotator and item (an item re-routed by a newer plan may carry two). */
function latestPerItem(list: readonly Annotation[]): Annotation[] {
  const m = new Map<string, Annotation>();
  for (const a of list) {
    const k = `${a.datasetId}|${a.idx}|${a.annotator}`;
    const prev = m.get(k);
    if (!prev || prev.updatedAt < a.updatedAt) m.set(k, a);
  }
  return [...m.values()];
}

async function loadReview(
  projectId: string,
): Promise<{ report: AgreementReport; datasetId: string | null; ids: Map<number, string> } | null> {
  const db = openDb();
  const plan = await currentPlan(db, projectId);
  const all = await listProjectAnnotations(db, projectId);
  const datasetId = plan?.datasetId ?? all[0]?.datasetId ?? null;
  if (!datasetId) return null;
  const mine = latestPerItem(all.filter((a) => a.datasetId === datasetId));
  const ratings = ratingsFromAnnotations(mine);
  const idx = [...new Set(ratings.map((r) => r.idx))];
  const rows = await readInstances(db, datasetId, idx);
  const lm = new Map<number, Preference>();
  for (const r of rows) if (r.lm) lm.set(r.idx, r.lm.value);
  const report = agreementReport(ratings, { lm, ...(plan ? { routed: plan.humanIdx } : {}) });
  return { report, datasetId, ids: new Map(rows.map((r) => [r.idx, r.id])) };
}

/**
 * Every annotation of the project as one file, the format `hyper merge --annotations` reads, with the datasets
 * they were made on and how their A/B sides were fixed (so a merge on the same file read another way is refused).
 */
async function downloadAnnotations(projectId: string): Promise<void> {
  const db = openDb();
  const [all, datasets] = await Promise.all([listProjectAnnotations(db, projectId), listDatasets(db, projectId)]);
  const used = new Set(all.map((a) => a.datasetId));
  const head = { datasets: datasets.filter((d) => used.has(d.id)).map(annotatedDatasetOf), exportedAt: new Date().toISOString() };
  downloadFile('annotations.json', serializeAnnotationsFile(all, head), 'application/json');
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** The Review area: the LM judge against people, agreement between annotators and with the judge, work, disagreements. */
export function ReviewArea({ projectId }: { projectId: string }) {
  return (
    <>
      <JudgeCalibration projectId={projectId} />
      <AnnotationReview projectId={projectId} />
    </>
  );
}

function AnnotationReview({ projectId }: { projectId: string }) {
  const q = useQuery({ queryKey: keys.annotations.review(projectId), queryFn: () => loadReview(projectId), staleTime: 0 });
  if (q.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (q.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not compute the review" error={q.error} />
      </div>
    );
  if (!q.data || q.data.report.ratings === 0) return <p className="p-6 text-sm text-slate-600">No submitted annotations yet.</p>;
  const { report, datasetId, ids } = q.data;
  return (
    <div className="mx-auto max-w-5xl space-y-4 p-6 text-sm">
      <div className="flex items-center gap-3">
        <h2 className="text-lg font-semibold">Review</h2>
        <Button onClick={() => void downloadAnnotations(projectId)}>Download all annotations (JSON)</Button>
      </div>
      <p className="text-slate-600">
        {report.ratings} submitted labels by {report.annotators.length} annotators; {report.overlapping} pairs labelled by two or more.
      </p>
      <section aria-label="Agreement between annotators" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="mb-2 font-semibold">Between annotators</h3>
        <table className="w-full" aria-label="Cohen's kappa per pair of annotators">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th>Annotators</th>
              <th className="text-right">Shared pairs</th>
              <th className="text-right">Cohen's κ (winner)</th>
              <th className="text-right">κ, five-point, quadratic</th>
              <th className="text-right">Observed agreement</th>
            </tr>
          </thead>
          <tbody>
            {report.pairs.map((p) => (
              <tr key={`${p.first}|${p.second}`} className="border-t border-slate-100">
                <td>
                  <Name text={p.first} /> · <Name text={p.second} />
                </td>
                <td className="text-right tabular-nums">{p.winner.n}</td>
                <td className="text-right tabular-nums" data-testid={`kappa-${p.first}-${p.second}`} data-value={p.winner.kappa ?? ''}>
                  {p.winner.kappa === null ? `undefined (${p.winner.undefinedReason})` : fmt(p.winner.kappa)}
                </td>
                <td className="text-right tabular-nums">{fmt(p.fivePoint.kappa)}</td>
                <td className="text-right tabular-nums">{fmt(p.winner.observed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2">
          Krippendorff's α (all annotators): winner, nominal{' '}
          <strong data-testid="alpha-winner" data-value={report.alpha.winnerNominal.alpha ?? ''}>
            {fmt(report.alpha.winnerNominal.alpha)}
          </strong>
          ; five-point, ordinal <strong>{fmt(report.alpha.fivePointOrdinal.alpha)}</strong> ({report.alpha.winnerNominal.units} pairs with
          two or more labels).
        </p>
      </section>
      {report.humanLm && (
        <section aria-label="Agreement with the LM judge" className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 className="mb-2 font-semibold">Humans and the LM judge (routed pairs)</h3>
          <p data-testid="human-lm">
            Majority human winner equals the LM's on {report.humanLm.agree} of {report.humanLm.compared} pairs (
            {report.humanLm.rate === null ? '—' : `${(report.humanLm.rate * 100).toFixed(1)}%`}); κ {fmt(report.humanLm.kappa.kappa)}.
            {report.humanLm.noMajority > 0 && ` ${report.humanLm.noMajority} pairs have no human majority.`}
            {report.humanLm.missingLm > 0 && ` ${report.humanLm.missingLm} pairs have no LM label.`}
          </p>
        </section>
      )}
      <section aria-label="Annotators" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="mb-2 font-semibold">Per annotator</h3>
        <table className="w-full" aria-label="Work per annotator">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th>Annotator</th>
              <th className="text-right">Submitted</th>
              <th className="text-right">Median s / pair</th>
              <th className="text-right">Mean s / pair</th>
            </tr>
          </thead>
          <tbody>
            {report.annotatorStats.map((s) => (
              <tr key={s.annotator} className="border-t border-slate-100">
                <td>
                  <Name text={s.annotator} />
                </td>
                <td className="text-right tabular-nums">{s.items}</td>
                <td className="text-right tabular-nums">{s.medianMs === null ? '—' : (s.medianMs / 1000).toFixed(1)}</td>
                <td className="text-right tabular-nums">{s.meanMs === null ? '—' : (s.meanMs / 1000).toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Disagreements" className="rounded-lg border border-slate-200 bg-white p-4">
        <h3 className="mb-2 font-semibold">Disagreements ({report.disagreements.length})</h3>
        <ul className="space-y-1">
          {report.disagreements.map((d) => (
            <li key={d.idx}>
              <a
                className="text-indigo-700 underline"
                href={routeHref({ page: 'project', projectId, area: 'data', ...(datasetId ? { datasetId } : {}), item: d.idx })}
              >
                Pair {ids.get(d.idx) ?? d.idx + 1}
              </a>
              : {d.ratings.map((r) => `${stripBidiControls(r.annotator)} ${r.overall}`).join(', ')}
              {d.lm ? ` · LM ${d.lm}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
