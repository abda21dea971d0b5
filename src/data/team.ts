// Team mode in the browser: the project's server (hyper serve) when the app is served by one, its JSON API, and
// the annotator's sync. The app works without a server; these only run where /api/v1 answers as the server does.
// Every submission is in IndexedDB (annotation, then outbox) before it is sent; the outbox is sent in order, a
// retry carries the same idempotency key, and what the server refuses stays in the outbox with its reason.
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { Annotation } from '../domain/annotation';
import { listAnnotationsOf, putAnnotatorState } from '../storage/annotations-repo';
import { openDb, type OutboxRow, type TeamOrigin } from '../storage/db';
import { addTeamItems, enqueueTeamChange, listOutbox, listTeamItems, updateOutbox, type ServerItem } from '../storage/team-repo';
import { keys } from './queries';
import { announce } from './sync';

export interface TeamUser {
  id: number;
  name: string;
  role: 'lead' | 'annotator';
  projectId: number | null;
}

/** Where the app stands with a team server: none (a static host or vite), one that wants a sign-in, or signed in. */
export type TeamServer = { state: 'none' } | { state: 'signed-out' } | { state: 'signed-in'; user: TeamUser; server: string };

export class TeamApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'TeamApiError';
  }
}

/** Thrown when the server cannot be reached (offline, stopped): the work waits, nothing is dropped. */
export class TeamOfflineError extends Error {
  constructor(cause: unknown) {
    super(
      `The team server cannot be reached (${cause instanceof Error ? cause.message : String(cause)}); your work is kept here and sent when it is back.`,
    );
    this.name = 'TeamOfflineError';
  }
}

