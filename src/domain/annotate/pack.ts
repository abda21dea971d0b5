// Annotation packs: the way work travels between a project lead and annotators without a server. The lead
// exports one pack per annotator (items copied in, LM labels left out); the annotator labels them in their
// own browser and exports a results file; the lead imports it back (idempotent, conflicts reported).
import { annotationId, type Annotation } from '../annotation';
import { readAnnotationsFile, type AnnotatedDataset, type AnnotationsFileHead } from '../merge/annotations-file';
import { readOrientation } from '../formats/orientation';
import { MergeError, type AnnotationsFileProblem } from '../merge/errors';
import type { Message } from '../instance';
import { mulberry32U32 } from '../random';
import { annotationContent } from './queue';
import { fnv1a32, shuffleInPlace } from '../util';
import { HyperError } from '../errors';

export const PACK_FORMAT = 'hyper-annotation-pack';
export { ANNOTATIONS_FILE_FORMAT as RESULTS_FORMAT } from '../merge/annotations-file';

export interface PackItem {
  idx: number;
  instanceId: string;
  prompt: string;
  messages?: Message[];
  responseA: string;
  responseB: string;
}

export interface AnnotationPack {
  format: typeof PACK_FORMAT;
  version: 1;
  packId: string;
  annotator: string;
  projectName: string;
  projectId: string;
  planId: string;
  datasetId: string;
  guidelines: string;
  createdAt: string;
  /** The lead's dataset and how its A/B sides were fixed; results carry it back (packs made before it lack it). */
  dataset?: AnnotatedDataset;
  items: PackItem[];
}

export class PackError extends HyperError<'bad-pack' | 'bad-results' | 'wrong-project'> {
  override readonly name = 'PackError';
}

/**
 * Splits a queue among annotators: item i goes to annotator i mod m; a seeded `overlap` share of the items
 * (rounded) also goes to the next annotator, so those get two labels. Returns the items per annotator, in
 * queue order.
 */
