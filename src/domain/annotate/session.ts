// One annotator working through a queue, without React or IndexedDB: commands in (keys and clicks already
// interpreted), state out, and a save queue. Every change is saved at once, in order, with a revision check, so
// two tabs never overwrite each other silently. Commands that arrive while the next item is still opening (or
// while a submit is being saved) wait and run in the order they came, so a fast annotator never loses a key and
// no key lands on the wrong item. Undo reaches back across items: undoing a submit reopens that item as a draft.
import { annotationId, type Annotation, type Confidence } from '../annotation';
import type { Preference } from '../labels';
import { missingForSubmit, orientPreference } from './queue';
import { HyperError } from '../errors';

/** A save either stores the row (with its new revision) or meets a newer revision saved elsewhere. */
export type SaveResult = { ok: true; row: Annotation } | { ok: false; current: Annotation | undefined };

/** What the session needs from its runtime (IndexedDB and the clocks in the app; a Map in tests). */
export interface SessionStore {
  /** The pair's instance id and the annotation stored for it (undefined: none yet). */
  open(idx: number): Promise<{ instanceId: string; saved: Annotation | undefined }>;
  /** Stores `row` if the stored revision is `expectedRev` (0: none stored); the stored row has rev + 1. */
  save(row: Annotation, expectedRev: number): Promise<SaveResult>;
  /** The annotator moved to a queue position (remembered for the next visit). */
  savePosition(position: number): void;
  /** Wall-clock time (ms since the epoch) for createdAt / updatedAt. */
  now(): number;
  /** A monotonic clock (ms) for the active time. */
  clock(): number;
}

export interface SessionOptions {
  projectId: string;
  datasetId: string;
  planId: string;
  annotator: string;
  /** Whether the item's sides are shown swapped to this annotator. */
  swappedOf(idx: number): boolean;
  store: SessionStore;
  /** Whether the page is visible now (active time counts only then). */
  visible?: boolean;
  /** How many changes undo can go back, across items. */
  undoLimit?: number;
}

export type SessionCommand =
  /** The preference as shown (left/right); stored in the dataset's orientation. */
  | { type: 'overall'; shown: Preference }
  | { type: 'confidence'; value: Confidence }
  /** Any other change of the form (aspects, rationale, "edit again"). */
  | { type: 'patch'; patch: Partial<Annotation> }
  | { type: 'submit' }
  | { type: 'skip'; reason: string }
  /** Flags the item with the reason, or unflags a flagged one. */
  | { type: 'flag'; reason: string }
  | { type: 'undo' }
  /** To a queue position, or by `delta` items from the current one. */
  | { type: 'go'; position: number }
  | { type: 'move'; delta: number }
  /** After a conflict: take the version saved elsewhere, or write this one over it. */
  | { type: 'load-saved' }
  | { type: 'keep-mine' }
  /**
   * Runs `run` on the item that is open at this point of the commands, once it is open: for the page's own
   * keys (revealing the LM label) typed among moves, so they land on the item they were typed for.
   */
  | { type: 'with-item'; run: (draft: Annotation | null) => void };

export interface SessionState {
  /** The queue (dataset positions in the order this annotator sees them); null until the session starts. */
  queue: Uint32Array | null;
  position: number;
  /** The dataset position of the current item. */
  idx: number | undefined;
  /** The current item's annotation, null while it opens. */
  draft: Annotation | null;
  /** The current item was saved elsewhere since it was opened here (current undefined: it was removed). */
  conflict: { current: Annotation | undefined } | null;
  error: unknown;
  saving: boolean;
  canUndo: boolean;
  /** Why the last command did nothing (submit without a preference, a submit that was not saved). */
  message: string | null;
  /** Commands waiting for the item to open. */
  waiting: number;
}

/** A change could not be saved because another tab saved a newer version of an item no longer shown. */
export class SessionConflictError extends HyperError<'conflict'> {
  constructor(message: string) {
    super('conflict', message);
  }
}

const NOT_SAVED = 'Not saved, so you are still on this item: see the error above, then submit again.';

export class AnnotatorSession {
  private state: SessionState = {
    queue: null,
    position: 0,
    idx: undefined,
    draft: null,
    conflict: null,
    error: null,
    saving: false,
    canUndo: false,
    message: null,
    waiting: 0,
  };
  private readonly listeners = new Set<() => void>();
  private readonly inbox: SessionCommand[] = [];
  private pumping = false;
  private opening: Promise<void> | null = null;
  /** Saves run one after another, in the order they were made. */
  private chain: Promise<unknown> = Promise.resolve();
  private pendingSaves = 0;
  /** Stored revision per annotation id (saves of an item just left may still be queued). */
  private readonly revs = new Map<string, number>();
  /** The last version of each annotation this session saved or read: an item opens from it at once. */
  private readonly known = new Map<string, Annotation>();
  private undoStack: Annotation[] = [];
  /** Whether the current draft is stored (a fresh one is stored on its first change). */
  private stored = false;
  private active: { base: number; since: number | null } = { base: 0, since: null };
  private visible: boolean;
  private disposed = false;

