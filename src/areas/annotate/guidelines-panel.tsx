// The project's guidelines beside the item: read, or edited by the lead (Markdown).

import { useState } from 'react';
import { Button } from '../../components/button';
import { ErrorMessage } from '../../components/error-message';
import { Markdown } from '../../components/markdown';
import type { ProjectRow } from '../../storage/db';
import { useSaveGuidelines } from './queries';

export function GuidelinesPanel({ project, onClose }: { project: ProjectRow; onClose: () => void }) {
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
