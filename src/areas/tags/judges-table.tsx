// The judges that answered on a dataset (one model with one template is one judge), and how their answers make
// its LM label: the primary judge's, or their majority. Changing it remakes the labels from the stored answers;
// nothing is sent to any endpoint.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { Name } from '../../components/name';
import { keys } from '../../data/queries';
import type { InconsistencyPolicy } from '../../domain/judge';
import type { EnsembleMode } from '../../domain/judge/combine';
import { analyzerWorker } from '../../workers/analyzer-client';

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

export function JudgesTable({ datasetId, policy, onChanged }: { datasetId: string; policy: InconsistencyPolicy; onChanged: () => void }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: keys.judges(datasetId),
    queryFn: ({ signal }) => analyzerWorker().request({ type: 'judges', datasetId }, { signal }),
  });
  // What the lead picked and has not applied yet; otherwise the stored settings.
  const [primary, setPrimary] = useState<string | null>(null);
  const [picked, setMode] = useState<EnsembleMode | null>(null);
  const stored = q.data?.settings;
  const mode = picked ?? stored?.ensemble ?? 'primary';
  const combine = useMutation({
    mutationFn: (settings: { primary: string; ensemble: EnsembleMode }) =>
      analyzerWorker().request({ type: 'judge-combine', datasetId, settings: { ...settings, policy } }),
    onSuccess: () => {
      setPrimary(null);
      setMode(null);
      void qc.invalidateQueries({ queryKey: keys.judges(datasetId) });
      onChanged();
    },
  });
  if (q.error) return <ErrorMessage title="Could not read the judges' answers" error={q.error} />;
  const judges = q.data?.judges ?? [];
  if (judges.length === 0) return null;
  const chosen = primary ?? stored?.primary ?? judges[0]!.judge;
  const changed = !stored || stored.primary !== chosen || stored.ensemble !== mode || stored.policy !== policy;
  return (
    <section aria-label="Judges on this dataset" className="mt-3 space-y-2" data-testid="judges-table">
      <h4 className="font-medium">Judges on this dataset</h4>
      <table className="w-full">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>Primary</th>
            <th>Judge (model and template)</th>
            <th className="text-right">Answers</th>
            <th className="text-right">Without a verdict</th>
            <th className="text-right">Pairs labelled</th>
            <th className="text-right">Flips with the order</th>
            <th className="text-right">Agrees with the primary</th>
            <th className="text-right">Cost</th>
          </tr>
        </thead>
        <tbody>
          {judges.map((j) => (
            <tr key={j.judge} className="border-t border-slate-100">
              <td>
                <input
                  type="radio"
                  name={`primary-judge-${datasetId}`}
                  aria-label={`Primary judge: ${j.judge}`}
                  checked={chosen === j.judge}
                  onChange={() => setPrimary(j.judge)}
                />
              </td>
              <td className="font-mono text-xs">
                <Name text={j.judge} />
              </td>
              <td className="text-right tabular-nums">{j.answers.toLocaleString('en-US')}</td>
              <td className="text-right tabular-nums">{j.unparseable.toLocaleString('en-US')}</td>
              <td className="text-right tabular-nums">{j.pairs.toLocaleString('en-US')}</td>
              <td className="text-right tabular-nums">{pct(j.flipRate)}</td>
              <td className="text-right tabular-nums">{pct(j.agreesWithPrimary)}</td>
              <td className="text-right tabular-nums">{j.cost === null ? '—' : j.cost.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-1">
          The LM label is
          <select
            aria-label="How the judges make the label"
            value={mode}
            onChange={(e) => setMode(e.target.value as EnsembleMode)}
            className="rounded-md border border-slate-300 px-1"
          >
            <option value="primary">the primary judge's</option>
            <option value="majority">the judges' majority</option>
          </select>
        </label>
        <Button disabled={!changed || combine.isPending} onClick={() => combine.mutate({ primary: chosen, ensemble: mode })}>
          Apply to the labels
        </Button>
        {combine.data && !combine.isPending && (
          <span role="status" data-testid="judges-applied">
            {combine.data.labelled.toLocaleString('en-US')} pairs labelled from the stored answers; the tags are computed again.
          </span>
        )}
        <span className="text-xs text-slate-500">
          Every judge's answers count in the vote split (a routing risk); the order flips are the primary judge's.
        </span>
      </div>
      {combine.error && <ErrorMessage title="Could not combine the judges" error={combine.error} />}
    </section>
  );
}
