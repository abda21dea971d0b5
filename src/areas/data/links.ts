import { routeHref } from '../../navigation/router';

export function datasetHref(projectId: string, datasetId: string, item?: number): string {
  return routeHref({ page: 'project', projectId, area: 'data', datasetId, ...(item !== undefined ? { item } : {}) });
}

export function datasetsHref(projectId: string): string {
  return routeHref({ page: 'project', projectId, area: 'data' });
}
