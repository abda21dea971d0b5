// A whole project as one backup file, and back: its datasets with every instance, feature sets, analyzer tags,
// encoder scores, plans, annotations, annotator positions and the uploaded PPMs its plans used. Rows are
// written as typed JSON (domain/backup/typed-json.ts), so they come back exactly as they were stored. The zip
// around them is made and read by the worker; this module only reads and writes the rows.
import { annotationId, type Annotation } from '../domain/annotation';
import { parseTyped, stringifyTyped } from '../domain/backup/typed-json';
import type { TagSet } from '../domain/tags/tag-set';
import type {
  AnalyzerTagsRow,
  JudgeAnswerRow,
  JudgeLabelRow,
  AnnotatorStateRow,
  DatasetRow,
  HyperDb,
  InstanceRow,
  PlanRow,
  PpmRow,
  ProjectRow,
  SemanticScoresRow,
} from './db';
import { addInstances, readInstanceRange } from './instances-repo';
import { newId } from './ids';
import { deleteProject } from './projects-repo';
import { HyperError, generalError } from '../domain/errors';

export const BACKUP_FORMAT = 'hyper-project-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_MANIFEST = 'backup.json';

/** backup.json: everything small, and what the other entries hold. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  app: { name: string; version: string };
  project: ProjectRow;
  datasets: DatasetRow[];
  plans: PlanRow[];
  annotatorStates: AnnotatorStateRow[];
  /** Uploaded (not built-in) PPMs the plans name, stored as ppms/<hash>.onnx. */
  ppms: Omit<PpmRow, 'bytes'>[];
  counts: { instances: Record<string, number>; annotations: number; analyzerTags: Record<string, number> };
}

/** One file of a backup: its name in the zip and its bytes (or text), produced in order. */
export type BackupEntry = { name: string; text: string } | { name: string; bytes: Uint8Array };

const CHUNK = 1000;
const enc = new TextEncoder();

/** The entries of a project's backup, manifest last (it holds the counts); read in chunks. */
export async function* projectBackupEntries(db: HyperDb, projectId: string, app: BackupManifest['app']): AsyncGenerator<BackupEntry> {
  const project = await db.projects.get(projectId);
  if (!project) throw generalError('not-found', 'The project no longer exists.');
  const datasets = (await db.datasets.where('projectId').equals(projectId).toArray()).filter((d) => d.status === 'ready');
  const counts: BackupManifest['counts'] = { instances: {}, annotations: 0, analyzerTags: {} };
  for (const d of datasets) {
    let lines: string[] = [];
    let n = 0;
    for (let from = 0; from < d.rowCount; from += CHUNK) {
      for (const row of await readInstanceRange(db, d.id, from, CHUNK)) lines.push(stringifyTyped(row));
      n = from + CHUNK;
      if (lines.length >= CHUNK * 10) {
        yield { name: `datasets/${d.id}/instances.part-${String(n).padStart(9, '0')}.jsonl`, text: `${lines.join('\n')}\n` };
        lines = [];
      }
    }
    if (lines.length) yield { name: `datasets/${d.id}/instances.part-${String(n).padStart(9, '0')}.jsonl`, text: `${lines.join('\n')}\n` };
    counts.instances[d.id] = d.rowCount;
    const fs = await db.featureSets.get(d.id);
    if (fs) yield { name: `datasets/${d.id}/feature-set.json`, text: stringifyTyped(fs) };
    const semantic = await db.semanticScores.get(d.id);
    if (semantic) yield { name: `datasets/${d.id}/semantic-scores.json`, text: stringifyTyped(semantic) };
    const tags = await db.analyzerTags.where('[datasetId+idx]').between([d.id, -Infinity], [d.id, Infinity]).toArray();
    counts.analyzerTags[d.id] = tags.length;
    if (tags.length) yield { name: `datasets/${d.id}/analyzer-tags.jsonl`, text: `${tags.map((t) => stringifyTyped(t)).join('\n')}\n` };
    // The judge's answers were paid for: they travel with the project, with the labels made from them.
    const answers = await db.judgeAnswers.where('datasetId').equals(d.id).toArray();
    if (answers.length)
      yield { name: `datasets/${d.id}/judge-answers.jsonl`, text: `${answers.map((a) => stringifyTyped(a)).join('\n')}\n` };
    const judged = await db.judgeLabels.where('[datasetId+idx]').between([d.id, -Infinity], [d.id, Infinity]).toArray();
    if (judged.length) yield { name: `datasets/${d.id}/judge-labels.jsonl`, text: `${judged.map((l) => stringifyTyped(l)).join('\n')}\n` };
  }
  const annotations = await db.annotations.where('projectId').equals(projectId).toArray();
  counts.annotations = annotations.length;
  yield { name: 'annotations.jsonl', text: annotations.length ? `${annotations.map((a) => stringifyTyped(a)).join('\n')}\n` : '' };
  const plans = await db.plans.where('[projectId+version]').between([projectId, -Infinity], [projectId, Infinity]).toArray();
  const ppms: BackupManifest['ppms'] = [];
  for (const hash of new Set(plans.map((p) => p.ppmHash).filter(Boolean))) {
    const row = await db.ppms.get(hash);
    if (!row || row.builtIn) continue;
    const { bytes, ...meta } = row;
    ppms.push(meta);
    yield { name: `ppms/${hash}.onnx`, bytes };
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    app,
    project,
    datasets,
    plans,
    annotatorStates: await db.annotatorStates.where('projectId').equals(projectId).toArray(),
    ppms,
    counts,
  };
  yield { name: BACKUP_MANIFEST, text: stringifyTyped(manifest) };
}