export function assignPacks(queue: ArrayLike<number>, annotators: readonly string[], overlap: number, seed: number): Map<string, number[]> {
  if (annotators.length === 0) throw new PackError('bad-pack', 'name at least one annotator');
  if (new Set(annotators).size !== annotators.length) throw new PackError('bad-pack', 'annotator names must be different');
  if (!(overlap >= 0 && overlap <= 1)) throw new PackError('bad-pack', `overlap must be between 0 and 1, got ${overlap}`);
  const n = queue.length;
  const m = annotators.length;
  const shared = new Set<number>();
  if (m > 1) {
    const order = Array.from({ length: n }, (_, i) => i);
    const next = mulberry32U32(seed >>> 0);
    shuffleInPlace(order, (k) => next() % k);
    for (const i of order.slice(0, Math.round(overlap * n))) shared.add(i);
  }
  const out = new Map(annotators.map((a) => [a, [] as number[]]));
  for (let i = 0; i < n; i++) {
    out.get(annotators[i % m]!)!.push(queue[i]!);
    if (shared.has(i)) out.get(annotators[(i + 1) % m]!)!.push(queue[i]!);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Parses a pack file; errors say what is wrong and where. */
export function parsePack(text: string, fileName: string): AnnotationPack {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PackError('bad-pack', `${fileName} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(raw) || raw.format !== PACK_FORMAT)
    throw new PackError('bad-pack', `${fileName} is not an annotation pack (expected "format": "${PACK_FORMAT}")`);
  if (raw.version !== 1) throw new PackError('bad-pack', `${fileName}: unsupported pack version ${JSON.stringify(raw.version)}`);
  for (const k of ['packId', 'annotator', 'projectId', 'planId', 'datasetId'] as const) {
    if (typeof raw[k] !== 'string' || raw[k] === '') throw new PackError('bad-pack', `${fileName}: "${k}" must be a non-empty string`);
  }
  if (!Array.isArray(raw.items)) throw new PackError('bad-pack', `${fileName}: "items" must be an array`);
  if (raw.items.length === 0) throw new PackError('bad-pack', `${fileName}: the pack has no items to label`);
  const positions = new Map<number, number>();
  raw.items.forEach((it: unknown, i: number) => {
    if (!isObject(it)) throw new PackError('bad-pack', `${fileName}: items[${i}] must be an object`);
    if (!Number.isInteger(it.idx) || (it.idx as number) < 0)
      throw new PackError('bad-pack', `${fileName}: items[${i}].idx must be a non-negative integer`);
    const first = positions.get(it.idx as number);
    if (first !== undefined)
      throw new PackError(
        'bad-pack',
        `${fileName}: items[${i}] has position ${String(it.idx)}, as items[${first}] has: each item of a pack is a different pair`,
      );
    positions.set(it.idx as number, i);
    for (const k of ['instanceId', 'prompt', 'responseA', 'responseB'] as const) {
      if (typeof it[k] !== 'string') throw new PackError('bad-pack', `${fileName}: items[${i}].${k} must be a string`);
    }
  });
  if (raw.dataset !== undefined) {
    const o = readOrientation(raw.dataset, 'dataset');
    if (o === null || typeof o === 'string' || typeof (raw.dataset as { id?: unknown }).id !== 'string') {
      throw new PackError('bad-pack', `${fileName}: ${typeof o === 'string' ? o : '"dataset" must be {id, layout, sideSeed, ...}'}`);
    }
  }
  return raw as unknown as AnnotationPack;
}

/** A results file read record by record: what can be imported, and what cannot with the reason and line. */
export interface ResultsReading {
  head: AnnotationsFileHead;
  annotations: { line: number; annotation: Annotation }[];
  rejected: AnnotationsFileProblem[];
}

/**
 * Reads a results file (an annotations file: one JSON object, or JSONL) with the same checks as `hyper merge`,
 * plus what an import into a project needs (project and dataset ids, an id that matches its plan, item and
 * annotator). Each bad record is rejected with its line and reason; the rest can be imported. Throws PackError
 * when the file as a whole cannot be read.
 */
export function parseResults(text: string, fileName: string): ResultsReading {
  let read;
  try {
    read = readAnnotationsFile(text, fileName);
  } catch (e) {
    if (e instanceof MergeError) throw new PackError('bad-results', e.message);
    throw e;
  }
  const rejected = [...read.rejected];
  const annotations: ResultsReading['annotations'] = [];
  for (const { line, annotation: a } of read.accepted) {
    const problem =
      a.projectId === ''
        ? '"projectId" must be the project\'s id'
        : a.datasetId === ''
          ? '"datasetId" must be the dataset\'s id'
          : a.id !== annotationId(a.planId, a.idx, a.annotator)
            ? `"id" ${JSON.stringify(a.id)} does not match its plan, item and annotator (expected ${JSON.stringify(annotationId(a.planId, a.idx, a.annotator))})`
            : null;
    if (problem) rejected.push({ line, message: problem });
    else annotations.push({ line, annotation: a });
  }
  rejected.sort((x, y) => x.line - y.line);
  return { head: read.head, annotations, rejected };
}

/** What the importing project holds, for checking results against it. */
export interface ResultsTarget {
  projectId: string;
  /** The project's plans: dataset and routed positions. */
  plans: ReadonlyMap<string, { datasetId: string; version: number; routed: ReadonlySet<number> }>;
  /** The instance id at a dataset position, or undefined when the dataset has no such position. */
  instanceId(datasetId: string, idx: number): string | undefined;
}

/**
 * Checks results against the project they are imported into: the project, a plan of it, an item that plan
 * routed, and the instance id at that position. Returns what passes, and every other record with its reason.
 */
export function checkResultsTarget(
  reading: ResultsReading,
  target: ResultsTarget,
): { annotations: Annotation[]; rejected: AnnotationsFileProblem[] } {
  const rejected = [...reading.rejected];
  const annotations: Annotation[] = [];
  for (const { line, annotation: a } of reading.annotations) {
    const plan = target.plans.get(a.planId);
    let problem: string | null = null;
    if (a.projectId !== target.projectId)
      problem = `made for another project (${JSON.stringify(a.projectId)}); open the project the pack was made from`;
    else if (!plan) problem = `plan ${JSON.stringify(a.planId)} is not a plan of this project`;
    else if (a.datasetId !== plan.datasetId) problem = `dataset ${JSON.stringify(a.datasetId)} is not the dataset of plan v${plan.version}`;
    else if (!plan.routed.has(a.idx)) problem = `item ${a.idx} is not in the human queue of plan v${plan.version}`;
    else {
      const id = target.instanceId(a.datasetId, a.idx);
      if (id === undefined) problem = `item ${a.idx} is not in the dataset`;
      else if (id !== a.instanceId)
        problem = `item ${a.idx} is pair ${JSON.stringify(id)} in this dataset, not ${JSON.stringify(a.instanceId)}`;
    }
    if (problem) rejected.push({ line, message: problem });
    else annotations.push(a);
  }
  rejected.sort((x, y) => x.line - y.line);
  return { annotations, rejected };
}

export interface ImportPlan {
  add: Annotation[];
  update: Annotation[];
  unchanged: number;
  conflicts: { incoming: Annotation; existing: Annotation; reason: string }[];
}

/**
 * Decides what importing results does, given what is stored under the same ids. Same content: unchanged
 * (so importing twice changes nothing). An annotation that came from the same origin earlier and is older:
 * updated. Anything else that differs (work made here, or a newer version already stored): a conflict,
 * reported and not overwritten.
 */
export function planResultsImport(incoming: readonly Annotation[], existing: ReadonlyMap<string, Annotation>, origin: string): ImportPlan {
  const out: ImportPlan = { add: [], update: [], unchanged: 0, conflicts: [] };
  const seen = new Set<string>();
  for (const a0 of incoming) {
    if (seen.has(a0.id)) continue;
    seen.add(a0.id);
    const a: Annotation = { ...a0, origin };
    const old = existing.get(a.id);
    if (!old) out.add.push({ ...a, rev: 1 });
    else if (annotationContent(old) === annotationContent(a)) out.unchanged++;
    else if (old.origin === origin && old.updatedAt <= a.updatedAt) out.update.push({ ...a, rev: old.rev + 1 });
    else
      out.conflicts.push({
        incoming: a,
        existing: old,
        reason: old.origin === origin ? 'a newer version of this annotation is already stored' : `already annotated here (${old.origin})`,
      });
  }
  return out;
}

/** A pack id that is stable for the same project, plan, annotator and items. */
export function packIdOf(planId: string, annotator: string, items: readonly number[]): string {
  return `pack-${fnv1a32(`${planId}|${annotator}|${items.join(',')}`)
    .toString(16)
    .padStart(8, '0')}`;
}
