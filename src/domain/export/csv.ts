// RFC 4180 CSV: fields quoted when they hold a comma, a quote, CR or LF (quotes doubled), records end in CRLF.
// Fields with leading or trailing whitespace are quoted as well, so readers that trim unquoted fields keep them.
import { FULL_COLUMNS, type FullColumnKind, type FullRow } from './rows';

export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A cell's text: null is empty, nested values are JSON, booleans true/false, numbers as JavaScript prints them. */
export function cellText(value: unknown, kind: FullColumnKind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'json') return JSON.stringify(value);
  return String(value);
}

export function csvHeader(): string {
  return csvLine(FULL_COLUMNS.map((c) => c.name));
}

export function csvRow(row: FullRow): string {
  return csvLine(FULL_COLUMNS.map((c) => cellText(row[c.name], c.kind)));
}
