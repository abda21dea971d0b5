// The validation report shown before anything is stored.
import type { Preference } from '../labels';
import type { RowProblem, LayoutId, TableFormat } from './types';

export interface RowWarning {
  row: number;
  message: string;
}

export interface LayoutGuess {
  shape: LayoutId;
  score: number;
}

export interface ImportReport {
  fileName: string;
  format: TableFormat;
  compressed: boolean;
  shape: LayoutId;
  /** Column names seen in the file (union over rows), in first-seen order. */
  columns: string[];
  rowsRead: number;
  importable: number;
  /** Every rejected row with its line/row number and the reason, in file order. */
  rejected: RowProblem[];
  warnings: RowWarning[];
  /** About the file as a whole (e.g. it was not UTF-8 and was read as Windows-1252); absent in reports stored before. */
  notes?: string[];
  withLmLabel: number;
  withHumanLabel: number;
  lmCounts: Record<Preference, number>;
  humanCounts: Record<Preference, number>;
  withModelNames: number;
  withTags: number;
  withScores: number;
  withMessages: number;
}
