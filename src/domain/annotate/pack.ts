// Annotation packs: the way work travels between a project lead and annotators without a server. The lead
// exports one pack per annotator (items copied in, LM labels left out); the annotator labels them in their
// own browser and exports a results file; the lead imports it back (idempotent, conflicts reported).
import { annotationId, type Annotation } from '../annotation';
import type { Message } from '../instance';
import { mulberry32U32 } from '../random';
import { annotationContent, hashString } from './queue';

export const PACK_FORMAT = 'hyper-annotation-pack';
export const RESULTS_FORMAT = 'hyper-annotations';

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
  items: PackItem[];
}

export interface ResultsFile {
  format: typeof RESULTS_FORMAT;
  version: 1;
  packId?: string;
  annotator?: string;
  exportedAt: string;
  annotations: Annotation[];
}

export class PackError extends Error {
  override readonly name = 'PackError';
  constructor(
    readonly code: 'bad-pack' | 'bad-results' | 'wrong-project',
    message: string,
  ) {
    super(message);
  }
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
    for (let i = n - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
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
  if (!isObject(raw) || raw.format !== PACK_FORMAT) throw new PackError('bad-pack', `${fileName} is not an annotation pack (expected "format": "${PACK_FORMAT}")`);
  if (raw.version !== 1) throw new PackError('bad-pack', `${fileName}: unsupported pack version ${JSON.stringify(raw.version)}`);
  for (const k of ['packId', 'annotator', 'projectId', 'planId', 'datasetId'] as const) {
    if (typeof raw[k] !== 'string' || raw[k] === '') throw new PackError('bad-pack', `${fileName}: "${k}" must be a non-empty string`);
  }
  if (!Array.isArray(raw.items)) throw new PackError('bad-pack', `${fileName}: "items" must be an array`);
  raw.items.forEach((it: unknown, i: number) => {
    if (!isObject(it)) throw new PackError('bad-pack', `${fileName}: items[${i}] must be an object`);
    if (!Number.isInteger(it.idx) || (it.idx as number) < 0) throw new PackError('bad-pack', `${fileName}: items[${i}].idx must be a non-negative integer`);
    for (const k of ['instanceId', 'prompt', 'responseA', 'responseB'] as const) {
      if (typeof it[k] !== 'string') throw new PackError('bad-pack', `${fileName}: items[${i}].${k} must be a string`);
    }
  });
  return raw as unknown as AnnotationPack;
}

const STATUSES = new Set(['draft', 'submitted', 'skipped']);

/** Parses a results file (one JSON object, or JSONL of annotations); errors name the line or entry. */
export function parseResults(text: string, fileName: string): ResultsFile {
  const trimmed = text.trim();
  let annotations: unknown[];
  let head: Record<string, unknown> = {};
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (e) {
      throw new PackError('bad-results', `${fileName} is not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isObject(raw) || raw.format !== RESULTS_FORMAT) throw new PackError('bad-results', `${fileName} is not an annotation results file (expected "format": "${RESULTS_FORMAT}")`);
    if (!Array.isArray(raw.annotations)) throw new PackError('bad-results', `${fileName}: "annotations" must be an array`);
    head = raw;
    annotations = raw.annotations;
  } else {
    annotations = trimmed.split('\n').map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (e) {
        throw new PackError('bad-results', `${fileName} line ${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      }
    });
  }
  annotations.forEach((a, i) => {
    const where = `${fileName} annotation ${i + 1}`;
    if (!isObject(a)) throw new PackError('bad-results', `${where}: must be an object`);
    for (const k of ['planId', 'annotator', 'instanceId', 'projectId', 'datasetId'] as const) {
      if (typeof a[k] !== 'string' || a[k] === '') throw new PackError('bad-results', `${where}: "${k}" must be a non-empty string`);
    }
    if (!Number.isInteger(a.idx)) throw new PackError('bad-results', `${where}: "idx" must be an integer`);
    if (!STATUSES.has(a.status as string)) throw new PackError('bad-results', `${where}: "status" must be draft, submitted or skipped`);
    if (a.id !== annotationId(a.planId as string, a.idx as number, a.annotator as string)) throw new PackError('bad-results', `${where}: "id" does not match its plan, item and annotator`);
  });
  return { format: RESULTS_FORMAT, version: 1, exportedAt: String(head.exportedAt ?? ''), annotations: annotations as Annotation[], ...(typeof head.packId === 'string' ? { packId: head.packId } : {}), ...(typeof head.annotator === 'string' ? { annotator: head.annotator } : {}) };
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
    else out.conflicts.push({ incoming: a, existing: old, reason: old.origin === origin ? 'a newer version of this annotation is already stored' : `already annotated here (${old.origin})` });
  }
  return out;
}

/** A pack id that is stable for the same project, plan, annotator and items. */
export function packIdOf(planId: string, annotator: string, items: readonly number[]): string {
  return `pack-${hashString(`${planId}|${annotator}|${items.join(',')}`).toString(16).padStart(8, '0')}`;
}
