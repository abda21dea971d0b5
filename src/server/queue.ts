// Publishing a routed queue and handing its items out: in routing order, to `overlap` annotators each, never the
// same item twice to one annotator, with leases (an item handed out but not submitted returns to the pool when its
// lease ends). Concurrent requests, from several server instances on one database too, never over-assign: the
// item chosen is row-locked (FOR UPDATE SKIP LOCKED), so a second request skips it while the first decides.
import { sql, type ExpressionBuilder } from 'kysely';
import type { QueueItem } from '../domain/team';
import { asRecord, type Schema, type ServerDb } from './db';

export type { QueueItem } from '../domain/team';

export interface PublishedPair {
  idx: number;
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
  lm: string | null;
  /** The workbench's whole record (PairRecord), for the server's merge and export; optional. */
  record?: unknown;
}

/**
 * Stores a dataset's pairs (a batch; call again for more) under a new dataset id (a project), or adds to
 * `datasetId`. A position already published is refused (the batch is not stored), never overwritten.
 */
export async function publishPairs(
  db: ServerDb,
  lead: number,
  name: string,
  pairs: readonly PublishedPair[],
  datasetId?: number,
  guidelines?: string,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const id =
      datasetId ??
      (
        await tx
          .insertInto('datasets')
          .values({ name, created_by: lead, guidelines: guidelines ?? '' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (datasetId !== undefined && guidelines !== undefined)
      await tx.updateTable('datasets').set({ guidelines }).where('id', '=', id).execute();
    for (let from = 0; from < pairs.length; from += 500) {
      await tx
        .insertInto('pairs')
        .values(
          pairs.slice(from, from + 500).map((p) => ({
            dataset_id: id,
            idx: p.idx,
            pair_id: p.id,
            prompt: p.prompt,
            response_a: p.responseA,
            response_b: p.responseB,
            lm_label: p.lm,
            record: p.record === undefined ? null : JSON.stringify(p.record),
          })),
        )
        .execute();
    }
    await tx
      .insertInto('audit_log')
      .values({ user_id: lead, action: 'pairs-published', detail: JSON.stringify({ dataset: id, pairs: pairs.length }) })
      .execute();
    return id;
  });
}

/**
 * A locked plan's human queue (dataset positions in routing order) with its overlap and lease, and the plan's file
 * as the workbench wrote it (the server's merge reads its routed list).
 */
export async function publishPlan(
  db: ServerDb,
  lead: number,
  plan: { datasetId: number; humanIdx: readonly number[]; overlap: number; leaseSeconds: number; name?: string; planFile?: unknown },
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('plans')
      .values({
        dataset_id: plan.datasetId,
        overlap: plan.overlap,
        lease_seconds: plan.leaseSeconds,
        name: plan.name ?? '',
        plan_file: plan.planFile === undefined ? null : JSON.stringify(plan.planFile),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let from = 0; from < plan.humanIdx.length; from += 1000) {
      await tx
        .insertInto('plan_items')
        .values(plan.humanIdx.slice(from, from + 1000).map((idx, k) => ({ plan_id: row.id, position: from + k, idx })))
        .execute();
    }
    await tx
      .insertInto('audit_log')
      .values({ user_id: lead, action: 'plan-published', detail: JSON.stringify({ plan: row.id, items: plan.humanIdx.length }) })
      .execute();
    return row.id;
  });
}

/**
 * An assignment that counts toward the overlap: submitted, or leased and the lease still running. A lease that ran
 * out stays on record (that annotator is not handed the item again) but its place returns to the pool.
 */
const live = (eb: ExpressionBuilder<Schema, 'assignments'>) =>
  eb.or([eb('assignments.submitted_at', 'is not', null), eb('assignments.leased_until', '>', sql<Date>`now()`)]);

type Tx = Parameters<Parameters<ReturnType<ServerDb['transaction']>['execute']>[0]>[0];

/**
 * The first item in routing order with fewer than `overlap` live assignments and none of the annotator's, row-locked
 * so that no other request hands it out meanwhile; null when none is left. The statement's snapshot may predate
 * another request's commit, so the count is taken again once the lock is held (a new statement sees every commit);
 * an item that filled up meanwhile is passed over.
 */
