// Parts of the Route page: the routed outcome, the gain per tag, why one pair is routed or not.

import { useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import type { RouteOutcome } from '../../workers/routing-protocol';
import { useExplain } from './queries';

/** Scores of the paper prior are small (sums of 1e-3 gains): show significant digits, not fixed decimals. */
export function formatScore(v: number): string {
  return Math.abs(v) >= 0.1 ? v.toFixed(4) : v.toPrecision(4);
}

export function Outcome({ outcome, allLm, cost, stale }: { outcome: RouteOutcome; allLm: number; cost: number; stale: boolean }) {
  const { plan } = outcome;
  const refinement = plan.refinement;
  // The strategy's own prediction; a refined plan's is shown on its own line.
  const predicted = refinement?.startPredicted ?? plan.predicted;
  return (
    <div
      className={`rounded-md bg-slate-50 p-3 ${stale ? 'opacity-60' : ''}`}
      data-testid="route-outcome"
      aria-busy={stale}
      data-ms={outcome.ms}
      data-budget={plan.humanIdx.length}
      data-strategy={outcome.spec.strategy}
      data-seed={plan.seed ?? ''}
      data-candidates={outcome.evaluated}
    >
      {stale && (
        <p className="text-xs text-slate-500" role="status">
          Updating…
        </p>
      )}
      <p>
        <strong>{plan.humanIdx.length.toLocaleString('en-US')}</strong> pairs to humans · predicted{' '}
        <strong data-testid="predicted" data-value={predicted}>
          {formatScore(predicted)}
        </strong>{' '}
        ({predicted - allLm >= 0 ? '+' : ''}
        {formatScore(predicted - allLm)} over all-LM) · {outcome.evaluated.toLocaleString('en-US')}{' '}
        {outcome.evaluated === 1 ? 'candidate' : 'candidates'} evaluated · cost {cost.toLocaleString('en-US', { maximumFractionDigits: 2 })}
      </p>
      {outcome.plan.judge?.refit && (
        <p className="mt-1 text-slate-700" data-testid="outcome-refit">
          Judge risk learnt from {outcome.plan.judge.refit.n} pairs with both a human and a judge label (the judge was wrong on{' '}
          {outcome.plan.judge.refit.errors}
          ); pairs people labelled stay routed.
        </p>
      )}
      {outcome.outsideFitRange && (
        <p className="mt-1 text-amber-800" data-testid="outcome-extrapolation">
          {outcome.outsideFitRange}.
        </p>
      )}
      {refinement && (
        <p className="mt-1 text-slate-700">
          Local search (beyond the paper): {refinement.swapsAccepted} swaps, predicted {formatScore(plan.predicted)} (
          {(refinement.improvement >= 0 ? '+' : '') + refinement.improvement.toPrecision(3)})
          {refinement.localOptimum ? ', a swap-local optimum' : ''}.
        </p>
      )}
    </div>
  );
}

export function TagGains({ gains }: { gains: { tag: string; gain: number; carriers: number }[] }) {
  const [all, setAll] = useState(false);
  const sorted = [...gains].sort((a, b) => b.gain - a.gain);
  const shown = all ? sorted : sorted.slice(0, 12);
  return (
    <section aria-labelledby="gains-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 id="gains-title" className="mb-2 font-semibold">
        Gain per tag (this PPM on this dataset)
      </h3>
      <p className="mb-2 text-slate-600">
        Average predicted gain per instance when up to 100 random instances carrying the tag go to humans (the analogue of the paper's Table
        13).
      </p>
      <table className="w-full" aria-label="Gain per tag">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>Tag</th>
            <th className="text-right">Gain per instance</th>
            <th className="text-right">Pairs with it</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((g) => (
            <tr key={g.tag} className="border-t border-slate-100">
              <td className="font-mono text-xs">{g.tag}</td>
              <td className="text-right tabular-nums" data-value={g.gain}>
                {g.gain.toExponential(3)}
              </td>
              <td className="text-right tabular-nums">{g.carriers.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button variant="ghost" onClick={() => setAll(!all)}>
        {all ? 'Show fewer' : `Show all ${gains.length}`}
      </Button>
    </section>
  );
}

export function Explain({
  session,
  n,
  chosen,
  hybridWeight,
}: {
  session: string;
  n: number;
  chosen: Uint32Array | undefined;
  /** Set when the strategy is hybrid: the score's two parts are shown. */
  hybridWeight: number | null;
}) {
  const [text, setText] = useState('1');
  const idx = text.trim() === '' ? Number.NaN : Number(text) - 1;
  const valid = Number.isInteger(idx) && idx >= 0 && idx < n;
  const explain = useExplain(session, valid ? idx : null, true);
  const routed = valid && chosen ? chosen.includes(idx) : null;
  const excluded = explain.data?.excluded ?? null;
  return (
    <section aria-labelledby="explain-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 id="explain-title" className="mb-2 font-semibold">
        Why this pair?
      </h3>
      <label className="flex items-center gap-2">
        Pair number{' '}
        <input
          aria-label="Explain pair number"
          aria-invalid={!valid}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-28 rounded-md border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500"
        />
      </label>
      {!valid && (
        <p role="alert" className="mt-1 text-red-700">
          Enter a pair number from 1 to {n.toLocaleString('en-US')}.
        </p>
      )}
      {valid && explain.isFetching && !explain.data && <p className="mt-1 text-slate-500">Computing…</p>}
      {valid && explain.error && <ErrorMessage title="Could not explain this pair" error={explain.error} />}
      {valid && excluded && (
        <p className="mt-2" data-testid="explain">
          Pair {idx + 1} is never routed:{' '}
          {excluded === 'identical' ? 'its two responses are the same text' : 'one of its responses is empty'}, so it carries no preference.
        </p>
      )}
      {valid && explain.data && !excluded && (
        <div className="mt-2" data-testid="explain">
          <p>
            {routed === null ? '' : routed ? 'Routed to humans. ' : 'Kept with the LM label. '}
            Its own gain: {explain.data.gain.toExponential(3)}. Contribution of each of its tags (gain lost if the tag were absent):
          </p>
          {explain.data.risk !== null && (
            <p className="mt-1" data-testid="explain-risk">
              Judge risk {explain.data.risk.toFixed(2)} (how likely the LM judge's label is wrong); gain rank{' '}
              {explain.data.gainRank.toFixed(2)}
              {hybridWeight === null
                ? '.'
                : `; hybrid score ${hybridWeight} x ${explain.data.gainRank.toFixed(2)} + ${(1 - hybridWeight).toFixed(2)} x ${explain.data.risk.toFixed(2)} = ${(hybridWeight * explain.data.gainRank + (1 - hybridWeight) * explain.data.risk).toFixed(3)}.`}
            </p>
          )}
          <ul className="mt-1">
            {explain.data.tags.map((t) => (
              <li key={t.tag} className="flex justify-between gap-3 font-mono text-xs">
                <span>{t.tag}</span>
                <span className="tabular-nums">{t.contribution.toExponential(3)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
