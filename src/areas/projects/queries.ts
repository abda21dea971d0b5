// TanStack Query hooks over the projects repository.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { openDb } from '../../storage/db';
import { parsePack } from '../../domain/annotate/pack';
import { openPackProject } from '../../storage/packs-repo';
import { downloadFile } from '../../components/download';
import { exportWorker } from '../../workers/export-client';
import { importWorker } from '../../workers/import-client';
import { createProject, deleteProject, getProject, listProjects, renameProject } from '../../storage/projects-repo';

export const projectKeys = {
  all: ['projects'] as const,
  one: (id: string) => ['projects', id] as const,
};

export function useProjects() {
  return useQuery({ queryKey: projectKeys.all, queryFn: () => listProjects(openDb()) });
}

export function useProject(id: string) {
  return useQuery({ queryKey: projectKeys.one(id), queryFn: async () => (await getProject(openDb(), id)) ?? null });
}

export function useProjectMutations() {
  const qc = useQueryClient();
  const invalidate = () => qc.invalidateQueries({ queryKey: projectKeys.all });
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
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
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
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
}
