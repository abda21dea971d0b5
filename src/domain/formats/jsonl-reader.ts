// Incremental JSON-lines reader: text arrives in slices of any size; every complete line is parsed on its own.
import { describeJsonFailure, describeJsonKind, lineAndColumn } from './json-syntax';
import type { TableSink } from './types';

/** Reads JSON lines pushed as decoded text slices; rows are numbered by 1-based line. */
export class JsonlReader {
  private carry = '';
  private line = 0;
  private started = false;
  rows = 0;

  constructor(private readonly sink: TableSink) {}

  /** Feeds the next slice of decoded text. */
  push(text: string): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const buffer = this.carry.length === 0 ? text : this.carry + text;
    let start = 0;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
      this.takeLine(buffer.slice(start, nl));
      start = nl + 1;
    }
    this.carry = start === 0 ? buffer : buffer.slice(start);
  }

  /** Reads the last line when the file does not end with a line break. */
  end(): void {
    if (this.carry.length > 0) this.takeLine(this.carry);
    this.carry = '';
  }

  private takeLine(raw: string): void {
    this.line++;
    const text = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    if (text.length === 0 || (isSpace(text.charCodeAt(0)) && text.trim().length === 0)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.sink.problem({ row: this.line, reason: `invalid JSON: ${jsonLineError(text, error)}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.sink.problem({ row: this.line, reason: `expected a JSON object, found ${describeJsonKind(value)}` });
      return;
    }
    this.rows++;
    this.sink.row({ row: this.line, value: value as Record<string, unknown> });
  }
}

function jsonLineError(text: string, error: unknown): string {
  const { position, message } = describeJsonFailure(text, error);
  if (position === null) return message;
  return `${message} (column ${lineAndColumn(text, position).column})`;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0xa0 || c === 0xfeff;
}
