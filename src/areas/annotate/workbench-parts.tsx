// Small parts of the workbench: keycaps, the pack results bar, the LM label reveal, skipped/flagged lists.
import { Name } from '../../components/name';
import { useState } from 'react';
import { Button } from '../../components/button';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import type { Annotation } from '../../domain/annotation';
import { keyLabel, type KeyAction, type Keymap } from '../../domain/annotate/keymap';
import { winnerOf } from '../../domain/labels';
import type { ProjectRow } from '../../storage/db';
import { preferenceText } from './annotation-form';
import { packResults } from './queries';

/** The first key bound to an action, as a keycap. */
export function Kbd({ action, keymap }: { action: KeyAction; keymap: Keymap }) {
  const code = keymap[action][0];
  return code ? <kbd className="font-mono text-xs opacity-70">{keyLabel(code)}</kbd> : null;
}

export function PackResultsBar({ project, done, total }: { project: ProjectRow; done: number; total: number }) {
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

export function Reveal({
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

export function ItemLists({ title, items, onGo }: { title: string; items: (readonly [number, number])[]; onGo: (p: number) => void }) {
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
