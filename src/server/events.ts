// Live updates: a change to a plan (a label submitted, an item handed out or released) is announced with
// PostgreSQL's NOTIFY on one channel, and every server instance on the database LISTENs on it and tells its own
// open event streams (SSE). On the embedded database there is one instance, and NOTIFY works the same.
import { sql } from 'kysely';
import { listenerOf, type ServerDb } from './db';

export const EVENTS_CHANNEL = 'hyper_events';

/** Announces that plan `planId` changed, to every instance listening on the database. */
export async function notifyPlan(db: ServerDb, planId: number): Promise<void> {
  await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(planId)})`.execute(db);
}

/**
 * The plans' subscribers on this instance. A burst of changes to one plan reaches each subscriber once per
 * `settleMs` (the progress it reads costs a few queries). After the listening connection was lost and made
 * again, every subscriber is told (what changed meanwhile is unknown).
 */
export class PlanEvents {
  private readonly subs = new Map<number, Set<() => void>>();
  private readonly due = new Map<number, ReturnType<typeof setTimeout>>();
  private stop: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: ServerDb,
    private readonly settleMs = 200,
  ) {}

  async start(): Promise<void> {
    this.stop = await listenerOf(this.db)(EVENTS_CHANNEL, (payload) => {
      if (payload === '*') for (const id of this.subs.keys()) this.changed(id);
      else if (/^\d+$/.test(payload)) this.changed(Number(payload));
    });
  }

  private changed(planId: number): void {
    if (!this.subs.has(planId) || this.due.has(planId)) return;
    this.due.set(
      planId,
      setTimeout(() => {
        this.due.delete(planId);
        for (const fn of this.subs.get(planId) ?? []) fn();
      }, this.settleMs),
    );
  }

  subscribe(planId: number, fn: () => void): () => void {
    let set = this.subs.get(planId);
    if (!set) this.subs.set(planId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.subs.delete(planId);
    };
  }

  async close(): Promise<void> {
    for (const t of this.due.values()) clearTimeout(t);
    this.due.clear();
    await this.stop?.();
    this.stop = null;
  }
}
