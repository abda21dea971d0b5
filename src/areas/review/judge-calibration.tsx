// The LM judge against people, for a dataset judged with `hyper judge`: accuracy and Cohen's kappa over winners,
// how often its verdict flips with the order, the calibration of its confidence, and the tags it errs on most.
import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../../components/error-message';
import { Name } from '../../components/name';
import { keys, useCurrentPlan, useDatasets } from '../../data/queries';
import type { ReliabilityBin } from '../../domain/judge';
import { exportWorker } from '../../workers/export-client';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

export function JudgeCalibration({ projectId }: { projectId: string }) {
  const plan = useCurrentPlan(projectId);
  const datasets = useDatasets(projectId);
  const datasetId = plan.data?.datasetId ?? datasets.data?.[datasets.data.length - 1]?.id;
  const q = useQuery({
    queryKey: keys.annotations.judgeCalibration(projectId, datasetId ?? ''),
    enabled: datasetId !== undefined,
    staleTime: 0,
    queryFn: ({ signal }) => exportWorker().request({ type: 'calibration', projectId, datasetId: datasetId! }, { signal }),
  });
  if (q.error) return <ErrorMessage title="Could not compare the LM judge with people" error={q.error} />;
  if (!q.data) return null;
  const { report, judged } = q.data;
  return (
    <div className="mx-auto max-w-5xl px-6 pt-6 text-sm">
      <section
        aria-label="LM judge against people"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        data-testid="judge-calibration"
      >
        <h3 className="font-semibold">LM judge against people</h3>
        {report.n === 0 ? (
          <p className="text-slate-600">
            {judged.toLocaleString('en-US')} pairs carry the judge's verdicts; none has a human label yet (from the file or submitted here).
          </p>
        ) : (
          <>
            <p>
              On <strong>{report.n.toLocaleString('en-US')}</strong> pairs with both labels: accuracy{' '}
              <strong data-testid="judge-accuracy">{pct(report.accuracy)}</strong>, Cohen's κ{' '}
              {report.kappa === null ? '—' : report.kappa.toFixed(3)} (winners A, B, tie); the verdict flips when the responses swap places
              on {pct(report.positionBiasRate)} of the pairs judged in both orders.
              {report.noVerdict > 0 ? ` ${report.noVerdict} pairs with a human label have no readable verdict.` : ''}
            </p>
            {q.data.judges.length > 1 && (
              <table className="w-full" aria-label="Each judge against people">
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th>Judge</th>
                    <th className="text-right">Pairs</th>
                    <th className="text-right">Accuracy</th>
                    <th className="text-right">Cohen's κ</th>
                    <th className="text-right">Flips with the order</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.judges.map((j) => (
                    <tr key={j.judge} className="border-t border-slate-100">
                      <td className="font-mono text-xs">
                        <Name text={j.judge} />
                      </td>
                      <td className="text-right tabular-nums">{j.n}</td>
                      <td className="text-right tabular-nums">{pct(j.accuracy)}</td>
                      <td className="text-right tabular-nums">{j.kappa === null ? '—' : j.kappa.toFixed(3)}</td>
                      <td className="text-right tabular-nums">{pct(j.positionBiasRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {report.calibration ? (
              <div>
                <p>
                  Confidence (the verdict token's probability): expected calibration error {report.calibration.ece.toFixed(3)}, Brier score{' '}
                  {report.calibration.brier.toFixed(3)} over {report.calibration.n} pairs.
                </p>
                <Reliability bins={report.calibration.bins} />
              </div>
            ) : (
              <p className="text-slate-600">
                No confidence to calibrate: judge with --logprobs (an endpoint that returns logprobs) to measure it.
              </p>
            )}
            {report.byTag.length > 0 && (
              <table className="w-full" aria-label="Where the judge errs most">
                <thead className="text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th>Tag (the paper's feature)</th>
                    <th className="text-right">Pairs</th>
                    <th className="text-right">Judge wrong</th>
                  </tr>
                </thead>
                <tbody>
                  {report.byTag.map((t) => (
                    <tr key={t.tag} className="border-t border-slate-100">
                      <td className="font-mono text-xs">{t.tag}</td>
                      <td className="text-right tabular-nums">{t.n}</td>
                      <td className="text-right tabular-nums">{pct(t.errorRate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
    </div>
  );
}

/** A reliability diagram: per confidence bin, the judge's accuracy (bar) against the diagonal of perfect calibration. */
function Reliability({ bins }: { bins: ReliabilityBin[] }) {
  const W = 240;
  const H = 120;
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Reliability diagram: accuracy per confidence bin"
      className="mt-2"
    >
      <line x1={0} y1={H} x2={W} y2={0} stroke="#94a3b8" strokeDasharray="4 3" />
      {bins.map((b) => (
        <rect
          key={b.from}
          x={b.from * W + 1}
          y={H - b.accuracy * H}
          width={(b.to - b.from) * W - 2}
          height={b.accuracy * H}
          fill="#6366f1"
          opacity={0.7}
        >
          <title>{`confidence ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${b.n} pairs, accuracy ${(100 * b.accuracy).toFixed(0)}%`}</title>
        </rect>
      ))}
    </svg>
  );
}
