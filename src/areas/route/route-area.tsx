import { Name } from '../../components/name';
import { stripBidiControls } from '../../domain/bidi';
import { useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { NumberField } from '../../components/number-field';
import { ConfirmFor } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import {
  askedBudget,
  interpolateCurve,
  RISK_STRATEGIES,
  planBudget,
  resolveBudget,
  strategySpec,
  type StrategyName,
} from '../../domain/routing';
import { routeHref } from '../../navigation/router';
import { featuresByFamily } from '../../domain/tags/tags';
import type { BackendChoice } from '../../workers/routing-protocol';
import { BudgetChart, ErrorsCaughtChart } from './budget-chart';
import { useCurrentPlan, useDatasets, usePlanLabelCounts, usePlans, usePpms, useTagSet } from '../../data/queries';
import {
  routingSessionKey,
  useBudgetCurve,
  useLockPlan,
  usePreparedRouting,
  useRiskCurve,
  useRoute,
  useRemovePpm,
  useUploadPpm,
} from './queries';
import { useRouteSettings } from './route-settings';
import { useShallow } from 'zustand/react/shallow';
import { downloadPlan, PlanHistory } from './plan-history';
import { Explain, formatScore, Outcome, TagGains } from './route-parts';

const STRATEGY_TEXT: Record<StrategyName, string> = {
  simulated: 'Simulated (Algorithm 1, best of K candidates)',
  topk: 'Gain top-k',
  positive: 'Positive gain (budget is an output)',
  best: 'Best over budgets ("unlimited budget")',
  risk: 'Judge risk (the pairs the LM judge most likely got wrong)',
  hybrid: 'Hybrid (PPM gain and judge risk)',
};

const BACKEND_TEXT: Record<BackendChoice, string> = { auto: 'Automatic (WebGPU on a real GPU, else WASM)', wasm: 'WASM', webgpu: 'WebGPU' };

/** The Route area: pick a PPM, a strategy and a budget; see predicted quality and cost; lock a plan. */
export function RouteArea({ projectId }: { projectId: string }) {
  const datasets = useDatasets(projectId);
  const dataset = datasets.data?.[datasets.data.length - 1];
  const tagSet = useTagSet(dataset?.id);
  if (datasets.isPending || tagSet.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (!dataset) return <p className="p-6 text-sm text-slate-600">This project has no dataset yet: import one on the Data page first.</p>;
  if (!tagSet.data) {
    return (
      <p className="p-6 text-sm text-slate-700">
        Routing needs the dataset's tags.{' '}
        <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'tags' })}>
          Compute tags
        </a>{' '}
        first.
      </p>
    );
  }
  return (
    <RoutePanel
      projectId={projectId}
      datasetId={dataset.id}
      datasetName={dataset.name}
      n={tagSet.data.n}
      tagSetAt={tagSet.data.createdAt}
    />
  );
}

