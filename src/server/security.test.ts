// Every API route × every kind of caller (nobody, an annotator of this project, an annotator of another project,
// the lead): the status, and that nothing of another project is in the body. Then cross-origin requests, SQL and
// script payloads in every text field, body size limits, and the headers of served pages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadToken } from './auth';
import type { ServerDb } from './db';
import { createRequestHandler, type RequestHandler } from './http';
import { migrate } from './migrations';
import { freshDb } from './test-db';

type Who = 'anonymous' | 'annotator' | 'outsider' | 'lead';
const WHO: Who[] = ['anonymous', 'annotator', 'outsider', 'lead'];

describe('team server security (PGlite)', () => {
  let db: ServerDb;
  let drop: () => Promise<void>;
  let server: Server;
  let handler: RequestHandler;
  let base = '';
  const cookies: Record<Who, string> = { anonymous: '', annotator: '', outsider: '', lead: '' };
  let p1 = 0;
  let p2 = 0;
  let plan1 = 0;
  let plan2 = 0;
  let invite1 = '';

  const call = (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1/${path}`, {
      method,
      headers: {
        ...(cookies[who] ? { cookie: cookies[who] } : {}),
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  const signInWith = async (link: string) => {
    const r = await fetch(link.replace(/^http:\/\/[^/]+/, base), { redirect: 'manual' });
    expect(r.status).toBe(303);
    return r.headers.get('set-cookie')!.split(';')[0]!;
  };

  const pairsOf = (tag: string) =>
    [0, 1, 2, 3].map((idx) => ({
      idx,
      id: `${tag}-${idx}`,
      prompt: `${tag} prompt ${idx}`,
      responseA: `${tag} A ${idx}`,
      responseB: `${tag} B ${idx}`,
      lm: 'A>>B',
    }));

  beforeAll(async () => {
    const fresh = await freshDb('pglite');
    db = fresh.dbs[0]!;
    drop = fresh.drop;
    await migrate(db);
    const app = mkdtempSync(join(tmpdir(), 'hyper-app-'));
    writeFileSync(join(app, 'index.html'), '<!doctype html><title>HyPER</title>');
    handler = createRequestHandler({ db, appDir: app, signInPerMinute: 1000 });
    server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cookies.lead = await signInWith(`${base}/sign-in?token=${await createLeadToken(db, 60_000)}`);
    p1 = (
      (await (await call('lead', 'POST', 'datasets', { name: 'P1SECRET', pairs: pairsOf('P1SECRET') })).json()) as { datasetId: number }
    ).datasetId;
    p2 = (
      (await (await call('lead', 'POST', 'datasets', { name: 'P2SECRET', pairs: pairsOf('P2SECRET') })).json()) as { datasetId: number }
    ).datasetId;
    plan1 = ((await (await call('lead', 'POST', 'plans', { datasetId: p1, humanIdx: [0, 1, 2], overlap: 2 })).json()) as { planId: number })
      .planId;
    plan2 = ((await (await call('lead', 'POST', 'plans', { datasetId: p2, humanIdx: [0, 1], overlap: 1 })).json()) as { planId: number })
      .planId;
    const a = (await (await call('lead', 'POST', 'invites', { name: 'ann', projectId: p1 })).json()) as { link: string };
    const b = (await (await call('lead', 'POST', 'invites', { name: 'out', projectId: p2 })).json()) as { link: string };
    cookies.annotator = await signInWith(a.link);
    cookies.outsider = await signInWith(b.link);
    invite1 = ((await (await call('lead', 'POST', 'invites', { name: 'spare', projectId: p1 })).json()) as { id: string }).id;
    // The outsider has work of their own in project 2, which must never show in project 1's answers and back.
    await call('outsider', 'POST', `plans/${plan2}/next`, { count: 2 });
    await call('outsider', 'POST', `plans/${plan2}/items/0/submit`, {
      annotation: { status: 'submitted', overall: 'B>A', rationale: 'P2SECRET reasons' },
      key: 'outsider-key-1',
      device: 'outsider-device',
    });
    await call('annotator', 'POST', `plans/${plan1}/next`, { count: 1 });
    await call('annotator', 'POST', `plans/${plan1}/items/0/submit`, {
      annotation: { status: 'submitted', overall: 'A>B', rationale: 'P1SECRET reasons' },
      key: 'annotator-key-1',
      device: 'annotator-device',
    });
  }, 60_000);

  afterAll(async () => {
    await handler.close();
    await new Promise<void>((r) => server.close(() => r()));
    await drop();
  }, 60_000);

  it('answers every route with the status each caller should get, and no other project in the body', async () => {
    // [method, path, body, statuses for anonymous / annotator of project 1 / annotator of project 2 / lead]
    const routes: [string, () => string, unknown, [number, number, number, number]][] = [
      ['GET', () => 'me', undefined, [401, 200, 200, 200]],
      ['GET', () => 'projects', undefined, [401, 200, 200, 200]],
      ['POST', () => `projects/${p1}/guidelines`, { guidelines: 'Prefer the kinder answer.' }, [401, 403, 403, 200]],
      ['GET', () => 'invites', undefined, [401, 403, 403, 200]],
      ['POST', () => 'invites', { name: 'new one', projectId: p1 }, [401, 403, 403, 201]],
      ['POST', () => `invites/${invite1}/revoke`, {}, [401, 403, 403, 200]],
      ['POST', () => 'datasets', { name: 'x', pairs: pairsOf('X') }, [401, 403, 403, 201]],
      ['POST', () => 'plans', { datasetId: p1, humanIdx: [3] }, [401, 403, 403, 201]],
      ['GET', () => `plans/${plan1}`, undefined, [401, 200, 404, 200]],
      ['POST', () => `plans/${plan1}/next`, { count: 1 }, [401, 200, 404, 200]],
      [
        'POST',
        () => `plans/${plan1}/items/0/submit`,
        { annotation: { status: 'submitted', overall: 'A>B' }, key: 'annotator-key-1', device: 'annotator-device' },
        // The lead was handed item 0 by the `next` above (overlap 2), so the lead's label is taken too.
        [401, 200, 404, 200],
      ],
      ['POST', () => `plans/${plan1}/items/1/release`, {}, [401, 200, 404, 200]],
      ['GET', () => `plans/${plan1}/progress`, undefined, [401, 403, 404, 200]],
      ['GET', () => `plans/${plan1}/annotations`, undefined, [401, 403, 404, 200]],
      ['GET', () => `plans/${plan1}/conflicts`, undefined, [401, 403, 404, 200]],
      ['GET', () => `plans/${plan1}/export?format=trl`, undefined, [401, 403, 404, 200]],
      ['GET', () => 'audit', undefined, [401, 403, 403, 200]],
      ['GET', () => 'nothing-here', undefined, [401, 404, 404, 404]],
    ];
    const seen: string[] = [];
    for (const [method, path, body, statuses] of routes) {
      for (const [k, who] of WHO.entries()) {
        const r = await call(who, method, path(), body);
        const text = r.headers.get('content-type')?.includes('zip') ? '' : await r.text();
        seen.push(`${who} ${method} ${path()} ${r.status}`);
        expect(r.status, `${who} ${method} ${path()}: ${text.slice(0, 200)}`).toBe(statuses[k]);
        if (who === 'anonymous' || r.status >= 400) {
          // A refusal says why and carries no data.
          expect(JSON.parse(text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        }
        if (who === 'outsider') expect(text).not.toContain('P1SECRET');
        if (who === 'annotator') {
          expect(text).not.toContain('P2SECRET');
          // Never the LM label before (or after) submitting, never another annotator's work.
          expect(text).not.toContain('A>>B');
          expect(text).not.toContain('outsider');
        }
      }
    }
    expect(seen).toHaveLength(routes.length * 4);
    // The event stream of a plan, likewise: 401, the annotator's own counts, 404 for the other project.
    const ctl = new AbortController();
    const statuses: number[] = [];
    for (const who of WHO) {
      const r = await fetch(`${base}/api/v1/plans/${plan1}/events`, {
        headers: cookies[who] ? { cookie: cookies[who] } : {},
        signal: ctl.signal,
      });
      statuses.push(r.status);
      if (r.status === 200) {
        const reader = r.body!.getReader();
        const first = new TextDecoder().decode((await reader.read()).value);
        expect(first).toMatch(/^data: \{/);
        if (who === 'annotator') expect(first).not.toMatch(/annotators|P2SECRET|outsider/);
        if (who === 'lead') expect(first).toContain('"annotators"');
        await reader.cancel();
      } else await r.text();
    }
    ctl.abort();
    expect(statuses).toEqual([401, 200, 404, 200]);
  });

  it('refuses every state-changing request from another origin or without one (CSRF)', async () => {
    const posts = [
      'sign-out',
      'invites',
      `invites/${invite1}/revoke`,
      'datasets',
      'plans',
      `plans/${plan1}/next`,
      `plans/${plan1}/items/0/submit`,
    ];
    for (const path of posts) {
      for (const origin of ['http://evil.example', 'null', '']) {
        const r = await fetch(`${base}/api/v1/${path}`, {
          method: 'POST',
          headers: { cookie: cookies.lead, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
          body: '{}',
        });
        expect(r.status, `${path} from ${origin || 'no origin'}`).toBe(403);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('bad-origin');
      }
    }
    // The lead is still signed in: the refused sign-out did nothing.
    expect((await call('lead', 'GET', 'me')).status).toBe(200);
  });

  it('stores SQL and script payloads in every text field as text, and the tables stay whole', async () => {
    const payloads = [
      "'; drop table users; --",
      "x' or '1'='1",
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"); select pg_sleep(5); --',
      '\\u0000 ${7*7} {{7*7}}',
    ];
    for (const [i, evil] of payloads.entries()) {
      const made = await call('lead', 'POST', 'datasets', {
        name: evil,
        guidelines: evil,
        pairs: [{ idx: 0, id: evil, prompt: evil, responseA: evil, responseB: `${evil} B`, lm: null }],
      });
      expect(made.status).toBe(201);
      const datasetId = ((await made.json()) as { datasetId: number }).datasetId;
      const planId = ((await (await call('lead', 'POST', 'plans', { datasetId, humanIdx: [0], name: evil })).json()) as { planId: number })
        .planId;
      const inv = await call('lead', 'POST', 'invites', { name: `${evil.replace(/\\u0000/g, '')} ${i}`, projectId: datasetId });
      expect(inv.status).toBe(201);
      const who = await signInWith(((await inv.json()) as { link: string }).link);
      const got = await fetch(`${base}/api/v1/plans/${planId}/next`, {
        method: 'POST',
        headers: { cookie: who, origin: base, 'content-type': 'application/json' },
        body: '{}',
      });
      const item = ((await got.json()) as { items: { prompt: string; id: string }[] }).items[0]!;
      // Given back exactly as sent, as JSON text (the app renders it as text, never as markup).
      expect(item).toMatchObject({ prompt: evil, id: evil });
      expect(got.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const sub = await fetch(`${base}/api/v1/plans/${planId}/items/0/submit`, {
        method: 'POST',
        headers: { cookie: who, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({
          annotation: { status: 'submitted', overall: 'A=B', rationale: evil, flag: evil },
          key: `${evil}-key-${i}`,
          device: `${evil}-device`,
        }),
      });
      expect(sub.status).toBe(200);
      const back = (await (await call('lead', 'GET', `plans/${planId}/annotations`)).json()) as {
        annotations: { rationale: string; flag: string }[];
      };
      expect(back.annotations[0]).toMatchObject({ rationale: evil, flag: evil });
    }
    const tables = await sql<{
      n: number;
    }>`select count(*)::int as n from information_schema.tables where table_name in ('users', 'pairs', 'assignments', 'sessions')`.execute(
      db,
    );
    expect(tables.rows[0]!.n).toBe(4);
    expect((await call('lead', 'GET', 'me')).status).toBe(200);
  });

  it('limits body sizes: 413 over the limit, and nothing of it stored', async () => {
    const before = await db
      .selectFrom('assignments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('annotation', 'is not', null)
      .executeTakeFirstOrThrow();
    const big = await call('annotator', 'POST', `plans/${plan1}/items/2/submit`, {
      annotation: { status: 'submitted', overall: 'A>B', rationale: 'x'.repeat(70 * 1024) },
      key: 'too-big-key',
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain('over 64 KB');
    const after = await db
      .selectFrom('assignments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('annotation', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const notJson = await call('lead', 'POST', 'invites', '{"name": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toContain('not JSON');
  });

  it('serves pages with the CSP and security headers, and API answers with them too', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    // A path that climbs out of the app's folder is the app's page, never a file beside it.
    const climb = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect(await climb.text()).not.toContain('root:');
    const api = await call('lead', 'GET', 'me');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});
