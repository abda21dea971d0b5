// A tiny hash router: the app is static files, so the location hash carries the route.
import { useSyncExternalStore } from 'react';

// The PPM lab comes last: it is a side loop (fit a PPM once, then route with it), not a step of every project.
export const AREAS = ['data', 'tags', 'route', 'annotate', 'team', 'review', 'export', 'lab'] as const;
/** Area names of earlier versions, still read from bookmarks. */
const RENAMED_AREAS: Readonly<Record<string, Area>> = { features: 'tags' };
export type Area = (typeof AREAS)[number];

export type Route = { page: 'projects' } | { page: 'project'; projectId: string; area: Area; datasetId?: string; item?: number };

/** Parses '#/projects/<id>/<area>[/<datasetId>[/<item>]]'; anything else is the project list. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'projects' && parts[1]) {
    const named = RENAMED_AREAS[parts[2] ?? ''] ?? parts[2] ?? '';
    const area = (AREAS as readonly string[]).includes(named) ? (named as Area) : 'data';
    const item = parts[4] !== undefined && /^\d+$/.test(parts[4]) ? Number(parts[4]) : undefined;
    return {
      page: 'project',
      projectId: parts[1],
      area,
      ...(parts[3] ? { datasetId: parts[3] } : {}),
      ...(item !== undefined ? { item } : {}),
    };
  }
  return { page: 'projects' };
}

export function routeHref(route: Route): string {
  if (route.page === 'projects') return '#/';
  const segs = ['projects', route.projectId, route.area, route.datasetId, route.item?.toString()].filter(
    (s): s is string => s !== undefined,
  );
  return `#/${segs.map(encodeURIComponent).join('/')}`;
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
