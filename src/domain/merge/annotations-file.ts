// Annotation files: JSONL of Annotation objects (one a line), or one JSON object
// {"format": "hyper-annotations", "version": 1, "annotations": [...]} with an optional head: the datasets the
// annotations were made on and how their A/B sides were fixed (`datasets`, see formats/orientation.ts), and for
// an annotator's results from a pack `packId`, `annotator`, `exportedAt`. The one reader of every such file:
// `hyper merge`, the app's "Download all annotations" and pack results. Every problem names its line.
import { annotationId, ASPECTS, CONFIDENCES, type Annotation, type AnnotationStatus, type AspectJudgement } from '../annotation';
import { describeJsonFailure, lineAndColumn } from '../formats/json-syntax';
import { readOrientation, type DatasetOrientation } from '../formats/orientation';
import { PREFERENCES, type Preference } from '../labels';
import { MergeError, type AnnotationsFileProblem } from './errors';

export const ANNOTATIONS_FILE_FORMAT = 'hyper-annotations';
export const ANNOTATIONS_FILE_VERSION = 1;

/** A dataset annotations were made on, as the app stored it. */
export interface AnnotatedDataset extends DatasetOrientation {
  /** The app's dataset id (the annotations' `datasetId`). */
  id: string;
  name?: string;
  /** SHA-256 of the imported file. */
  sha256?: string;
  n?: number;
}

/** What an annotations file says besides its annotations. */
export interface AnnotationsFileHead {
  datasets?: AnnotatedDataset[];
  packId?: string;
  annotator?: string;
  exportedAt?: string;
}

export interface AnnotationsFile extends AnnotationsFileHead {
  format: typeof ANNOTATIONS_FILE_FORMAT;
  version: typeof ANNOTATIONS_FILE_VERSION;
  annotations: Annotation[];
}

/** Every annotation of a file, each either accepted or rejected with its reason. */
export interface AnnotationsReading {
  head: AnnotationsFileHead;
  accepted: { line: number; annotation: Annotation }[];
  rejected: AnnotationsFileProblem[];
}

const STATUSES: readonly AnnotationStatus[] = ['draft', 'submitted', 'skipped'];
/** How many problems the error message lists (all are in `problems`). */
const SHOWN_PROBLEMS = 5;

/**
 * Reads an annotations file record by record: each annotation is checked on its own and accepted or rejected
 * with the reason and its 1-based line (for the JSON form, the line where the annotation's object starts).
 * Optional fields get defaults: `id` from plan, idx and annotator; empty project/dataset ids, aspects and
 * rationale; `origin` "file:<fileName>". A second annotation with an id already seen is rejected. Throws
 * MergeError('bad-annotations') only for a file that cannot be read as a whole (empty, not JSON, wrong format).
 */
export function readAnnotationsFile(text: string, fileName = 'annotations'): AnnotationsReading {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new MergeError(
      'bad-annotations',
      `${fileName}: the file is empty (expected annotations as JSONL, or {"format": "${ANNOTATIONS_FILE_FORMAT}", ...})`,
      [{ line: 1, message: 'the file is empty' }],
    );
  }
  const rejected: AnnotationsFileProblem[] = [];
  const accepted: AnnotationsReading['accepted'] = [];
  const { head, entries } = isJsonDocument(body) ? jsonEntries(body, fileName) : { head: {}, entries: jsonlEntries(body, rejected) };
  const ids = new Map<string, number>();
  for (const { line, value } of entries) {
    const checked = checkAnnotation(value, fileName);
    if (typeof checked === 'string') {
      rejected.push({ line, message: checked });
      continue;
    }
    const first = ids.get(checked.id);
    if (first !== undefined) {
      rejected.push({ line, message: `annotation id "${checked.id}" appears twice (first at line ${first})` });
      continue;
    }
    ids.set(checked.id, line);
    accepted.push({ line, annotation: checked });
  }
  rejected.sort((a, b) => a.line - b.line);
  return { head, accepted, rejected };
}

