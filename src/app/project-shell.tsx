import { Name } from '../components/name';
import { DataArea } from '../areas/data/data-area';
import { TagsArea } from '../areas/tags/tags-area';
import { RouteArea } from '../areas/route/route-area';
import { AnnotateArea } from '../areas/annotate/annotate-area';
import { ExportArea } from '../areas/export/export-area';
import { ReviewArea } from '../areas/review/review-area';
import { LabArea } from '../areas/ppm-lab/lab-area';
import { TeamArea } from '../areas/team/team-area';
import { useProject } from '../data/queries';
import { ErrorBoundary } from '../components/error-boundary';
import { ErrorMessage } from '../components/error-message';
import { AREAS, routeHref, type Area, type Route } from '../navigation/router';

const AREA_TEXT: Record<Area, string> = {
  data: 'Data',
  tags: 'Tags',
  route: 'Route',
  annotate: 'Annotate',
  team: 'Team',
  review: 'Review',
  export: 'Export',
  lab: 'PPM lab',
};

/** A project's frame: name, the workflow navigation (Data -> ... -> Export) and the current area. */
export function ProjectShell({ route }: { route: Extract<Route, { page: 'project' }> }) {
  const project = useProject(route.projectId);
  if (project.isPending) return <p className="p-6 text-sm text-slate-600">Loading project…</p>;
  if (project.error)
    return (
      <div className="p-6">
        <ErrorMessage title="Could not open the project" error={project.error} />
      </div>
    );
  if (!project.data) {
    return (
      <div className="p-6">
        <ErrorMessage title="Project not found" error="This project does not exist in this browser (it may have been deleted)." />
        <a className="mt-3 inline-block text-indigo-700 underline" href="#/">
          Back to projects
        </a>
      </div>
    );
  }
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex items-center gap-4 border-b border-slate-200 bg-white px-4 py-2">
        <a href="#/" className="text-sm font-semibold text-indigo-700">
          HyPER Workbench
        </a>
        <span className="text-slate-400">/</span>
        <h1 className="text-sm font-semibold">
          <Name text={project.data.name} />
        </h1>
        {project.data.isDemo && (
          <span
            className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800"
            title="Pairs written for this project to show the workflow; not real annotations."
          >
            Demo data
          </span>
        )}
        <nav aria-label="Workflow" className="ml-auto">
          <ol className="flex items-center gap-1 text-sm">
            {AREAS.map((area, i) => (
              <li key={area} className="flex items-center gap-1">
                {i > 0 && (
                  <span aria-hidden className="text-slate-400">
                    →
                  </span>
                )}
                <a
                  href={routeHref({ page: 'project', projectId: route.projectId, area })}
                  aria-current={route.area === area ? 'page' : undefined}
                  className={`rounded px-2 py-1 ${route.area === area ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-200'}`}
                >
                  {AREA_TEXT[area]}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      </header>
      <main className="min-h-0 flex-1">
        {/* One boundary per area, keyed by it: moving to another area starts it afresh. */}
        <ErrorBoundary
          key={`${route.projectId}|${route.area}`}
          what={`the ${AREA_TEXT[route.area]} page`}
          backHref={routeHref({ page: 'projects' })}
          backText="Back to the projects"
        >
          {route.area === 'data' ? (
            <DataArea projectId={route.projectId} datasetId={route.datasetId} item={route.item} />
          ) : route.area === 'tags' ? (
            <TagsArea projectId={route.projectId} />
          ) : route.area === 'route' ? (
            <RouteArea projectId={route.projectId} />
          ) : route.area === 'annotate' ? (
            <AnnotateArea projectId={route.projectId} />
          ) : route.area === 'team' ? (
            <TeamArea projectId={route.projectId} />
          ) : route.area === 'export' ? (
            <ExportArea projectId={route.projectId} />
          ) : route.area === 'lab' ? (
            <LabArea projectId={route.projectId} />
          ) : (
            <ReviewArea projectId={route.projectId} />
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
