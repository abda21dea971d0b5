import type { ImportReport, LayoutGuess } from '../domain/formats/report';
import type { MapOptions, RowProblem, LayoutId, TableFormat } from '../domain/formats/types';

export interface InspectResult {
  sessionId: string;
  fileName: string;
  format: TableFormat;
  compressed: boolean;
  contentHash: string;
  columns: string[];
  guesses: LayoutGuess[];
  /** The first rows as read, for the column-mapping screen. */
  sample: Record<string, unknown>[];
  /** The report under the best recognised shape; null when no shape fits (the user maps columns). */
  report: ImportReport | null;
  /** About the file as a whole (readTable's notes). */
  notes: string[];
  /** Rows the reader could not read (syntax errors), the first 50, with their lines. */
  readProblems: RowProblem[];
  /** Rows read as records (before any layout). */
  rowsRead: number;
}

export interface DistinctValue {
  value: string;
  count: number;
}

export type ImportRequest =
  | { type: 'inspect'; id: number; file: Blob; fileName: string }
  | { type: 'evaluate'; id: number; sessionId: string; shape: LayoutId; options: MapOptions }
  | { type: 'distinct'; id: number; sessionId: string; column: string; limit: number }
  | {
      type: 'commit';
      id: number;
      sessionId: string;
      shape: LayoutId;
      options: MapOptions;
      projectId: string;
      datasetName: string;
    }
  | { type: 'discard'; id: number; sessionId: string }
  /** Writes the built-in demo project from its JSONL text (once, unless forced). */
  | { type: 'seed-demo'; id: number; text: string; fileName: string; force: boolean }
  /** Restores a project backup (a zip made by the export worker's 'backup'). */
  | { type: 'restore'; id: number; file: Blob; fileName: string };

export interface ImportResults {
  inspect: InspectResult;
  evaluate: ImportReport;
  distinct: DistinctValue[];
  commit: { datasetId: string; rowCount: number };
  discard: null;
  'seed-demo': { projectId: string | null };
  /** copy: the project was still here, so the backup became a copy beside it. */
  restore: { projectId: string; name: string; copy: boolean; pairs: number; annotations: number };
}