function RoutePanel({
  projectId,
  datasetId,
  datasetName,
  n,
  tagSetAt,
}: {
  projectId: string;
  datasetId: string;
  datasetName: string;
  n: number;
  tagSetAt: number;
}) {
  const ppms = usePpms();
  const upload = useUploadPpm();
  const remove = useRemovePpm();
  const [removing, setRemoving] = useState<string | null>(null);
  const s = useRouteSettings(
    useShallow((x) => ({
      backend: x.backend,
      budgetCount: x.budgetCount,
      budgetKind: x.budgetKind,
      candidates: x.candidates,
      costHuman: x.costHuman,
      costLm: x.costLm,
      ppmHash: x.ppmHash,
      refine: x.refine,
      seed: x.seed,
      set: x.set,
      strategy: x.strategy,
      weight: x.weight,
      adaptive: x.adaptive,
    })),
  );
  const ppmHash = s.ppmHash ?? ppms.data?.find((p) => p.builtIn)?.hash;
  const prepared = usePreparedRouting(datasetId, ppmHash, tagSetAt, s.backend);
  const ready = prepared.isSuccess;
  const session = ppmHash ? routingSessionKey(datasetId, ppmHash, tagSetAt, s.backend) : '';
  const curve = useBudgetCurve(session, s.strategy === 'topk' ? 'topk' : 'simulated', s.candidates, s.seed, ready);
  // Pairs with an empty response or identical responses are never routed: the budget is at most the rest.
  const routable = prepared.data?.routable ?? n;
  // Judge risk routing needs the judge signals on every routable pair (a file written by `hyper judge`).
  const riskReady = prepared.data?.judgeRisk?.missing === 0;
  const count = Math.max(0, Math.min(routable, s.budgetCount ?? Math.round(n * 0.25)));
  const [settled, setSettled] = useState(count);
  useEffect(() => {
    // Routing runs when the slider rests; while it moves, the chart reads the precomputed curve.
    const t = setTimeout(() => setSettled(count), 200);
    return () => clearTimeout(t);
  }, [count]);
  // Positive gain chooses its own budget; best over budgets takes the budget as the most it may spend.
  const budgetFree = s.strategy === 'positive';
  const spec = useMemo(
    () =>
      strategySpec(
        s.strategy,
        { budget: budgetFree ? null : settled, K: s.candidates, seed: s.seed, refine: s.refine, weight: s.weight },
        routable,
      ),
    [s.strategy, budgetFree, settled, s.candidates, s.seed, s.refine, s.weight, routable],
  );
  const adaptive = RISK_STRATEGIES.includes(s.strategy) && s.adaptive;
  const riskCurve = useRiskCurve(
    session,
    s.strategy === 'hybrid' ? 'hybrid' : 'risk',
    s.weight,
    adaptive,
    ready && riskReady && RISK_STRATEGIES.includes(s.strategy),
  );
  const route = useRoute(session, spec, ready, adaptive);
  const plans = usePlans(projectId);
  const lock = useLockPlan(projectId);
  const outcome = route.data;
  const humanCount = (budgetFree || s.strategy === 'best') && outcome ? outcome.plan.humanIdx.length : count;
  const cost = humanCount * s.costHuman + (n - humanCount) * s.costLm;
  const interpolated = useMemo(() => interpolateCurve(curve.data?.points ?? [], count), [curve.data, count]);
  const current = useCurrentPlan(projectId).data ?? undefined;
  const labelCounts = usePlanLabelCounts(projectId);
  const labelledOnCurrent = (current && labelCounts.data?.get(current.id)?.labels) ?? 0;

  return (
    <div className="mx-auto max-w-6xl space-y-5 p-6 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">Route</h2>
        <span className="text-slate-500">
          <Name text={datasetName} /> · {n.toLocaleString('en-US')} pairs
        </span>
      </div>
      <section aria-label="Performance prediction model" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-600">PPM</span>
            <select
              aria-label="PPM"
              value={ppmHash ?? ''}
              onChange={(e) => s.set({ ppmHash: e.target.value })}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              {ppms.data?.map((p) => (
                <option key={p.hash} value={p.hash}>
                  {stripBidiControls(p.name)}
                  {p.builtIn ? ' (built in)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-600">Runs on</span>
            <select
              aria-label="Backend"
              value={s.backend}
              onChange={(e) => s.set({ backend: e.target.value as BackendChoice })}
              className="rounded-md border border-slate-300 px-2 py-1"
            >
              {(Object.keys(BACKEND_TEXT) as BackendChoice[]).map((k) => (
                <option key={k} value={k}>
                  {BACKEND_TEXT[k]}
                </option>
              ))}
            </select>
          </label>
          {ppmHash && ppms.data?.find((p) => p.hash === ppmHash && !p.builtIn) && (
            <Button variant="ghost" onClick={() => setRemoving(ppmHash)} aria-label="Remove this PPM">
              Remove
            </Button>
          )}
          <label className="flex flex-col gap-1">
            <span className="text-xs text-slate-600">Upload a PPM (.onnx)</span>
            <input
              type="file"
              accept=".onnx"
              aria-label="Upload a PPM"
              className="text-xs"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) upload.mutate(f, { onSuccess: (hash) => s.set({ ppmHash: hash }) });
              }}
            />
          </label>
        </div>
        {ppms.error && <ErrorMessage title="Could not load the built-in PPMs" error={ppms.error} />}
        {upload.isPending && (
          <p className="text-slate-500" role="status">
            Checking the PPM file…
          </p>
        )}
        {upload.error && <ErrorMessage title="The PPM was not stored" error={upload.error} />}
        {remove.error && <ErrorMessage title="Could not remove the PPM" error={remove.error} />}
        <ConfirmFor
          target={removing}
          title="Remove this PPM?"
          confirmText="Remove"
          danger
          onClose={() => setRemoving(null)}
          onConfirm={(hash) => remove.mutate(hash, { onSuccess: () => s.set({ ppmHash: undefined }) })}
        >
          <p>It is removed from this browser. Plans locked with it keep its name and hash; upload the file again to route with it.</p>
        </ConfirmFor>
        {prepared.error && <ErrorMessage title="This PPM cannot be used" error={prepared.error} />}
        {prepared.isFetching && <p className="text-slate-500">Loading the PPM and the tags…</p>}
        {prepared.data && (
          <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-0.5" data-testid="ppm-summary">
            <dt className="text-slate-500">Kind</dt>
            <dd>
              {prepared.data.ppm.kind}, {prepared.data.ppm.featureCount} features
            </dd>
            <dt className="text-slate-500">Output</dt>
            <dd>{prepared.data.ppm.output}</dd>
            <dt className="text-slate-500">Source</dt>
            <dd>{prepared.data.ppm.source}</dd>
            <dt className="text-slate-500">Runs on</dt>
            <dd data-testid="ppm-backend">{prepared.data.ppm.backend}</dd>
            <dt className="text-slate-500">Missing in the data</dt>
            <dd>
              {prepared.data.ppm.missingInData.length === 0 ? (
                'none: every PPM feature is available'
              ) : (
                <>
                  {prepared.data.ppm.missingInData.length} features count as zero:
                  <ul className="ml-4 list-disc" aria-label="Features missing in the data">
                    {featuresByFamily(prepared.data.ppm.missingInData).map((line) => (
                      <li key={line} title={line}>
                        {line}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </dd>
          </dl>
        )}
        {prepared.data?.ppm.allHumanOutside && (
          <p className="rounded-md bg-amber-50 p-2 text-amber-900" data-testid="ppm-extrapolation">
            {prepared.data.ppm.allHumanOutside}. Budgets near all-human ask this PPM about mixes larger than any it was fitted on.
          </p>
        )}
      </section>

      {prepared.data && (
        <section aria-label="Strategy and budget" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-end gap-4">
            <label className="flex flex-col gap-1">
              <span className="text-xs text-slate-600">Strategy</span>
              <select
                aria-label="Strategy"
                value={s.strategy}
                onChange={(e) => s.set({ strategy: e.target.value as StrategyName })}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                {(Object.keys(STRATEGY_TEXT) as StrategyName[]).map((k) => (
                  <option key={k} value={k} disabled={RISK_STRATEGIES.includes(k) && !riskReady}>
                    {STRATEGY_TEXT[k]}
                    {RISK_STRATEGIES.includes(k) && !riskReady ? ' (needs judge signals)' : ''}
                  </option>
                ))}
              </select>
            </label>
            {s.strategy === 'hybrid' && (
              <NumberField label="Gain weight" value={s.weight} min={0} max={1} step={0.05} onChange={(weight) => s.set({ weight })} />
            )}
            {RISK_STRATEGIES.includes(s.strategy) && (
              <label
                className="flex items-center gap-1"
                title="Fit a model of the judge's errors on the pairs people labelled; those stay routed, the rest are ranked by it"
              >
                <input type="checkbox" checked={s.adaptive} onChange={(e) => s.set({ adaptive: e.target.checked })} /> Learn from the human
                labels
              </label>
            )}
            <NumberField
              label="Candidates (K)"
              value={s.candidates}
              min={1}
              max={5000}
              integer
              onChange={(candidates) => s.set({ candidates })}
            />
            <NumberField label="Seed" value={s.seed} min={0} max={2 ** 31 - 1} integer onChange={(seed) => s.set({ seed })} />
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={s.refine} onChange={(e) => s.set({ refine: e.target.checked })} /> Refine with local search
            </label>
          </div>
          <div className="flex flex-wrap items-end gap-4">
            <label className="flex min-w-[20rem] flex-1 flex-col gap-1">
              <span className="text-xs text-slate-600">
                Human budget{s.strategy === 'best' ? ' (at most)' : ''}: {count.toLocaleString('en-US')} pairs (
                {((count / Math.max(1, n)) * 100).toFixed(1)}%)
              </span>
              <input
                type="range"
                aria-label="Human budget"
                min={0}
                max={routable}
                step={1}
                value={count}
                disabled={budgetFree}
                onChange={(e) => s.set({ budgetCount: Number(e.target.value), budgetKind: 'count' })}
              />
            </label>
            <NumberField
              label="Budget (pairs)"
              value={count}
              min={0}
              max={routable}
              integer
              onChange={(v) => s.set({ budgetCount: v, budgetKind: 'count' })}
            />
            <NumberField
              label="Budget (%)"
              value={Math.round((count / Math.max(1, n)) * 1000) / 10}
              min={0}
              max={Math.floor((routable / Math.max(1, n)) * 1000) / 10}
              step={0.1}
              onChange={(v) => s.set({ budgetCount: Math.min(routable, Math.round((v / 100) * n)), budgetKind: 'fraction' })}
            />
            <NumberField
              label="Cost per human label"
              value={s.costHuman}
              min={0}
              max={1e6}
              step={0.01}
              onChange={(costHuman) => s.set({ costHuman })}
            />
            <NumberField
              label="Cost per LM label"
              value={s.costLm}
              min={0}
              max={1e6}
              step={0.001}
              onChange={(costLm) => s.set({ costLm })}
            />
            <NumberField
              label="Total money"
              value={Math.round(count * s.costHuman + (n - count) * s.costLm)}
              min={0}
              max={1e12}
              onChange={(total) =>
                s.set({
                  budgetCount: resolveBudget({ kind: 'money', value: total, n, costHuman: s.costHuman, costLm: s.costLm }),
                  budgetKind: 'money',
                })
              }
            />
          </div>
          {routable < n && prepared.data && (
            <p className="text-slate-600" data-testid="route-excluded">
              {(n - routable).toLocaleString('en-US')} pairs are never routed: {prepared.data.excluded.empty} with an empty response,{' '}
              {prepared.data.excluded.identical} with identical responses (they carry no preference; Export leaves them out too). At most{' '}
              {routable.toLocaleString('en-US')} pairs can go to humans.
            </p>
          )}
          <BudgetChart
            n={n}
            points={curve.data?.points ?? []}
            allLm={prepared.data.allLm}
            allHuman={prepared.data.allHuman}
            current={{
              budget: humanCount,
              predicted:
                outcome && !route.isPlaceholderData && (budgetFree || s.strategy === 'best' || outcome.plan.humanIdx.length === count)
                  ? (outcome.plan.refinement?.startPredicted ?? outcome.plan.predicted)
                  : (interpolated ?? prepared.data.allLm),
            }}
            loading={curve.isFetching}
            ms={curve.data?.ms}
          />
          {curve.error && <ErrorMessage title="Could not compute the budget curve" error={curve.error} />}
          {RISK_STRATEGIES.includes(s.strategy) && riskCurve.data && (
            <ErrorsCaughtChart
              n={routable}
              points={riskCurve.data.points}
              total={riskCurve.data.total}
              current={Math.min(count, routable)}
              loading={riskCurve.isFetching}
            />
          )}
          {riskCurve.error && <ErrorMessage title="Could not compute the errors-caught curve" error={riskCurve.error} />}
          {route.error && <ErrorMessage title="Routing failed" error={route.error} />}
          {route.isPending && route.fetchStatus === 'fetching' && (
            <p className="text-slate-500" role="status" data-testid="route-computing">
              Routing…
            </p>
          )}
          {outcome && <Outcome outcome={outcome} allLm={prepared.data.allLm} cost={cost} stale={route.isFetching} />}
          <div className="flex items-center gap-3">
            <Button
              variant="primary"
              disabled={!outcome || route.isFetching || route.isPlaceholderData || lock.isPending}
              onClick={() =>
                outcome &&
                ppmHash &&
                lock.mutate({
                  ...outcome.plan,
                  budget: planBudget(
                    askedBudget(s.budgetKind, budgetFree ? outcome.plan.humanIdx.length : settled, n, s.costHuman, s.costLm),
                    outcome.plan.humanIdx.length,
                  ),
                  projectId,
                  datasetId,
                  ppmHash,
                  ppmName: prepared.data.ppm.name,
                  ppm: {
                    kind: prepared.data.ppm.kind,
                    output: prepared.data.ppm.output,
                    source: prepared.data.ppm.source,
                    missingInData: [...prepared.data.ppm.missingInData],
                  },
                  backend: prepared.data.ppm.backend,
                  featureSetCreatedAt: tagSetAt,
                })
              }
            >
              Lock routing plan
            </Button>
            {lock.error && <ErrorMessage title="Could not lock the plan" error={lock.error} />}
          </div>
          {current && (
            <div className="flex flex-wrap items-center gap-3 rounded-md bg-emerald-50 p-2 text-emerald-900">
              <p role="status" data-testid="current-plan">
                Plan v{current.version} in use for Annotate and Export (locked {new Date(current.createdAt).toLocaleString()}):{' '}
                {current.strategy}
                {current.seed === null ? '' : `, seed ${current.seed}`}, predicted {formatScore(current.predicted)}. Human queue:{' '}
                {current.humanIdx.length.toLocaleString('en-US')} pairs.
              </p>
              <Button onClick={() => void downloadPlan(current)}>Download plan (JSON)</Button>
            </div>
          )}
          {current && current.datasetId === datasetId && /^(risk|hybrid)/.test(current.strategy) && riskReady && labelledOnCurrent > 0 && (
            <div
              className="flex flex-wrap items-center gap-3 rounded-md border border-rose-200 bg-rose-50 p-2 text-rose-950"
              data-testid="rerank"
            >
              <p className="flex-1">
                Plan v{current.version} routes by judge risk, and people have made {labelledOnCurrent.toLocaleString('en-US')} labels in its
                queue since it was locked. Re-rank the part nobody has started: a model of the judge's errors is fitted on the labels so
                far; pairs already labelled or started stay first, with their annotations. Lock the new plan to apply it.
              </p>
              <Button
                onClick={() =>
                  s.set({
                    ppmHash: current.ppmHash,
                    strategy: current.strategy.startsWith('hybrid') ? 'hybrid' : 'risk',
                    ...(typeof current.judge?.weight === 'number' ? { weight: current.judge.weight } : {}),
                    refine: current.strategy.endsWith('+local-search'),
                    budgetCount: current.budget.count,
                    budgetKind: 'count',
                    adaptive: true,
                  })
                }
              >
                Re-rank with the labels so far
              </Button>
            </div>
          )}
        </section>
      )}
      {plans.data && plans.data.length > 0 && prepared.data && (
        <PlanHistory projectId={projectId} plans={plans.data} activeId={current?.id} />
      )}
      {prepared.data && <TagGains gains={prepared.data.tagGains} />}
      {prepared.data && (
        <Explain session={session} n={n} chosen={outcome?.plan.humanIdx} hybridWeight={s.strategy === 'hybrid' ? s.weight : null} />
      )}
    </div>
  );
}
