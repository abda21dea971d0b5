import { Name } from '../../components/name';
import { stripBidiControls } from '../../domain/bidi';
import { useState } from 'react';
import { Button } from '../../components/button';
import { ConfirmFor } from '../../components/confirm-dialog';
import { downloadFile } from '../../components/download';
import { ErrorMessage } from '../../components/error-message';
import { parseResults } from '../../domain/annotate/pack';
import type { PlanRow, ProjectRow } from '../../storage/db';
import { buildPacks, useImportedResults, useImportResults, useRemoveImportedResults } from './queries';

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'annotator';
}

/** For the project lead: annotation packs out (one per annotator, with overlap), results back in. */
export function PacksPanel({ project, plan }: { project: ProjectRow; plan: PlanRow }) {
  const [open, setOpen] = useState(false);
  const [names, setNames] = useState('');
  const [overlap, setOverlap] = useState(20);
  const [seed, setSeed] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState<string | null>(null);
  const importer = useImportResults(project.id);
  const annotators = names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (!open) {
    return (
      <div className="fixed bottom-3 right-3">
        <Button onClick={() => setOpen(true)}>Annotation packs…</Button>
      </div>
    );
  }
  return (
    <section
      aria-label="Annotation packs"
      className="fixed bottom-3 right-3 z-10 w-[26rem] space-y-2 rounded-lg border border-slate-300 bg-white p-3 text-sm shadow-lg"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">Annotation packs (no server needed)</h3>
        <Button variant="ghost" onClick={() => setOpen(false)} aria-label="Close packs">
          ×
        </Button>
      </div>
      <p className="text-slate-600">
        Each annotator gets a file with their share of the plan's {plan.humanIdx.length} pairs (no LM labels inside). They open it on the
        Projects page of their own browser, label, and send back their results file.
      </p>
      <label className="block">
        Annotators (comma-separated){' '}
        <input
          aria-label="Pack annotators"
          value={names}
          onChange={(e) => setNames(e.target.value)}
          className="w-full rounded-md border border-slate-300 px-1"
        />
      </label>
      <div className="flex gap-3">
        <label>
          Overlap %{' '}
          <input
            aria-label="Overlap percent"
            type="number"
            min={0}
            max={100}
            value={overlap}
            onChange={(e) => setOverlap(Math.max(0, Math.min(100, Number(e.target.value) || 0)))}
            className="w-16 rounded-md border border-slate-300 px-1"
          />
        </label>
        <label>
          Seed{' '}
          <input
            aria-label="Pack seed"
            type="number"
            value={seed}
            onChange={(e) => setSeed(Math.trunc(Number(e.target.value) || 0))}
            className="w-20 rounded-md border border-slate-300 px-1"
          />
        </label>
      </div>
      <Button
        variant="primary"
        disabled={annotators.length === 0}
        onClick={async () => {
          setError(null);
          try {
            const packs = await buildPacks(project, plan, annotators, overlap / 100, seed);
            for (const p of packs)
              downloadFile(`pack-${safeName(project.name)}-${safeName(p.annotator)}.json`, JSON.stringify(p), 'application/json');
            setMade(packs.map((p) => `${stripBidiControls(p.annotator)}: ${p.items.length} pairs`).join(', '));
          } catch (e) {
            setError(e);
          }
        }}
      >
        Export packs
      </Button>
      {made && (
        <p role="status" data-testid="packs-made">
          Packs exported — {made}.
        </p>
      )}
      {error ? <ErrorMessage title="Could not make the packs" error={error} /> : null}
      <label className="block">
        Import results
        <input
          type="file"
          accept=".json,.jsonl"
          aria-label="Import annotation results"
          className="block text-xs"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            setError(null);
            try {
              importer.mutate({ file: f.name, reading: parseResults(await f.text(), f.name) });
            } catch (err) {
              setError(err);
            }
          }}
        />
      </label>
      {importer.error && <ErrorMessage title="Could not import the results" error={importer.error} />}
      {importer.data && (
        <div role="status" data-testid="import-results">
          <p>
            {importer.data.add.length} added, {importer.data.update.length} updated, {importer.data.unchanged} unchanged,{' '}
            {importer.data.conflicts.length} conflicts
            {importer.data.rejected.length > 0 ? `, ${importer.data.rejected.length} rejected` : ''}.
          </p>
          {importer.data.conflicts.length > 0 && (
            <ul className="list-disc pl-4 text-amber-800">
              {importer.data.conflicts.map((c) => (
                <li key={c.incoming.id}>
                  Pair {c.incoming.instanceId} by {c.incoming.annotator}: {c.reason}; kept the stored one.
                </li>
              ))}
            </ul>
          )}
          {importer.data.rejected.length > 0 && (
            <ul className="max-h-40 list-disc overflow-auto pl-4 text-red-800" aria-label="Rejected records">
              {importer.data.rejected.slice(0, 200).map((r, i) => (
                <li key={i}>
                  Line {r.line}: {r.message}
                </li>
              ))}
              {importer.data.rejected.length > 200 && <li>… and {importer.data.rejected.length - 200} more</li>}
            </ul>
          )}
        </div>
      )}
      <ImportedResults projectId={project.id} />
    </section>
  );
}

/** Annotations brought in from results files, per annotator and file; the lead can remove one set. */
function ImportedResults({ projectId }: { projectId: string }) {
  const imported = useImportedResults(projectId);
  const remove = useRemoveImportedResults(projectId);
  const [asked, setAsked] = useState<{ annotator: string; origin: string; count: number } | null>(null);
  if (!imported.data || imported.data.length === 0) return null;
  return (
    <div>
      <h4 className="font-semibold">Imported results</h4>
      <ul aria-label="Imported results">
        {imported.data.map((r) => (
          <li key={`${r.annotator}|${r.origin}`} className="flex items-center justify-between gap-2">
            <span className="truncate">
              <Name text={r.annotator} />: {r.count} from {r.origin.replace(/^pack:/, 'pack ')}
            </span>
            <Button variant="ghost" onClick={() => setAsked(r)} aria-label={`Remove ${r.annotator}'s results from ${r.origin}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      {remove.error ? <ErrorMessage title="Could not remove the results" error={remove.error} /> : null}
      <ConfirmFor
        target={asked}
        title="Remove imported results?"
        confirmText="Remove"
        danger
        onClose={() => setAsked(null)}
        onConfirm={(r) => remove.mutate({ annotator: r.annotator, origin: r.origin })}
      >
        {asked && (
          <p>
            This deletes the {asked.count} annotations of <Name text={asked.annotator} /> imported from {asked.origin}. Annotations made in
            this browser are not touched. Importing the file again brings them back.
          </p>
        )}
      </ConfirmFor>
    </div>
  );
}
