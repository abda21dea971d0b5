// Pure helpers of the PPM-lab area: reading the settings people type, the files it offers for download, and
// turning this session's candidates and PROXY results into what the fitter takes.
import { TAG_COUNT, TAG_IDS, TAG_INDEX } from '../../domain/tags/tags';
import { CsvReader } from '../../domain/formats/csv-reader';
import {
  CANDIDATE_ID_COLUMN,
  countsCsvHeader,
  countsCsvLine,
  csvField,
  ID_COLUMNS,
  PROXY_SCORE_COLUMN,
  type CountsTable,
  type FitData,
  type FitResult,
} from '../../domain/ppm-lab';

/** Parses a budget list such as "0.1, 0.25, 50%" into fractions of the pool. */
export function parseBudgetList(text: string): { budgets: number[] } | { error: string } {
  const parts = text.split(/[,\s;]+/).filter(Boolean);
  if (parts.length === 0) return { error: 'Give at least one budget (a fraction such as 0.25, or a percentage such as 25%).' };
  const budgets: number[] = [];
  for (const p of parts) {
    const percent = p.endsWith('%');
    const body = percent ? p.slice(0, -1) : p;
    const v = /^(\d+(\.\d*)?|\.\d+)$/.test(body) ? Number(body) / (percent ? 100 : 1) : Number.NaN;
    if (!(v >= 0 && v <= 1)) return { error: `"${p}" is not a budget: expected a fraction between 0 and 1 (0.25) or a percentage (25%).` };
    budgets.push(v);
  }
  return { budgets };
}

/** The header of a results CSV and the columns in it that can be the score (not an id, not a count column). */
export function resultsColumns(text: string): { columns: string[]; scores: string[] } {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  const delimiter = first.includes('\t') && !first.includes(',') ? '\t' : ',';
  const reader = new CsvReader({ row: () => undefined, problem: () => undefined }, delimiter);
  reader.push(first);
  reader.end();
  const columns = [...(reader.columns ?? [])];
  const ids: readonly string[] = ID_COLUMNS;
  return { columns, scores: columns.filter((c) => !ids.includes(c) && !TAG_INDEX.has(c) && !c.includes('::')) };
}

/** The score column to preselect: the paper's Overall, else the proxy's, else the first. */
export function defaultScoreColumn(scores: readonly string[]): string | undefined {
  return scores.find((c) => c === 'Overall') ?? scores.find((c) => c === PROXY_SCORE_COLUMN) ?? scores[0];
}

const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** The name a fitted PPM is stored under (what the Route area lists). */
export function fittedPpmName(fit: Pick<FitResult, 'kind' | 'cv'>, score: string): string {
  return `Fitted ${fit.kind} PPM (${score}, CV ρ ${fixed(fit.cv.spearman.mean, 2)})`;
}

/** File name of a fitted PPM's download. */
export function fittedPpmFileName(fit: Pick<FitResult, 'kind'>, score: string): string {
  return `ppm-${fit.kind}-${score.replace(/[^\w.-]+/g, '_')}.onnx`;
}

/** Per-candidate numbers of a session run: the ids and their K x TAG_COUNT counts, row-major. */
export interface SessionCounts {
  ids: readonly string[];
  counts: Int32Array;
}

/** counts.csv text (the generator's own format). */
export function countsCsv(t: SessionCounts): string {
  const lines = [countsCsvHeader()];
  t.ids.forEach((id, i) => lines.push(countsCsvLine({ id, counts: t.counts.subarray(i * TAG_COUNT, (i + 1) * TAG_COUNT) })));
  return `${lines.join('\n')}\n`;
}

/** The session's candidates as a counts table, for joining a results CSV on the candidate id. */
export function countsTableOf(t: SessionCounts): CountsTable {
  return { ids: [...t.ids], features: [...TAG_IDS], X: Float64Array.from(t.counts), byId: new Map(t.ids.map((id, i) => [id, i])) };
}

export interface ProxyRow {
  id: string;
  accuracy: number;
  trainAccuracy: number;
  humanInMix: number;
  mixSize: number;
  counts: Int32Array;
}

/** results.csv of the proxy, the columns `hyper candidates --proxy` writes. */
export function proxyResultsCsv(rows: readonly ProxyRow[]): string {
  const lines = [[CANDIDATE_ID_COLUMN, PROXY_SCORE_COLUMN, 'proxy_train_accuracy', 'human_in_mix', 'mix_size'].join(',')];
  for (const r of rows) lines.push([csvField(r.id), r.accuracy, r.trainAccuracy, r.humanInMix, r.mixSize].join(','));
  return `${lines.join('\n')}\n`;
}

/** The proxy results as fitting rows: the tag counts of each candidate and its proxy accuracy. */
export function fitDataFromProxy(rows: readonly ProxyRow[]): FitData & { ids: string[] } {
  const X = new Float64Array(rows.length * TAG_COUNT);
  rows.forEach((r, i) => X.set(r.counts, i * TAG_COUNT));
  return { features: [...TAG_IDS], X, y: Float64Array.from(rows, (r) => r.accuracy), n: rows.length, ids: rows.map((r) => r.id) };
}

/** A number for the report: 3 decimals, or 2 significant digits in exponent form when tiny. */
export function formatMetric(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= 10 ** -digits || x === 0 ? x.toFixed(digits) : x.toExponential(1);
}
