// Team mode: what the annotator's browser has sent to the server, what waits, and what the server did not take.
import { PREFERENCE_TEXT, type Preference } from '../../domain/labels';
import { useTeamSync } from '../../data/team';

const labelText = (a: unknown): string => {
  const overall = (a as { overall?: Preference } | null)?.overall;
  return overall ? PREFERENCE_TEXT[overall] : 'no preference';
};

export function TeamSyncBar() {
  const { online, pending, problems, queue, signedOut, lastSync } = useTeamSync();
  return (
    <section aria-label="Sync with the team server" className="space-y-2 rounded-md border border-slate-200 bg-white p-2 text-xs">
      <p className="flex flex-wrap items-center gap-3">
        <span
          data-testid="team-sync"
          className={`rounded px-1.5 py-0.5 ${online && !signedOut ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-900'}`}
        >
          {signedOut
            ? 'Signed out: open your sign-in link again'
            : !online
              ? `Offline: ${pending} waiting, kept in this browser`
              : pending > 0
                ? `Sending ${pending}…`
                : 'All sent'}
        </span>
        {queue && (
          <span data-testid="team-queue">
            {queue.done} submitted
            {queue.remaining !== null ? ` · the plan still wants ${queue.remaining} ${queue.remaining === 1 ? 'label' : 'labels'}` : ''}
          </span>
        )}
        {lastSync && <span className="text-slate-500">last synced {new Date(lastSync).toLocaleTimeString()}</span>}
      </p>
      {problems.length > 0 && (
        <div role="alert" className="space-y-1 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900">
          <p className="font-semibold">
            The server did not take {problems.length === 1 ? 'one of your changes' : `${problems.length} of your changes`}
          </p>
          <ul className="list-disc pl-4">
            {problems.map((p) => (
              <li key={p.key} data-testid="team-problem">
                Pair {p.annotation?.instanceId ?? p.idx}:{' '}
                {p.state === 'conflict'
                  ? `you submitted it from another device (${labelText(p.current?.annotation)}, ${p.current ? new Date(p.current.submittedAt).toLocaleString() : ''}); that label counts, and this one (${labelText(p.annotation)}) is kept apart for the lead.`
                  : p.state === 'taken'
                    ? `your hold on it ran out and others labelled it; your label (${labelText(p.annotation)}) is kept here.`
                    : (p.message ?? 'refused')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
