// Whole-document JSON reader: an array of row objects, or an object wrapping one such array ({"data": [...]}).
import { ImportError } from '../errors';
import { describeJsonFailure, describeJsonKind, lineAndColumn } from './json-syntax';
import type { TableSink } from './types';

/** Parses a JSON document and sends its elements to the sink as rows 1..n. Throws ImportError on bad JSON. */
export function readJsonDocument(text: string, fileName: string, sink: TableSink): { rows: number } {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
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

function rowsOf(doc: unknown, fileName: string): readonly unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc !== null && typeof doc === 'object') {
    const lists = Object.entries(doc).filter(([, v]) => Array.isArray(v));
    const only = lists[0];
    if (lists.length === 1 && only) return only[1] as unknown[];
    if (lists.length === 0) {
      throw new ImportError('no-rows', `${fileName} holds a single JSON object with no list of rows in it; expected a JSON array of objects.`);
    }
    const names = lists.map(([k]) => `"${k}"`).join(', ');
    throw new ImportError('no-rows', `${fileName} holds a JSON object with several lists (${names}); expected one list of rows.`);
  }
  throw new ImportError('no-rows', `${fileName} holds ${describeJsonKind(doc)}, not a list of rows.`);
}
