// Handing out a routed queue on both databases: routing order, the overlap asked for, never one item twice to one
// annotator, leases that return to the pool, a retried submission stored once and a second device's a conflict;
// and 60 requests at once from 6 annotators over separate connections never over-assign.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDb } from './db';
import { freshDb, PG_URL, postgresUp } from './test-db';
import { migrate } from './migrations';
import { nextItem, publishPairs, publishPlan, submitItem } from './queue';

const hasPostgres = await postgresUp();
if (!hasPostgres) console.log(`PostgreSQL: ${PG_URL} is not reachable, so the PostgreSQL queue tests SKIP (the PGlite ones run).`);

const pairs = Array.from({ length: 30 }, (_, idx) => ({
  idx,
  id: `p${idx}`,
  prompt: `Question ${idx}?`,
  responseA: `Answer A ${idx}`,
  responseB: `Answer B ${idx}`,
  lm: idx % 2 ? 'A>B' : 'B>A',
}));

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !hasPostgres)(`the queue on ${kind}`, () => {
    let db: ServerDb;
    /** More connections to the same database (PostgreSQL only): separate clients, as several server instances are. */
    const extra: ServerDb[] = [];
    let drop: () => Promise<void>;
    let users: number[] = [];
    // Starting an embedded PostgreSQL (WebAssembly) takes seconds, more on a loaded machine: the hooks get a minute.
    beforeAll(async () => {
      const fresh = await freshDb(kind, kind === 'postgres' ? 4 : 1);
      [db] = fresh.dbs as [ServerDb];
      extra.push(...fresh.dbs.slice(1));
      drop = fresh.drop;
      await migrate(db);
      const rows = await db
        .insertInto('users')
        .values(
          ['lead', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name, i) => ({
            name,
            role: i === 0 ? ('lead' as const) : ('annotator' as const),
          })),
        )
        .returning('id')
        .execute();
      users = rows.map((r) => r.id);
    }, 60_000);
    afterAll(async () => {
      await drop();
    }, 60_000);

    it('hands items out in routing order with the overlap, once per annotator, without the LM label; leases return', async () => {
      const datasetId = await publishPairs(db, users[0]!, 'd', pairs);
      const order = [7, 3, 11, 0, 5];
      const planId = await publishPlan(db, users[0]!, { datasetId, humanIdx: order, overlap: 2, leaseSeconds: 600 });
      const [, a1, a2, a3] = users as [number, number, number, number];
      const first = await nextItem(db, planId, a1);
      expect(first).toMatchObject({ idx: 7, id: 'p7', prompt: 'Question 7?' });
      expect(JSON.stringify(first)).not.toContain('A>B');
      expect(JSON.stringify(first)).not.toContain('B>A');
      // Asking again before submitting gives the same item (its lease renewed), not a second one.
      expect((await nextItem(db, planId, a1))?.idx).toBe(7);
      expect((await nextItem(db, planId, a2))?.idx).toBe(7);
      // Item 7 has its two annotators: the third gets the next in routing order.
      expect((await nextItem(db, planId, a3))?.idx).toBe(3);
      expect((await submitItem(db, planId, a1, 7, { overall: 'A>B' }, 'k1')).status).toBe('stored');
      expect((await submitItem(db, planId, a1, 7, { overall: 'A>B' }, 'k1')).status).toBe('already-stored');
      expect((await submitItem(db, planId, a1, 7, { overall: 'B>A' }, 'other-device')).status).toBe('conflict');
      expect((await submitItem(db, planId, a1, 11, { overall: 'A>B' }, 'k2')).status).toBe('not-assigned');
      const stored = await db
        .selectFrom('assignments')
        .select('annotation')
        .where('idx', '=', 7)
        .where('annotator_id', '=', a1)
        .executeTakeFirstOrThrow();
      expect(stored.annotation).toEqual({ overall: 'A>B' });
      // a1 never gets 7 again: next is 3 (a3 holds it, one place left).
      expect((await nextItem(db, planId, a1))?.idx).toBe(3);
      // a3's lease on 3 runs out: the item returns to the pool, and a2 (after submitting 7) can take it.
      await sql`update assignments set leased_until = now() - interval '1 second' where annotator_id = ${a3}`.execute(db);
      expect((await submitItem(db, planId, a2, 7, { overall: 'tie' }, 'k3')).status).toBe('stored');
      expect((await nextItem(db, planId, a2))?.idx).toBe(3);
      // a3's label arrives late: item 3 is full with a1 and a2 now, so it is refused as taken (the caller keeps it);
      // a3 is not handed item 3 again, but the next one.
      expect((await submitItem(db, planId, a3, 3, { overall: 'A>B' }, 'late-1')).status).toBe('taken');
      expect((await nextItem(db, planId, a3))?.idx).toBe(11);
      // A late label on an item with room is taken.
      await sql`update assignments set leased_until = now() - interval '1 second' where annotator_id = ${a3} and idx = 11`.execute(db);
      expect((await submitItem(db, planId, a3, 11, { overall: 'B>A' }, 'late-2')).status).toBe('stored');
    });

    it('60 requests at once from 6 annotators never over-assign and never give one annotator an item twice', async () => {
      const datasetId = await publishPairs(db, users[0]!, 'd2', pairs);
      const planId = await publishPlan(db, users[0]!, { datasetId, humanIdx: pairs.map((p) => p.idx), overlap: 3, leaseSeconds: 600 });
      const conns = [db, ...extra];
      const annotators = users.slice(1);
      // Each annotator asks, submits, asks again: 10 rounds, all annotators at once each round.
      for (let round = 0; round < 10; round++) {
        const got = await Promise.all(
          annotators.map(async (a, k) => {
            const conn = conns[k % conns.length]!;
            const item = await nextItem(conn, planId, a);
            if (item) expect((await submitItem(conn, planId, a, item.idx, { round }, `${a}-${item.idx}`)).status).toBe('stored');
            return item?.idx ?? null;
          }),
        );
        expect(got.filter((g) => g === null)).toEqual([]);
      }
      const rows = await db.selectFrom('assignments').select(['idx', 'annotator_id']).where('plan_id', '=', planId).execute();
      expect(rows).toHaveLength(60);
      const perItem = new Map<number, number>();
      for (const r of rows) perItem.set(r.idx, (perItem.get(r.idx) ?? 0) + 1);
      expect(Math.max(...perItem.values())).toBeLessThanOrEqual(3);
      expect(new Set(rows.map((r) => `${r.idx}|${r.annotator_id}`)).size).toBe(60);
      // Close to routing order: a request skips an item another request holds locked at that instant, so the last
      // items handed out may reach a little past the 20 that 60 labels fill; nothing beyond 20 + 6 annotators.
      expect(Math.max(...perItem.keys())).toBeLessThan(26);
      expect([...perItem.values()].filter((c) => c === 3).length).toBeGreaterThanOrEqual(15);
    });
  });
}
