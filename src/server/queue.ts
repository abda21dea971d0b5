// Publishing a routed queue and handing its items out: in routing order, to `overlap` annotators each, never the
// same item twice to one annotator, with leases (an item handed out but not submitted returns to the pool when its
// lease ends). Concurrent requests, from several server instances on one database too, never over-assign: the
// item chosen is row-locked (FOR UPDATE SKIP LOCKED), so a second request skips it while the first decides.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Schema, ServerDb } from './db';

export interface PublishedPair {
  idx: number;
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
  lm: string | null;
}

/** Stores a dataset's pairs (a batch; call again for more) under a new dataset id, or adds to `datasetId`. */
export async function publishPairs(
  db: ServerDb,
  lead: number,
  name: string,
  pairs: readonly PublishedPair[],
  datasetId?: number,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const id =
      datasetId ?? (await tx.insertInto('datasets').values({ name, created_by: lead }).returning('id').executeTakeFirstOrThrow()).id;
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

/** A locked plan's human queue (dataset positions in routing order) with its overlap and lease. */
export async function publishPlan(
  db: ServerDb,
  lead: number,
  plan: { datasetId: number; humanIdx: readonly number[]; overlap: number; leaseSeconds: number },
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('plans')
      .values({ dataset_id: plan.datasetId, overlap: plan.overlap, lease_seconds: plan.leaseSeconds })
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

/** An item as an annotator sees it: the pair, never its LM label. */
export interface QueueItem {
  idx: number;
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
  leasedUntil: string;
}

/**
 * The annotator's next item: the one they hold and have not submitted (its lease renewed), else the first item in
 * routing order that has fewer than `overlap` live assignments and none of theirs. Null when none is left for them.
 */
export async function nextItem(db: ServerDb, planId: number, annotator: number): Promise<QueueItem | null> {
  return db.transaction().execute(async (tx) => {
    const plan = await tx
      .selectFrom('plans')
      .select(['dataset_id', 'overlap', 'lease_seconds'])
      .where('id', '=', planId)
      .executeTakeFirst();
    if (!plan) return null;
    const lease = sql<Date>`now() + make_interval(secs => ${plan.lease_seconds})`;
    const held = await tx
      .updateTable('assignments')
      .set({ leased_until: lease })
      .where('plan_id', '=', planId)
      .where('annotator_id', '=', annotator)
      .where('submitted_at', 'is', null)
      .where('leased_until', '>', sql<Date>`now()`)
      .returning(['idx', 'leased_until'])
      .executeTakeFirst();
    let idx = held?.idx;
    if (idx === undefined) {
      // The first item with room, locked so that no other request hands it out meanwhile. The statement's snapshot
      // may predate another request's commit, so the count is taken again once the lock is held (a new statement
      // sees every commit); an item that filled up meanwhile is passed over.
      const passed: number[] = [];
      for (;;) {
        let q = tx
          .selectFrom('plan_items as pi')
          .select('pi.idx')
          .where('pi.plan_id', '=', planId)
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
            plan.overlap,
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
        if (now.n < plan.overlap) {
          idx = free.idx;
          break;
        }
        passed.push(free.idx);
      }
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
        })
        .execute();
    }
    const pair = await tx
      .selectFrom('pairs')
      .select(['idx', 'pair_id', 'prompt', 'response_a', 'response_b'])
      .where('dataset_id', '=', plan.dataset_id)
      .where('idx', '=', idx)
      .executeTakeFirstOrThrow();
    const until = await tx
      .selectFrom('assignments')
      .select('leased_until')
      .where('plan_id', '=', planId)
      .where('idx', '=', idx)
      .where('annotator_id', '=', annotator)
      .executeTakeFirstOrThrow();
    return {
      idx: pair.idx,
      id: pair.pair_id,
      prompt: pair.prompt,
      responseA: pair.response_a,
      responseB: pair.response_b,
      leasedUntil: new Date(until.leased_until).toISOString(),
    };
  });
}

export type SubmitResult = 'stored' | 'already-stored' | 'conflict' | 'not-assigned' | 'taken';

/**
 * Stores the annotator's label of an item once: a retry with the same idempotency key is 'already-stored'; another
 * submission for an item already submitted (a second device) is a 'conflict', never a silent overwrite. A label
 * that arrives after its lease ran out is still taken while the item has room ('taken' when it has none: the item
 * went to others meanwhile, and the caller keeps the label to show).
 */
export async function submitItem(
  db: ServerDb,
  planId: number,
  annotator: number,
  idx: number,
  annotation: unknown,
  key: string,
): Promise<SubmitResult> {
  return db.transaction().execute(async (tx) => {
    const a = await tx
      .selectFrom('assignments')
      .select(['submitted_at', 'idempotency_key', 'leased_until'])
      .where('plan_id', '=', planId)
      .where('idx', '=', idx)
      .where('annotator_id', '=', annotator)
      .forUpdate()
      .executeTakeFirst();
    if (!a) return 'not-assigned';
    if (a.submitted_at) return a.idempotency_key === key ? 'already-stored' : 'conflict';
    if (new Date(a.leased_until).getTime() < Date.now()) {
      // The lease ran out: the label is still taken while the item has room among the live assignments.
      const plan = await tx.selectFrom('plans').select('overlap').where('id', '=', planId).executeTakeFirstOrThrow();
      // The item's row lock, as nextItem takes it: nobody is handed the item while this label is counted in.
      await tx.selectFrom('plan_items').select('idx').where('plan_id', '=', planId).where('idx', '=', idx).forUpdate().execute();
      const others = await tx
        .selectFrom('assignments')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('plan_id', '=', planId)
        .where('idx', '=', idx)
        .where('annotator_id', '!=', annotator)
        .where(live)
        .executeTakeFirstOrThrow();
      if (others.n >= plan.overlap) return 'taken';
    }
    await tx
      .updateTable('assignments')
      .set({ submitted_at: sql`now()`, annotation: JSON.stringify(annotation), idempotency_key: key })
      .where('plan_id', '=', planId)
      .where('idx', '=', idx)
      .where('annotator_id', '=', annotator)
      .execute();
    await tx
      .insertInto('audit_log')
      .values({ user_id: annotator, action: 'submitted', detail: JSON.stringify({ plan: planId, idx }) })
      .execute();
    return 'stored';
  });
}