/** A call to the server's API; JSON in and out. */
export async function teamApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let r: Response;
  try {
    r = await fetch(`/api/v1/${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new TeamOfflineError(e);
  }
  const isJson = (r.headers.get('content-type') ?? '').includes('application/json');
  const parsed: unknown = isJson ? await r.json().catch(() => null) : null;
  if (!isJson) {
    if (r.status >= 500) throw new TeamOfflineError(`HTTP ${r.status}`);
    throw new TeamApiError(r.status, 'no-server', 'This app is not served by a team server (hyper serve).');
  }
  if (!r.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    if (r.status >= 500) throw new TeamOfflineError(err?.message ?? `HTTP ${r.status}`);
    throw new TeamApiError(r.status, err?.code ?? 'error', err?.message ?? `HTTP ${r.status}`, parsed);
  }
  return parsed as T;
}

/** Asks the page's own origin whether it is a team server, and who is signed in. */
export async function detectServer(): Promise<TeamServer> {
  try {
    const { user } = await teamApi<{ user: TeamUser }>('GET', 'me');
    return { state: 'signed-in', user, server: location.origin };
  } catch (e) {
    if (e instanceof TeamApiError && e.status === 401) return { state: 'signed-out' };
    return { state: 'none' };
  }
}

export const teamServerKey = ['team', 'server'] as const;

/** The team server of this page, asked once per load. */
export function useTeamServer() {
  return useQuery({ queryKey: teamServerKey, queryFn: detectServer, staleTime: Infinity });
}

/** This browser's device id (a conflict between two devices of one annotator is told apart by it). */
export function deviceId(): string {
  const key = 'hyper-device-id';
  let id = localStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}

export interface TeamSyncState {
  /** False while the server cannot be reached. */
  online: boolean;
  /** Changes in the outbox not yet sent. */
  pending: number;
  /** Entries the server did not take (conflicts, labels too late, refusals): shown, never dropped. */
  problems: OutboxRow[];
  /** The annotator's labels the server holds, and the labels the plan still wants from anyone. */
  queue: { done: number; remaining: number | null } | null;
  signedOut: boolean;
  lastSync: number | null;
  set(patch: Partial<Omit<TeamSyncState, 'set'>>): void;
}

export const useTeamSync = create<TeamSyncState>((set) => ({
  online: true,
  pending: 0,
  problems: [],
  queue: null,
  signedOut: false,
  lastSync: null,
  set: (patch) => set(patch),
}));

/** Items held at once: enough to go on for a while offline, few enough that others are not kept waiting. */
export const HOLD = 3;

const localPlanId = (projectId: string) => `${projectId}_plan`;

/**
 * The annotator's sync with the server for one local team project: sends the outbox in order, asks for more items
 * when fewer than two are left to label here, listens to the plan's event stream, and tries again (with a growing
 * pause, and at once when the browser says it is online) while the server cannot be reached.
 */
export class TeamSync {
  private running = false;
  private again = false;
  private stopped = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private pause = 1000;
  private events: EventSource | null = null;
  private lastEventRun = 0;

  constructor(
    private readonly qc: QueryClient,
    private readonly projectId: string,
    private readonly origin: TeamOrigin,
  ) {}

  start(): void {
    window.addEventListener('online', this.kick);
    this.events = new EventSource(`/api/v1/plans/${this.origin.serverPlanId}/events`);
    // The plan changed (someone labelled, an item came free): send what waits, and ask for items if few are left.
    // With the plan done there is nothing to ask for; otherwise at most one such run every 2 s, so that a room of
    // annotators with empty hands does not answer every label with a request each.
    this.events.onmessage = (ev) => {
      let remaining: number | null = null;
      try {
        remaining = (JSON.parse(String(ev.data)) as { remaining: number }).remaining;
        const ui = useTeamSync.getState();
        ui.set({ queue: { done: ui.queue?.done ?? 0, remaining }, online: true });
      } catch {
        // not ours
      }
      if (remaining === 0 || Date.now() - this.lastEventRun < 2000) return;
      this.lastEventRun = Date.now();
      this.kick();
    };
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.kick);
    if (this.retry) clearTimeout(this.retry);
    this.events?.close();
  }

  /** Sends what waits and tops the held items up (now, or right after the run in progress). */
  kick = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  };

  private async run(): Promise<void> {
    this.running = true;
    const db = openDb();
    const ui = useTeamSync.getState();
    try {
      do {
        this.again = false;
        for (const row of (await listOutbox(db, this.origin)).filter((r) => r.state === 'pending')) {
          if (this.stopped) return;
          await this.send(row);
        }
        await this.topUp();
      } while (this.again && !this.stopped);
      this.pause = 1000;
      ui.set({ online: true, lastSync: Date.now() });
    } catch (e) {
      if (e instanceof TeamApiError && e.status === 401) ui.set({ signedOut: true });
      else {
        ui.set({ online: false });
        if (this.retry) clearTimeout(this.retry);
        this.retry = setTimeout(this.kick, this.pause);
        this.pause = Math.min(this.pause * 2, 30_000);
      }
    } finally {
      this.running = false;
      await this.refreshState();
    }
  }

  private async send(row: OutboxRow): Promise<void> {
    const db = openDb();
    const base = `plans/${this.origin.serverPlanId}/items/${row.idx}`;
    try {
      if (row.kind === 'release') await teamApi('POST', `${base}/release`, {});
      else {
        const r = await teamApi<{ done: number }>('POST', `${base}/submit`, {
          annotation: row.annotation,
          key: row.key,
          device: deviceId(),
        });
        const ui = useTeamSync.getState();
        ui.set({ queue: { remaining: ui.queue?.remaining ?? null, done: r.done } });
      }
      await updateOutbox(db, row.key, { state: 'sent', sentAt: Date.now(), tries: row.tries + 1 });
    } catch (e) {
      if (!(e instanceof TeamApiError) || e.status === 401) {
        await updateOutbox(db, row.key, { tries: row.tries + 1 });
        throw e;
      }
      const body = e.body as { current?: OutboxRow['current'] } | null;
      const state: OutboxRow['state'] = e.code === 'conflict' ? 'conflict' : e.code === 'taken' ? 'taken' : 'refused';
      await updateOutbox(db, row.key, {
        state,
        message: e.message,
        tries: row.tries + 1,
        ...(body?.current ? { current: body.current } : {}),
      });
    }
  }

  /** Asks for more items when fewer than two are left to label in this browser. */
  private async topUp(): Promise<void> {
    const db = openDb();
    const items = await listTeamItems(db, this.origin);
    const mine = await listAnnotationsOf(db, localPlanId(this.projectId), this.origin.annotator);
    const closed = new Set(mine.filter((a) => a.status === 'submitted' || a.status === 'skipped').map((a) => a.idx));
    const open = items.filter((t) => !closed.has(t.localIdx)).length;
    if (open >= 2) return;
    const r = await teamApi<{ items: ServerItem[]; done: number }>('POST', `plans/${this.origin.serverPlanId}/next`, { count: HOLD });
    const ui = useTeamSync.getState();
    ui.set({ queue: { remaining: ui.queue?.remaining ?? null, done: r.done } });
    const added = await addTeamItems(db, this.projectId, this.origin, r.items);
    if (added === 0) return;
    // Standing on an item already done (the end of the queue so far): move on to the first new one.
    const state = await db.annotatorStates.get(`${this.projectId}|${this.origin.annotator}`);
    if (state && state.order === 'gain' && (closed.has(state.position) || state.position >= items.length)) {
      const all = await listTeamItems(db, this.origin);
      const firstOpen = all
        .map((t) => t.localIdx)
        .filter((i) => !closed.has(i))
        .sort((a, b) => a - b)[0];
      if (firstOpen !== undefined) await putAnnotatorState(db, { ...state, position: firstOpen, updatedAt: Date.now() });
    }
    await announce(this.qc, [keys.plans.all, ['datasets'], ['dataset'], ['annotator-state'], keys.projects.one(this.projectId)]);
  }

  private async refreshState(): Promise<void> {
    const rows = await listOutbox(openDb(), this.origin);
    useTeamSync.getState().set({
      pending: rows.filter((r) => r.state === 'pending').length,
      problems: rows.filter((r) => r.state !== 'pending' && r.state !== 'sent'),
    });
  }
}

let current: TeamSync | null = null;

/** Runs the team sync of a local team project while the component is shown. */
export function useTeamSyncLoop(projectId: string, origin: TeamOrigin | undefined): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!origin) return;
    const sync = new TeamSync(qc, projectId, origin);
    current = sync;
    sync.start();
    return () => {
      sync.stop();
      if (current === sync) current = null;
    };
  }, [qc, projectId, origin]);
}

/** After a save of a team project's annotation: into the outbox when it is news for the server, then sent. */
export function afterTeamSave(origin: TeamOrigin, row: Annotation): void {
  void enqueueTeamChange(openDb(), origin, row).then((entry) => {
    if (entry) current?.kick();
  });
}