export class BackupError extends HyperError<'bad-backup'> {
  constructor(message: string) {
    super('bad-backup', message);
  }
}

/** Reads and checks backup.json. */
export function parseBackupManifest(text: string, fileName: string): BackupManifest {
  let m: BackupManifest;
  try {
    m = parseTyped<BackupManifest>(text);
  } catch (e) {
    throw new BackupError(`${fileName}: ${BACKUP_MANIFEST} is not valid (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!m || m.format !== BACKUP_FORMAT)
    throw new BackupError(`${fileName} is not a project backup (its ${BACKUP_MANIFEST} has no "format": "${BACKUP_FORMAT}")`);
  if (m.version !== BACKUP_VERSION)
    throw new BackupError(`${fileName}: backup version ${String(m.version)}; this app reads version ${BACKUP_VERSION}`);
  if (!m.project?.id || !Array.isArray(m.datasets) || !Array.isArray(m.plans) || !m.counts)
    throw new BackupError(`${fileName}: ${BACKUP_MANIFEST} lacks the project, its datasets, plans or counts`);
  return m;
}

/** Id changes for a backup restored beside the project it came from (an identity map when not needed). */
class IdMap {
  private readonly map = new Map<string, string>();
  constructor(private readonly fresh: boolean) {}
  id(old: string, prefix: string): string {
    if (!this.fresh) return old;
    let v = this.map.get(old);
    if (!v) {
      v = newId(prefix);
      this.map.set(old, v);
    }
    return v;
  }
}

/** The files of a backup, by name (what the worker read out of the zip). */
export interface BackupFiles {
  text(name: string): string | undefined;
  bytes(name: string): Uint8Array | undefined;
  names(): string[];
}

/**
 * Restores a backup as a project. The ids are kept, so a restored project is the one that was backed up;
 * when that project is still in this browser, it is restored beside it as a copy with new ids (named
 * "… (restored)"). Everything is checked against the manifest's counts; a restore that fails part-way removes
 * what it wrote. Returns the new project's id.
 */
export async function restoreProject(
  db: HyperDb,
  m: BackupManifest,
  files: BackupFiles,
  fileName: string,
): Promise<{ projectId: string; copy: boolean }> {
  const copy = (await db.projects.get(m.project.id)) !== undefined;
  const ids = new IdMap(copy);
  const projectId = ids.id(m.project.id, 'project');
  const dataset = (id: string) => ids.id(id, 'dataset');
  const plan = (id: string) => ids.id(id, 'plan');
  const fail = (what: string): never => {
    throw new BackupError(`${fileName}: ${what}`);
  };
  const annotationOf = (a: Annotation): Annotation => {
    const planId = plan(a.planId);
    const out: Annotation = { ...a, projectId, datasetId: dataset(a.datasetId), planId, id: annotationId(planId, a.idx, a.annotator) };
    if (a.carriedFrom !== undefined) {
      const [p, idx, ...who] = a.carriedFrom.split('|');
      out.carriedFrom = annotationId(plan(p!), Number(idx), who.join('|'));
    }
    return out;
  };
  try {
    const project: ProjectRow = {
      ...m.project,
      id: projectId,
      name: copy ? `${m.project.name} (restored)` : m.project.name,
      updatedAt: Date.now(),
    };
    if (m.project.activePlanId) project.activePlanId = plan(m.project.activePlanId);
    await db.projects.add(project);
    for (const d of m.datasets) {
      const datasetId = dataset(d.id);
      await db.datasets.add({ ...d, id: datasetId, projectId, status: 'importing' });
      const parts = files
        .names()
        .filter((n) => n.startsWith(`datasets/${d.id}/instances.part-`))
        .sort();
      let count = 0;
      for (const part of parts) {
        const lines = (files.text(part) ?? '').split('\n').filter(Boolean);
        const rows = lines.map((l) => ({ ...parseTyped<InstanceRow>(l), datasetId }));
        rows.forEach((r, i) => {
          if (r.idx !== count + i)
            fail(`dataset "${d.name}": ${part} holds pair ${r.idx} where pair ${count + i} belongs (a pair is missing)`);
        });
        await addInstances(db, rows);
        count += rows.length;
      }
      if (count !== (m.counts.instances[d.id] ?? d.rowCount))
        fail(`dataset "${d.name}" should have ${d.rowCount} pairs, the backup holds ${count}`);
      const fsText = files.text(`datasets/${d.id}/feature-set.json`);
      if (fsText) await db.featureSets.put({ ...parseTyped<TagSet>(fsText), datasetId });
      const semText = files.text(`datasets/${d.id}/semantic-scores.json`);
      if (semText) await db.semanticScores.put({ ...parseTyped<SemanticScoresRow>(semText), datasetId });
      const tagsText = files.text(`datasets/${d.id}/analyzer-tags.jsonl`);
      if (tagsText)
        await db.analyzerTags.bulkPut(
          tagsText
            .split('\n')
            .filter(Boolean)
            .map((l) => ({ ...parseTyped<AnalyzerTagsRow>(l), datasetId })),
        );
      const answersText = files.text(`datasets/${d.id}/judge-answers.jsonl`);
      if (answersText)
        await db.judgeAnswers.bulkPut(
          answersText
            .split('\n')
            .filter(Boolean)
            .map((l) => {
              const a = parseTyped<JudgeAnswerRow>(l);
              return { ...a, id: `${datasetId}|${a.key}`, datasetId };
            }),
        );
      const labelsText = files.text(`datasets/${d.id}/judge-labels.jsonl`);
      if (labelsText)
        await db.judgeLabels.bulkPut(
          labelsText
            .split('\n')
            .filter(Boolean)
            .map((l) => ({ ...parseTyped<JudgeLabelRow>(l), datasetId })),
        );
      await db.datasets.update(datasetId, { status: 'ready' });
    }
    for (const p of m.plans) {
      const row: PlanRow = { ...p, id: plan(p.id), projectId, datasetId: dataset(p.datasetId) };
      if (p.supersededBy) row.supersededBy = plan(p.supersededBy);
      await db.plans.add(row);
    }
    const annotations = (files.text('annotations.jsonl') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => annotationOf(parseTyped<Annotation>(l)));
    if (annotations.length !== m.counts.annotations)
      fail(`the backup should hold ${m.counts.annotations} annotations, it holds ${annotations.length}`);
    await db.annotations.bulkAdd(annotations);
    await db.annotatorStates.bulkPut(
      m.annotatorStates.map((s) => ({ ...s, id: `${projectId}|${s.annotator}`, projectId, planId: plan(s.planId) })),
    );
    for (const p of m.ppms) {
      if (await db.ppms.get(p.hash)) continue;
      const bytes = files.bytes(`ppms/${p.hash}.onnx`);
      if (!bytes) fail(`the PPM ${p.name} is missing`);
      await db.ppms.put({ ...p, bytes: bytes! });
    }
    return { projectId, copy };
  } catch (e) {
    await deleteProject(db, projectId).catch(() => undefined);
    throw e;
  }
}

/** Entry text as bytes, for the zip writer. */
export function entryBytes(e: BackupEntry): Uint8Array {
  return 'text' in e ? enc.encode(e.text) : e.bytes;
}
