// The Team page (the project lead, team mode): publish the dataset and the locked plan to the project's server
// (hyper serve), invite annotators, watch progress and agreement live, and bring the labels back for Review and
// Export (or download the server's own export). Without a server it says how to start one; nothing else needs it.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { Name } from '../../components/name';
import { NumberField } from '../../components/number-field';
import { ProgressBar } from '../../components/progress-bar';
import type { ExportFormat } from '../../domain/export';
import { FormatSelect } from '../../components/format-select';
import type { Annotation } from '../../domain/annotation';
import type { PlanProgress } from '../../domain/team';
import { keys, useCurrentPlan, useProject } from '../../data/queries';
import { announce } from '../../data/sync';
import { teamApi, useTeamServer } from '../../data/team';
import { useWorkerJob } from '../../data/use-worker-job';
import { importAnnotations } from '../../storage/annotations-repo';
import { openDb, type PlanRow, type ProjectRow } from '../../storage/db';
import { getPublication, putPublication, serverLabelsAsLocal, type TeamPublication } from '../../storage/team-repo';
import { exportWorker } from '../../workers/export-client';
import { routeHref } from '../../navigation/router';

interface Invite {
  id: string;
  name: string;
  status: 'pending' | 'used' | 'revoked' | 'expired';
  expiresAt: string;
}

const fmt = (x: number | null, digits = 2) => (x === null ? '–' : x.toFixed(digits));

