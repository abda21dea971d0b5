// Reading the files that come back from reward-model training: a counts CSV (candidate id + tag counts under
// the paper's feature strings, as written by the candidate generator) and a results CSV (a score column such
// as `Overall`, plus either a candidate id to join with the counts or the count columns themselves, as the
// paper's pipeline writes them). Problems are errors naming the file, the 1-based line and the column.
import { TAG_IDS, TAG_INDEX } from '../tags/tags';
import { CsvReader } from '../formats/csv-reader';
import type { RawRow, RowProblem } from '../formats/types';
import { PpmLabError } from './errors';
import type { FitData } from './fit';

/** Column names accepted as the candidate id, in order of preference. */
export const ID_COLUMNS = ['candidate_id', 'id', 'candidate'] as const;

interface Table {
  columns: string[];
  rows: RawRow[];
}

function readCsv(text: string, file: string, watched: readonly string[] = []): Table {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n'))) || text;
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const reader = new CsvReader({ row: (r) => rows.push(r), problem: (p) => problems.push(p) }, delimiter);
  reader.push(text);
  reader.end();
  const first = problems[0];
  if (first) throw new PpmLabError('bad-results', `${file} line ${first.row}: ${first.reason}`, first.row);
  const columns = [...(reader.columns ?? [])];
  if (columns.length === 0) throw new PpmLabError('bad-results', `${file} is empty: expected a header line`);
  // The reader renames a repeated header to NAME_2; a repeated column is a mistake here.
  for (const c of columns) {
    const m = /^(.*)_(\d+)$/.exec(c);
    if (
      m &&
      columns.includes(m[1]!) &&
      (TAG_INDEX.has(m[1]!) || (ID_COLUMNS as readonly string[]).includes(m[1]!) || watched.includes(m[1]!))
    ) {
      throw new PpmLabError('bad-results', `${file} line 1: column "${m[1]}" appears more than once`, 1);
    }
  }
  return { columns, rows };
}

function numberCell(raw: unknown, file: string, line: number, column: string, what: string, nonNegative: boolean): number {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (s === '') throw new PpmLabError('bad-results', `${file} line ${line}: column "${column}" is empty, expected ${what}`, line);
  const v = Number(s);
  if (!Number.isFinite(v) || (nonNegative && v < 0)) {
    throw new PpmLabError(
      'bad-results',
      `${file} line ${line}: column "${column}" is "${s.length > 30 ? `${s.slice(0, 30)}…` : s}", expected ${what}`,
      line,
    );
  }
  return v;
}

/** Feature columns of a header: known feature strings in header order; a '::' column that is unknown is an error. */
function featureColumns(columns: readonly string[], file: string): string[] {
  const out: string[] = [];
  for (const c of columns) {
    if (TAG_INDEX.has(c)) out.push(c);
    else if (c.includes('::'))
      throw new PpmLabError(
        'bad-results',
        `${file} line 1: column "${c}" looks like a feature but is not one of the HyPER feature strings (the paper's 90 and the 6 judge features)`,
        1,
      );
  }
  return out;
}

function idColumnOf(columns: readonly string[], wanted?: string): string | undefined {
  if (wanted !== undefined) return columns.includes(wanted) ? wanted : undefined;
  return ID_COLUMNS.find((c) => columns.includes(c));
}

/** Tag counts by candidate id. */
export interface CountsTable {
  ids: string[];
  /** Feature strings, the column order of X. */
  features: string[];
  /** ids.length x features.length raw counts. */
  X: Float64Array;
  /** id -> row. */
  byId: Map<string, number>;
}

/** Reads counts.csv: an id column and feature columns (the paper's strings; every other column is an error). */
export function parseCountsCsv(text: string, file = 'counts.csv'): CountsTable {
  const { columns, rows } = readCsv(text, file);
  const idColumn = idColumnOf(columns);
  if (!idColumn)
    throw new PpmLabError('bad-results', `${file} line 1: no candidate id column (expected one of ${ID_COLUMNS.join(', ')})`, 1);
  const features = featureColumns(columns, file);
  if (features.length === 0)
    throw new PpmLabError(
      'bad-results',
      `${file} line 1: no feature columns (expected the paper's feature strings, e.g. "${TAG_IDS[0]}")`,
      1,
    );
  const extra = columns.filter((c) => c !== idColumn && !TAG_INDEX.has(c));
  if (extra.length > 0)
    throw new PpmLabError(
      'bad-results',
      `${file} line 1: unexpected column "${extra[0]}" (a counts file holds an id and feature columns only)`,
      1,
    );
  const F = features.length;
  const X = new Float64Array(rows.length * F);
  const ids: string[] = [];
  const byId = new Map<string, number>();
  const lineOf = new Map<string, number>();
  rows.forEach((r, a) => {
    const id = String(r.value[idColumn] ?? '').trim();
    if (id === '') throw new PpmLabError('bad-results', `${file} line ${r.row}: the candidate id is empty`, r.row);
    const first = lineOf.get(id);
    if (first !== undefined)
      throw new PpmLabError('bad-results', `${file} line ${r.row}: candidate "${id}" appears again (first on line ${first})`, r.row);
    lineOf.set(id, r.row);
    byId.set(id, a);
    ids.push(id);
    features.forEach((f, c) => (X[a * F + c] = numberCell(r.value[f], file, r.row, f, 'a count >= 0', true)));
  });
  return { ids, features, X, byId };
}

