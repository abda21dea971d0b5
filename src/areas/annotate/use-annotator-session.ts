// The annotator session (domain/annotate/session.ts) over IndexedDB and TanStack Query: one session per plan and
// annotator, (re)started when the queue order changes, its state read with useSyncExternalStore. A save updates
// the annotator's own list in the query cache in place; other annotation queries are only marked stale (they
// are read again when next shown), so a keystroke does not re-read every annotation.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Annotation } from '../../domain/annotation';
import { sidesSwapped } from '../../domain/annotate/queue';
import { AnnotatorSession, type SessionStore } from '../../domain/annotate/session';
import { AnnotationConflictError, getAnnotation, putAnnotatorState, saveAnnotation } from '../../storage/annotations-repo';
import { openDb, type AnnotatorStateRow, type PlanRow } from '../../storage/db';
import { instanceQuery, keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { annotatorStateKey, queueOf } from './queries';
import { generalError } from '../../domain/errors';

function idbStore(
  qc: ReturnType<typeof useQueryClient>,
  projectId: string,
  plan: Pick<PlanRow, 'id' | 'datasetId'>,
  annotator: string,
  afterSave?: (row: Annotation) => void,
): SessionStore {
  const mine = keys.annotations.mine(plan.id, annotator);
  return {
    async open(idx) {
      const instance = await qc.fetchQuery(instanceQuery(plan.datasetId, idx));
      if (!instance) throw generalError('not-found', `Pair ${idx + 1} is no longer in the dataset.`);
      const id = `${plan.id}|${idx}|${annotator}`;
      return { instanceId: instance.id, saved: await getAnnotation(openDb(), id) };
    },
    async save(row, expectedRev) {
      try {
        const stored = await saveAnnotation(openDb(), row, expectedRev);
        // This tab has the row already (set below); other tabs hear of it at most once a second.
        void announce(qc, [keys.annotations.all], { local: 'stale', throttle: true });
        qc.setQueryData<Annotation[]>(mine, (rows) => (rows ? [...rows.filter((a) => a.id !== stored.id), stored] : rows));
        afterSave?.(stored);
        return { ok: true, row: stored };
      } catch (e) {
        if (e instanceof AnnotationConflictError) return { ok: false, current: e.current };
        throw e;
      }
    },
    savePosition(position) {
      const key = annotatorStateKey(projectId, annotator, plan.id);
      const base = qc.getQueryData<AnnotatorStateRow>(key);
      if (!base) return;
      const next: AnnotatorStateRow = { ...base, position, updatedAt: Date.now() };
      // The view has moved already; the position is stored right after.
      qc.setQueryData(key, next);
      void putAnnotatorState(openDb(), next);
    },
    now: () => Date.now(),
    clock: () => performance.now(),
  };
}

/**
 * The session of `annotator` on `plan`; `state`: their stored place in the queue (undefined while it loads).
 * `afterSave` hears of every stored change (team mode puts submissions in its outbox).
 */
export function useAnnotatorSession(
  projectId: string,
  plan: PlanRow,
  annotator: string,
  state: AnnotatorStateRow | undefined,
  afterSave?: (row: Annotation) => void,
) {
  const qc = useQueryClient();
  // The session lives as long as the plan (by id) and the annotator: a plan row read again (team mode: its queue
  // grew) keeps it, and the queue effect below extends it.
  const planId = plan.id;
  const datasetId = plan.datasetId;
  const session = useMemo(
    () =>
      new AnnotatorSession({
        projectId,
        datasetId,
        planId,
        annotator,
        swappedOf: (idx) => sidesSwapped(planId, idx, annotator),
        store: idbStore(qc, projectId, { id: planId, datasetId }, annotator, afterSave),
        visible: document.visibilityState === 'visible',
      }),
    [qc, projectId, planId, datasetId, annotator, afterSave],
  );
  useEffect(() => () => session.dispose(), [session]);

  // (Re)start when the queue is known or its order changes; moves within the queue are the session's own.
  const order = state?.order;
  const seed = state?.seed;
  const startAt = state?.position;
  const queue = useMemo(
    () => (order === undefined || seed === undefined ? null : queueOf(plan, order, seed, annotator)),
    [plan, order, seed, annotator],
  );
  useEffect(() => {
    // start() ignores the queue it already has: moves change startAt, not the queue.
    if (queue) session.start(queue, startAt ?? 0);
  }, [session, queue, startAt]);

  useEffect(() => {
    const onVisibility = () => session.setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onVisibility);
    };
  }, [session]);

  const snapshot = useSyncExternalStore(session.subscribe, session.getState);
  return { session, state: snapshot };
}
