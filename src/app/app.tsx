import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary';
import { ErrorMessage } from '../components/error-message';
import { ProjectsPage } from '../areas/projects/projects-page';
import { keys } from '../data/queries';
import { announce, listenToOtherTabs } from '../data/sync';
import { openDb } from '../storage/db';
import { removeStaleImports } from '../storage/datasets-repo';
import { ensureDemoProject } from './demo-seed';
import { askPersistentStorage } from '../workers/storage-guard';
import { navigate, useRoute } from '../navigation/router';
import { ProjectShell } from './project-shell';
import { useTeamServer } from '../data/team';
import { TeamAnnotator } from '../areas/annotate/team-annotator';

function makeQueryClient(): QueryClient {
  // Everything here is local work (IndexedDB, workers): no retries, no refetch on focus.
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: Infinity, networkMode: 'always' },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

async function bootstrap(): Promise<{ removedStale: number }> {
  const db = openDb();
  // Ask the browser not to evict this site's data under storage pressure (it may say no; nothing else changes).
  void askPersistentStorage();
  const removedStale = await removeStaleImports(db);
  await ensureDemoProject();
  return { removedStale };
}

function Routes() {
  const route = useRoute();
  const qc = useQueryClient();
  const ready = useQuery({ queryKey: keys.bootstrap, queryFn: bootstrap });
  const team = useTeamServer();
  if (ready.isPending || team.isPending) return <p className="p-6 text-sm text-slate-600">Opening browser storage…</p>;
  if (ready.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Browser storage (IndexedDB) is not available" error={ready.error} />
      </div>
    );
  // An annotator signed in to the team server sees their queue and nothing else.
  if (team.data?.state === 'signed-in' && team.data.user.role === 'annotator')
    return <TeamAnnotator user={team.data.user} server={team.data.server} />;
  if (route.page === 'projects') {
    return (
      <ProjectsPage
        onOpen={(projectId) => navigate({ page: 'project', projectId, area: 'data' })}
        onOpenArea={(projectId, area) => navigate({ page: 'project', projectId, area })}
        onRestoreDemo={() => {
          void ensureDemoProject({ force: true }).then(() => announce(qc, [keys.projects.all]));
        }}
      />
    );
  }
  return <ProjectShell route={route} />;
}

export function App() {
  const [client] = useState(makeQueryClient);
  // Other tabs of the app say what they changed (a new plan, dataset or project); this tab reads it again.
  useEffect(() => listenToOtherTabs(client), [client]);
  return (
    <QueryClientProvider client={client}>
      <div className="min-h-screen">
        <ErrorBoundary what="this page" backHref="#/" backText="Back to the projects">
          <Routes />
        </ErrorBoundary>
      </div>
    </QueryClientProvider>
  );
}
