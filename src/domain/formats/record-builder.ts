// The validation every shape shares: a shape picks its fields out of a row, and `completeRecord` checks
// them (prompt, responses, labels, id), reads tag and score columns, and keeps everything unmapped in `extra`.
import {
  DESCRIPTIVE_DIMENSIONS,
  SCORE_NAMES,
  type DescriptiveDimension,
  type DescriptiveTags,
  type Message,
  type PairRecord,
  type ScoreName,
} from '../instance';
import { majorityOf, parseLabel, type Label, type LabelReading } from '../labels';
import { describeJsonKind } from './json-syntax';
import { setOwnField } from './own-field';
import type { MapOptions, MapResult, RawRow } from './types';

/** The fields of one raw row; remembers which were taken so the rest can go to `extra`. */
export class RowFields {
  private readonly taken = new Set<string>();

  constructor(readonly row: RawRow) {}

  /** True when the row has the key, even with a null value. */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.row.value, key);
  }

  /** The value without taking it (it stays for `extra`). */
  peek(key: string): unknown {
    return this.has(key) ? this.row.value[key] : undefined;
  }

  /** Takes a field: it will not appear in `extra`. */
  take(key: string): unknown {
    if (!this.has(key)) return undefined;
    this.taken.add(key);
    return this.row.value[key];
  }

  /** Takes the first of the keys that holds a value (not null, undefined or ''); the others stay. */
  takeFirst(keys: readonly string[]): { key: string; value: unknown } | undefined {
    for (const key of keys) {
      if (!isMissing(this.peek(key))) return { key, value: this.take(key) };
    }
    // All missing: take the first one that exists so an empty column does not land in extra twice.
    const present = keys.find((k) => this.has(k));
    return present === undefined ? undefined : { key: present, value: this.take(present) };
  }

  /** Keys not taken yet, in row order. */
  untaken(): string[] {
    return Object.keys(this.row.value).filter((k) => !this.taken.has(k));
  }
}

/** A label still in its cell: the column it came from (for messages), the raw value and how to read it. */
export interface LabelCell {
  column: string;
  value: unknown;
  reading?: LabelReading;
}

export type LabelInput = Label | LabelCell;

/** What a shape extracted from a row, before validation. Raw values are checked by `completeRecord`. */
export interface RecordDraft {
  id?: unknown;
  prompt: unknown;
  messages?: Message[];
  responseA: unknown;
  responseB: unknown;
  modelA?: unknown;
  modelB?: unknown;
  lm?: LabelInput;
  lmJudge?: unknown;
  human?: LabelInput;
  /** Votes; missing ones are skipped. When `human` is missing it becomes their majority. */
  humanVotes?: LabelInput[];
  /** Entries for `extra` besides the untaken fields (e.g. a nested extra object). Untaken fields win. */
  extra?: Record<string, unknown>;
  warnings?: string[];
}

/** The record id: the id value as text, or `row-<row>` when there is none. */
export function recordId(value: unknown, row: number): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return `row-${row}`;
}

/** null, undefined and '' count as missing everywhere (CSV has no other way to say it). */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Validates a draft and builds the record; the one place the shared import rules live. */
export function completeRecord(fields: RowFields, draft: RecordDraft, options: MapOptions): MapResult {
  const row = fields.row.row;
  const warnings = [...(draft.warnings ?? [])];

  const prompt = checkText(draft.prompt, 'prompt', warnings);
  if (!prompt.ok) return prompt;
  if (prompt.text.trim() === '') return { ok: false, reason: 'missing prompt' };
  const responseA = checkResponse(draft.responseA, 'A', warnings, options);
  if (!responseA.ok) return responseA;
  const responseB = checkResponse(draft.responseB, 'B', warnings, options);
  if (!responseB.ok) return responseB;
  if (responseA.text === responseB.text && responseA.text.trim() !== '') warnings.push('response A and response B are identical');

  const lm = readLabel(draft.lm, options.lmReading);
  if (lm && 'reason' in lm) return { ok: false, reason: lm.reason };
  let human = readLabel(draft.human, options.humanReading);
  if (human && 'reason' in human) return { ok: false, reason: human.reason };
  const votes: Label[] = [];
  for (const input of draft.humanVotes ?? []) {
    const vote = readLabel(input, options.humanReading);
    if (vote && 'reason' in vote) return { ok: false, reason: vote.reason };
    if (vote) votes.push(vote);
  }
  // One vote is the human label as it stands (strength and original kept); several go to a majority.
  if (!human && votes.length > 0) human = votes.length === 1 ? votes[0] : (majorityOf(votes) ?? undefined);

  const record: PairRecord = {
    id: recordId(draft.id, row),
    sourceRow: row,
    prompt: prompt.text,
    responseA: responseA.text,
    responseB: responseB.text,
    extra: {},
  };
  if (draft.messages && draft.messages.length > 0) record.messages = draft.messages;
  const modelA = nameText(draft.modelA);
  const modelB = nameText(draft.modelB);
  if (modelA !== undefined) record.modelA = modelA;
  if (modelB !== undefined) record.modelB = modelB;
  if (lm) record.lm = lm;
  const judge = nameText(draft.lmJudge);
  if (judge !== undefined) record.lmJudge = judge;
  if (human) record.human = human;
  if (votes.length > 0) record.humanVotes = votes;

  const tags = readTags(fields, warnings);
  if (tags) record.tags = tags;
  const scores = readScores(fields, warnings);
  if (scores) record.scores = scores;

  const extra: Record<string, unknown> = {};
  const untaken = fields.untaken();
  const untakenSet = new Set(untaken);
  for (const [key, value] of Object.entries(draft.extra ?? {})) {
    setOwnField(extra, untakenSet.has(key) ? `extra.${key}` : key, value);
  }
  for (const key of untaken) setOwnField(extra, key, fields.row.value[key]);
  record.extra = extra;
  return { ok: true, record, warnings };
}

type TextCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Text as the record needs it: strings pass, numbers/booleans become text with a warning, the rest is rejected. */
export function checkText(value: unknown, what: string, warnings: string[]): TextCheck {
  if (value === undefined || value === null) return { ok: false, reason: `missing ${what}` };
  if (typeof value === 'string') return { ok: true, text: value };
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    const text = String(value);
    warnings.push(`${what} is ${describeJsonKind(typeof value === 'bigint' ? 0 : value)}, imported as the text "${text}"`);
    return { ok: true, text };
  }
  return { ok: false, reason: `${what} is ${describeJsonKind(value)}, expected text` };
}

function checkResponse(value: unknown, side: 'A' | 'B', warnings: string[], options: MapOptions): TextCheck {
  const what = `response ${side}`;
  const checked = checkText(value, what, warnings);
  if (!checked.ok || checked.text.trim() !== '') return checked;
  if (options.rejectEmptyResponses) return { ok: false, reason: `${what} is empty` };
  warnings.push(`${what} is empty`);
  return checked;
}

function readLabel(input: LabelInput | undefined, fallback: LabelReading | undefined): Label | { reason: string } | undefined {
  if (!input) return undefined;
  if (!('column' in input)) return input;
  const parsed = parseLabel(input.value, input.reading ?? fallback ?? {});
  if (parsed.kind === 'label') return parsed.label;
  if (parsed.kind === 'missing') return undefined;
  return { reason: `${input.column}: ${parsed.reason}` };
}

function nameText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

// Dimensions whose values are lists: subjects and languages are normalised to lists; the open sets keep
// a plain string as given (the paper only asks whether they are non-empty).
const LIST_DIMENSIONS = new Set<DescriptiveDimension>(['subject_of_expertise', 'languages']);
const OPEN_DIMENSIONS = new Set<DescriptiveDimension>(['type_of_in_context_material', 'format_constraints']);

/** Reads columns named as the descriptive dimensions into tags (taking them from the row). */
export function readTags(fields: RowFields, warnings: string[]): DescriptiveTags | undefined {
  const tags: DescriptiveTags = {};
  let any = false;
  for (const dim of DESCRIPTIVE_DIMENSIONS) {
    if (!fields.has(dim)) continue;
    const value = fields.peek(dim);
    const tag = tagValue(dim, value);
    if (tag === 'invalid') {
      warnings.push(`${dim}: expected text or a list of text, found ${describeJsonKind(value)}; kept in extra`);
      continue;
    }
    fields.take(dim);
    if (tag === undefined) continue;
    tags[dim] = tag;
    any = true;
  }
  return any ? tags : undefined;
}

function tagValue(dim: DescriptiveDimension, value: unknown): string | string[] | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (!value.every((v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return 'invalid';
    return value.filter((v) => v !== null && String(v).trim() !== '').map((v) => String(v).trim());
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return 'invalid';
  const text = value.trim();
  if (text === '') return undefined;
  if (LIST_DIMENSIONS.has(dim) || OPEN_DIMENSIONS.has(dim)) {
    const list = jsonList(text);
    if (list) return tagValue(dim, list);
    if (LIST_DIMENSIONS.has(dim)) {
      return text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    }
  }
  return text;
}

/** Parses text that holds a JSON list ('["a","b"]'); undefined when it does not. */
export function jsonList(text: string): unknown[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const parsed: unknown = JSON.parse(t);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads columns named as the lexical scores (numbers or numeric text) into scores (taking them from the row). */
export function readScores(fields: RowFields, warnings: string[]): Partial<Record<ScoreName, number>> | undefined {
  const scores: Partial<Record<ScoreName, number>> = {};
  let any = false;
  for (const name of SCORE_NAMES) {
    if (!fields.has(name)) continue;
    const value = fields.peek(name);
    if (isMissing(value)) {
      fields.take(name);
      continue;
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
    if (!Number.isFinite(n)) {
      warnings.push(`${name}: ${JSON.stringify(value)?.slice(0, 40) ?? String(value)} is not a number; kept in extra`);
      continue;
    }
    fields.take(name);
    scores[name] = n;
    any = true;
  }
  return any ? scores : undefined;
}