export function TeamArea({ projectId }: { projectId: string }) {
  const server = useTeamServer();
  const project = useProject(projectId);
  const plan = useCurrentPlan(projectId);
  if (server.isPending || project.isPending || plan.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  const s = server.data;
  return (
    <div className="mx-auto max-w-4xl space-y-4 p-6 text-sm">
      <h2 className="text-lg font-semibold">Team: annotators work together through the project&apos;s server</h2>
      {s?.state !== 'signed-in' ? (
        <div className="space-y-2 rounded-md border border-slate-200 bg-white p-4" data-testid="team-no-server">
          {s?.state === 'signed-out' ? (
            <p>
              This app is served by a team server, but you are not signed in: open the sign-in link that <code>hyper serve</code> printed.
            </p>
          ) : (
            <>
              <p>
                Team mode needs the project&apos;s server. Start it with <code>npx hyper serve</code> (see docs/team.md), open the sign-in
                link it prints, and come back to this page there. Everything else in the workbench works without it.
              </p>
              <p className="text-slate-600">Annotators can also work from annotation packs (Annotate page), with no server at all.</p>
            </>
          )}
        </div>
      ) : s.user.role !== 'lead' ? (
        <p>Only the project lead publishes and invites.</p>
      ) : !plan.data || !project.data ? (
        <p>
          Lock a routing plan first (
          <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>
            Route
          </a>
          ): the server hands out its human queue.
        </p>
      ) : (
        <LeadTeam project={project.data} plan={plan.data} server={s.server} />
      )}
    </div>
  );
}

function LeadTeam({ project, plan, server }: { project: ProjectRow; plan: PlanRow; server: string }) {
  const publication = useQuery({
    queryKey: ['team', 'publication', plan.id],
    queryFn: async () => {
      const p = await getPublication(openDb(), plan.id);
      return p && p.server === server ? p : null;
    },
    staleTime: 0,
  });
  if (publication.isPending) return <p className="text-slate-600">Loading…</p>;
  if (!publication.data) return <PublishForm project={project} plan={plan} server={server} />;
  return <Published project={project} plan={plan} pub={publication.data} />;
}

function PublishForm({ project, plan, server }: { project: ProjectRow; plan: PlanRow; server: string }) {
  const qc = useQueryClient();
  const [overlap, setOverlap] = useState(2);
  const [leaseMinutes, setLeaseMinutes] = useState(30);
  const job = useWorkerJob(
    async (_: null, { signal, onProgress }) =>
      exportWorker().request(
        {
          type: 'publish',
          projectId: project.id,
          datasetId: plan.datasetId,
          planId: plan.id,
          appVersion: __APP_VERSION__,
          name: project.name,
          guidelines: project.guidelines,
          overlap,
          leaseSeconds: leaseMinutes * 60,
        },
        { signal, onProgress },
      ),
    {
      onSuccess: async (r) => {
        const p: TeamPublication = {
          server,
          serverDatasetId: r.datasetId,
          serverPlanId: r.planId,
          overlap,
          leaseSeconds: leaseMinutes * 60,
          pairs: r.pairs,
          items: r.items,
          publishedAt: Date.now(),
        };
        await putPublication(openDb(), plan.id, p);
        await qc.invalidateQueries({ queryKey: ['team', 'publication', plan.id] });
      },
    },
  );
  return (
    <section aria-label="Publish to the server" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <p>
        Publish routing plan v{plan.version} ({plan.humanIdx.length.toLocaleString('en-US')} pairs routed to people) and its dataset to the
        server. Annotators get the routed pairs in routing order, never the LM label.
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <NumberField label="Annotators per pair (overlap)" value={overlap} min={1} max={20} step={1} onChange={setOverlap} />
        <NumberField label="Hold an item for (minutes)" value={leaseMinutes} min={1} max={10080} step={1} onChange={setLeaseMinutes} />
        <Button variant="primary" onClick={() => void job.start(null)} disabled={job.running}>
          Publish to the server
        </Button>
        {job.running && <Button onClick={job.cancel}>Cancel</Button>}
      </div>
      {job.running && <ProgressBar progress={job.progress} />}
      {job.error ? <ErrorMessage title="Could not publish" error={job.error} /> : null}
    </section>
  );
}

function Published({ project, plan, pub }: { project: ProjectRow; plan: PlanRow; pub: TeamPublication }) {
  return (
    <>
      <p className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-emerald-900" data-testid="team-published">
        Published plan v{plan.version} as server plan {pub.serverPlanId}: {pub.items.toLocaleString('en-US')} pairs for people,{' '}
        {pub.overlap} {pub.overlap === 1 ? 'annotator' : 'annotators'} each, of {pub.pairs.toLocaleString('en-US')} pairs.
      </p>
      <Invites pub={pub} />
      <LiveProgress pub={pub} />
      <BringBack project={project} plan={plan} pub={pub} />
      <Guidelines project={project} pub={pub} />
      <AuditLog />
    </>
  );
}

function Invites({ pub }: { pub: TeamPublication }) {
  const qc = useQueryClient();
  const key = ['team', 'invites', pub.serverDatasetId];
  const invites = useQuery({
    queryKey: key,
    queryFn: () => teamApi<{ invites: Invite[] }>('GET', `invites?project=${pub.serverDatasetId}`),
    staleTime: 0,
    // An invite turns "used" when the annotator opens it, elsewhere.
    refetchInterval: 10_000,
  });
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ name: string; link: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await teamApi<{ name: string; link: string }>('POST', 'invites', { name: name.trim(), projectId: pub.serverDatasetId });
      setMade(r);
      setName('');
      await qc.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await teamApi('POST', `invites/${id}/revoke`, {});
      await qc.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-label="Annotators" className="space-y-3 rounded-md border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">Annotators</h3>
      <form onSubmit={(e) => void create(e)} className="flex flex-wrap items-end gap-2">
        <label className="text-xs">
          Name
          <input
            aria-label="Annotator name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            className="ml-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
        <Button type="submit" disabled={!name.trim()}>
          Create an invite link
        </Button>
      </form>
      {made && (
        <div className="space-y-1 rounded border border-indigo-200 bg-indigo-50 p-2" data-testid="invite-link">
          <p>
            The invite link for <Name text={made.name} /> (single use, shown once; send it to them):
          </p>
          <code className="block break-all">{made.link}</code>
          <Button variant="ghost" onClick={() => void navigator.clipboard?.writeText(made.link)}>
            Copy
          </Button>
        </div>
      )}
      {error ? <ErrorMessage title="The server refused" error={error} /> : null}
      {invites.error ? <ErrorMessage title="Could not read the invites" error={invites.error} /> : null}
      {invites.data && invites.data.invites.length > 0 && (
        <table className="w-full text-left text-xs">
          <thead>
            <tr className="text-slate-500">
              <th>Annotator</th>
              <th>Invite</th>
              <th>Expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invites.data.invites.map((i) => (
              <tr key={i.id}>
                <td>
                  <Name text={i.name} />
                </td>
                <td>{i.status}</td>
                <td>{new Date(i.expiresAt).toLocaleString()}</td>
                <td>
                  {i.status === 'pending' && (
                    <Button variant="ghost" onClick={() => void revoke(i.id)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The plan's progress and agreement, pushed by the server (SSE) as labels come in. */
function LiveProgress({ pub }: { pub: TeamPublication }) {
  const [progress, setProgress] = useState<PlanProgress | null>(null);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const es = new EventSource(`/api/v1/plans/${pub.serverPlanId}/events`);
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(false);
    es.onmessage = (ev) => {
      try {
        setProgress(JSON.parse(String(ev.data)) as PlanProgress);
        setLive(true);
      } catch {
        // not ours
      }
    };
    return () => es.close();
  }, [pub.serverPlanId]);
  const p = progress;
  return (
    <section aria-label="Progress" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h3 className="flex items-center gap-2 font-semibold">
        Progress{' '}
        <span className={`rounded px-1.5 text-xs font-normal ${live ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-900'}`}>
          {live ? 'live' : 'reconnecting…'}
        </span>
      </h3>
      {!p ? (
        <p className="text-slate-600">Waiting for the server…</p>
      ) : (
        <>
          <p data-testid="team-progress">
            {p.submitted} of {p.items * p.overlap} labels · {p.complete} of {p.items} pairs complete · {p.held} held now
            {p.conflicts > 0 ? ` · ${p.conflicts} conflicts kept apart` : ''}
          </p>
          <p data-testid="team-agreement">
            Agreement: Krippendorff&apos;s α {fmt(p.agreement.alpha)} over {p.agreement.items} pairs with two or more labels
            {p.agreement.pairs.map((k) => ` · κ ${k.first}–${k.second} ${fmt(k.kappa)} (n=${k.n})`).join('')}
          </p>
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-slate-500">
                <th>Annotator</th>
                <th>Submitted</th>
                <th>Holding</th>
              </tr>
            </thead>
            <tbody>
              {p.annotators.map((a) => (
                <tr key={a.name} data-testid="team-annotator-row">
                  <td>
                    <Name text={a.name} />
                  </td>
                  <td>{a.submitted}</td>
                  <td>{a.held}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function BringBack({ project, plan, pub }: { project: ProjectRow; plan: PlanRow; pub: TeamPublication }) {
  const qc = useQueryClient();
  const [format, setFormat] = useState<ExportFormat>('trl');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pull = async () => {
    setError(null);
    try {
      const { annotations } = await teamApi<{ annotations: Annotation[] }>('GET', `plans/${pub.serverPlanId}/annotations`);
      const local = serverLabelsAsLocal(
        annotations,
        { projectId: project.id, datasetId: plan.datasetId, planId: plan.id },
        pub.serverPlanId,
      );
      const r = await importAnnotations(openDb(), local, `server:${pub.serverPlanId}`);
      setDone(
        `${r.add.length} new, ${r.update.length} updated, ${r.unchanged} unchanged${r.conflicts.length ? `, ${r.conflicts.length} kept as they were here (conflicts)` : ''}`,
      );
      await announce(qc, [keys.annotations.all]);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-label="Labels from the server" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">Labels and export</h3>
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => void pull()}>Bring the labels into this project</Button>
        {done && <span data-testid="team-pulled">Labels from the server: {done}. Review and Export use them.</span>}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-xs">
          Format <FormatSelect label="Server export format" value={format} onChange={setFormat} />
        </label>
        <a className="text-indigo-700 underline" href={`/api/v1/plans/${pub.serverPlanId}/export?format=${format}`} download>
          Download the export from the server
        </a>
      </div>
      {error ? <ErrorMessage title="Could not read the server's labels" error={error} /> : null}
    </section>
  );
}

/** The guidelines annotators read: the project's, sent again after an edit (annotators see them on their next load). */
function Guidelines({ project, pub }: { project: ProjectRow; pub: TeamPublication }) {
  const [state, setState] = useState<{ sent: boolean; error: unknown }>({ sent: false, error: null });
  const send = async () => {
    try {
      await teamApi('POST', `projects/${pub.serverDatasetId}/guidelines`, { guidelines: project.guidelines });
      setState({ sent: true, error: null });
    } catch (error) {
      setState({ sent: false, error });
    }
  };
  return (
    <section aria-label="Guidelines on the server" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">Guidelines</h3>
      <p className="text-slate-600">
        Annotators read this project&apos;s guidelines ({project.guidelines.length.toLocaleString('en-US')} characters, edited on the
        Annotate page). After an edit, send them again.
      </p>
      <div className="flex items-center gap-2">
        <Button onClick={() => void send()}>Send the guidelines to the server</Button>
        {state.sent && <span data-testid="guidelines-sent">Sent.</span>}
      </div>
      {state.error ? <ErrorMessage title="Could not send the guidelines" error={state.error} /> : null}
    </section>
  );
}

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  name: string | null;
  role: string | null;
  detail: unknown;
}

/** Who did what on the server, newest first. */
function AuditLog() {
  const [open, setOpen] = useState(false);
  const log = useQuery({
    queryKey: ['team', 'audit'],
    queryFn: () => teamApi<{ entries: AuditEntry[] }>('GET', 'audit?limit=100'),
    enabled: open,
    staleTime: 0,
  });
  return (
    <section aria-label="Audit log" className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <h3 className="font-semibold">
        <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} className="hover:underline">
          Audit log {open ? '▾' : '▸'}
        </button>
      </h3>
      {open && log.error ? <ErrorMessage title="Could not read the audit log" error={log.error} /> : null}
      {open && log.data && (
        <table className="w-full text-left text-xs" data-testid="audit-log">
          <thead>
            <tr className="text-slate-500">
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {log.data.entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.name ? <Name text={`${e.name} (${e.role ?? ''})`} /> : '–'}</td>
                <td>{e.action}</td>
                <td className="font-mono">{e.detail === null ? '' : JSON.stringify(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
