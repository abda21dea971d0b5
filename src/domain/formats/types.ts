// Contracts shared by the table readers, the shape recognisers and the import report.
import type { PairRecord } from '../instance';
import type { LabelReading } from '../labels';

export type TableFormat = 'jsonl' | 'json' | 'csv' | 'tsv' | 'parquet';

/** A row as read from a file, before any shape is applied. `row` is the 1-based line (JSONL, CSV) or row number. */
export interface RawRow {
  row: number;
  value: Record<string, unknown>;
}

/** A row that could not even be read (bad JSON, wrong column count, not an object). */
export interface RowProblem {
  row: number;
  reason: string;
}

export interface TableSink {
  row(row: RawRow): void;
  problem(problem: RowProblem): void;
  /** Forgets everything received so far (the file is read again, e.g. in another text encoding). */
  reset?(): void;
}

/** Which shape a file is in. `custom` is read through a column mapping chosen by the user. */
export type LayoutId = 'pairs' | 'hyper-multipref' | 'trl-string' | 'trl-conversational' | 'arena' | 'anthropic-hh' | 'custom';

export const LAYOUT_TEXT: Record<LayoutId, string> = {
  pairs: 'Pairs (id, prompt, response_a/b, pref_human, pref_lm)',
  'hyper-multipref': 'HyPER / MultiPref (text, completion_a/b, pref_human, pref_gpt4)',
  'trl-string': 'TRL preference (prompt, chosen, rejected as text)',
  'trl-conversational': 'TRL conversational (chosen/rejected as message lists)',
  arena: 'Chatbot Arena (response_a/b or conversation_a/b, winner columns)',
  'anthropic-hh': 'Anthropic HH transcripts (chosen/rejected dialogues)',
  custom: 'Custom column mapping',
};

/** The user's column mapping for files no recogniser knows. Column names are the file's keys. */
export interface ColumnMapping {
  id?: string;
  /** One or more columns, joined with a blank line (e.g. instruction + input). */
  prompt: string[];
  responseA: string;
  responseB: string;
  modelA?: string;
  modelB?: string;
  lmLabel?: string;
  lmReading?: LabelReading;
  /** Each column is one human vote; the human label is their majority (strength collapsed). */
  humanLabels?: string[];
  humanReading?: LabelReading;
  /** The judge's name to record with LM labels. */
  lmJudge?: string;
}

/** Where a chosen/rejected label came from: TRL files do not say, so the user tells us. */
export type LabelSource = 'lm' | 'human';

export interface MapOptions {
  /** Seed for the coin that places TRL's chosen response on A or B. */
  seed: number;
  /** Source of chosen/rejected labels (TRL, HH). */
  chosenLabelSource: LabelSource;
  /** Reject pairs whose response is empty (default: keep them, with a warning). */
  rejectEmptyResponses: boolean;
  /** Readings for label columns of recognised shapes, when the user overrode them. */
  lmReading?: LabelReading;
  humanReading?: LabelReading;
  mapping?: ColumnMapping;
}

export const DEFAULT_MAP_OPTIONS: MapOptions = {
  seed: 1,
  chosenLabelSource: 'lm',
  rejectEmptyResponses: false,
};

export type MapResult = { ok: true; record: PairRecord; warnings: string[] } | { ok: false; reason: string };

/** A recognised shape: how well it fits the columns, and how to map one row of it. */
export interface Layout {
  id: LayoutId;
  /** 0 = does not fit; higher is a better fit. Decided from column names and a sample of rows. */
  score(columns: ReadonlySet<string>, sample: readonly RawRow[]): number;
  map(row: RawRow, options: MapOptions): MapResult;
}
