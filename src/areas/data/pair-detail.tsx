import { useEffect, useRef } from 'react';
import { Button } from '../../components/button';
import { ClippedText } from '../../components/clipped-text';
import { ErrorMessage } from '../../components/error-message';
import { LabelBadge } from '../../components/label-badge';
import type { InstanceRow } from '../../storage/db';
import { tagsOf } from '../../domain/tags/tag-set';
import { useInstance, useTagSet } from '../../data/queries';

/** One pair in full. Text is rendered as text (React escapes it); nothing from the data is ever executed. */
export function PairDetail({
  datasetId,
  idx,
  onClose,
  onStep,
}: {
  datasetId: string;
  idx: number;
  onClose: () => void;
  onStep: (delta: 1 | -1) => void;
}) {
  const instance = useInstance(datasetId, idx);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      const step = e.key === 'ArrowDown' || e.key === 'j' ? 1 : e.key === 'ArrowUp' || e.key === 'k' ? -1 : 0;
      if (e.key === 'Escape') onClose();
      else if (step !== 0) {
        e.preventDefault();
        onStep(step);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, onStep]);
  useEffect(() => panel.current?.focus(), [idx]);
  return (
    <aside
      ref={panel}
      tabIndex={-1}
      aria-label="Pair detail"
      className="w-[55%] min-w-[24rem] overflow-auto border-l border-slate-200 bg-white p-4 focus:outline-none"
    >
      <div className="mb-3 flex items-center gap-2">
        <h3 className="font-semibold">Pair {instance.data ? <span className="font-mono text-sm">{instance.data.id}</span> : null}</h3>
        <span className="ml-auto text-xs text-slate-500">↑/↓ or k/j: previous/next · Esc: close</span>
        <Button variant="ghost" onClick={() => onStep(-1)} aria-label="Previous pair">
          ↑
        </Button>
        <Button variant="ghost" onClick={() => onStep(1)} aria-label="Next pair">
          ↓
        </Button>
        <Button variant="ghost" onClick={onClose} aria-label="Close pair detail">
          Close
        </Button>
      </div>
      {instance.error && <ErrorMessage title="Could not read the pair" error={instance.error} />}
      {instance.data === null && <p className="text-sm text-slate-600">No pair at position {idx}.</p>}
      {instance.data && <PairBody row={instance.data} />}
      <PairTags datasetId={datasetId} idx={idx} />
    </aside>
  );
}

function PairBody({ row }: { row: InstanceRow }) {
  return (
    <div className="space-y-4 text-sm">
      <p className="text-xs text-slate-500">Source line/row {row.sourceRow}</p>
      <section>
        <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">Prompt</h4>
        <div className="pair-text max-h-64 overflow-auto rounded bg-slate-50 p-2" data-testid="detail-prompt">
          <ClippedText text={row.prompt} what="The prompt" />
        </div>
      </section>
      <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
        <Response title="Response A" model={row.modelA} text={row.responseA} testId="detail-a" />
        <Response title="Response B" model={row.modelB} text={row.responseB} testId="detail-b" />
      </div>
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt className="text-slate-500">LM label</dt>
        <dd data-testid="detail-lm">
          <LabelBadge label={row.lm} /> {row.lmJudge && <span className="text-xs text-slate-500">by {row.lmJudge}</span>}
        </dd>
        <dt className="text-slate-500">Human label</dt>
        <dd data-testid="detail-human">
          <LabelBadge label={row.human} />
        </dd>
        {row.humanVotes && row.humanVotes.length > 0 && (
          <>
            <dt className="text-slate-500">Human votes</dt>
            <dd className="flex flex-wrap gap-1">
              {row.humanVotes.map((v, i) => (
                <LabelBadge key={i} label={v} />
              ))}
            </dd>
          </>
        )}
      </dl>
      {row.tags && Object.keys(row.tags).length > 0 && (
        <section>
          <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">Descriptive tags (from the file)</h4>
          <dl className="grid grid-cols-[12rem_1fr] gap-x-3 gap-y-0.5 text-xs">
            {Object.entries(row.tags).map(([k, v]) => (
              <Entry key={k} name={k} value={Array.isArray(v) ? v.join(', ') : v} />
            ))}
          </dl>
        </section>
      )}
      {row.scores && Object.keys(row.scores).length > 0 && (
        <section>
          <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">Scores (from the file)</h4>
          <dl className="grid grid-cols-[12rem_1fr] gap-x-3 gap-y-0.5 text-xs">
            {Object.entries(row.scores).map(([k, v]) => (
              <Entry key={k} name={k} value={String(v)} />
            ))}
          </dl>
        </section>
      )}
      {Object.keys(row.extra).length > 0 && (
        <section>
          <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">Other fields</h4>
          <pre className="pair-text max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs">
            <ClippedText text={JSON.stringify(row.extra, null, 2)} what="This field list" />
          </pre>
        </section>
      )}
    </div>
  );
}

function PairTags({ datasetId, idx }: { datasetId: string; idx: number }) {
  const fs = useTagSet(datasetId);
  if (!fs.data || idx >= fs.data.n) {
    return fs.isPending ? null : <p className="mt-4 text-xs text-slate-500">HyPER tags: not computed yet (see Tags).</p>;
  }
  const tags = tagsOf(fs.data.tagBits, idx);
  return (
    <section className="mt-4 text-sm">
      <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">HyPER tags ({tags.length})</h4>
      <ul className="flex flex-wrap gap-1" aria-label="HyPER tags of this pair">
        {tags.map((t) => (
          <li key={t} className="rounded bg-indigo-50 px-1.5 py-0.5 font-mono text-xs text-indigo-900">
            {t}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Entry({ name, value }: { name: string; value: string | undefined }) {
  return (
    <>
      <dt className="text-slate-500">{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Response({ title, model, text, testId }: { title: string; model: string | undefined; text: string; testId: string }) {
  return (
    <section>
      <h4 className="mb-1 text-xs font-semibold uppercase text-slate-500">
        {title} {model && <span className="font-normal normal-case text-slate-400">({model})</span>}
      </h4>
      <div className="pair-text max-h-96 overflow-auto rounded border border-slate-200 p-2" data-testid={testId}>
        {text === '' ? <em className="text-slate-400">(empty response)</em> : <ClippedText text={text} what="This response" />}
      </div>
    </section>
  );
}