async function pickFree(tx: Tx, planId: number, annotator: number, overlap: number): Promise<number | null> {
  const passed: number[] = [];
  for (;;) {
    let q = tx
      .selectFrom('plan_items as pi')
      .select('pi.idx')
      .where('pi.plan_id', '=', planId)
      .where('pi.done', '=', false)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('assignments as mine')
              .select('mine.idx')
              .whereRef('mine.plan_id', '=', 'pi.plan_id')
              .whereRef('mine.idx', '=', 'pi.idx')
              .where('mine.annotator_id', '=', annotator),
          ),
        ),
      )
      .where(
        (eb) =>
          eb
            .selectFrom('assignments as a')
            .select(sql<number>`count(*)::int`.as('n'))
            .whereRef('a.plan_id', '=', 'pi.plan_id')
            .whereRef('a.idx', '=', 'pi.idx')
            .where((w) => w.or([w('a.submitted_at', 'is not', null), w('a.leased_until', '>', sql<Date>`now()`)])),
        '<',
        overlap,
      );
    if (passed.length) q = q.where('pi.idx', 'not in', passed);
    const free = await q.orderBy('pi.position').limit(1).forUpdate().skipLocked().executeTakeFirst();
    if (!free) return null;
    const now = await tx
      .selectFrom('assignments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('plan_id', '=', planId)
      .where('idx', '=', free.idx)
      .where(live)
      .executeTakeFirstOrThrow();
    if (now.n < overlap) return free.idx;
    passed.push(free.idx);
  }
}

/**
 * The annotator's items to work on: those they hold and have not submitted (their leases renewed), and then new
 * ones in routing order until they hold `count` (1 to 20): each the first item with room and none of theirs.
 * Empty when nothing is left for them. Items come in routing order, never with their LM label.
 */
export async function nextItems(db: ServerDb, planId: number, annotator: number, count = 1): Promise<QueueItem[]> {
  return db.transaction().execute(async (tx) => {
    const plan = await tx
      .selectFrom('plans')
      .select(['dataset_id', 'overlap', 'lease_seconds'])
      .where('id', '=', planId)
      .executeTakeFirst();
    if (!plan) return [];
    const lease = sql<Date>`now() + make_interval(secs => ${plan.lease_seconds})`;
    const held = await tx
      .updateTable('assignments')
      .set({ leased_until: lease })
      .where('plan_id', '=', planId)
      .where('annotator_id', '=', annotator)
      .where('submitted_at', 'is', null)
      .where('leased_until', '>', sql<Date>`now()`)
      .returning('idx')
      .execute();
    let n = held.length;
    while (n < count) {
      const idx = await pickFree(tx, planId, annotator, plan.overlap);
      if (idx === null) break;
      await tx
        .insertInto('assignments')
        .values({
          plan_id: planId,
          idx,
          annotator_id: annotator,
          leased_until: lease,
          submitted_at: null,
          annotation: null,
          idempotency_key: null,
          device_id: null,
        })
        .execute();
      n++;
    }
    const rows = await tx
      .selectFrom('assignments as a')
      .innerJoin('plan_items as pi', (j) => j.onRef('pi.plan_id', '=', 'a.plan_id').onRef('pi.idx', '=', 'a.idx'))
      .innerJoin('pairs as p', (j) => j.on('p.dataset_id', '=', plan.dataset_id).onRef('p.idx', '=', 'a.idx'))
      .select(['p.idx', 'p.pair_id', 'p.prompt', 'p.response_a', 'p.response_b', 'p.record', 'a.leased_until', 'pi.position'])
      .where('a.plan_id', '=', planId)
      .where('a.annotator_id', '=', annotator)
      .where('a.submitted_at', 'is', null)
      .where('a.leased_until', '>', sql<Date>`now()`)
      .orderBy('pi.position')
      .execute();
    return rows.map((r) => {
      const item: QueueItem = {
        idx: r.idx,
        position: r.position,
        id: r.pair_id,
        prompt: r.prompt,
        responseA: r.response_a,
        responseB: r.response_b,
        leasedUntil: new Date(r.leased_until).toISOString(),
      };
      const messages = (asRecord(r.record) as { messages?: unknown } | null)?.messages;
      if (Array.isArray(messages)) item.messages = messages;
      return item;
    });
  });
}

/** The annotator's next item (one held or a new one), or null. */
export async function nextItem(db: ServerDb, planId: number, annotator: number): Promise<QueueItem | null> {
  return (await nextItems(db, planId, annotator, 1))[0] ?? null;
}

export type SubmitResult =
  | { status: 'stored' | 'already-stored' | 'not-assigned' | 'taken' }
  | { status: 'conflict'; current: { annotation: unknown; submittedAt: string } };

