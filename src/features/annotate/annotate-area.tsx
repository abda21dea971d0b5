import { Name } from '../../components/name';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { Markdown } from '../../components/markdown';
import type { Annotation } from '../../domain/annotation';
import { missingForSubmit, orientPreference, sidesSwapped } from '../../domain/annotate/queue';
import { winnerOf } from '../../domain/labels';
import { routeHref } from '../../navigation/router';
import type { AnnotatorStateRow, PlanRow, ProjectRow } from '../../storage/db';
import { AnnotationForm, CONFIDENCE_KEYS, preferenceText, SCALE } from './annotation-form';
import { useAnnotatorUi } from './annotator-store';
import { HelpOverlay } from './help-overlay';
import { ItemView } from './item-view';
import { PacksPanel } from './packs-panel';
import { packResults, queueOf, usePrefetchNeighbours, useAnnotateProject, useAnnotatorState, useCurrentPlan, useInstance, useMyAnnotations, useSaveGuidelines, useSetAnnotatorState } from './queries';
import { useAnnotationDraft } from './use-annotation-draft';

/** The Annotate area: who is labelling, their queue from the locked plan, and the item being labelled. */
export function AnnotateArea({ projectId }: { projectId: string }) {
  const project = useAnnotateProject(projectId);
  const plan = useCurrentPlan(projectId);
  const storedName = useAnnotatorUi((s) => s.name);
  if (project.isPending || plan.isPending) return <p className="p-6 text-sm text-slate-600">Loading…</p>;
  if (!project.data) return null;
  if (!plan.data) {
    return (
      <p className="p-6 text-sm text-slate-700">
        No routing plan is locked yet. <a className="text-indigo-700 underline" href={routeHref({ page: 'project', projectId, area: 'route' })}>Route the dataset</a> and lock a plan: its human queue is what annotators label here.
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
        <input autoFocus aria-label="Your name" value={name} onChange={(e) => setLocal(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1" />
      </label>
      <Button type="submit" variant="primary" disabled={!name.trim()}>Start annotating</Button>
    </form>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type)) || el.isContentEditable;
}

function Workbench({ project, plan, annotator }: { project: ProjectRow; plan: PlanRow; annotator: string }) {
  const state = useAnnotatorState(project.id, annotator, plan);
  const setState = useSetAnnotatorState();
  const qc = useQueryClient();
  const ui = useAnnotatorUi();
  const mine = useMyAnnotations(plan.id, annotator);
  const s = state.data;
  const queue = useMemo(() => (s ? queueOf(plan, s.order, s.seed, annotator) : new Uint32Array(0)), [plan, s, annotator]);
  const position = s ? Math.min(s.position, Math.max(0, queue.length - 1)) : 0;
  const idx = queue[position];
  const item = useInstance(plan.datasetId, idx);
  usePrefetchNeighbours(plan.datasetId, queue, position);
  const swapped = idx === undefined ? false : sidesSwapped(plan.id, idx, annotator);
  const byIdx = useMemo(() => new Map((mine.data ?? []).map((a) => [a.idx, a])), [mine.data]);
  const d = useAnnotationDraft(
    item.data && idx !== undefined ? { projectId: project.id, datasetId: plan.datasetId, planId: plan.id, idx, instanceId: item.data.id, annotator, swapped } : null,
    mine.data && idx !== undefined ? (byIdx.get(idx) ?? null) : undefined,
  );
  const [message, setMessage] = useState<string | null>(null);
  const [flagReason, setFlagReason] = useState('');
  const [skipReason, setSkipReason] = useState('');

  // Keys pressed while the next item is still loading are kept and applied once it is there, so a fast
  // annotator never loses a keystroke.
  const pendingKeys = useRef<string[]>([]);
  const replaying = useRef(false);
  const flushPending = useCallback(() => {
    const keys = pendingKeys.current.splice(0);
    replaying.current = true;
    try {
      for (const key of keys) window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    } finally {
      replaying.current = false;
    }
  }, []);
  // The item the annotator is moving to: keys that arrive before it is loaded wait for it.
  const targetIdx = useRef<number | undefined>(idx);
  useEffect(() => {
    targetIdx.current = idx;
  }, [idx]);
  const positionRef = useRef(position);
  useEffect(() => {
    positionRef.current = position;
  }, [position]);
  /** Moves to a queue position; `delta` moves relative to where the annotator is going (not the last render). */
  const target = (pos: number, delta?: number) => Math.max(0, Math.min(queue.length - 1, delta === undefined ? pos : positionRef.current + delta));
  const go = (pos: number, delta?: number) => {
    if (!s || queue.length === 0) return;
    const p = target(pos, delta);
    if (p !== positionRef.current) {
      // The diff and the guidelines are opened for one item; the next one starts plain.
      ui.toggle('showDiff', false);
      ui.toggle('showGuidelines', false);
    }
    positionRef.current = p;
    targetIdx.current = queue[p];
    setMessage(null);
    const next = { ...s, position: p, updatedAt: Date.now() };
    // The view moves now; the position is stored right after.
    qc.setQueryData(['annotator-state', next.projectId, next.annotator, next.planId], next);
    setState.mutate(next);
  };
  const draft = d.draft;
  const submitted = draft?.status === 'submitted';
  const revealKey = draft ? draft.id : '';

  /**
   * Saves a change that ends the item (submit, skip) and moves on once it is stored. Keys typed meanwhile wait for
   * the next item; if the save fails, the annotator stays here, those keys are dropped, and the error shows.
   */
  const finishItem = (patch: Partial<Annotation>) => {
    const here = idx;
    const p = target(0, 1);
    if (p !== positionRef.current) targetIdx.current = queue[p];
    void d.update(patch).then((saved) => {
      if (saved) {
        if (targetIdx.current === queue[p]) go(p);
        return;
      }
      targetIdx.current = here;
      pendingKeys.current = [];
      setMessage('Not saved, so you are still on this item: see the error above, then submit again.');
    });
  };
  const submit = () => {
    const cur = d.current();
    if (!cur) return;
    const missing = missingForSubmit(cur);
    if (missing.length) {
      setMessage(`To submit, choose ${missing.join(' and ')}.`);
      return;
    }
    finishItem({ status: 'submitted', submittedAt: Date.now() });
  };
  const skip = () => {
    if (!d.current()) return;
    finishItem({ status: 'skipped', skipReason });
    setSkipReason('');
  };
  /** Undo the last change; a change of an earlier item (a submit) takes the annotator back to it. */
  const undo = () => {
    const changed = d.undo();
    if (changed === null || changed === idx) return;
    const p = queue.indexOf(changed);
    if (p >= 0) go(p);
  };
  const toggleFlag = () => {
    const cur = d.current();
    if (!cur) return;
    if (cur.flag !== undefined) {
      const { flag: _drop, ...rest } = cur;
      void _drop;
      d.update({ ...rest, flag: undefined });
    } else d.update({ flag: flagReason });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        if (ui.showHelp) ui.toggle('showHelp', false);
        else if (isTyping(e.target)) (e.target as HTMLElement).blur();
        else if (ui.showGuidelines) ui.toggle('showGuidelines', false);
        return;
      }
      if (isTyping(e.target)) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) {
        if ((e.ctrlKey || e.metaKey) && e.key === 'z') {
          e.preventDefault();
          undo();
        }
        return;
      }
      const scale = SCALE.find((x) => x.key === e.key);
      const conf = CONFIDENCE_KEYS[e.key];
      const formKey = !!(scale || conf || ['Enter', 's', 'f', 'u'].includes(e.key));
      const readyDraft = () => {
        const loaded = d.current();
        return loaded && loaded.idx === targetIdx.current ? loaded : null;
      };
      // Keys keep their order: while earlier keys wait for an item, later ones wait behind them.
      if (formKey && !replaying.current && pendingKeys.current.length > 0 && readyDraft()) flushPending();
      const cur = readyDraft();
      // The plan, not the loaded queue: keys typed before the queue itself has loaded wait too.
      if (formKey && (!cur || (!replaying.current && pendingKeys.current.length > 0)) && plan.humanIdx.length > 0) {
        pendingKeys.current.push(e.key);
        e.preventDefault();
        return;
      }
      const isSubmitted = cur?.status === 'submitted';
      let handled = true;
      if (scale && cur && !isSubmitted) d.update({ overall: orientPreference(scale.shown, cur.swapped) });
      else if (conf && cur && !isSubmitted) d.update({ confidence: conf });
      else if (e.key === 'Enter' && (e.target as HTMLElement | null)?.tagName !== 'BUTTON') submit();
      else if (e.key === 's') skip();
      else if (e.key === 'f') toggleFlag();
      else if (e.key === 'u') undo();
      else if (e.key === 'n' || e.key === 'ArrowRight') go(0, 1);
      else if (e.key === 'p' || e.key === 'ArrowLeft') go(0, -1);
      else if (e.key === 'd') ui.toggle('showDiff');
      else if (e.key === 'r' && isSubmitted) ui.reveal(revealKey);
      else if (e.key === 'g') ui.toggle('showGuidelines');
      else if (e.key === '?') ui.toggle('showHelp');
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const draftId = d.draft?.id;
  const currentDraft = d.current;
  // Declared after the key listener's effect: React re-subscribes effects in order, so the listener is in
  // place when the kept keys are replayed.
  useEffect(() => {
    if (!draftId || currentDraft()?.idx !== targetIdx.current || pendingKeys.current.length === 0) return;
    flushPending();
  }, [draftId, currentDraft, flushPending]);

  const done = (mine.data ?? []).filter((a) => a.status === 'submitted').length;
  const skipped = queue.length ? [...queue].map((q, p) => [q, p] as const).filter(([q]) => byIdx.get(q)?.status === 'skipped') : [];
  const flagged = queue.length ? [...queue].map((q, p) => [q, p] as const).filter(([q]) => byIdx.get(q)?.flag !== undefined) : [];

  return (
    <div className="flex min-h-0 flex-col gap-4 p-4 text-sm lg:flex-row">
      <div className="min-w-0 flex-1 space-y-3">
        {!s && <p className="text-slate-600">Opening your queue…</p>}
        {s && <QueueBar
          annotator={annotator}
          total={queue.length}
          position={position}
          done={done}
          state={s}
          isPack={!!project.pack}
          onGo={go}
          onOrder={(order, seed) => setState.mutate({ ...s, order, seed, position: 0, updatedAt: Date.now() })}
        />}
        {project.pack && <PackResultsBar project={project} done={done} total={queue.length} />}
        {s && queue.length === 0 && <p className="text-slate-600">The locked plan sends no pairs to humans.</p>}
        {item.error && <ErrorMessage title="Could not read the pair" error={item.error} />}
        {d.error ? <ErrorMessage title="Your last change could not be saved" error={d.error} /> : null}
        {d.conflict && (
          <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
            <p className="font-semibold">This item was changed in another tab or window.</p>
            <p>Your change here was not saved, and nothing was overwritten. Choose which version to keep.</p>
            <div className="flex gap-2">
              <Button onClick={d.loadSaved}>Load the saved version</Button>
              <Button variant="danger" onClick={d.keepMine}>Keep mine (overwrite)</Button>
            </div>
          </div>
        )}
        {item.data && draft && (
          <>
            <ItemView item={item.data} swapped={swapped} showDiff={ui.showDiff} />
            <div className="flex flex-wrap items-center gap-2" data-testid="item-status">
              <span className="rounded bg-slate-100 px-2 py-0.5 text-xs">
                {draft.status === 'submitted' ? 'Submitted' : draft.status === 'skipped' ? `Skipped${draft.skipReason ? `: ${draft.skipReason}` : ''}` : 'Draft'}
                {draft.flag !== undefined ? ` · flagged${draft.flag ? `: ${draft.flag}` : ''}` : ''}
              </span>
              <span className="text-xs text-slate-500">{d.saving ? 'Saving…' : draft.rev > 0 || draft.updatedAt > draft.createdAt ? 'Saved' : ''}</span>
            </div>
          </>
        )}
      </div>
      {item.data && draft && (
        <aside aria-label="Your judgement" className="w-full shrink-0 lg:w-96 space-y-3 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
          <AnnotationForm draft={draft} update={d.update} readOnly={submitted || !!d.conflict} />
          {message && <p role="alert" className="text-red-700">{message}</p>}
          <div className="flex flex-wrap gap-2">
            {submitted ? (
              <Button onClick={() => d.update({ status: 'draft' })}>Edit again</Button>
            ) : (
              <Button variant="primary" onClick={submit}>Submit <kbd className="font-mono text-xs opacity-70">Enter</kbd></Button>
            )}
            <Button onClick={skip}>Skip <kbd className="font-mono text-xs opacity-70">s</kbd></Button>
            <Button onClick={toggleFlag} aria-pressed={draft.flag !== undefined}>{draft.flag !== undefined ? 'Unflag' : 'Flag'} <kbd className="font-mono text-xs opacity-70">f</kbd></Button>
            <Button onClick={undo} disabled={!d.canUndo}>Undo <kbd className="font-mono text-xs opacity-70">u</kbd></Button>
          </div>
          <label className="block text-xs">Skip reason <input aria-label="Skip reason" value={skipReason} onChange={(e) => setSkipReason(e.target.value)} className="w-full rounded-md border border-slate-300 px-1" /></label>
          <label className="block text-xs">Flag reason <input aria-label="Flag reason" value={flagReason} onChange={(e) => setFlagReason(e.target.value)} className="w-full rounded-md border border-slate-300 px-1" /></label>
          <div className="flex flex-wrap gap-2">
            <Button variant="ghost" onClick={() => ui.toggle('showDiff')} aria-pressed={ui.showDiff}>Diff <kbd className="font-mono text-xs opacity-70">d</kbd></Button>
            <Button variant="ghost" onClick={() => ui.toggle('showGuidelines')} aria-pressed={ui.showGuidelines}>Guidelines <kbd className="font-mono text-xs opacity-70">g</kbd></Button>
            <Button variant="ghost" onClick={() => ui.toggle('showHelp')}>Keys <kbd className="font-mono text-xs opacity-70">?</kbd></Button>
          </div>
          {submitted && <Reveal draft={draft} lm={item.data.lm?.value} revealed={!!ui.revealed[revealKey]} onReveal={() => ui.reveal(revealKey)} />}
          <ItemLists title="Skipped" items={skipped} onGo={go} />
          <ItemLists title="Flagged" items={flagged} onGo={go} />
        </aside>
      )}
      {ui.showGuidelines && <GuidelinesPanel project={project} onClose={() => ui.toggle('showGuidelines', false)} />}
      {ui.showHelp && <HelpOverlay onClose={() => ui.toggle('showHelp', false)} />}
      {!project.pack && <PacksPanel project={project} plan={plan} />}
    </div>
  );
}

function PackResultsBar({ project, done, total }: { project: ProjectRow; done: number; total: number }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-indigo-200 bg-indigo-50 p-2">
      <span>Pack from <strong><Name text={project.pack!.sourceProjectName} /></strong>: {done} of {total} submitted.</span>
      <Button
        variant="primary"
        onClick={async () => {
          try {
            downloadFile(`results-${project.pack!.packId}-${project.pack!.annotator.replace(/[^\w.-]+/g, '_')}.json`, await packResults(project), 'application/json');
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

function Reveal({ draft, lm, revealed, onReveal }: { draft: Annotation; lm: Annotation['overall']; revealed: boolean; onReveal: () => void }) {
  if (!revealed) return <Button variant="ghost" onClick={onReveal}>Reveal the LM label <kbd className="font-mono text-xs opacity-70">r</kbd></Button>;
  if (!lm) return <p data-testid="lm-reveal" className="text-slate-600">This pair has no LM label.</p>;
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
      <h4 className="text-xs font-semibold text-slate-600">{title} ({items.length})</h4>
      <ul aria-label={`${title} items`} className="flex flex-wrap gap-1">
        {items.map(([, p]) => (
          <li key={p}><button type="button" className="rounded bg-slate-100 px-1.5 text-xs hover:bg-slate-200" onClick={() => onGo(p)}>#{p + 1}</button></li>
        ))}
      </ul>
    </div>
  );
}

function QueueBar(props: { annotator: string; total: number; position: number; done: number; state: AnnotatorStateRow | undefined; isPack: boolean; onGo: (p: number) => void; onOrder: (order: 'gain' | 'shuffled', seed: number) => void }) {
  const setName = useAnnotatorUi((s) => s.setName);
  const [jump, setJump] = useState('');
  const pct = props.total ? Math.round((props.done / props.total) * 100) : 0;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-2">
      <span>Annotator <strong data-testid="annotator-name"><Name text={props.annotator} /></strong></span>
      {!props.isPack && <Button variant="ghost" onClick={() => setName('')}>Switch</Button>}
      <span data-testid="queue-position">Item {props.total ? props.position + 1 : 0} of {props.total}</span>
      <span data-testid="queue-progress" className="text-slate-600">{props.done} submitted ({pct}%)</span>
      <progress max={props.total || 1} value={props.done} className="h-2 w-32" aria-label="Progress" />
      <Button onClick={() => props.onGo(props.position - 1)} disabled={props.position === 0}>Previous <kbd className="font-mono text-xs opacity-70">p</kbd></Button>
      <Button onClick={() => props.onGo(props.position + 1)} disabled={props.position >= props.total - 1}>Next <kbd className="font-mono text-xs opacity-70">n</kbd></Button>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(jump);
          if (Number.isInteger(n) && n >= 1) props.onGo(n - 1);
          setJump('');
        }}
        className="flex items-center gap-1"
      >
        <input aria-label="Jump to item" value={jump} onChange={(e) => setJump(e.target.value)} placeholder="#" className="w-14 rounded-md border border-slate-300 px-1" />
        <Button type="submit">Go</Button>
      </form>
      {props.state && (
        <label className="flex items-center gap-1">
          Order
          <select aria-label="Queue order" value={props.state.order} onChange={(e) => props.onOrder(e.target.value as 'gain' | 'shuffled', props.state!.seed)} className="rounded-md border border-slate-300 px-1">
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
    <aside aria-label="Guidelines" className="w-full shrink-0 lg:w-96 space-y-2 overflow-auto rounded-lg border border-slate-200 bg-white p-3">
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">Guidelines</h3>
        <div className="flex gap-1">
          {!project.pack && !editing && <Button variant="ghost" onClick={() => setEditing(true)}>Edit</Button>}
          <Button variant="ghost" onClick={onClose} aria-label="Close guidelines">×</Button>
        </div>
      </div>
      {editing ? (
        <>
          <textarea aria-label="Guidelines (Markdown)" value={text} onChange={(e) => setText(e.target.value)} rows={14} className="w-full rounded-md border border-slate-300 p-1 font-mono text-xs" />
          <div className="flex gap-2">
            <Button variant="primary" onClick={() => save.mutate(text, { onSuccess: () => setEditing(false) })}>Save guidelines</Button>
            <Button onClick={() => { setText(project.guidelines); setEditing(false); }}>Cancel</Button>
          </div>
          {save.error && <ErrorMessage title="Could not save the guidelines" error={save.error} />}
        </>
      ) : project.guidelines.trim() ? (
        <div data-testid="guidelines"><Markdown text={project.guidelines} /></div>
      ) : (
        <p className="text-slate-600">No guidelines yet{project.pack ? '.' : ': the project lead can write them here (Markdown).'}</p>
      )}
    </aside>
  );
}

