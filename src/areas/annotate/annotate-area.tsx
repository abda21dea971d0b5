import { Name } from '../../components/name';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { Markdown } from '../../components/markdown';
import type { Annotation } from '../../domain/annotation';
import { actionOf, keyLabel, type KeyAction, type Keymap } from '../../domain/annotate/keymap';
import { sidesSwapped } from '../../domain/annotate/queue';
import { winnerOf } from '../../domain/labels';
import { routeHref } from '../../navigation/router';
import type { AnnotatorStateRow, PlanRow, ProjectRow } from '../../storage/db';
import { AnnotationForm, CONFIDENCE_OF_ACTION, preferenceText, SCALE_OF_ACTION } from './annotation-form';
import { useAnnotatorUi } from './annotator-store';
import { HelpOverlay } from './help-overlay';
import { ItemView } from './item-view';
import { PacksPanel } from './packs-panel';
import { useCurrentPlan, useInstance, useMyAnnotations, useProject } from '../../data/queries';
import { packResults, usePrefetchNeighbours, useAnnotatorState, useSaveGuidelines, useSetAnnotatorState } from './queries';
import { useAnnotatorSession } from './use-annotator-session';

/** The Annotate area: who is labelling, their queue from the locked plan, and the item being labelled. */
export function AnnotateArea({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const plan = useCurrentPlan(projectId);
  const storedName = useAnnotatorUi((s) => s.name);
  if (project.isPending || plan.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (!project.data) return null;
  if (!plan.data) {
    return (
      <p className="p-6 text-sm text-slate-700">
        No routing plan is locked yet.{' '}
        <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>
          Route the dataset
        </a>{' '}
        and lock a plan: its human queue is what annotators label here.
      </p>
    );
  }
  const annotator = project.data.pack?.annotator ?? storedName;
  if (!annotator) return <WhoAreYou />;
  return <Workbench project={project.data} plan={plan.data} annotator={annotator} />;
}

function WhoAreYou() {
  const setName = useAnnotatorUi((s) => s.setName);
  const [name, setLocal] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) setName(name.trim());
  };
  return (
    <form onSubmit={submit} className="mx-auto mt-10 max-w-sm space-y-3 rounded-lg border border-slate-200 bg-white p-6">
      <h2 className="text-lg font-semibold">Who is annotating?</h2>
      <p className="text-sm text-slate-600">Your name is stored with every label you make (no account needed).</p>
      <label className="block text-sm">
        Your name
        <input
          autoFocus
          aria-label="Your name"
          value={name}
          onChange={(e) => setLocal(e.target.value)}
          className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <Button type="submit" variant="primary" disabled={!name.trim()}>
        Start annotating
      </Button>
    </form>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type)) ||
    el.isContentEditable
  );
}

const NO_QUEUE = new Uint32Array(0);

