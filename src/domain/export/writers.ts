// Format writers: merged records in, file bytes out, chunk by chunk. A worker pushes each merged chunk and posts
// (or writes) the bytes that come back; nothing holds the whole file.
import type { MergedRecord } from '../merge/merge';
import { csvHeader, csvRow } from './csv';
import { FORMAT_INFO, type ExportFormat } from './formats';
import { FullParquetEncoder, type ParquetOptions } from './parquet';
import { FULL_COLUMNS, fullRow, trlConversationalRow, trlRow, type FullRow } from './rows';
import { hasLoneSurrogate, noTextFixes, type TextFixes } from './text-fixes';

export interface WriterStats {
  /** Rows written to the file. */
  rows: number;
  /** Ties the format could not express (TRL), left out. */
  skippedTies: number;
  /** Bytes produced so far. */
  bytes: number;
  /** What had to change in text to write it (CSV and Parquet; JSON lines change nothing). */
  textFixes: TextFixes;
}

export interface FormatWriter {
  readonly format: ExportFormat;
  /** Adds merged records (dataset order); returns the bytes ready so far, possibly none. */
  push(records: readonly MergedRecord[]): Uint8Array[];
  /** Ends the file; returns its last bytes. */
  finish(): Uint8Array[];
  readonly stats: Readonly<WriterStats>;
}

export interface WriterOptions {
  /** The instance's HyPER tag ids for the full record (e.g. `tagsOf(tagSet.tagBits, m.idx)`). */
  hyperTags?: (m: MergedRecord) => readonly string[] | undefined;
  parquet?: ParquetOptions;
  /** CSV: prefix text cells a spreadsheet would run as formulas with an apostrophe (default true; see csv.ts). */
  csvGuardFormulas?: boolean;
}

export function createFormatWriter(format: ExportFormat, options: WriterOptions = {}): FormatWriter {
  if (!(format in FORMAT_INFO)) throw new Error(`unknown export format "${String(format)}"`);
  if (format === 'parquet') return new ParquetFormatWriter(options);
  return new TextFormatWriter(format, options);
}

class TextFormatWriter implements FormatWriter {
  readonly stats: WriterStats = { rows: 0, skippedTies: 0, bytes: 0, textFixes: noTextFixes() };
  private readonly encoder = new TextEncoder();
  private started = false;

  constructor(
    readonly format: Exclude<ExportFormat, 'parquet'>,
    private readonly options: WriterOptions,
  ) {}

  push(records: readonly MergedRecord[]): Uint8Array[] {
    let text = this.start();
    for (const m of records) {
      const line = this.line(m);
      if (line === null) {
        this.stats.skippedTies++;
        continue;
      }
      text += line;
      this.stats.rows++;
    }
    return this.emit(text);
  }

  finish(): Uint8Array[] {
    return this.emit(this.start());
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return this.format === 'csv' ? csvHeader() : '';
  }

  private line(m: MergedRecord): string | null {
    switch (this.format) {
      case 'trl': {
        const row = trlRow(m);
        return row && `${JSON.stringify(row)}\n`;
      }
      case 'trl-conversational': {
        const row = trlConversationalRow(m);
        return row && `${JSON.stringify(row)}\n`;
      }
      case 'full':
        return `${JSON.stringify(fullRow(m, this.options.hyperTags?.(m)))}\n`;
      case 'csv':
        return csvRow(fullRow(m, this.options.hyperTags?.(m)), this.stats.textFixes, {
          guardFormulas: this.options.csvGuardFormulas ?? true,
        });
    }
  }

  private emit(text: string): Uint8Array[] {
    if (text === '') return [];
    const bytes = this.encoder.encode(text);
    this.stats.bytes += bytes.length;
    return [bytes];
  }
}

class ParquetFormatWriter implements FormatWriter {
  readonly format = 'parquet' as const;
  readonly stats: WriterStats = { rows: 0, skippedTies: 0, bytes: 0, textFixes: noTextFixes() };
  private readonly encoder: FullParquetEncoder;

  constructor(private readonly options: WriterOptions) {
    this.encoder = new FullParquetEncoder(options.parquet);
  }

  push(records: readonly MergedRecord[]): Uint8Array[] {
    this.stats.rows += records.length;
    const rows = records.map((m) => fullRow(m, this.options.hyperTags?.(m)));
    for (const r of rows) this.countSurrogates(r);
    return this.count(this.encoder.push(rows));
  }

  finish(): Uint8Array[] {
    return this.count(this.encoder.finish());
  }

  /** Text cells are written as UTF-8, where an unpaired surrogate becomes U+FFFD: counted for the manifest. */
  private countSurrogates(row: FullRow): void {
    for (const c of FULL_COLUMNS) {
      const v = row[c.name];
      if (c.kind === 'string' && typeof v === 'string' && hasLoneSurrogate(v)) this.stats.textFixes.loneSurrogates++;
    }
  }

  private count(chunks: Uint8Array[]): Uint8Array[] {
    for (const c of chunks) this.stats.bytes += c.length;
    return chunks;
  }
}
