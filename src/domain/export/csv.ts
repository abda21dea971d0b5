// RFC 4180 CSV: fields quoted when they hold a comma, a quote, CR or LF (quotes doubled), records end in CRLF.
// Fields with leading or trailing whitespace are quoted as well, so readers that trim unquoted fields keep them.
//
// A CSV file gets opened in spreadsheets, which run a cell that starts with = + - @ (or a tab or CR) as a
// formula: untrusted text must not reach them as one. Such text cells are written with a leading apostrophe
// (the OWASP advice; spreadsheets show the text, not its result) unless the export asks for raw cells, and every
// change is counted for the manifest. NUL characters, which CSV readers choke on, become U+FFFD.
import { FULL_COLUMNS, type FullColumnKind, type FullRow } from './rows';
import { hasLoneSurrogate, type TextFixes } from './text-fixes';

const FORMULA_START = /^[=+\-@\t\r]/;

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

export interface CsvRowOptions {
  /** Prefix text cells that a spreadsheet would run as a formula with an apostrophe (default true). */
  guardFormulas?: boolean;
}

/** One CSV record of a full row; what had to change in its text cells is added to `fixes`. */
export function csvRow(row: FullRow, fixes: TextFixes, options: CsvRowOptions = {}): string {
  const guard = options.guardFormulas ?? true;
  return csvLine(
    FULL_COLUMNS.map((c) => {
      let text = cellText(row[c.name], c.kind);
      if (c.kind !== 'string' || text === '') return text;
      if (text.includes('\0')) {
        text = text.replace(/\0/g, '\uFFFD');
        fixes.nulReplaced++;
      }
      if (hasLoneSurrogate(text)) fixes.loneSurrogates++;
      if (guard && FORMULA_START.test(text)) {
        text = `'${text}`;
        fixes.formulaGuarded++;
      }
      return text;
    }),
  );
}