function Workbench({ project, plan, annotator }: { project: ProjectRow; plan: PlanRow; annotator: string }) {
  const stored = useAnnotatorState(project.id, annotator, plan);
  const setStored = useSetAnnotatorState();
  const { session, state } = useAnnotatorSession(project.id, plan, annotator, stored.data);
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

  useEffect(() => {
    const run = (action: KeyAction) => {
      const scale = SCALE_OF_ACTION[action];
      if (scale) return session.dispatch({ type: 'overall', shown: scale });
      const confidence = CONFIDENCE_OF_ACTION[action];
      if (confidence) return session.dispatch({ type: 'confidence', value: confidence });
      switch (action) {
        case 'submit':
          return submit();
        case 'skip':
          return skip();
        case 'flag':
          return toggleFlag();
        case 'undo':
          return undo();
        case 'next':
          return session.dispatch({ type: 'move', delta: 1 });
        case 'previous':
          return session.dispatch({ type: 'move', delta: -1 });
        case 'diff':
          return toggle('showDiff');
        case 'guidelines':
          return toggle('showGuidelines');
        case 'help':
          return toggle('showHelp');
        case 'reveal': {
          const d = session.getState().draft;
          if (d?.status === 'submitted') reveal(d.id);
          return;
        }
      }
    };
    const onKey = (e: KeyboardEvent) => {
      const ui = useAnnotatorUi.getState();
      if (e.key === 'Escape') {
        if (ui.showHelp) toggle('showHelp', false);
        else if (isTyping(e.target)) (e.target as HTMLElement).blur();
        else if (ui.showGuidelines) toggle('showGuidelines', false);
        return;
      }
      if (isTyping(e.target)) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
        return;
      }
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.code === 'KeyZ') {
        e.preventDefault();
        undo();
        return;
      }
      const action = actionOf(keymap, e.code, e);
      if (!action) return;
      // Enter on a focused button presses that button.
      if (action === 'submit' && (e.target as HTMLElement | null)?.tagName === 'BUTTON') return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, keymap, submit, skip, toggleFlag, undo, toggle, reveal]);

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
            isPack={!!project.pack}
            onGo={go}
            onOrder={(order, seed) => setStored.mutate({ ...s, order, seed, position: 0, updatedAt: Date.now() })}
          />
        )}
        {project.pack && <PackResultsBar project={project} done={done} total={queue.length} />}
        {s && state.queue && queue.length === 0 && <p className="text-slate-600">The locked plan sends no pairs to humans.</p>}
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
          {submitted && (
            <Reveal draft={shown} lm={item.data.lm?.value} revealed={!!revealed[revealKey]} onReveal={() => reveal(revealKey)} />
          )}
          <ItemLists title="Skipped" items={skipped} onGo={go} />
          <ItemLists title="Flagged" items={flagged} onGo={go} />
        </aside>
      )}
      {showGuidelines && <GuidelinesPanel project={project} onClose={() => toggle('showGuidelines', false)} />}
      {showHelp && <HelpOverlay onClose={() => toggle('showHelp', false)} />}
      {!project.pack && <PacksPanel project={project} plan={plan} />}
    </div>
  );
}

/** The first key bound to an action, as a keycap. */
function Kbd({ action, keymap }: { action: KeyAction; keymap: Keymap }) {
  const code = keymap[action][0];
  return code ? <kbd className="font-mono text-xs opacity-70">{keyLabel(code)}</kbd> : null;
}

function PackResultsBar({ project, done, total }: { project: ProjectRow; done: number; total: number }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-indigo-200 bg-indigo-50 p-2">
      <span>
        Pack from{' '}
        <strong>
          <Name text={project.pack!.sourceProjectName} />
        </strong>
        : {done} of {total} submitted.
      </span>
      <Button
        variant="primary"
        onClick={async () => {
          try {
            downloadFile(
              `results-${project.pack!.packId}-${project.pack!.annotator.replace(/[^\w.-]+/g, '_')}.json`,
              await packResults(project),
              'application/json',
            );
          } catch (e) {
            setError(e);
          }
        }}
      >
        Export my results
      </Button>
      {error ? <ErrorMessage title="Could not export the results" error={error} /> : null}
    </div>
  );
}

function Reveal({
  draft,
  lm,
  revealed,
  onReveal,
}: {
  draft: Annotation;
  lm: Annotation['overall'];
  revealed: boolean;
  onReveal: () => void;
}) {
  if (!revealed)
    return (
      <Button variant="ghost" onClick={onReveal}>
        Reveal the LM label <kbd className="font-mono text-xs opacity-70">r</kbd>
      </Button>
    );
  if (!lm)
    return (
      <p data-testid="lm-reveal" className="text-slate-600">
        This pair has no LM label.
      </p>
    );
  const agree = draft.overall && winnerOf(draft.overall) === winnerOf(lm);
  return (
    <p data-testid="lm-reveal" className="rounded-md bg-slate-50 p-2">
      LM judge: <strong>{preferenceText(lm, draft.swapped)}</strong> — {agree ? 'agrees with you' : 'differs from you'}.
    </p>
  );
}

