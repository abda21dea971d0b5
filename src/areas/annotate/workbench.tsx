// The annotator's workbench: the queue, the item, the judgement form, over one annotator session.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import type { Annotation } from '../../domain/annotation';
import { sidesSwapped } from '../../domain/annotate/queue';
import type { PlanRow, ProjectRow, TeamOrigin } from '../../storage/db';
import { AnnotationForm } from './annotation-form';
import { useAnnotatorUi } from './annotator-store';
import { HelpOverlay } from './help-overlay';
import { ItemView } from './item-view';
import { PacksPanel } from './packs-panel';
import { useInstance, useMyAnnotations } from '../../data/queries';
import { afterTeamSave } from '../../data/team';
import { TeamSyncBar } from './team-sync-bar';
import { usePrefetchNeighbours, useAnnotatorState, useSetAnnotatorState } from './queries';
import { useAnnotatorSession } from './use-annotator-session';
import { useAnnotationKeys } from './use-annotation-keys';
import { GuidelinesPanel } from './guidelines-panel';
import { QueueBar } from './queue-bar';
import { ItemLists, Kbd, PackResultsBar, Reveal } from './workbench-parts';

const NO_QUEUE = new Uint32Array(0);

export function Workbench({ project, plan, annotator }: { project: ProjectRow; plan: PlanRow; annotator: string }) {
  const stored = useAnnotatorState(project.id, annotator, plan);
  const setStored = useSetAnnotatorState();
  const team = project.team;
  // Stable across reads of the project row (the session lives as long as this callback does).
  const teamKey = team ? JSON.stringify(team) : '';
  const afterSave = useMemo(() => {
    if (!teamKey) return undefined;
    const origin = JSON.parse(teamKey) as TeamOrigin;
    return (row: Annotation) => afterTeamSave(origin, row);
  }, [teamKey]);
  const { session, state } = useAnnotatorSession(project.id, plan, annotator, stored.data, afterSave);
  const showDiff = useAnnotatorUi((u) => u.showDiff);
  const showHelp = useAnnotatorUi((u) => u.showHelp);
  const showGuidelines = useAnnotatorUi((u) => u.showGuidelines);
  const revealed = useAnnotatorUi((u) => u.revealed);
  const keymap = useAnnotatorUi((u) => u.keymap);
  const toggle = useAnnotatorUi((u) => u.toggle);
  const reveal = useAnnotatorUi((u) => u.reveal);
  const mine = useMyAnnotations(plan.id, annotator);
  const s = stored.data;
  const queue = state.queue ?? NO_QUEUE;
  const { position, idx, draft } = state;
  const item = useInstance(plan.datasetId, idx);
  usePrefetchNeighbours(plan.datasetId, queue, position);
  const swapped = idx === undefined ? false : sidesSwapped(plan.id, idx, annotator);
  const byIdx = useMemo(() => new Map((mine.data ?? []).map((a) => [a.idx, a])), [mine.data]);
  const [flagReason, setFlagReason] = useState('');
  const [skipReason, setSkipReason] = useState('');
  const shown = draft && draft.idx === idx ? draft : null;
  const submitted = shown?.status === 'submitted';

  // The diff and the guidelines are opened for one item; the next one starts plain.
  useEffect(() => {
    toggle('showDiff', false);
    toggle('showGuidelines', false);
  }, [idx, toggle]);

  const go = useCallback((p: number) => session.dispatch({ type: 'go', position: p }), [session]);
  const submit = useCallback(() => session.dispatch({ type: 'submit' }), [session]);
  const skip = useCallback(() => {
    session.dispatch({ type: 'skip', reason: skipReason });
    setSkipReason('');
  }, [session, skipReason]);
  const toggleFlag = useCallback(() => session.dispatch({ type: 'flag', reason: flagReason }), [session, flagReason]);
  const undo = useCallback(() => session.dispatch({ type: 'undo' }), [session]);
  const update = useCallback((patch: Partial<Annotation>) => session.dispatch({ type: 'patch', patch }), [session]);

  useAnnotationKeys(session, keymap, { submit, skip, toggleFlag, undo });

  const done = (mine.data ?? []).filter((a) => a.status === 'submitted').length;
  const skipped = queue.length ? [...queue].map((q, p) => [q, p] as const).filter(([q]) => byIdx.get(q)?.status === 'skipped') : [];
  const flagged = queue.length ? [...queue].map((q, p) => [q, p] as const).filter(([q]) => byIdx.get(q)?.flag !== undefined) : [];
  const revealKey = shown ? shown.id : '';

  return (
    <div className="flex min-h-0 flex-col gap-4 p-4 text-sm lg:flex-row">
      <div className="min-w-0 flex-1 space-y-3">
        {!s && <p className="text-slate-600">Opening your queue…</p>}
        {s && (
          <QueueBar
            annotator={annotator}
            total={queue.length}
            position={position}
            done={done}
            state={s}
            isPack={!!project.pack || !!team}
            fixedOrder={!!team}
            onGo={go}
            onOrder={(order, seed) => setStored.mutate({ ...s, order, seed, position: 0, updatedAt: Date.now() })}
          />
        )}
        {project.pack && <PackResultsBar project={project} done={done} total={queue.length} />}
        {team && <TeamSyncBar />}
        {s && state.queue && queue.length === 0 && (
          <p className="text-slate-600">{team ? 'Waiting for items from the team server…' : 'The locked plan sends no pairs to humans.'}</p>
        )}
        {item.error && <ErrorMessage title="Could not read the pair" error={item.error} />}
        {state.error ? <ErrorMessage title="Your last change could not be saved" error={state.error} /> : null}
        {state.conflict && (
          <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
            <p className="font-semibold">This item was changed in another tab or window.</p>
            <p>Your change here was not saved, and nothing was overwritten. Choose which version to keep.</p>
            <div className="flex gap-2">
              <Button onClick={() => session.dispatch({ type: 'load-saved' })}>Load the saved version</Button>
              <Button variant="danger" onClick={() => session.dispatch({ type: 'keep-mine' })}>
                Keep mine (overwrite)
              </Button>
            </div>
          </div>
        )}
        {item.data && shown && (
          <>
            <ItemView item={item.data} swapped={swapped} showDiff={showDiff} />
            <div className="flex flex-wrap items-center gap-2" data-testid="item-status">
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs">
                {shown.status === 'submitted'
                  ? 'Submitted'
                  : shown.status === 'skipped'
                    ? `Skipped${shown.skipReason ? `: ${shown.skipReason}` : ''}`
                    : 'Draft'}
                {shown.flag !== undefined ? ` · flagged${shown.flag ? `: ${shown.flag}` : ''}` : ''}
              </span>
              <span className="text-xs text-slate-500">
                {state.saving ? 'Saving…' : shown.rev > 0 || shown.updatedAt > shown.createdAt ? 'Saved' : ''}
              </span>
            </div>
          </>
        )}
      </div>
      {item.data && shown && (
        <aside
          aria-label="Your judgement"
          className="w-full shrink-0 lg:w-96 space-y-3 overflow-auto rounded-lg border border-slate-200 bg-white p-3"
        >
          <AnnotationForm draft={shown} update={update} readOnly={submitted || !!state.conflict} />
          {state.message && (
            <p role="alert" className="text-red-700">
              {state.message}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            {submitted ? (
              <Button onClick={() => update({ status: 'draft' })}>Edit again</Button>
            ) : (
              <Button variant="primary" onClick={submit}>
                Submit <Kbd action="submit" keymap={keymap} />
              </Button>
            )}
            <Button onClick={skip}>
              Skip <Kbd action="skip" keymap={keymap} />
            </Button>
            <Button onClick={toggleFlag} aria-pressed={shown.flag !== undefined}>
              {shown.flag !== undefined ? 'Unflag' : 'Flag'} <Kbd action="flag" keymap={keymap} />
            </Button>
            <Button onClick={undo} disabled={!state.canUndo}>
              Undo <Kbd action="undo" keymap={keymap} />
            </Button>
          </div>
          <label className="block text-xs">
            Skip reason{' '}
            <input
              aria-label="Skip reason"
              value={skipReason}
              onChange={(e) => setSkipReason(e.target.value)}
              className="w-full rounded-md border border-slate-300 px-1"
            />
          </label>
          <label className="block text-xs">
            Flag reason{' '}
            <input
              aria-label="Flag reason"
              value={flagReason}
              onChange={(e) => setFlagReason(e.target.value)}
              className="w-full rounded-md border border-slate-300 px-1"
            />
          </label>
          <div className="flex flex-wrap gap-2">
            <Button variant="ghost" onClick={() => toggle('showDiff')} aria-pressed={showDiff}>
              Diff <Kbd action="diff" keymap={keymap} />
            </Button>
            <Button variant="ghost" onClick={() => toggle('showGuidelines')} aria-pressed={showGuidelines}>
              Guidelines <Kbd action="guidelines" keymap={keymap} />
            </Button>
            <Button variant="ghost" onClick={() => toggle('showHelp')}>
              Keys <Kbd action="help" keymap={keymap} />
            </Button>
          </div>
          {/* In team mode the LM label stays on the server: nothing to reveal. */}
          {submitted && !team && (
            <Reveal draft={shown} lm={item.data.lm?.value} revealed={!!revealed[revealKey]} onReveal={() => reveal(revealKey)} />
          )}
          <ItemLists title="Skipped" items={skipped} onGo={go} />
          <ItemLists title="Flagged" items={flagged} onGo={go} />
        </aside>
      )}
      {showGuidelines && <GuidelinesPanel project={project} onClose={() => toggle('showGuidelines', false)} />}
      {showHelp && <HelpOverlay onClose={() => toggle('showHelp', false)} />}
      {!project.pack && !team && <PacksPanel project={project} plan={plan} />}
    </div>
  );
}
