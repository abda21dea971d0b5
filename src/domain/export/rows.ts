// One merged record as one row of each export format. Pure: the writers only serialise these rows.
import type { Message } from '../instance';
import { winnerOf, type Preference, type Winner } from '../labels';
import type { MergedRecord } from '../merge/merge';

/** TRL "standard" preference row (strings). `id` is extra; TRL ignores columns it does not use. */
export interface TrlRow {
  id: string;
  prompt: string;
  chosen: string;
  rejected: string;
}

/** TRL "conversational" preference row: the prompt as turns, each answer as one assistant turn. */
export interface TrlConversationalRow {
  id: string;
  prompt: Message[];
  chosen: Message[];
  rejected: Message[];
}

/** Chosen = the preferred response; null for a tie, which TRL rows cannot express. */
export function chosenRejected(m: MergedRecord): { chosen: string; rejected: string } | null {
  const w = winnerOf(m.label);
  if (w === 'tie') return null;
  const a = m.record.responseA;
  const b = m.record.responseB;
  return w === 'A' ? { chosen: a, rejected: b } : { chosen: b, rejected: a };
}

export function trlRow(m: MergedRecord): TrlRow | null {
  const cr = chosenRejected(m);
  return cr && { id: m.record.id, prompt: m.record.prompt, ...cr };
}

export function trlConversationalRow(m: MergedRecord): TrlConversationalRow | null {
  const cr = chosenRejected(m);
  if (!cr) return null;
  const prompt = m.record.messages ?? [{ role: 'user', content: m.record.prompt }];
  return {
    id: m.record.id,
    prompt: prompt.map((x) => ({ role: x.role, content: x.content })),
    chosen: [{ role: 'assistant', content: cr.chosen }],
    rejected: [{ role: 'assistant', content: cr.rejected }],
  };
}

/**
 * The full record. Column names follow the project's pairs layout where one exists (prompt, response_a/b,
 * model_a/b, pref_human, human_votes, pref_lm, lm_judge, extra), so the file imports back as "Pairs":
 * `pref_human` is the human label in effect (routed and labelled instances only) and `human_votes` the
 * annotations it was computed from; the dataset's own human label, when it had one, is `original_pref_human`.
 * Labels are written as A>>B, A>B, A=B, B>A, B>>A.
 */
export interface FullRow {
  id: string;
  idx: number;
  prompt: string;
  messages: Message[] | null;
  response_a: string;
  response_b: string;
  model_a: string | null;
  model_b: string | null;
  /** The final label. */
  label: Preference;
  winner: Winner;
  label_source: 'human' | 'lm';
  routed: boolean;
  gain: number | null;
  pref_human: Preference | null;
  human_from: 'annotations' | 'file' | null;
  human_votes: Preference[];
  pref_lm: Preference | null;
  lm_judge: string | null;
  /** Every counted annotation of the instance (one per annotator), whole. */
  annotations: unknown[];
  original_pref_human: Preference | null;
  original_human_votes: Preference[] | null;
  /** The instance's HyPER tag ids, when the export was given them. */
  hyper_tags: string[] | null;
  descriptive_tags: Record<string, unknown> | null;
  scores: Record<string, number> | null;
  extra: Record<string, unknown>;
}

export type FullColumnKind = 'string' | 'int' | 'double' | 'bool' | 'json';

/** The full record's columns in file order, with the kind each is stored as in CSV and Parquet. */
export const FULL_COLUMNS: readonly { name: keyof FullRow; kind: FullColumnKind }[] = [
  { name: 'id', kind: 'string' },
  { name: 'idx', kind: 'int' },
  { name: 'prompt', kind: 'string' },
  { name: 'messages', kind: 'json' },
  { name: 'response_a', kind: 'string' },
  { name: 'response_b', kind: 'string' },
  { name: 'model_a', kind: 'string' },
  { name: 'model_b', kind: 'string' },
  { name: 'label', kind: 'string' },
  { name: 'winner', kind: 'string' },
  { name: 'label_source', kind: 'string' },
  { name: 'routed', kind: 'bool' },
  { name: 'gain', kind: 'double' },
  { name: 'pref_human', kind: 'string' },
  { name: 'human_from', kind: 'string' },
  { name: 'human_votes', kind: 'json' },
  { name: 'pref_lm', kind: 'string' },
  { name: 'lm_judge', kind: 'string' },
  { name: 'annotations', kind: 'json' },
  { name: 'original_pref_human', kind: 'string' },
  { name: 'original_human_votes', kind: 'json' },
  { name: 'hyper_tags', kind: 'json' },
  { name: 'descriptive_tags', kind: 'json' },
  { name: 'scores', kind: 'json' },
  { name: 'extra', kind: 'json' },
];

export function fullRow(m: MergedRecord, hyperTags?: readonly string[]): FullRow {
  const r = m.record;
  return {
    id: r.id,
    idx: m.idx,
    prompt: r.prompt,
    messages: r.messages ? r.messages.map((x) => ({ role: x.role, content: x.content })) : null,
    response_a: r.responseA,
    response_b: r.responseB,
    model_a: r.modelA ?? null,
    model_b: r.modelB ?? null,
    label: m.label,
    winner: winnerOf(m.label),
    label_source: m.source,
    routed: m.routed,
    gain: m.gain,
    pref_human: m.human,
    human_from: m.humanFrom,
    human_votes: m.used.map((a) => a.overall),
    pref_lm: m.lm,
    lm_judge: r.lmJudge ?? null,
    annotations: [...m.annotations],
    original_pref_human: r.human?.value ?? null,
    original_human_votes: r.humanVotes ? r.humanVotes.map((v) => v.value) : null,
    hyper_tags: hyperTags ? [...hyperTags] : null,
    descriptive_tags: r.tags ? { ...r.tags } : null,
    scores: r.scores ? ({ ...r.scores } as Record<string, number>) : null,
    extra: r.extra,
  };
}
