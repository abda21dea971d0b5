// The annotation being edited: every change goes to IndexedDB at once (through a queue, so writes keep
// their order), with a revision check so two tabs never overwrite each other silently. Active time counts
// only while the tab is visible.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { annotationId, type Annotation } from '../../domain/annotation';
import { AnnotationConflictError, getAnnotation, saveAnnotation } from '../../storage/annotations-repo';
import { openDb } from '../../storage/db';

/** Which annotation is being edited (and the side swap it is shown with). */
export type DraftKey = Pick<Annotation, 'projectId' | 'datasetId' | 'planId' | 'idx' | 'instanceId' | 'annotator' | 'swapped'>;

export interface DraftState {
  draft: Annotation | null;
  /** Another tab saved this item since it was loaded here (undefined current = it was removed). */
  conflict: { current: Annotation | undefined } | null;
  error: unknown;
  saving: boolean;
  canUndo: boolean;
  /** Changes the draft and saves it; resolves true once it is stored, false when the save failed. */
  update(patch: Partial<Annotation>): Promise<boolean>;
  /** The draft as of the last update (for handlers that run before React re-renders). */
  current(): Annotation | null;
  /**
   * Undoes the last change this tab made, on this item or an earlier one (a submit moves on to the next item;
   * undo brings the submitted one back as a draft). Returns the position (idx) of the item it changed, or null.
   */
  undo(): number | null;
  /** Conflict resolution: take what the other tab saved, or write this tab's version over it. */
  loadSaved(): void;
  keepMine(): void;
}

function freshDraft(k: DraftKey): Annotation {
  const now = Date.now();
  return {
    id: annotationId(k.planId, k.idx, k.annotator), projectId: k.projectId, datasetId: k.datasetId, planId: k.planId, idx: k.idx, instanceId: k.instanceId,
    annotator: k.annotator, status: 'draft', aspects: {}, rationale: '', swapped: k.swapped, activeMs: 0, createdAt: now, updatedAt: now, rev: 0, origin: 'local',
  };
}

/** The last version of each annotation this tab saved or read: lets an item open without waiting for IndexedDB. */
const lastKnown = new Map<string, Annotation>();

/** How many changes undo can go back, across items. */
const UNDO_LIMIT = 200;

/**
 * `known`: the annotation as the page's cache has it (null: none; undefined: cache not loaded). The item opens
 * at once from what this tab last saved or the cache, then IndexedDB is read to catch work saved elsewhere.
 */
