// The team server's foundation on both databases it runs on: the embedded PGlite (always) and the PostgreSQL server
// of this machine (127.0.0.1:5432, database `test`, a schema of its own; skipped, and said so, where it is not
// running). Migrations from empty and from the previous version; sign-in with a one-time token; 401 without a
// session, 403 for another role or a foreign origin; rate-limited sign-in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadToken, hashSecret, newSecret } from './auth';
import type { ServerDb } from './db';
import { freshDb, PG_URL, postgresUp } from './test-db';
import { createRequestHandler, SESSION_COOKIE } from './http';
import { migrate, MIGRATION_NAMES } from './migrations';

const hasPostgres = await postgresUp();
if (!hasPostgres) console.log(`PostgreSQL: ${PG_URL} is not reachable, so the PostgreSQL server tests SKIP (the PGlite ones run).`);

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !hasPostgres)(`team server on ${kind}`, () => {
    let db: ServerDb;
    let drop: () => Promise<void>;
    let server: Server;
    let base = '';
    // Starting an embedded PostgreSQL (WebAssembly) takes seconds, more on a loaded machine: the hooks get a minute.
    beforeAll(async () => {
      const fresh = await freshDb(kind);
      db = fresh.dbs[0]!;
      drop = fresh.drop;
    }, 60_000);
    afterAll(async () => {
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await drop();
    }, 60_000);

    it('migrates from empty, and from the previous version with its data kept', async () => {
      expect(await migrate(db, MIGRATION_NAMES[0])).toEqual([MIGRATION_NAMES[0]]);
      await db.insertInto('users').values({ name: 'ana', role: 'annotator' }).execute();
      // One version before the latest, with a token in it: the latest gives the old row its id.
      const previous = MIGRATION_NAMES[MIGRATION_NAMES.length - 2]!;
      expect(await migrate(db, previous)).toEqual(MIGRATION_NAMES.slice(1, -1));
      const old = sql<void>`insert into sign_in_tokens (token_hash, user_id, purpose, expires_at) values ('old', 1, 'invite', now())`;
      await old.execute(db);
      expect(await migrate(db)).toEqual(MIGRATION_NAMES.slice(-1));
      expect(await migrate(db)).toEqual([]);
      expect((await db.selectFrom('users').select('name').execute()).map((u) => u.name)).toEqual(['ana']);
      const token = await db.selectFrom('sign_in_tokens').select(['id', 'token_hash']).executeTakeFirstOrThrow();
      // bigint: text from node-postgres, a number from PGlite.
      expect({ ...token, id: String(token.id) }).toEqual({ id: expect.stringMatching(/^\d+$/), token_hash: 'old' });
      await db.deleteFrom('sign_in_tokens').execute();
      // The constraints hold: an unknown role is refused by the database itself.
      await expect(
        db
          .insertInto('users')
          .values({ name: 'x', role: 'boss' as never })
          .execute(),
      ).rejects.toThrow();
    });

    it('signs the lead in once with the printed token; without a session every API route is 401', async () => {
      server = createServer(createRequestHandler({ db, appDir: null, signInPerMinute: 1000 }));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/api/v1/me', '/api/v1/audit']) {
        const r = await fetch(`${base}${path}`);
        expect(r.status, path).toBe(401);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
      }
      // A forged cookie is no session.
      expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: `${SESSION_COOKIE}=${newSecret()}` } })).status).toBe(401);

      const token = await createLeadToken(db, 60_000);
      // The database keeps only the token's hash.
      expect(await db.selectFrom('sign_in_tokens').select('token_hash').where('token_hash', '=', token).executeTakeFirst()).toBeUndefined();
      const signIn = await fetch(`${base}/sign-in?token=${token}`, { redirect: 'manual' });
      expect(signIn.status).toBe(303);
      const cookie = signIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{20,}; HttpOnly; SameSite=Strict; Path=/`));
      const session = cookie.split(';')[0]!;
      const me = await fetch(`${base}/api/v1/me`, { headers: { cookie: session } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ user: { id: expect.any(Number), name: 'lead', role: 'lead', projectId: null } });
      // The session's secret is not in the database either.
      const secret = session.split('=')[1]!;
      expect((await db.selectFrom('sessions').select('id_hash').execute()).map((s) => s.id_hash)).toEqual([hashSecret(secret)]);
      // One time only.
      expect((await fetch(`${base}/sign-in?token=${token}`, { redirect: 'manual' })).status).toBe(401);

      // The lead sees the audit log; a state change from another origin is refused, from its own it works.
      const audit = (await (await fetch(`${base}/api/v1/audit`, { headers: { cookie: session } })).json()) as {
        entries: { action: string }[];
      };
      expect(audit.entries.map((e) => e.action)).toEqual(['sign-in']);
      const foreign = await fetch(`${base}/api/v1/sign-out`, {
        method: 'POST',
        headers: { cookie: session, origin: 'http://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect((await fetch(`${base}/api/v1/sign-out`, { method: 'POST', headers: { cookie: session } })).status).toBe(403);
      const out = await fetch(`${base}/api/v1/sign-out`, { method: 'POST', headers: { cookie: session, origin: base } });
      expect(out.status).toBe(200);
      expect((await fetch(`${base}/api/v1/me`, { headers: { cookie: session } })).status).toBe(401);
    });

    it('an annotator gets 403 on a lead route; an expired token signs nobody in; sign-in attempts are rate limited', async () => {
      const ana = await db.selectFrom('users').select('id').where('name', '=', 'ana').executeTakeFirstOrThrow();
      const invite = newSecret();
      const expired = newSecret();
      await db
        .insertInto('sign_in_tokens')
        .values([
          {
            token_hash: hashSecret(invite),
            user_id: ana.id,
            purpose: 'invite',
            expires_at: new Date(Date.now() + 60_000),
            used_at: null,
            revoked_at: null,
          },
          {
            token_hash: hashSecret(expired),
            user_id: ana.id,
            purpose: 'invite',
            expires_at: new Date(Date.now() - 1000),
            used_at: null,
            revoked_at: null,
          },
        ])
        .execute();
      expect((await fetch(`${base}/sign-in?token=${expired}`, { redirect: 'manual' })).status).toBe(401);
      const r = await fetch(`${base}/sign-in?token=${invite}`, { redirect: 'manual' });
      expect(r.status).toBe(303);
      const session = r.headers.get('set-cookie')!.split(';')[0]!;
      expect(
        ((await (await fetch(`${base}/api/v1/me`, { headers: { cookie: session } })).json()) as { user: { role: string } }).user.role,
      ).toBe('annotator');
      const audit = await fetch(`${base}/api/v1/audit`, { headers: { cookie: session } });
      expect(audit.status).toBe(403);
      expect(JSON.stringify(await audit.json())).not.toContain('sign-in');
      // Failed sign-ins are limited per address: a server allowing 3 a minute refuses the 4th with Retry-After.
      // Good links do not count (a room of annotators behind one address signs in at once).
      const strict = createServer(createRequestHandler({ db, appDir: null, signInPerMinute: 3 }));
      await new Promise<void>((r) => strict.listen(0, '127.0.0.1', r));
      const strictBase = `http://127.0.0.1:${(strict.address() as AddressInfo).port}`;
      for (let i = 0; i < 5; i++) {
        const good = await fetch(`${strictBase}/sign-in?token=${await createLeadToken(db, 60_000)}`, { redirect: 'manual' });
        expect(good.status).toBe(303);
      }
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${strictBase}/sign-in?token=${newSecret()}`, { redirect: 'manual' })).status);
      const limited = await fetch(`${strictBase}/sign-in?token=${newSecret()}`, { redirect: 'manual' });
      await new Promise<void>((r) => strict.close(() => r()));
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      const tokens = await db
        .selectFrom('sign_in_tokens')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('used_at', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(tokens.n).toBe(7);
    });

    it('the lead invites an annotator: the link signs them in once; a revoked invite signs nobody in; only the lead invites', async () => {
      const lead = await fetch(`${base}/sign-in?token=${await createLeadToken(db, 60_000)}`, { redirect: 'manual' });
      const session = lead.headers.get('set-cookie')!.split(';')[0]!;
      const post = (path: string, body: unknown, cookie = session) =>
        fetch(`${base}/api/v1/${path}`, {
          method: 'POST',
          headers: { cookie, origin: base, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const pair = { idx: 0, id: 'p0', prompt: 'P', responseA: 'a', responseB: 'b' };
      const { datasetId: projectId } = (await (await post('datasets', { name: 'p', pairs: [pair] })).json()) as { datasetId: number };
      expect((await post('invites', { name: '', projectId })).status).toBe(400);
      expect((await post('invites', { name: 'bo', hours: 0, projectId })).status).toBe(400);
      // An invite names a published project.
      expect((await post('invites', { name: 'bo' })).status).toBe(400);
      expect((await post('invites', { name: 'bo', projectId: 999_999 })).status).toBe(400);
      const made = (await (await post('invites', { name: 'bo', hours: 2, projectId })).json()) as { id: string; link: string };
      // Names tell annotators apart: a second "Bo" in the project is refused.
      expect((await post('invites', { name: 'Bo', projectId })).status).toBe(409);
      const other = (await (await post('invites', { name: 'cy', projectId })).json()) as { id: string; link: string };
      expect(made.link).toMatch(new RegExp(`^${base}/sign-in\\?token=[\\w-]{20,}$`));
      expect((await post(`invites/${other.id}/revoke`, {})).status).toBe(200);
      expect((await post(`invites/${other.id}/revoke`, {})).status).toBe(404);
      expect((await fetch(other.link, { redirect: 'manual' })).status).toBe(401);
      const bo = await fetch(made.link, { redirect: 'manual' });
      expect(bo.status).toBe(303);
      const boSession = bo.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(made.link, { redirect: 'manual' })).status).toBe(401);
      expect(
        ((await (await fetch(`${base}/api/v1/me`, { headers: { cookie: boSession } })).json()) as { user: { name: string } }).user.name,
      ).toBe('bo');
      // An annotator can neither see nor make invites.
      expect((await fetch(`${base}/api/v1/invites`, { headers: { cookie: boSession } })).status).toBe(403);
      expect((await post('invites', { name: 'eve', projectId }, boSession)).status).toBe(403);
      const list = (await (await fetch(`${base}/api/v1/invites`, { headers: { cookie: session } })).json()) as {
        invites: { name: string; status: string }[];
      };
      expect(list.invites.filter((i) => i.name === 'bo' || i.name === 'cy').map((i) => [i.name, i.status])).toEqual([
        ['bo', 'used'],
        ['cy', 'revoked'],
      ]);
      const audit = (await (await fetch(`${base}/api/v1/audit`, { headers: { cookie: session } })).json()) as {
        entries: { action: string }[];
      };
      expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['invite-created', 'invite-revoked', 'sign-in']));
    });

    it('the lead publishes pairs and a plan; an annotator gets items without the LM label, and a retried submit is stored once', async () => {
      const lead = await fetch(`${base}/sign-in?token=${await createLeadToken(db, 60_000)}`, { redirect: 'manual' });
      const leadCookie = lead.headers.get('set-cookie')!.split(';')[0]!;
      const call = (path: string, body: unknown, cookie: string) =>
        fetch(`${base}/api/v1/${path}`, {
          method: 'POST',
          headers: { cookie, origin: base, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const pairs = [0, 1, 2].map((idx) => ({
        idx,
        id: `q${idx}`,
        prompt: `P${idx}`,
        responseA: `a${idx}`,
        responseB: `b${idx}`,
        lm: 'A>B',
      }));
      expect((await call('datasets', { name: 'd', pairs: [{ idx: 0 }] }, leadCookie)).status).toBe(400);
      const { datasetId } = (await (await call('datasets', { name: 'd', pairs }, leadCookie)).json()) as { datasetId: number };
      expect((await call('plans', { datasetId, humanIdx: [2, 9] }, leadCookie)).status).toBe(400);
      expect((await call('plans', { datasetId: 999_999, humanIdx: [0] }, leadCookie)).status).toBe(404);
      const { planId } = (await (await call('plans', { datasetId, humanIdx: [2, 0], overlap: 1 }, leadCookie)).json()) as {
        planId: number;
      };
      const invite = (await (await call('invites', { name: 'dee', projectId: datasetId }, leadCookie)).json()) as { link: string };
      const dee = (await fetch(invite.link, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
      // An annotator publishes nothing.
      expect((await call('datasets', { name: 'x', pairs }, dee)).status).toBe(403);
      const next = await call(`plans/${planId}/next`, {}, dee);
      const body = (await next.json()) as { items: { idx: number; prompt: string }[] };
      expect(body.items).toMatchObject([{ idx: 2, prompt: 'P2' }]);
      expect(JSON.stringify(body)).not.toContain('A>B');
      const label = { status: 'submitted', overall: 'B>A' };
      const submit = (key: string, device = 'device-one') =>
        call(`plans/${planId}/items/2/submit`, { annotation: label, key, device }, dee);
      expect(await (await submit('key-0001')).json()).toEqual({ stored: 'now', done: 1 });
      expect(await (await submit('key-0001')).json()).toEqual({ stored: 'before', done: 1 });
      // Another device's label is a conflict: the stored one comes back, nothing is overwritten.
      const clash = await submit('key-other', 'device-two');
      expect(clash.status).toBe(409);
      expect(((await clash.json()) as { current: { annotation: { overall: string } } }).current.annotation.overall).toBe('B>A');
      // A label that is not one is refused with what is wrong.
      const bad = await call(`plans/${planId}/items/0/submit`, { annotation: { status: 'submitted' }, key: 'key-0003' }, dee);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('overall');
      expect((await call(`plans/${planId}/items/0/submit`, { annotation: label, key: 'key-0002' }, dee)).status).toBe(404);
      expect(((await (await call(`plans/${planId}/next`, {}, dee)).json()) as { items: { idx: number }[] }).items[0]!.idx).toBe(0);
    });

    it('takes a batch of more positions than a statement takes parameters, and refuses a batch that repeats one', async () => {
      const lead = await fetch(`${base}/sign-in?token=${await createLeadToken(db, 60_000)}`, { redirect: 'manual' });
      const leadCookie = lead.headers.get('set-cookie')!.split(';')[0]!;
      const call = (path: string, body: unknown) =>
        fetch(`${base}/api/v1/${path}`, {
          method: 'POST',
          headers: { cookie: leadCookie, origin: base, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const first = [{ idx: 0, id: 'f0', prompt: 'P', responseA: 'a', responseB: 'b' }];
      const { datasetId } = (await (await call('datasets', { name: 'big', pairs: first })).json()) as { datasetId: number };
      const many = Array.from({ length: 70_000 }, (_, k) => ({ idx: 1 + k, id: `m${k}`, prompt: `p${k}`, responseA: 'a', responseB: 'b' }));
      expect((await call('datasets', { datasetId, pairs: many })).status).toBe(201);
      // One published position in the batch: refused whole, nothing overwritten, nothing added.
      const again = await call('datasets', {
        datasetId,
        pairs: [
          { ...many[0]!, idx: 70_001 },
          { ...many[5]!, prompt: 'changed' },
        ],
      });
      expect(again.status).toBe(409);
      const kept = await db
        .selectFrom('pairs')
        .select('prompt')
        .where('dataset_id', '=', datasetId)
        .where('idx', '=', 6)
        .executeTakeFirstOrThrow();
      expect(kept.prompt).toBe('p5');
      const count = await db
        .selectFrom('pairs')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('dataset_id', '=', datasetId)
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(70_001);
    }, 120_000);
  });
}
