// Incremental CSV/TSV reader after RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF,
// and a header row. Text arrives in slices of any size, so every state that a slice boundary can split
// (a quote that may be doubled, a CR that may be followed by LF) is carried to the next slice.
import { setOwnField } from './own-field';
import type { TableSink } from './types';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Reads delimited text pushed as decoded slices; a row is numbered by the 1-based line where it starts. */
export class CsvReader {
  private readonly delim: number;
  private header: string[] | null = null;
  private record: string[] = [];
  private field = '';
  private fieldStarted = false;
  private quotedInRecord = false;
  private inQuotes = false;
  private quoteLine = 0;
  /** A '"' ended the previous slice inside a quoted field: it is either a doubled quote or the closing one. */
  private pendingQuote = false;
  /** A CR ended the previous slice: an LF starting this slice belongs to it. */
  private pendingCR = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  rows = 0;

  constructor(
    private readonly sink: TableSink,
    delimiter: string = ',',
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** The header's column names (after de-duplication), once read. */
  get columns(): readonly string[] | null {
    return this.header;
  }

  /** Feeds the next slice of decoded text. */
  push(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    if (!this.started && n > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCR && i < n) {
      this.pendingCR = false;
      if (chunk.charCodeAt(i) === LF) i++;
    }
    if (this.pendingQuote && i < n) {
      this.pendingQuote = false;
      if (chunk.charCodeAt(i) === QUOTE) {
        this.field += '"';
        i++;
      } else {
        this.inQuotes = false;
      }
    }
    const delim = this.delim;
    while (i < n) {
      if (this.inQuotes) {
        const q = chunk.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.countLines(chunk, i, end);
        this.field += chunk.slice(i, end);
        if (q === -1) return;
        if (q + 1 === n) {
          this.pendingQuote = true;
          return;
        }
        if (chunk.charCodeAt(q + 1) === QUOTE) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          i = q + 1;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        this.quotedInRecord = true;
        this.quoteLine = this.line;
        i++;
        continue;
      }
      // A run of ordinary characters; a quote inside an unquoted field is taken literally.
      let j = i;
      while (j < n) {
        const d = chunk.charCodeAt(j);
        if (d === delim || d === LF || d === CR) break;
        j++;
      }
      if (j > i) {
        this.field += chunk.slice(i, j);
        this.fieldStarted = true;
        i = j;
        if (i >= n) break;
      }
      const d = chunk.charCodeAt(i);
      if (d === delim) {
        this.endField();
        i++;
        continue;
      }
      this.endField();
      this.endRecord();
      if (d === CR) {
        if (i + 1 < n) {
          if (chunk.charCodeAt(i + 1) === LF) i++;
        } else {
          this.pendingCR = true;
        }
      }
      i++;
      this.line++;
      this.recordLine = this.line;
    }
  }

  /** Ends the input: reads a last record without a line break, reports an unterminated quote. */
  end(): void {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) {
      this.sink.problem({
        row: this.recordLine,
        reason: `unterminated quoted field: the quote opened on line ${this.quoteLine} is never closed`,
      });
      this.reset();
      return;
    }
    if (this.fieldStarted || this.record.length > 0) {
      this.endField();
      this.endRecord();
    }
  }

  private countLines(text: string, from: number, to: number): void {
    for (let k = text.indexOf('\n', from); k !== -1 && k < to; k = text.indexOf('\n', k + 1)) this.line++;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(): void {
    const record = this.record;
    const blank = record.length === 1 && record[0] === '' && !this.quotedInRecord;
    this.reset();
    if (blank) return;
    if (this.header === null) {
      this.header = headerNames(record);
      return;
    }
    if (record.length !== this.header.length) {
      this.sink.problem({ row: this.recordLine, reason: `expected ${this.header.length} fields, found ${record.length}` });
      return;
    }
    const value: Record<string, unknown> = {};
    for (let k = 0; k < record.length; k++) setOwnField(value, this.header[k]!, record[k]);
    this.rows++;
    this.sink.row({ row: this.recordLine, value });
  }

  private reset(): void {
    this.record = [];
    this.field = '';
    this.fieldStarted = false;
    this.quotedInRecord = false;
    this.inQuotes = false;
  }
}

// Empty names become column_<n>; repeated names get a suffix so no cell is overwritten.
function headerNames(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, k) => {
    const base = cell.trim() === '' ? `column_${k + 1}` : cell.trim();
    let name = base;
    for (let copy = 2; seen.has(name); copy++) name = `${base}_${copy}`;
    seen.add(name);
    return name;
  });
}
