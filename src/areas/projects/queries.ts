// TanStack Query hooks over the projects repository.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { keys } from '../../data/queries';
import { announce } from '../../data/sync';
import { openDb } from '../../storage/db';
import { parsePack } from '../../domain/annotate/pack';
import { openPackProject } from '../../storage/packs-repo';
import { downloadFile } from '../../components/download';
import { exportWorker } from '../../workers/export-client';
import { importWorker } from '../../workers/import-client';
import { createProject, deleteProject, renameProject } from '../../storage/projects-repo';

const projectKeys = keys.projects;

export function useProjectMutations() {
  const qc = useQueryClient();
  const invalidate = () => announce(qc, [projectKeys.all]);
  return {
    create: useMutation({ mutationFn: (name: string) => createProject(openDb(), name), onSuccess: invalidate }),
    rename: useMutation({ mutationFn: (v: { id: string; name: string }) => renameProject(openDb(), v.id, v.name), onSuccess: invalidate }),
    remove: useMutation({ mutationFn: (id: string) => deleteProject(openDb(), id), onSuccess: invalidate }),
  };
}

/** Opens an annotation pack file as a project of its own (the same pack twice opens the same project). */
export function useOpenPack() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => openPackProject(openDb(), parsePack(await file.text(), file.name), file.name),
    onSuccess: () => announce(qc, [projectKeys.all]),
  });
}

/** Downloads a whole project as one backup zip (made in the export worker). */
export function useBackupProject() {
  return useMutation({
    mutationFn: async (projectId: string) => {
      const r = await exportWorker().request({ type: 'backup', projectId, appVersion: __APP_VERSION__ });
      downloadFile(r.fileName, r.zip, 'application/zip');
      return r;
    },
  });
}

/** Restores a backup zip as a project (a copy beside the original when that is still here). */
export function useRestoreBackup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => importWorker().request({ type: 'restore', file, fileName: file.name }),
    onSuccess: () => announce(qc, [projectKeys.all]),
  });
}
