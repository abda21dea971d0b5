import { Name } from '../../components/name';
import { useState, type FormEvent } from 'react';
import { Button } from '../../components/button';
import { ConfirmFor } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import type { Area } from '../../navigation/router';
import type { ProjectRow } from '../../storage/db';
import { useProjects } from '../../data/queries';
import { useBackupProject, useOpenPack, useProjectMutations, useRestoreBackup } from './queries';

/** The list of projects: create, open, rename, delete (with confirmation). */
export function ProjectsPage({
  onOpen,
  onOpenArea,
  onRestoreDemo,
}: {
  onOpen: (id: string) => void;
  onOpenArea: (id: string, area: Area) => void;
  onRestoreDemo: () => void;
}) {
  const projects = useProjects();
  const { create, rename, remove } = useProjectMutations();
  const openPack = useOpenPack();
  const backup = useBackupProject();
  const restore = useRestoreBackup();
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<ProjectRow | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name, {
      onSuccess: (p) => {
        setName('');
        onOpen(p.id);
      },
    });
  };

  return (
    <div className="mx-auto max-w-3xl p-6">
      <h1 className="mb-4 text-2xl font-semibold">Projects</h1>
      <form onSubmit={submit} className="mb-6 flex gap-2">
        <label className="sr-only" htmlFor="new-project-name">
          New project name
        </label>
        <input
          id="new-project-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="New project name"
          className="flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Create project
        </Button>
      </form>
      <label className="mb-4 block text-sm text-slate-700">
        Open an annotation pack you were sent (.json)
        <input
          type="file"
          accept=".json"
          aria-label="Open annotation pack"
          className="ml-2 text-xs"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) openPack.mutate(f, { onSuccess: (r) => onOpenArea(r.projectId, 'annotate') });
          }}
        />
      </label>
      <label className="mb-4 block text-sm text-slate-700">
        Restore a project from a backup (.zip)
        <input
          type="file"
          accept=".zip"
          aria-label="Restore a backup"
          className="ml-2 text-xs"
          disabled={restore.isPending}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) restore.mutate(f);
          }}
        />
      </label>
      {restore.isPending && (
        <p role="status" className="mb-2 text-sm text-slate-600">
          Restoring the backup…
        </p>
      )}
      {restore.error && <ErrorMessage title="Could not restore the backup" error={restore.error} />}
      {restore.data && (
        <p role="status" data-testid="restore-done" className="mb-2 rounded-md bg-emerald-50 p-2 text-sm text-emerald-900">
          Restored “<Name text={restore.data.name} />
          ”: {restore.data.pairs.toLocaleString('en-US')} pairs, {restore.data.annotations.toLocaleString('en-US')} annotations
          {restore.data.copy ? ' (the project was still here, so the backup is a copy beside it)' : ''}.
        </p>
      )}
      {openPack.error && <ErrorMessage title="Could not open the annotation pack" error={openPack.error} />}
      {create.error && <ErrorMessage title="Could not create the project" error={create.error} />}
      {projects.error && <ErrorMessage title="Could not read projects from browser storage" error={projects.error} />}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white" aria-label="Projects">
        {projects.data?.map((p) => (
          <li key={p.id} className="flex items-center gap-3 p-3">
            {editing?.id === p.id ? (
              <form
                className="flex flex-1 gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  rename.mutate(editing, { onSuccess: () => setEditing(null) });
                }}
              >
                <label className="sr-only" htmlFor={`rename-${p.id}`}>
                  Project name
                </label>
                <input
                  id={`rename-${p.id}`}
                  autoFocus
                  value={editing.name}
                  onChange={(e) => setEditing({ id: p.id, name: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                  className="flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
                />
                <Button type="submit" variant="primary">
                  Save
                </Button>
                <Button onClick={() => setEditing(null)}>Cancel</Button>
              </form>
            ) : (
              <>
                <button type="button" className="flex-1 text-left font-medium text-indigo-700 hover:underline" onClick={() => onOpen(p.id)}>
                  <Name text={p.name} />
                </button>
                {p.isDemo && <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-800">Demo data</span>}
                <span className="text-xs text-slate-500">{new Date(p.updatedAt).toLocaleString()}</span>
                <Button
                  variant="ghost"
                  aria-label={`Back up ${p.name}`}
                  disabled={backup.isPending}
                  onClick={() => backup.mutate(p.id)}
                  title="Download the whole project (data, tags, plans, annotations) as one file that restores it"
                >
                  Back up
                </Button>
                <Button variant="ghost" aria-label={`Rename ${p.name}`} onClick={() => setEditing({ id: p.id, name: p.name })}>
                  Rename
                </Button>
                <Button variant="ghost" aria-label={`Delete ${p.name}`} onClick={() => setDeleting(p)}>
                  Delete
                </Button>
              </>
            )}
          </li>
        ))}
        {projects.data?.length === 0 && (
          <li className="p-4 text-sm text-slate-600">
            No projects yet. Create one above, or{' '}
            <button type="button" className="text-indigo-700 underline" onClick={onRestoreDemo}>
              restore the demo project
            </button>
            .
          </li>
        )}
      </ul>
      {backup.error && <ErrorMessage title="Could not back up the project" error={backup.error} />}
      <p className="mt-2 text-xs text-slate-500">
        Projects live in this browser's storage. A backup (one .zip per project) keeps them safe from a cleared browser or a full disk, and
        restores them here or in another browser.
      </p>
      {rename.error && <ErrorMessage title="Could not rename the project" error={rename.error} />}
      {remove.error && <ErrorMessage title="Could not delete the project" error={remove.error} />}
      <ConfirmFor
        target={deleting}
        title="Delete project?"
        confirmText="Delete project"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={(p) => remove.mutate(p.id)}
      >
        “<Name text={deleting?.name ?? ''} />” and all its datasets will be removed from this browser. This cannot be undone, except from a
        backup: use “Back up” first if you may need it again.
      </ConfirmFor>
    </div>
  );
}