export function useAnnotationDraft(k: DraftKey | null, known?: Annotation | null): DraftState {
  const qc = useQueryClient();
  const id = k ? annotationId(k.planId, k.idx, k.annotator) : null;
  const [draft, setDraft] = useState<Annotation | null>(null);
  const [conflict, setConflict] = useState<DraftState['conflict']>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(0);
  const [undoDepth, setUndoDepth] = useState(0);
  const draftRef = useRef<Annotation | null>(null);
  const stored = useRef(false);
  // Stored revision per annotation id: saves of the item just left may still be queued when the next opens.
  const revs = useRef(new Map<string, number>());
  const undoStack = useRef<Annotation[]>([]);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const active = useRef<{ base: number; since: number | null }>({ base: 0, since: null });

  const activeMs = () => Math.round(active.current.base + (active.current.since === null ? 0 : performance.now() - active.current.since));

  const persist = useCallback(
    (next: Annotation, expected?: number): Promise<boolean> => {
      setPending((p) => p + 1);
      const done = chain.current.then(async () => {
        try {
          const row = await saveAnnotation(openDb(), next, expected ?? revs.current.get(next.id) ?? 0);
          revs.current.set(row.id, row.rev);
          lastKnown.set(row.id, row);
          if (draftRef.current?.id === row.id) stored.current = true;
          setError(null);
          void qc.invalidateQueries({ queryKey: ['annotations'] });
          return true;
        } catch (e) {
          if (e instanceof AnnotationConflictError && draftRef.current?.id === next.id) setConflict({ current: e.current });
          else setError(e);
          return false;
        } finally {
          setPending((p) => p - 1);
        }
      });
      chain.current = done.then(() => undefined);
      return done;
    },
    [qc],
  );

  // Load (or start) the item's annotation.
  useEffect(() => {
    if (!k || !id) return;
    let live = true;
    setConflict(null);
    const open = (a: Annotation | undefined) => {
      const d = a ?? freshDraft(k);
      stored.current = !!a;
      revs.current.set(d.id, a?.rev ?? 0);
      draftRef.current = d;
      if (a) lastKnown.set(a.id, a);
      active.current = { base: d.activeMs, since: document.visibilityState === 'visible' ? performance.now() : null };
      setDraft(d);
    };
    const quick = lastKnown.get(id) ?? (known === undefined ? undefined : known ?? null);
    if (quick !== undefined) open(quick ?? undefined);
    else setDraft(null);
    void chain.current.then(() =>
      getAnnotation(openDb(), id).then(
        (a) => {
          if (!live) return;
          // Opened from memory: take the stored version only if it is newer and nothing was changed here yet.
          if (quick !== undefined) {
            if ((a?.rev ?? 0) !== (revs.current.get(id) ?? 0) && undoStack.current.at(-1)?.id !== id) open(a);
            return;
          }
          open(a);
        },
        (e: unknown) => live && setError(e),
      ),
    );
    return () => {
      live = false;
      // Leaving the item: keep the time spent on a stored draft.
      const d = draftRef.current;
      if (d && d.id === id && stored.current && d.status === 'draft') persist({ ...d, activeMs: activeMs(), updatedAt: Date.now() });
      draftRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by the annotation id only
  }, [id]);

  // Active time: only while the tab is visible; a hidden tab saves what it has.
  useEffect(() => {
    const onVisibility = () => {
      const a = active.current;
      if (document.visibilityState === 'visible') {
        if (a.since === null) a.since = performance.now();
        return;
      }
      if (a.since !== null) {
        a.base += performance.now() - a.since;
        a.since = null;
      }
      const d = draftRef.current;
      if (d && stored.current && d.status === 'draft') {
        const next = { ...d, activeMs: activeMs(), updatedAt: Date.now() };
        draftRef.current = next;
        persist(next);
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onVisibility);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refs only
  }, [persist]);

  const update = useCallback(
    (patch: Partial<Annotation>): Promise<boolean> => {
      const d = draftRef.current;
      if (!d || conflict) return Promise.resolve(false);
      undoStack.current.push(d);
      if (undoStack.current.length > UNDO_LIMIT) undoStack.current.shift();
      setUndoDepth(undoStack.current.length);
      const next: Annotation = { ...d, ...patch, activeMs: activeMs(), updatedAt: Date.now() };
      draftRef.current = next;
      setDraft(next);
      return persist(next);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refs only
    [conflict, persist],
  );

  const undo = useCallback((): number | null => {
    if (conflict) return null;
    const prev = undoStack.current.pop();
    setUndoDepth(undoStack.current.length);
    if (!prev) return null;
    const d = draftRef.current;
    if (d && d.id === prev.id) {
      const next: Annotation = { ...prev, activeMs: activeMs(), updatedAt: Date.now() };
      draftRef.current = next;
      setDraft(next);
      void persist(next);
      return next.idx;
    }
    // A change of another item (the one just submitted): write its earlier version back; it shows when the
    // annotator is taken back to it (it opens from lastKnown at once).
    const next: Annotation = { ...prev, updatedAt: Date.now() };
    lastKnown.set(next.id, { ...next, rev: revs.current.get(next.id) ?? next.rev });
    void persist(next);
    return next.idx;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refs only
  }, [conflict, persist]);

  const loadSaved = useCallback(() => {
    if (!conflict || !k) return;
    const cur = conflict.current ?? freshDraft(k);
    revs.current.set(cur.id, conflict.current?.rev ?? 0);
    stored.current = !!conflict.current;
    draftRef.current = cur;
    undoStack.current = [];
    setUndoDepth(0);
    setDraft(cur);
    setConflict(null);
  }, [conflict, k]);

  const keepMine = useCallback(() => {
    const d = draftRef.current;
    if (!conflict || !d) return;
    setConflict(null);
    persist({ ...d, updatedAt: Date.now() }, conflict.current?.rev ?? 0);
  }, [conflict, persist]);

  const current = useCallback(() => draftRef.current, []);
  return { draft, conflict, error, saving: pending > 0, canUndo: undoDepth > 0, update, current, undo, loadSaved, keepMine };
}