/** A MergeError listing the first problems (all are in `problems`). */
export function annotationsProblemError(fileName: string, problems: readonly AnnotationsFileProblem[]): MergeError {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  line ${p.line}: ${p.message}`);
  const more = problems.length > SHOWN_PROBLEMS ? [`  … and ${problems.length - SHOWN_PROBLEMS} more`] : [];
  return new MergeError(
    'bad-annotations',
    `${fileName}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${[...shown, ...more].join('\n')}`,
    problems,
  );
}

/** Reads an annotations file strictly (as `hyper merge` does): any problem rejects the whole file. */
export function parseAnnotationsDocument(text: string, fileName = 'annotations'): { head: AnnotationsFileHead; annotations: Annotation[] } {
  const r = readAnnotationsFile(text, fileName);
  if (r.rejected.length > 0) throw annotationsProblemError(fileName, r.rejected);
  return { head: r.head, annotations: r.accepted.map((a) => a.annotation) };
}

/** The annotations of a file, read strictly (see parseAnnotationsDocument). */
export function parseAnnotationsFile(text: string, fileName = 'annotations'): Annotation[] {
  return parseAnnotationsDocument(text, fileName).annotations;
}

/** The JSON form of an annotations file (what readAnnotationsFile reads back), with an optional head. */
export function serializeAnnotationsFile(annotations: readonly Annotation[], head: AnnotationsFileHead = {}): string {
  const top = { format: ANNOTATIONS_FILE_FORMAT, version: ANNOTATIONS_FILE_VERSION, ...head };
  // One annotation a line keeps the file diffable and its line numbers meaningful.
  const lines = annotations.map((a) => `  ${JSON.stringify(a)}`);
  const opening = JSON.stringify(top).slice(0, -1);
  return `${opening}, "annotations": [\n${lines.join(',\n')}\n]}\n`;
}

interface Entry {
  line: number;
  value: unknown;
}

/** The JSON form starts with '[' or is the wrapper object; JSONL's first line is one annotation on its own. */
function isJsonDocument(body: string): boolean {
  const t = body.trimStart();
  if (t.startsWith('[')) return true;
  if (!t.startsWith('{')) return false;
  const newline = t.indexOf('\n');
  try {
    const first: unknown = JSON.parse(newline === -1 ? t : t.slice(0, newline));
    return isObject(first) && first.format !== undefined && first.idx === undefined;
  } catch {
    // A first line that is not JSON on its own: the wrapper spread over lines, or a broken JSONL line.
    return /^\{\s*"(format|version|annotations)"/.test(t);
  }
}

function jsonlEntries(text: string, problems: AnnotationsFileProblem[]): Entry[] {
  const entries: Entry[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    try {
      entries.push({ line: i + 1, value: JSON.parse(line) });
    } catch (e) {
      const failure = describeJsonFailure(line, e);
      problems.push({
        line: i + 1,
        message: `invalid JSON${failure.position === null ? '' : ` at column ${failure.position + 1}`}: ${failure.message}`,
      });
    }
  });
  return entries;
}

function jsonEntries(text: string, fileName: string): { head: AnnotationsFileHead; entries: Entry[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const failure = describeJsonFailure(text, e);
    const at = failure.position === null ? null : lineAndColumn(text, failure.position);
    const problem = { line: at?.line ?? 1, message: `invalid JSON${at ? ` at column ${at.column}` : ''}: ${failure.message}` };
    throw new MergeError('bad-annotations', `${fileName}: line ${problem.line}: ${problem.message}`, [problem]);
  }
  let list: unknown;
  const head: AnnotationsFileHead = {};
  if (Array.isArray(doc)) list = doc;
  else {
    const w = doc as Record<string, unknown>;
    const fail = (message: string): never => {
      throw new MergeError('bad-annotations', `${fileName}: ${message}`, [{ line: 1, message }]);
    };
    if (!isObject(w)) fail('expected a list of annotations or an object with "format" and "annotations"');
    if (w.format !== ANNOTATIONS_FILE_FORMAT) fail(`"format" must be "${ANNOTATIONS_FILE_FORMAT}", got ${JSON.stringify(w.format)}`);
    if (w.version !== ANNOTATIONS_FILE_VERSION)
      fail(`unsupported version ${JSON.stringify(w.version)} (this app reads version ${ANNOTATIONS_FILE_VERSION})`);
    if (!Array.isArray(w.annotations)) fail('"annotations" must be a list');
    for (const k of ['packId', 'annotator', 'exportedAt'] as const) {
      if (w[k] === undefined) continue;
      if (typeof w[k] !== 'string') fail(`"${k}" must be text, got ${JSON.stringify(w[k])}`);
      head[k] = w[k] as string;
    }
    if (w.datasets !== undefined) {
      if (!Array.isArray(w.datasets)) fail('"datasets" must be a list of {id, layout, sideSeed, sha256, n}');
      head.datasets = (w.datasets as unknown[]).map((d, i) => {
        const o = readOrientation(d, `datasets[${i}]`);
        if (o === null || typeof o === 'string') return fail(o ?? `datasets[${i}] must be an object`);
        const e = d as Record<string, unknown>;
        if (typeof e.id !== 'string' || e.id === '') fail(`datasets[${i}].id must be the dataset's id`);
        if (e.sha256 !== undefined && (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)))
          fail(`datasets[${i}].sha256 must be 64 hex digits`);
        if (e.n !== undefined && (!Number.isInteger(e.n) || (e.n as number) < 0)) fail(`datasets[${i}].n must be a non-negative integer`);
        return {
          ...o,
          id: e.id as string,
          ...(typeof e.name === 'string' ? { name: e.name } : {}),
          ...(typeof e.sha256 === 'string' ? { sha256: e.sha256 } : {}),
          ...(typeof e.n === 'number' ? { n: e.n } : {}),
        };
      });
    }
    list = w.annotations;
  }
  const starts = elementLines(text);
  return { head, entries: (list as unknown[]).map((value, i) => ({ line: starts[i] ?? 1, value })) };
}

