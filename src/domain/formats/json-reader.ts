// Whole-document JSON reader: an array of row objects, or an object wrapping one such array ({"data": [...]}).
import { ImportError } from '../errors';
import { describeJsonFailure, describeJsonKind, lineAndColumn } from './json-syntax';
import type { TableSink } from './types';

/** Parses a JSON document and sends its rows to the sink as rows 1..n. Throws ImportError on bad JSON. */
export function readJsonDocument(text: string, fileName: string, sink: TableSink): { rows: number } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError && /string length|allocation|memory/i.test(error.message)) throw tooLarge(fileName);
    const { position, message } = describeJsonFailure(text, error);
    let where = '';
    if (position !== null) {
      const { line, column } = lineAndColumn(text, position);
      where = ` at line ${line}, column ${column}`;
    }
    throw new ImportError('bad-json', `${fileName} is not valid JSON: ${message}${where}.`);
  }
  const rows = rowsOf(doc, fileName);
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const value: unknown = rows[i];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      sink.problem({ row: i + 1, reason: `expected a JSON object, found ${describeJsonKind(value)}` });
      continue;
    }
    count++;
    sink.row({ row: i + 1, value: value as Record<string, unknown> });
  }
  return { rows: count };
}

/** The error for a JSON document too large for one JS string or one parse. */
export function tooLarge(fileName: string): ImportError {
  return new ImportError('too-large', `${fileName} is too large to read as one JSON document; save it as JSON lines (.jsonl) instead.`);
}

// A wrapper object holds its rows in its one list of objects ({"version": 2, "data": [...]}); an object
// without such a list is itself the only row (a one-row file, whose lists are ordinary fields).
function rowsOf(doc: unknown, fileName: string): readonly unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc !== null && typeof doc === 'object') {
    const lists = Object.entries(doc).filter(([, v]) => Array.isArray(v) && (v.length === 0 || isPlainObject(v[0])));
    const only = lists[0];
    if (lists.length === 1 && only) return only[1] as unknown[];
    if (lists.length === 0) return [doc];
    const names = lists.map(([k]) => `"${k}"`).join(', ');
    throw new ImportError('no-rows', `${fileName} holds a JSON object with several lists (${names}); expected one list of rows.`);
  }
  throw new ImportError('no-rows', `${fileName} holds ${describeJsonKind(doc)}, not a list of rows.`);
}

function isPlainObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