/**
 * Stores the annotator's label of an item once per idempotency key: a retry with the same key is 'already-stored'.
 * A new submission from the device that submitted the item replaces its label (the annotator edited it again);
 * one from another device is a 'conflict': kept apart in the conflicts table, never written over the stored label,
 * and the stored label is returned so the annotator sees both. A label that arrives after its lease ran out is
 * still taken while the item has room ('taken' when it has none: the item went to others meanwhile, and the
 * caller keeps the label to show).
 */
export async function submitItem(
  db: ServerDb,
  planId: number,
  annotator: number,
  idx: number,
  annotation: unknown,
  key: string,
  device: string | null = null,
): Promise<SubmitResult> {
  return db.transaction().execute(async (tx) => {
    const a = await tx
      .selectFrom('assignments')
      .select(['submitted_at', 'idempotency_key', 'leased_until', 'device_id', 'annotation'])
      .where('plan_id', '=', planId)
      .where('idx', '=', idx)
      .where('annotator_id', '=', annotator)
      .forUpdate()
      .executeTakeFirst();
    if (!a) return { status: 'not-assigned' };
    if (a.submitted_at) {
      if (a.idempotency_key === key) return { status: 'already-stored' };
      const refused = await tx.selectFrom('conflicts').select('id').where('idempotency_key', '=', key).executeTakeFirst();
      const sameDevice = device !== null && a.device_id === device;
      if (!sameDevice || refused) {
        if (!refused) {
          await tx
            .insertInto('conflicts')
            .values({
              plan_id: planId,
              idx,
              annotator_id: annotator,
              device_id: device,
              annotation: JSON.stringify(annotation),
              idempotency_key: key,
            })
            .execute();
          await tx
            .insertInto('audit_log')
            .values({ user_id: annotator, action: 'conflict', detail: JSON.stringify({ plan: planId, idx, device }) })
            .execute();
        }
        return {
          status: 'conflict',
          current: { annotation: asRecord(a.annotation), submittedAt: new Date(a.submitted_at).toISOString() },
        };
      }
    }
    const plan = await tx.selectFrom('plans').select('overlap').where('id', '=', planId).executeTakeFirstOrThrow();
    // The item's row lock, as nextItems takes it: nobody is handed the item while this label is counted in, and
    // two labels of one item are counted one after the other (so the last one marks it done).
    await tx.selectFrom('plan_items').select('idx').where('plan_id', '=', planId).where('idx', '=', idx).forUpdate().execute();
    if (!a.submitted_at && new Date(a.leased_until).getTime() < Date.now()) {
      // The lease ran out: the label is still taken while the item has room among the live assignments.
      const others = await tx
        .selectFrom('assignments')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('plan_id', '=', planId)
        .where('idx', '=', idx)
        .where('annotator_id', '!=', annotator)
        .where(live)
        .executeTakeFirstOrThrow();
      if (others.n >= plan.overlap) return { status: 'taken' };
    }
    await tx
      .updateTable('assignments')
      .set({ submitted_at: sql`now()`, annotation: JSON.stringify(annotation), idempotency_key: key, device_id: device })
      .where('plan_id', '=', planId)
      .where('idx', '=', idx)
      .where('annotator_id', '=', annotator)
      .execute();
    if (!a.submitted_at) {
      const labels = await tx
        .selectFrom('assignments')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('plan_id', '=', planId)
        .where('idx', '=', idx)
        .where('submitted_at', 'is not', null)
        .executeTakeFirstOrThrow();
      if (labels.n >= plan.overlap)
        await tx.updateTable('plan_items').set({ done: true }).where('plan_id', '=', planId).where('idx', '=', idx).execute();
    }
    await tx
      .insertInto('audit_log')
      .values({ user_id: annotator, action: a.submitted_at ? 'resubmitted' : 'submitted', detail: JSON.stringify({ plan: planId, idx }) })
      .execute();
    return { status: 'stored' };
  });
}

/**
 * Gives an item back (the annotator skipped it): their lease ends now, so its place returns to the pool, and the
 * record stays, so they are not handed it again. False when they hold no such unsubmitted item.
 */
export async function releaseItem(db: ServerDb, planId: number, annotator: number, idx: number): Promise<boolean> {
  const r = await db
    .updateTable('assignments')
    .set({ leased_until: sql<Date>`now() - interval '1 second'` })
    .where('plan_id', '=', planId)
    .where('idx', '=', idx)
    .where('annotator_id', '=', annotator)
    .where('submitted_at', 'is', null)
    .where('leased_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db
    .insertInto('audit_log')
    .values({ user_id: annotator, action: 'released', detail: JSON.stringify({ plan: planId, idx }) })
    .execute();
  return true;
}