/**
 * 1-based start lines of the elements of the annotation list: the top-level array, or the array under the
 * top-level key "annotations". A scan that respects strings; only called on text JSON.parse accepted.
 */
export function elementLines(text: string): number[] {
  const lines: number[] = [];
  // Stack of containers: 'o' object, 'a' array, 'A' the annotation list.
  const stack: string[] = [];
  let line = 1;
  let lastKey: string | null = null;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const top = stack[stack.length - 1];
    if (top === 'A' && expectElement && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (stack.length === 1 && top === 'o') lastKey = JSON.parse(text.slice(i, j + 1)) as string;
      i = j;
      continue;
    }
    if (c === '{') stack.push('o');
    else if (c === '[') {
      const isList = stack.length === 0 || (stack.length === 1 && top === 'o' && lastKey === 'annotations');
      stack.push(isList ? 'A' : 'a');
      if (isList) expectElement = true;
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 1 && stack[0] === 'o') lastKey = null;
    } else if (c === ',' && top === 'A') expectElement = true;
    else if (c === ',' && stack.length === 1 && top === 'o') lastKey = null;
  }
  return lines;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPreference = (v: unknown): v is Preference => typeof v === 'string' && (PREFERENCES as readonly string[]).includes(v);
const PREFERENCE_LIST = PREFERENCES.join(', ');