  constructor(private readonly opts: SessionOptions) {
    this.visible = opts.visible ?? true;
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Starts (or restarts with another order) at a queue position; commands given before wait for it. The queue
   * the session already has is ignored, so a caller may pass it again.
   */
  start(queue: Uint32Array, position: number): void {
    if (queue === this.state.queue) return;
    const old = this.state.queue;
    if (old && old.length > 0 && queue.length > old.length && old.every((v, i) => queue[i] === v)) {
      // The queue grew at its end (team mode: the server handed out more): go on where the annotator is, with
      // nothing reopened and no key lost; standing on a finished last item, move on to the first new one.
      const atEnd = this.state.position === old.length - 1;
      const finished = this.state.draft !== null && this.state.draft.status !== 'draft';
      this.set({ queue });
      if (atEnd && finished) this.dispatch({ type: 'go', position: old.length });
      return;
    }
    const p = queue.length === 0 ? 0 : Math.max(0, Math.min(queue.length - 1, position));
    this.leaveItem();
    this.set({ queue, position: p, idx: queue[p], draft: null, conflict: null, message: null });
    if (queue.length > 0) this.opening = this.openItem(p);
    void this.pump();
  }

  dispatch(command: SessionCommand): void {
    if (this.disposed) return;
    this.inbox.push(command);
    this.set({ waiting: this.inbox.length });
    void this.pump();
  }

  /** Resolves when every command given so far has run and every save has finished (for tests and shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      if (this.opening) {
        await this.opening;
        continue;
      }
      if (this.pumping) {
        await new Promise((r) => setTimeout(r, 0));
        continue;
      }
      const chain = this.chain;
      await chain;
      if (chain === this.chain && !this.opening && !this.pumping) return;
    }
  }

  /** The page became visible or hidden: active time counts only while visible; hiding saves it. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    const a = this.active;
    if (visible) {
      if (a.since === null) a.since = this.opts.store.clock();
      return;
    }
    if (a.since !== null) {
      a.base += this.opts.store.clock() - a.since;
      a.since = null;
    }
    const d = this.state.draft;
    if (d && this.stored && d.status === 'draft' && !this.state.conflict) {
      const next = { ...d, activeMs: this.activeMs(), updatedAt: this.opts.store.now() };
      this.set({ draft: next });
      void this.persist(next);
    }
  }

  /** Ends the session: the time spent on a stored draft is saved; later commands are ignored. */
  dispose(): void {
    this.leaveItem();
    this.disposed = true;
    this.inbox.length = 0;
    this.listeners.clear();
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private activeMs(): number {
    const a = this.active;
    return Math.round(a.base + (a.since === null ? 0 : this.opts.store.clock() - a.since));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.inbox.length > 0 && this.state.queue && !this.disposed) {
        if (this.opening) {
          await this.opening;
          continue;
        }
        const command = this.inbox.shift()!;
        this.set({ waiting: this.inbox.length });
        await this.apply(command);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async apply(c: SessionCommand): Promise<void> {
    const d = this.state.draft;
    switch (c.type) {
      case 'overall':
        if (d && d.status !== 'submitted') void this.update({ overall: orientPreference(c.shown, d.swapped) });
        return;
      case 'confidence':
        if (d && d.status !== 'submitted') void this.update({ confidence: c.value });
        return;
      case 'patch':
        void this.update(c.patch);
        return;
      case 'submit': {
        if (!d) return;
        const missing = missingForSubmit(d);
        if (missing.length > 0) {
          this.set({ message: `To submit, choose ${missing.join(' and ')}.` });
          return;
        }
        return this.finish({ status: 'submitted', submittedAt: this.opts.store.now() });
      }
      case 'skip':
        if (!d) return;
        return this.finish({ status: 'skipped', skipReason: c.reason });
      case 'flag':
        if (!d) return;
        if (d.flag !== undefined) {
          const { flag: _drop, ...rest } = d;
          void _drop;
          void this.update({ ...rest, flag: undefined });
        } else void this.update({ flag: c.reason });
        return;
      case 'undo':
        return this.undo();
      case 'go':
        return this.moveTo(c.position);
      case 'move':
        return this.moveTo(this.state.position + c.delta);
      case 'load-saved':
        return this.loadSaved();
      case 'keep-mine':
        return this.keepMine();
      case 'with-item':
        return c.run(this.state.draft);
      default: {
        const never: never = c;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  }

  /** Changes the draft and saves it; resolves true once stored, false when the save failed or met a conflict. */
  private update(patch: Partial<Annotation>): Promise<boolean> {
    const d = this.state.draft;
    if (!d || this.state.conflict) return Promise.resolve(false);
    this.undoStack.push(d);
    if (this.undoStack.length > (this.opts.undoLimit ?? 200)) this.undoStack.shift();
    const next: Annotation = { ...d, ...patch, activeMs: this.activeMs(), updatedAt: this.opts.store.now() };
    this.set({ draft: next, canUndo: true, message: null });
    return this.persist(next);
  }

  /** Saves a change that ends the item (submit, skip) and moves on once it is stored; a failed save stays. */
  private async finish(patch: Partial<Annotation>): Promise<void> {
    const saved = await this.update(patch);
    if (!saved) {
      // Keys typed after the submit were meant for the next item: they are dropped, not applied here.
      this.inbox.length = 0;
      this.set({ message: NOT_SAVED, waiting: 0 });
      return;
    }
    const queue = this.state.queue!;
    if (this.state.position < queue.length - 1) this.moveTo(this.state.position + 1);
  }

  private persist(next: Annotation, expected?: number): Promise<boolean> {
    this.pendingSaves++;
    this.set({ saving: true });
    const run = this.chain.then(async () => {
      try {
        const r = await this.opts.store.save(next, expected ?? this.revs.get(next.id) ?? 0);
        if (r.ok) {
          this.revs.set(r.row.id, r.row.rev);
          this.known.set(r.row.id, r.row);
          if (this.state.draft?.id === r.row.id) this.stored = true;
          this.set({ error: null });
          return true;
        }
        if (this.state.draft?.id === next.id) this.set({ conflict: { current: r.current } });
        else
          this.set({
            error: new SessionConflictError(`Item ${next.idx + 1} was changed in another tab; your change to it was not saved.`),
          });
        return false;
      } catch (e) {
        this.set({ error: e });
        return false;
      } finally {
        this.pendingSaves--;
        this.set({ saving: this.pendingSaves > 0 });
      }
    });
    this.chain = run;
    return run;
  }

  /** Leaving an item keeps the time spent on a stored draft. */
  private leaveItem(): void {
    const d = this.state.draft;
    if (d && this.stored && d.status === 'draft' && !this.state.conflict && !this.disposed) {
      void this.persist({ ...d, activeMs: this.activeMs(), updatedAt: this.opts.store.now() });
    }
  }

  private moveTo(position: number): void {
    const queue = this.state.queue;
    if (!queue || queue.length === 0) return;
    const p = Math.max(0, Math.min(queue.length - 1, position));
    if (p === this.state.position && this.state.draft) return;
    this.leaveItem();
    this.set({ position: p, idx: queue[p], draft: null, conflict: null, message: null });
    this.opts.store.savePosition(p);
    this.opening = this.openItem(p);
  }

  private show(a: Annotation, stored: boolean): void {
    this.stored = stored;
    this.revs.set(a.id, stored ? a.rev : 0);
    if (stored) this.known.set(a.id, a);
    this.active = { base: a.activeMs, since: this.visible ? this.opts.store.clock() : null };
    this.set({ draft: a });
  }

  private fresh(idx: number, instanceId: string): Annotation {
    const { projectId, datasetId, planId, annotator } = this.opts;
    const now = this.opts.store.now();
    return {
      id: annotationId(planId, idx, annotator),
      projectId,
      datasetId,
      planId,
      idx,
      instanceId,
      annotator,
      status: 'draft',
      aspects: {},
      rationale: '',
      swapped: this.opts.swappedOf(idx),
      activeMs: 0,
      createdAt: now,
      updatedAt: now,
      rev: 0,
      origin: 'local',
    };
  }

  /**
   * Shows the item at once from what this session last saved or read, then reads the store (after this
   * session's own saves) to catch work saved elsewhere; commands wait until that read is done.
   */
  private async openItem(p: number): Promise<void> {
    const idx = this.state.queue![p]!;
    const id = annotationId(this.opts.planId, idx, this.opts.annotator);
    const quick = this.known.get(id);
    if (quick) this.show(quick, true);
    try {
      await this.chain;
      const { instanceId, saved } = await this.opts.store.open(idx);
      if (this.state.position !== p || this.state.idx !== idx) return;
      this.show(saved ?? this.fresh(idx, instanceId), saved !== undefined);
    } catch (e) {
      this.set({ error: e });
    } finally {
      this.opening = null;
    }
  }

  private undo(): void {
    if (this.state.conflict) return;
    const prev = this.undoStack.pop();
    this.set({ canUndo: this.undoStack.length > 0 });
    if (!prev) return;
    const d = this.state.draft;
    if (d && d.id === prev.id) {
      const next: Annotation = { ...prev, activeMs: this.activeMs(), updatedAt: this.opts.store.now() };
      this.set({ draft: next, message: null });
      void this.persist(next);
      return;
    }
    // A change of another item (the one just submitted): write its earlier version back and go back to it.
    const next: Annotation = { ...prev, updatedAt: this.opts.store.now() };
    this.known.set(next.id, { ...next, rev: this.revs.get(next.id) ?? next.rev });
    void this.persist(next);
    const p = this.state.queue!.indexOf(prev.idx);
    if (p >= 0) this.moveTo(p);
  }

  private loadSaved(): void {
    const c = this.state.conflict;
    const d = this.state.draft;
    if (!c || !d) return;
    this.undoStack = [];
    this.set({ conflict: null, canUndo: false });
    this.show(c.current ?? this.fresh(d.idx, d.instanceId), c.current !== undefined);
  }

  private keepMine(): void {
    const c = this.state.conflict;
    const d = this.state.draft;
    if (!c || !d) return;
    this.set({ conflict: null });
    void this.persist({ ...d, updatedAt: this.opts.store.now() }, c.current?.rev ?? 0);
  }
}
