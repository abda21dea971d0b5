import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';

describe('router', () => {
  it('parses project routes and round-trips them', () => {
    const r = parseRoute('#/projects/p-1/data/d-2/17');
    expect(r).toEqual({ page: 'project', projectId: 'p-1', area: 'data', datasetId: 'd-2', item: 17 });
    expect(parseRoute(routeHref(r))).toEqual(r);
  });
  it('falls back to the project list and to the data area', () => {
    expect(parseRoute('')).toEqual({ page: 'projects' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'projects' });
    expect(parseRoute('#/projects/p-1/bogus')).toEqual({ page: 'project', projectId: 'p-1', area: 'data' });
  });
  it('encodes ids with special characters', () => {
    const r = { page: 'project', projectId: 'a/b c', area: 'route' } as const;
    expect(parseRoute(routeHref(r))).toEqual(r);
  });
});