export interface ResultsOptions {
  /** Score column to fit (e.g. "Overall", "proxy_accuracy"). */
  score: string;
  /** The run's counts, joined on the candidate id. When absent, the results must hold the count columns. */
  counts?: CountsTable;
  /** Id column (default: the first of ID_COLUMNS present). */
  idColumn?: string;
  file?: string;
  countsFile?: string;
}

export interface ResultsData extends FitData {
  score: string;
  /** Where the counts came from. */
  source: 'joined' | 'columns';
  /** Counts rows without a result (joined mode): not fitted. */
  unscored: string[];
}

/**
 * Reads a results CSV into fitting rows. With `counts`, rows are joined on the candidate id (every id must be
 * in the counts file); without, the results must hold feature columns, which are used as they are.
 */
export function parseResultsCsv(text: string, opts: ResultsOptions): ResultsData {
  const file = opts.file ?? 'results.csv';
  const countsFile = opts.countsFile ?? 'counts.csv';
  const { columns, rows } = readCsv(text, file, [opts.score]);
  const score = opts.score;
  if (!columns.includes(score)) {
    throw new PpmLabError(
      'bad-results',
      `${file} line 1: no score column "${score}" (columns: ${columns.slice(0, 8).join(', ')}${columns.length > 8 ? ', …' : ''})`,
      1,
    );
  }
  const idColumn = idColumnOf(columns, opts.idColumn);
  if (opts.idColumn !== undefined && !idColumn) throw new PpmLabError('bad-results', `${file} line 1: no id column "${opts.idColumn}"`, 1);
  const inline = featureColumns(columns, file);
  if (rows.length === 0) throw new PpmLabError('too-few-rows', `${file} has a header but no rows`);
  const y = new Float64Array(rows.length);
  const ids: string[] = [];
  const lineOf = new Map<string, number>();
  const readId = (r: RawRow): string => {
    const id = String(r.value[idColumn!] ?? '').trim();
    if (id === '') throw new PpmLabError('bad-results', `${file} line ${r.row}: the candidate id is empty`, r.row);
    const first = lineOf.get(id);
    if (first !== undefined)
      throw new PpmLabError('bad-results', `${file} line ${r.row}: candidate "${id}" appears again (first on line ${first})`, r.row);
    lineOf.set(id, r.row);
    return id;
  };

  if (opts.counts) {
    if (!idColumn) {
      throw new PpmLabError(
        'bad-results',
        `${file} line 1: no candidate id column (expected one of ${ID_COLUMNS.join(', ')}) to join with ${countsFile}`,
        1,
      );
    }
    const counts = opts.counts;
    const F = counts.features.length;
    const X = new Float64Array(rows.length * F);
    rows.forEach((r, a) => {
      const id = readId(r);
      const at = counts.byId.get(id);
      if (at === undefined) throw new PpmLabError('bad-results', `${file} line ${r.row}: candidate "${id}" is not in ${countsFile}`, r.row);
      X.set(counts.X.subarray(at * F, (at + 1) * F), a * F);
      y[a] = numberCell(r.value[score], file, r.row, score, 'a number', false);
      ids.push(id);
    });
    const unscored = counts.ids.filter((id) => !lineOf.has(id));
    return { features: counts.features, X, y, n: rows.length, ids, score, source: 'joined', unscored };
  }

  if (inline.length === 0) {
    throw new PpmLabError(
      'bad-results',
      `${file} line 1: no count columns (the paper's feature strings) and no counts file to join with${idColumn ? ` on "${idColumn}"` : ''}: pass the run's counts.csv`,
      1,
    );
  }
  const F = inline.length;
  const X = new Float64Array(rows.length * F);
  rows.forEach((r, a) => {
    if (idColumn) ids.push(readId(r));
    inline.forEach((f, c) => (X[a * F + c] = numberCell(r.value[f], file, r.row, f, 'a count >= 0', true)));
    y[a] = numberCell(r.value[score], file, r.row, score, 'a number', false);
  });
  return { features: inline, X, y, n: rows.length, ...(idColumn ? { ids } : {}), score, source: 'columns', unscored: [] };
}
