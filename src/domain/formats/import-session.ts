// One file being imported: the rows as read, and the two passes over them that a shape and options allow:
// `evaluate` (the report, keeping no records) and `records` (exactly the importable records, in file order).
import type { PairRecord } from '../instance';
import { PREFERENCES, type Preference } from '../labels';
import { readTable, type ReadTableOptions } from './container';
import type { ImportReport, RowWarning, LayoutGuess } from './report';
import { checkMappingColumns } from './layout-custom';
import { recogniseLayouts, layoutById } from './layouts';
import type { MapOptions, RawRow, RowProblem, LayoutId, TableFormat, TableSink } from './types';

export interface ImportMeta {
  fileName: string;
  format: TableFormat;
  compressed: boolean;
  /** File-level notes from reading it (readTable's). */
  notes?: string[];
}

/** A distinct value of a column: `value` is String(original), the key LabelReading.valueMap uses. */
export interface DistinctValue {
  value: string;
  count: number;
  original: unknown;
}

/** How many rows recognition looks at. */
export const RECOGNITION_SAMPLE = 50;

type Outcome = { row: number; ok: true; record: PairRecord; warnings: string[] } | { row: number; ok: false; reason: string };

/** Collects a file's rows (as a TableSink) and maps them under a chosen shape. */
export class ImportSession implements TableSink {
  readonly rows: RawRow[] = [];
  readonly problems: RowProblem[] = [];
  private readonly columnList: string[] = [];
  private readonly columnSet = new Set<string>();
  meta: ImportMeta | undefined;

  /** Reads a file into a new session (see readTable for the errors it throws). */
  static async read(bytes: Uint8Array, fileName: string, opts: ReadTableOptions = {}): Promise<ImportSession> {
    const session = new ImportSession();
    const { format, compressed, notes } = await readTable(bytes, fileName, session, opts);
    session.meta = { fileName, format, compressed, notes };
    return session;
  }

  /** Forgets what was read (readTable reads the file again, in another encoding). */
  reset(): void {
    this.rows.length = 0;
    this.problems.length = 0;
    this.columnList.length = 0;
    this.columnSet.clear();
  }

  row(row: RawRow): void {
    this.rows.push(row);
    for (const key in row.value) {
      if (!this.columnSet.has(key)) {
        this.columnSet.add(key);
        this.columnList.push(key);
      }
    }
  }

  problem(problem: RowProblem): void {
    this.problems.push(problem);
  }

  /** Column names over all rows, in first-seen order. */
  columns(): string[] {
    return [...this.columnList];
  }

  /** The shapes that fit this file, best first (empty: ask for a column mapping). */
  recognise(): LayoutGuess[] {
    return recogniseLayouts(this.columnSet, this.rows.slice(0, RECOGNITION_SAMPLE));
  }

  /** Maps every row under a shape and options and reports the outcome without keeping the records. */
  evaluate(shape: LayoutId, options: MapOptions, meta: ImportMeta | undefined = this.meta): ImportReport {
    if (!meta) throw new Error('evaluate needs the file name, format and compression of the file');
    const lmCounts = zeroCounts();
    const humanCounts = zeroCounts();
    const report: ImportReport = {
      fileName: meta.fileName,
      format: meta.format,
      compressed: meta.compressed,
      shape,
      columns: [...this.columnList],
      rowsRead: this.rows.length + this.problems.length,
      importable: 0,
      rejected: [],
      warnings: [],
      notes: [...(meta.notes ?? [])],
      withLmLabel: 0,
      withHumanLabel: 0,
      lmCounts,
      humanCounts,
      withModelNames: 0,
      withTags: 0,
      withScores: 0,
      withMessages: 0,
    };
    const mappingRejects: RowProblem[] = [];
    const warnings: RowWarning[] = report.warnings;
    for (const outcome of this.outcomes(shape, options)) {
      if (!outcome.ok) {
        mappingRejects.push({ row: outcome.row, reason: outcome.reason });
        continue;
      }
      const r = outcome.record;
      report.importable++;
      for (const message of outcome.warnings) warnings.push({ row: outcome.row, message });
      if (r.lm) {
        report.withLmLabel++;
        lmCounts[r.lm.value]++;
      }
      if (r.human) {
        report.withHumanLabel++;
        humanCounts[r.human.value]++;
      }
      if (r.modelA !== undefined || r.modelB !== undefined) report.withModelNames++;
      if (r.tags) report.withTags++;
      if (r.scores) report.withScores++;
      if (r.messages) report.withMessages++;
    }
    report.rejected = mergeByRow(this.problems, mappingRejects);
    return report;
  }

  /** The importable records in file order, under the same rules as `evaluate` (so as many as report.importable). */
  *records(shape: LayoutId, options: MapOptions): Generator<PairRecord> {
    for (const outcome of this.outcomes(shape, options)) {
      if (outcome.ok) yield outcome.record;
    }
  }

  /** The distinct values of a column with counts, most frequent first (missing cells are not counted). */
  distinctValues(column: string, limit = 50): DistinctValue[] {
    const byKey = new Map<string, DistinctValue>();
    for (const { value } of this.rows) {
      const cell = value[column];
      if (cell === undefined || cell === null || cell === '') continue;
      const key = typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
      const seen = byKey.get(key);
      if (seen) seen.count++;
      else byKey.set(key, { value: key, count: 1, original: cell });
    }
    // Sort is stable: equal counts stay in first-seen order.
    return [...byKey.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }

  /** The first n rows as read. */
  sampleRows(n: number): RawRow[] {
    return this.rows.slice(0, n);
  }

  private *outcomes(layoutId: LayoutId, options: MapOptions): Generator<Outcome> {
    if (layoutId === 'custom') checkMappingColumns(options.mapping, this.columnList);
    const shape = layoutById(layoutId);
    const firstRowOfId = new Map<string, number>();
    for (const raw of this.rows) {
      const result = shape.map(raw, options);
      if (!result.ok) {
        yield { row: raw.row, ok: false, reason: result.reason };
        continue;
      }
      const id = result.record.id;
      const first = firstRowOfId.get(id);
      if (first !== undefined) {
        yield { row: raw.row, ok: false, reason: `duplicate id "${id}" (first seen at row ${first})` };
        continue;
      }
      firstRowOfId.set(id, raw.row);
      yield { row: raw.row, ok: true, record: result.record, warnings: result.warnings };
    }
  }
}

function zeroCounts(): Record<Preference, number> {
  return Object.fromEntries(PREFERENCES.map((p) => [p, 0])) as Record<Preference, number>;
}

// Array sort is stable: a read problem stays before a mapping reject of the same row.
function mergeByRow(a: readonly RowProblem[], b: readonly RowProblem[]): RowProblem[] {
  return [...a, ...b].sort((x, y) => x.row - y.row);
}