/** Checks one annotation; returns it with defaults filled, or a message naming the field. */
export function checkAnnotation(value: unknown, fileName: string): Annotation | string {
  if (!isObject(value)) return `expected an annotation object, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`;
  const v = value;
  if (!Number.isInteger(v.idx) || (v.idx as number) < 0)
    return `"idx" must be a non-negative integer (the instance's position), got ${JSON.stringify(v.idx)}`;
  if (typeof v.instanceId !== 'string' || v.instanceId === '')
    return `"instanceId" must be the instance's id (text), got ${JSON.stringify(v.instanceId)}`;
  if (typeof v.annotator !== 'string' || v.annotator.trim() === '')
    return `"annotator" must be a non-empty name, got ${JSON.stringify(v.annotator)}`;
  if (typeof v.planId !== 'string') return `"planId" must be text, got ${JSON.stringify(v.planId)}`;
  if (!STATUSES.includes(v.status as AnnotationStatus))
    return `"status" must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(v.status)}`;
  if (v.overall !== undefined && !isPreference(v.overall))
    return `"overall" must be one of ${PREFERENCE_LIST}, got ${JSON.stringify(v.overall)}`;
  if (v.status === 'submitted' && v.overall === undefined) return 'a submitted annotation needs "overall"';
  if (v.confidence !== undefined && !CONFIDENCES.includes(v.confidence as never))
    return `"confidence" must be one of ${CONFIDENCES.join(', ')}, got ${JSON.stringify(v.confidence)}`;
  const aspects: Annotation['aspects'] = {};
  if (v.aspects !== undefined) {
    if (!isObject(v.aspects)) return '"aspects" must be an object keyed by helpfulness, truthfulness, harmlessness';
    for (const [key, judgement] of Object.entries(v.aspects)) {
      if (!ASPECTS.includes(key as never)) return `"aspects.${key}" is not an aspect (expected ${ASPECTS.join(', ')})`;
      const checked = checkAspect(judgement, `aspects.${key}`);
      if (typeof checked === 'string') return checked;
      aspects[key as (typeof ASPECTS)[number]] = checked;
    }
  }
  for (const k of ['id', 'projectId', 'datasetId', 'rationale', 'flag', 'skipReason', 'origin', 'carriedFrom'] as const) {
    if (v[k] !== undefined && typeof v[k] !== 'string') return `"${k}" must be text, got ${JSON.stringify(v[k])}`;
  }
  for (const k of ['activeMs', 'createdAt', 'updatedAt', 'submittedAt', 'rev'] as const) {
    if (v[k] !== undefined && (typeof v[k] !== 'number' || !Number.isFinite(v[k]) || (v[k] as number) < 0))
      return `"${k}" must be a non-negative number, got ${JSON.stringify(v[k])}`;
  }
  if (v.swapped !== undefined && typeof v.swapped !== 'boolean') return `"swapped" must be true or false, got ${JSON.stringify(v.swapped)}`;
  const a: Annotation = {
    id: (v.id as string | undefined) ?? annotationId(v.planId, v.idx as number, v.annotator),
    projectId: (v.projectId as string | undefined) ?? '',
    datasetId: (v.datasetId as string | undefined) ?? '',
    planId: v.planId,
    idx: v.idx as number,
    instanceId: v.instanceId,
    annotator: v.annotator,
    status: v.status as AnnotationStatus,
    aspects,
    rationale: (v.rationale as string | undefined) ?? '',
    swapped: (v.swapped as boolean | undefined) ?? false,
    activeMs: (v.activeMs as number | undefined) ?? 0,
    createdAt: (v.createdAt as number | undefined) ?? 0,
    updatedAt: (v.updatedAt as number | undefined) ?? 0,
    rev: (v.rev as number | undefined) ?? 0,
    origin: (v.origin as string | undefined) ?? `file:${fileName}`,
  };
  if (v.overall !== undefined) a.overall = v.overall as Preference;
  if (v.confidence !== undefined) a.confidence = v.confidence as Annotation['confidence'];
  if (v.flag !== undefined) a.flag = v.flag as string;
  if (v.skipReason !== undefined) a.skipReason = v.skipReason as string;
  if (v.submittedAt !== undefined) a.submittedAt = v.submittedAt as number;
  if (v.carriedFrom !== undefined) a.carriedFrom = v.carriedFrom as string;
  return a;
}

function checkAspect(value: unknown, where: string): AspectJudgement | string {
  if (!isObject(value)) return `"${where}" must be an object`;
  if (value.preference !== undefined && !isPreference(value.preference))
    return `"${where}.preference" must be one of ${PREFERENCE_LIST}, got ${JSON.stringify(value.preference)}`;
  if (value.confidence !== undefined && !CONFIDENCES.includes(value.confidence as never))
    return `"${where}.confidence" must be one of ${CONFIDENCES.join(', ')}`;
  const reasons = value.reasons ?? [];
  if (!Array.isArray(reasons) || !reasons.every((r) => typeof r === 'string')) return `"${where}.reasons" must be a list of text`;
  if (value.text !== undefined && typeof value.text !== 'string') return `"${where}.text" must be text`;
  const j: AspectJudgement = { reasons: reasons as string[], text: (value.text as string | undefined) ?? '' };
  if (value.preference !== undefined) j.preference = value.preference as Preference;
  if (value.confidence !== undefined) j.confidence = value.confidence as AspectJudgement['confidence'];
  return j;
}
