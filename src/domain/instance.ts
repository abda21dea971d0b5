// The internal record every reader maps into: one prompt and two responses with their labels.
import type { Label } from './labels';

export interface Message {
  role: string;
  content: string;
}

/** The descriptive dimensions of spec 2.2, as the paper's analyzer files name them. */
export const DESCRIPTIVE_DIMENSIONS = [
  'subject_of_expertise',
  'languages',
  'expertise_level',
  'open_endedness',
  'safety_concern',
  'complexity_of_intents',
  'type_of_in_context_material',
  'format_constraints',
] as const;
export type DescriptiveDimension = (typeof DESCRIPTIVE_DIMENSIONS)[number];

/** Descriptive tags of a prompt: list-valued dimensions as lists, scalar ones as text. */
export type DescriptiveTags = Partial<Record<DescriptiveDimension, string | string[]>>;

/** The raw lexical/semantic scores of spec 2.1, by the paper's column names. */
export const SCORE_NAMES = [
  'prompt_len',
  'len_shorter',
  'len_longer',
  'token_len_diff',
  'rouge',
  'entity_sim',
  'cosine_sim',
  'bertscore',
  'bertscore_length',
] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/** One preference pair as the app stores it. */
export interface PairRecord {
  /** Unique within its dataset: the file's id when it has one, otherwise `row-<n>`. */
  id: string;
  /** Where the record came from: 1-based line (JSONL, CSV) or 1-based row (JSON array, Parquet). */
  sourceRow: number;
  prompt: string;
  /** The prompt as turns, when the source was conversational. `prompt` then holds a readable rendering. */
  messages?: Message[];
  responseA: string;
  responseB: string;
  modelA?: string;
  modelB?: string;
  /** The LM judge's label. */
  lm?: Label;
  lmJudge?: string;
  /** The human aggregate label (given by the file, or the majority of `humanVotes`). */
  human?: Label;
  humanVotes?: Label[];
  tags?: DescriptiveTags;
  scores?: Partial<Record<ScoreName, number>>;
  /** Every field of the source row that was not mapped above, kept verbatim. */
  extra: Record<string, unknown>;
}

/** Renders conversational turns as readable text ("User: ..." blocks); one user turn renders as itself. */
export function renderMessages(messages: readonly Message[]): string {
  if (messages.length === 1 && messages[0]?.role === 'user') return messages[0].content;
  return messages.map((m) => `${roleName(m.role)}: ${m.content}`).join('\n\n');
}

function roleName(role: string): string {
  return role.length === 0 ? 'Unknown' : role[0]!.toUpperCase() + role.slice(1);
}