function ItemLists({ title, items, onGo }: { title: string; items: (readonly [number, number])[]; onGo: (p: number) => void }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h4 className="text-xs font-semibold text-slate-600">
        {title} ({items.length})
      </h4>
      <ul aria-label={`${title} items`} className="flex flex-wrap gap-1">
        {items.map(([, p]) => (
          <li key={p}>
            <button type="button" className="rounded bg-slate-100 px-1.5 text-xs hover:bg-slate-200" onClick={() => onGo(p)}>
              #{p + 1}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function QueueBar(props: {
  annotator: string;
  total: number;
  position: number;
  done: number;
  state: AnnotatorStateRow | undefined;
  isPack: boolean;
  onGo: (p: number) => void;
  onOrder: (order: 'gain' | 'shuffled', seed: number) => void;
}) {
  const setName = useAnnotatorUi((s) => s.setName);
  const [jump, setJump] = useState('');
  const pct = props.total ? Math.round((props.done / props.total) * 100) : 0;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-2">
      <span>
        Annotator{' '}
        <strong data-testid="annotator-name">
          <Name text={props.annotator} />
        </strong>
      </span>
      {!props.isPack && (
        <Button variant="ghost" onClick={() => setName('')}>
          Switch
        </Button>
      )}
      <span data-testid="queue-position">
        Item {props.total ? props.position + 1 : 0} of {props.total}
      </span>
      <span data-testid="queue-progress" className="text-slate-600">
        {props.done} submitted ({pct}%)
      </span>
      <progress max={props.total || 1} value={props.done} className="h-2 w-32" aria-label="Progress" />
      <Button onClick={() => props.onGo(props.position - 1)} disabled={props.position === 0}>
        Previous <kbd className="font-mono text-xs opacity-70">p</kbd>
      </Button>
      <Button onClick={() => props.onGo(props.position + 1)} disabled={props.position >= props.total - 1}>
        Next <kbd className="font-mono text-xs opacity-70">n</kbd>
      </Button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(jump);
          if (Number.isInteger(n) && n >= 1) props.onGo(n - 1);
          setJump('');
        }}
        className="flex items-center gap-1"
      >
        <input
          aria-label="Jump to item"
          value={jump}
          onChange={(e) => setJump(e.target.value)}
          placeholder="#"
          className="w-14 rounded-md border border-slate-300 px-1"
        />
        <Button type="submit">Go</Button>
      </form>
      {props.state && (
        <label className="flex items-center gap-1">
          Order
          <select
            aria-label="Queue order"
            value={props.state.order}
            onChange={(e) => props.onOrder(e.target.value as 'gain' | 'shuffled', props.state!.seed)}
            className="rounded-md border border-slate-300 px-1"
          >
            <option value="gain">by gain (routing order)</option>
            <option value="shuffled">shuffled with a seed</option>
          </select>
        </label>
      )}
      {props.state?.order === 'shuffled' && (
        <label className="flex items-center gap-1">
          Seed
          <input
            aria-label="Queue seed"
            type="number"
            value={props.state.seed}
            onChange={(e) => {
              const seed = Math.trunc(Number(e.target.value));
              if (Number.isFinite(seed)) props.onOrder('shuffled', seed);
            }}
            className="w-20 rounded-md border border-slate-300 px-1"
          />
        </label>
      )}
    </div>
  );
}

function GuidelinesPanel({ project, onClose }: { project: ProjectRow; onClose: () => void }) {
  const save = useSaveGuidelines(project.id);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(project.guidelines);
  return (
    <aside
      aria-label="Guidelines"
      className="w-full shrink-0 lg:w-96 space-y-2 overflow-auto rounded-lg border border-slate-200 bg-white p-3"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">Guidelines</h3>
        <div className="flex gap-1">
          {!project.pack && !editing && (
            <Button variant="ghost" onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          <Button variant="ghost" onClick={onClose} aria-label="Close guidelines">
            ×
          </Button>
        </div>
      </div>
      {editing ? (
        <>
          <textarea
            aria-label="Guidelines (Markdown)"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={14}
            className="w-full rounded-md border border-slate-300 p-1 font-mono text-xs"
          />
          <div className="flex gap-2">
            <Button variant="primary" onClick={() => save.mutate(text, { onSuccess: () => setEditing(false) })}>
              Save guidelines
            </Button>
            <Button
              onClick={() => {
                setText(project.guidelines);
                setEditing(false);
              }}
            >
              Cancel
            </Button>
          </div>
          {save.error && <ErrorMessage title="Could not save the guidelines" error={save.error} />}
        </>
      ) : project.guidelines.trim() ? (
        <div data-testid="guidelines">
          <Markdown text={project.guidelines} />
        </div>
      ) : (
        <p className="text-slate-600">No guidelines yet{project.pack ? '.' : ': the project lead can write them here (Markdown).'}</p>
      )}
    </aside>
  );
}
