// The project's locked plans, and a plan as a file.
import { Name } from '../../components/name';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { planJson } from '../../domain/routing';
import { downloadFile } from '../../components/download';
import { openDb } from '../../storage/db';
import { planFileOf } from '../../storage/routing-repo';
import type { PlanRow } from '../../storage/db';
import { usePlanLabelCounts } from '../../data/queries';
import { useSetActivePlan } from './queries';

/** Every locked plan, newest first, with the labels made under it; the lead picks the one Annotate and Export use. */
export function PlanHistory({ projectId, plans, activeId }: { projectId: string; plans: PlanRow[]; activeId: string | undefined }) {
  const counts = usePlanLabelCounts(projectId);
  const pick = useSetActivePlan(projectId);
  return (
    <section aria-labelledby="plan-history-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 id="plan-history-title" className="mb-1 font-semibold">
        Plan history
      </h3>
      <p className="mb-2 text-slate-600">
        Locking a plan never deletes one, and no annotation is lost by re-routing: Export keeps every human label of the dataset, whatever
        plan it was made under, unless you restrict it to one plan there.
      </p>
      <table className="w-full" aria-label="Plan history">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th>Version</th>
            <th>Locked</th>
            <th>Strategy</th>
            <th>PPM</th>
            <th className="text-right">Routed</th>
            <th className="text-right">Labels made</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {plans.map((p) => {
            const c = counts.data?.get(p.id);
            const active = p.id === activeId;
            return (
              <tr key={p.id} className={`border-t border-slate-100 ${active ? 'bg-emerald-50' : ''}`} data-testid={`plan-row-${p.version}`}>
                <td>v{p.version}</td>
                <td className="text-xs">{new Date(p.createdAt).toLocaleString()}</td>
                <td className="font-mono text-xs">{p.strategy}</td>
                <td className="text-xs">
                  <Name text={p.ppmName} />
                </td>
                <td className="text-right tabular-nums">{p.budget.count.toLocaleString('en-US')}</td>
                <td className="text-right tabular-nums" data-testid={`plan-labels-${p.version}`}>
                  {(c?.labels ?? 0).toLocaleString('en-US')}
                  {c && c.annotators > 1 ? ` (${c.annotators} annotators)` : ''}
                </td>
                <td className="space-x-2 text-right">
                  {active ? (
                    <span className="text-xs font-semibold text-emerald-800">in use</span>
                  ) : (
                    <Button
                      variant="ghost"
                      disabled={pick.isPending}
                      onClick={() => pick.mutate(p.id)}
                      aria-label={`Use plan v${p.version} for Annotate and Export`}
                    >
                      Use
                    </Button>
                  )}
                  <Button variant="ghost" onClick={() => void downloadPlan(p)} aria-label={`Download plan v${p.version}`}>
                    JSON
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pick.error ? <ErrorMessage title="Could not pick the plan" error={pick.error} /> : null}
    </section>
  );
}

/** The locked plan as a plan file (the format `hyper route` writes and `hyper merge` reads). */
export async function downloadPlan(plan: PlanRow): Promise<void> {
  const file = await planFileOf(openDb(), plan, { app: 'hyper-workbench', version: __APP_VERSION__ });
  downloadFile(`plan-v${plan.version}.json`, planJson(file), 'application/json');
}
