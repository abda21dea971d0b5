// The team server's foundation on both databases it runs on: the embedded PGlite (always) and the PostgreSQL server
// of this machine (127.0.0.1:5432, database `test`, a schema of its own; skipped, and said so, where it is not
// running). Migrations from empty and from the previous version; sign-in with a one-time token; 401 without a
// session, 403 for another role or a foreign origin; rate-limited sign-in.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeadToken, hashSecret, newSecret } from './auth';
import { openServerDb, type DatabaseTarget, type ServerDb } from './db';
import { createRequestHandler, SESSION_COOKIE } from './http';
import { migrate, MIGRATION_NAMES } from './migrations';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function postgresUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
const hasPostgres = await postgresUp();
if (!hasPostgres) console.log(`PostgreSQL: ${PG_URL} is not reachable, so the PostgreSQL server tests SKIP (the PGlite ones run).`);

/** A fresh database of the kind: an in-memory PGlite, or a new schema on the PostgreSQL server. */
async function fresh(kind: 'pglite' | 'postgres'): Promise<{ db: ServerDb; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openServerDb({ kind: 'embedded', dataDir: null });
    return { db, drop: () => db.destroy() };
  }
  const schema = `hyper_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const target: DatabaseTarget = { kind: 'postgres', url: PG_URL, schema };
  const db = await openServerDb(target);
  return {
    db,
    drop: async () => {
      await db.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !hasPostgres)(`team server on ${kind}`, () => {
    let db: ServerDb;
    let drop: () => Promise<void>;
    let server: Server;
    let base = '';
    beforeAll(async () => {
      ({ db, drop } = await fresh(kind));
    });
    afterAll(async () => {
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await drop();
    });

    it('migrates from empty, and from the previous version with its data kept', async () => {
      expect(await migrate(db, MIGRATION_NAMES[0])).toEqual([MIGRATION_NAMES[0]]);
      await db.insertInto('users').values({ name: 'ana', role: 'annotator' }).execute();
      expect(await migrate(db)).toEqual(MIGRATION_NAMES.slice(1));
      expect(await migrate(db)).toEqual([]);
      expect((await db.selectFrom('users').select('name').execute()).map((u) => u.name)).toEqual(['ana']);
      // The constraints hold: an unknown role is refused by the database itself.
      await expect(
        db
          .insertInto('users')
          .values({ name: 'x', role: 'boss' as never })
          .execute(),
      ).rejects.toThrow();
    });

    it('signs the lead in once with the printed token; without a session every API route is 401', async () => {
      server = createServer(createRequestHandler({ db, appDir: null, signInPerMinute: 5 }));
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
      expect(await me.json()).toEqual({ user: { id: expect.any(Number), name: 'lead', role: 'lead' } });
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
      // Five attempts a minute in this test (the earlier ones count): the next is refused with Retry-After.
      let last = 0;
      for (let i = 0; i < 5; i++) last = (await fetch(`${base}/sign-in?token=${newSecret()}`, { redirect: 'manual' })).status;
      expect(last).toBe(429);
      const limited = await fetch(`${base}/sign-in?token=${newSecret()}`, { redirect: 'manual' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      const tokens = await db
        .selectFrom('sign_in_tokens')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('used_at', 'is not', null)
        .executeTakeFirstOrThrow();
      expect(tokens.n).toBe(2);
    });
  });
}
