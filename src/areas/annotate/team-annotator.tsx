// The annotator's page in team mode: signed in to the project's server through an invite, they see their
// project's queue and nothing else. The items the server hands out are kept in this browser (a local project of
// their own), labelled in the usual keyboard-first view, and sent through the outbox.
import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '../../components/error-message';
import { Name } from '../../components/name';
import { useCurrentPlan, useProject } from '../../data/queries';
import { teamApi, useTeamSyncLoop, type TeamUser } from '../../data/team';
import { openDb, type TeamOrigin } from '../../storage/db';
import { openTeamProject } from '../../storage/team-repo';
import { Workbench } from './workbench';

interface ServerProject {
  id: number;
  name: string;
  guidelines: string;
  plans: { id: number; name: string; items: number }[];
}

async function openMine(user: TeamUser, server: string): Promise<{ projectId: string; origin: TeamOrigin } | null> {
  const { projects } = await teamApi<{ projects: ServerProject[] }>('GET', 'projects');
  const project = projects[0];
  const plan = project?.plans[project.plans.length - 1];
  if (!project || !plan) return null;
  const origin: TeamOrigin = {
    server,
    userId: user.id,
    annotator: user.name,
    serverProjectId: project.id,
    serverProjectName: project.name,
    serverPlanId: plan.id,
  };
  return { projectId: await openTeamProject(openDb(), origin, project.guidelines), origin };
}

export function TeamAnnotator({ user, server }: { user: TeamUser; server: string }) {
  const mine = useQuery({ queryKey: ['team', 'mine', server, user.id], queryFn: () => openMine(user, server), staleTime: Infinity });
  if (mine.isPending) return <p className="p-6 text-sm text-slate-600">Opening your queue on the team server…</p>;
  if (mine.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not open your queue" error={mine.error} />
      </div>
    );
  if (!mine.data)
    return (
      <p className="p-6 text-sm text-slate-700">The project lead has not published a plan for you yet. Reload this page once they have.</p>
    );
  return <TeamWorkbench projectId={mine.data.projectId} origin={mine.data.origin} />;
}

function TeamWorkbench({ projectId, origin }: { projectId: string; origin: TeamOrigin }) {
  useTeamSyncLoop(projectId, origin);
  const project = useProject(projectId);
  const plan = useCurrentPlan(projectId);
  if (!project.data || !plan.data) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center gap-4 border-b border-slate-200 bg-white px-4 py-2 text-sm">
        <span className="font-semibold text-indigo-700">HyPER Workbench</span>
        <span className="text-slate-400">/</span>
        <h1 className="font-semibold">
          <Name text={origin.serverProjectName} />
        </h1>
        <span className="ml-auto text-slate-600">
          Signed in as <Name text={origin.annotator} />
        </span>
      </header>
      <Workbench project={project.data} plan={plan.data} annotator={origin.annotator} />
    </div>
  );
}
