// Reads a whole file into a TableSink: undoes gzip, decides the table format from the name and the content,
// and streams text formats through incremental readers so a large file never becomes one JS string.
import { Gunzip } from 'fflate';
import { crc32 } from '../crc32';
import { ImportError } from '../errors';
import { CsvReader } from './csv-reader';
import { readJsonDocument, tooLarge } from './json-reader';
import { JsonlReader } from './jsonl-reader';
import { readParquet } from './parquet-reader';
import type { RawRow, RowProblem, TableFormat, TableSink } from './types';
import { concatBytes } from '../bytes';
import { throwIfAborted as abortCheck } from '../util';

export interface ReadTableOptions {
  /** Progress in bytes of the file as given (compressed bytes for a .gz file). */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export interface ReadTableResult {
  format: TableFormat;
  compressed: boolean;
  /** The text encoding the file was read in. */
  encoding: TextEncoding;
  /** Things about the file as a whole the user must know (e.g. it was not UTF-8 and was read as Windows-1252). */
  notes: string[];
  /** Bytes of content read (after gzip; the file itself for Parquet): a measure of what storing it will take. */
  contentBytes: number;
}

/** What the content looks like, judged from its first bytes. */
export type SniffedContent =
  | { kind: 'parquet' }
  | { kind: 'json-array' }
  | { kind: 'json-object' } // a multi-line document starting with '{'
  | { kind: 'json-lines' }
  | { kind: 'json-one-line' } // a single line holding one object: one JSONL row or a wrapper document
  | { kind: 'delimited'; delimiter: ',' | '\t' | ';' }
  | { kind: 'text' } // text with no delimiter on its first line
  | { kind: 'binary' }
  | { kind: 'empty' };

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const SLICE_BYTES = 1 << 20;
const GZIP_INPUT_BYTES = 1 << 18;
/** The head used for sniffing grows until it holds a whole first line, but never past this. */
const MAX_HEAD_BYTES = 16 << 20;
const YIELD_EVERY_MS = 50;

const EXTENSIONS: Record<string, TableFormat> = {
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'json',
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The table format a file name promises (after a .gz suffix), and whether it ends in .gz. */
export function formatFromFileName(fileName: string): { format: TableFormat | null; gz: boolean } {
  let name = fileName.trim().toLowerCase();
  const gz = name.endsWith('.gz') || name.endsWith('.gzip');
  if (gz) name = name.slice(0, name.lastIndexOf('.'));
  const dot = name.lastIndexOf('.');
  const ext = dot === -1 ? '' : name.slice(dot + 1);
  return { format: EXTENSIONS[ext] ?? null, gz };
}

/** True when the bytes start with the gzip signature 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a table file of any supported format (optionally gzip-compressed) into the sink.
 * Text is decoded as UTF-8 (UTF-16 when it starts with a byte-order mark), strictly: a file that is not valid
 * UTF-8 is read again as Windows-1252 (Latin-1, what such files usually are), when the sink can start over, with
 * a note that says so and where the first invalid byte was; never with U+FFFD put in silently.
 * Throws ImportError: empty-file, not-gzip, format-mismatch, unknown-format, bad-json, bad-parquet, no-rows,
 * too-large, not-utf8 (a sink that cannot start over), cancelled.
 */
export async function readTable(
  bytes: Uint8Array,
  fileName: string,
  sink: TableSink,
  opts: ReadTableOptions = {},
): Promise<ReadTableResult> {
  try {
    return await readTableAs(bytes, fileName, sink, opts, null);
  } catch (e) {
    if (!(e instanceof NotUtf8) || !sink.reset) throw e instanceof NotUtf8 ? new ImportError('not-utf8', e.message) : e;
    sink.reset();
    const result = await readTableAs(bytes, fileName, sink, opts, 'windows-1252');
    return {
      ...result,
      notes: [
        `${e.message} It was read as Windows-1252 (Latin-1), the usual encoding of such files: check that accented letters look right, or save the file as UTF-8 and import it again.`,
        ...result.notes,
      ],
    };
  }
}

/** The text is not valid UTF-8; `message` says where. */
class NotUtf8 extends Error {}

async function readTableAs(
  bytes: Uint8Array,
  fileName: string,
  sink: TableSink,
  opts: ReadTableOptions,
  forced: TextEncoding | null,
): Promise<ReadTableResult> {
  const { signal, onProgress } = opts;
  const total = bytes.length;
  throwIfAborted(signal);
  if (total === 0) throw new ImportError('empty-file', `${fileName} is empty.`);
  const named = formatFromFileName(fileName);
  const compressed = isGzip(bytes);
  if (named.gz && !compressed) {
    throw new ImportError(
      'not-gzip',
      `${fileName} ends in .gz but is not gzip-compressed (it does not start with the gzip signature 1f 8b).`,
    );
  }

  const source = compressed ? gunzipSlices(bytes, fileName) : plainSlices(bytes);
  const counted = countingSink(sink);
  const yielder = new Yielder();
  try {
    // Peek at the head to decide the format; the head slices are replayed to the reader afterwards.
    const head: Slice[] = [];
    let headBytes = 0;
    let exhausted = false;
    while (headBytes < SLICE_BYTES || (headBytes < MAX_HEAD_BYTES && !hasLineBreak(head))) {
      const next = await source.next();
      throwIfAborted(signal);
      if (next.done) {
        exhausted = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.bytes.length;
    }
    const headView = concatBytes(head.map((s) => s.bytes));
    const sniffed = sniffContent(headView, exhausted);
    const format = resolveFormat(fileName, named.format, sniffed);
    const encoding = forced ?? encodingOf(headView);
    // UTF-8 is decoded strictly: an invalid byte stops the read (and readTable reads again as Windows-1252).
    const decoderFor = () => new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
    let decodedBytes = 0;
    let lines = 1;
    const decode = (decoder: TextDecoder, chunk: Uint8Array | undefined): string => {
      try {
        const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
        decodedBytes += chunk?.length ?? 0;
        return text;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        const at = chunk ? firstInvalidUtf8(chunk) : -1;
        const where =
          at < 0 ? 'at its end' : `at byte ${(decodedBytes + at).toLocaleString('en-US')} (line ${lines + countNewlines(chunk!, at)})`;
        throw new NotUtf8(
          `${fileName} is not UTF-8 text: the first byte that is not valid UTF-8 is ${where}${at < 0 ? '' : `, 0x${chunk![at]!.toString(16).padStart(2, '0')}`}.`,
        );
      }
    };

    async function* all(): AsyncGenerator<Slice> {
      yield* head;
      if (!exhausted) yield* source;
    }
    const progress = async (done: number): Promise<void> => {
      throwIfAborted(signal);
      onProgress?.(done, total);
      await yielder.maybeYield();
      throwIfAborted(signal);
    };

    if (format === 'parquet') {
      let whole = bytes;
      if (compressed) {
        const parts: Uint8Array[] = [];
        for await (const slice of all()) {
          parts.push(slice.bytes);
          await progress(slice.inputDone);
        }
        whole = concatBytes(parts);
      }
      await readParquet(whole, fileName, counted, {
        signal,
        onRowGroup: (doneRows, totalRows) => progress(totalRows === 0 ? total : Math.round((total * doneRows) / totalRows)),
      });
    } else if (format === 'json') {
      const decoder = decoderFor();
      const parts: string[] = [];
      for await (const slice of all()) {
        parts.push(decode(decoder, slice.bytes));
        await progress(slice.inputDone);
      }
      parts.push(decode(decoder, undefined));
      let text: string;
      try {
        text = parts.join('');
      } catch (error) {
        // Past the engine's longest string (about 512 MB in V8) a document cannot be parsed at once.
        if (error instanceof RangeError) throw tooLarge(fileName);
        throw error;
      }
      parts.length = 0;
      readJsonDocument(text, fileName, counted);
    } else {
      const reader =
        format === 'jsonl'
          ? new JsonlReader(counted)
          : new CsvReader(counted, sniffed.kind === 'delimited' ? sniffed.delimiter : format === 'tsv' ? '\t' : ',');
      const decoder = decoderFor();
      for await (const slice of all()) {
        reader.push(decode(decoder, slice.bytes));
        await progress(slice.inputDone);
      }
      reader.push(decode(decoder, undefined));
      reader.end();
    }
    onProgress?.(total, total);
    if (counted.rows === 0 && counted.problems === 0) {
      throw new ImportError('no-rows', `${fileName} holds no rows.`);
    }
    // Parquet is compressed column by column; its text is typically several times the file.
    return { format, compressed, encoding, notes: [], contentBytes: format === 'parquet' ? bytes.length * 8 : decodedBytes };
  } finally {
    await source.return(undefined);
  }
}

/** Offset of the first byte of `b` that cannot be (the start of) valid UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlong forms, no surrogates, <= U+10FFFF).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return -1; // cut by the chunk: the next one decides
      const x = b[i + k]!;
      if (k === 1 ? x < lo || x > hi : (x & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function countNewlines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) n++;
  return n;
}

interface Slice {
  bytes: Uint8Array;
  /** Bytes of the input consumed once this slice is done (for progress). */
  inputDone: number;
}

async function* plainSlices(bytes: Uint8Array): AsyncGenerator<Slice> {
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) {
    const end = Math.min(bytes.length, start + SLICE_BYTES);
    yield { bytes: bytes.subarray(start, end), inputDone: end };
  }
}

/**
 * Inflates gzip, every member of it: `cat a.gz b.gz` is one valid gzip file (RFC 1952), which the browsers'
 * DecompressionStream rejects after the first member. fflate's streaming Gunzip reads them all but checks no
 * trailer, so each member's CRC-32 and size are checked here against the 8 bytes that end it: a damaged or
 * truncated file is refused, never imported short.
 */
async function* gunzipSlices(bytes: Uint8Array, fileName: string): AsyncGenerator<Slice> {
  const damaged = (why: string) =>
    new ImportError('not-gzip', `${fileName} could not be decompressed: the gzip data is damaged or truncated (${why}).`);
  const ready: Uint8Array[] = [];
  let member = 0;
  let crc = 0;
  let size = 0;
  const checkTrailer = (end: number) => {
    if (end < 8) throw damaged(`member ${member + 1} has no trailer`);
    const d = new DataView(bytes.buffer, bytes.byteOffset + end - 8, 8);
    if (d.getUint32(0, true) !== crc) throw damaged(`member ${member + 1}: CRC-32 mismatch`);
    if (d.getUint32(4, true) !== size >>> 0)
      throw damaged(`member ${member + 1}: it says ${d.getUint32(4, true)} bytes, ${size >>> 0} came out`);
  };
  const gunzip = new Gunzip((chunk) => {
    if (chunk.length === 0) return;
    crc = crc32(chunk, crc);
    size += chunk.length;
    ready.push(chunk);
  });
  gunzip.onmember = (offset) => {
    checkTrailer(offset);
    member++;
    crc = 0;
    size = 0;
  };
  for (let offset = 0; offset < bytes.length;) {
    const end = Math.min(bytes.length, offset + GZIP_INPUT_BYTES);
    try {
      gunzip.push(bytes.subarray(offset, end), end === bytes.length);
    } catch (error) {
      if (error instanceof ImportError) throw error;
      throw damaged(error instanceof Error ? error.message : String(error));
    }
    offset = end;
    if (end === bytes.length) checkTrailer(end);
    for (const chunk of ready.splice(0)) yield { bytes: chunk, inputDone: offset };
  }
}

/** Judges what a file holds from its first bytes; `complete` says the head is the whole file. */
export function sniffContent(head: Uint8Array, complete: boolean): SniffedContent {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return { kind: 'parquet' };
  const encoding = encodingOf(head);
  if (encoding === 'utf-8' && looksBinary(head)) return { kind: 'binary' };
  const text = new TextDecoder(encoding).decode(head, { stream: !complete });
  if (encoding === 'utf-8' && replacementRatio(text) > 0.1) return { kind: 'binary' };
  const start = firstNonSpace(text);
  if (start === -1) return complete ? { kind: 'empty' } : { kind: 'text' };
  const first = text[start];
  if (first === '[') return { kind: 'json-array' };
  if (first === '{') return sniffJsonObject(text, start);
  const lineEnd = text.indexOf('\n', start);
  const firstLine = text.slice(start, lineEnd === -1 ? text.length : lineEnd);
  const tabs = countOutsideQuotes(firstLine, '\t');
  const commas = countOutsideQuotes(firstLine, ',');
  const semicolons = countOutsideQuotes(firstLine, ';');
  if (tabs > 0 && tabs >= commas) return { kind: 'delimited', delimiter: '\t' };
  if (commas > 0) return { kind: 'delimited', delimiter: ',' };
  if (semicolons > 0) return { kind: 'delimited', delimiter: ';' };
  return { kind: 'text' };
}

function sniffJsonObject(text: string, start: number): SniffedContent {
  const lineEnd = text.indexOf('\n', start);
  // No line break in the whole head: one object (complete) or a first line too long to judge; the name decides.
  if (lineEnd === -1) return { kind: 'json-one-line' };
  const firstLine = text.slice(start, lineEnd).trimEnd();
  if (!firstLine.endsWith('}') || firstLine.length < 2) return { kind: 'json-object' };
  const rest = firstNonSpace(text, lineEnd);
  if (rest === -1) return { kind: 'json-one-line' };
  return text[rest] === '{' ? { kind: 'json-lines' } : { kind: 'json-object' };
}

/** Picks the format from the name and the content; throws when they disagree or nothing fits. */
export function resolveFormat(fileName: string, named: TableFormat | null, sniffed: SniffedContent): TableFormat {
  if (sniffed.kind === 'empty') throw new ImportError('empty-file', `${fileName} is empty (it holds only blank space).`);
  const mismatch = (what: string, because: string): ImportError =>
    new ImportError('format-mismatch', `${fileName} is not ${what} (${because}; it looks like ${describeContent(sniffed)}).`);
  switch (named) {
    case 'parquet':
      if (sniffed.kind === 'parquet') return 'parquet';
      throw mismatch('a Parquet file', 'it does not start with PAR1');
    case 'json':
    case 'jsonl': {
      const kind = sniffed.kind;
      if (kind === 'json-array' || kind === 'json-object') return 'json';
      if (kind === 'json-lines') return 'jsonl';
      if (kind === 'json-one-line') return named;
      throw mismatch(named === 'json' ? 'a JSON file' : 'a JSON-lines file', 'it does not start with "[" or "{"');
    }
    case 'csv':
    case 'tsv':
      if (sniffed.kind === 'delimited') return sniffed.delimiter === '\t' ? 'tsv' : 'csv';
      if (sniffed.kind === 'text') return named;
      throw mismatch(named === 'csv' ? 'a CSV file' : 'a TSV file', 'it is not delimited text');
    case null:
      switch (sniffed.kind) {
        case 'parquet':
          return 'parquet';
        case 'json-array':
        case 'json-object':
        case 'json-one-line':
          return 'json';
        case 'json-lines':
          return 'jsonl';
        case 'delimited':
          return sniffed.delimiter === '\t' ? 'tsv' : 'csv';
        default:
          throw new ImportError(
            'unknown-format',
            `${fileName} is in no format this app reads (it looks like ${describeContent(sniffed)}). Supported: JSON lines, JSON, CSV, TSV, Parquet, optionally gzip-compressed.`,
          );
      }
  }
}

/** "JSON lines", "a JSON array" ... for messages. */
export function describeContent(sniffed: SniffedContent): string {
  switch (sniffed.kind) {
    case 'parquet':
      return 'a Parquet file';
    case 'json-array':
      return 'a JSON array';
    case 'json-object':
      return 'a JSON document';
    case 'json-lines':
    case 'json-one-line':
      return 'JSON lines';
    case 'delimited':
      return sniffed.delimiter === '\t'
        ? 'tab-separated text'
        : sniffed.delimiter === ','
          ? 'comma-separated text'
          : 'semicolon-separated text';
    case 'text':
      return 'plain text';
    case 'binary':
      return 'binary data';
    case 'empty':
      return 'an empty file';
  }
}

function encodingOf(head: Uint8Array): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

function replacementRatio(text: string): number {
  const n = Math.min(text.length, 8192);
  if (n === 0) return 0;
  let bad = 0;
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return bad / n;
}

function firstNonSpace(text: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xfeff) return i;
  }
  return -1;
}

function countOutsideQuotes(line: string, ch: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) count++;
  }
  return count;
}

function hasLineBreak(slices: readonly Slice[]): boolean {
  return slices.some((s) => s.bytes.includes(0x0a));
}

function countingSink(sink: TableSink): TableSink & { rows: number; problems: number } {
  const counted = {
    rows: 0,
    problems: 0,
    row(row: RawRow) {
      counted.rows++;
      sink.row(row);
    },
    problem(problem: RowProblem) {
      counted.problems++;
      sink.problem(problem);
    },
  };
  return counted;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  abortCheck(signal, () => new ImportError('cancelled', 'The import was cancelled.'));
}

// Long reads give the event loop a turn now and then, so a cancel message (and the UI) can get through.
class Yielder {
  private last = now();
  async maybeYield(): Promise<void> {
    if (now() - this.last < YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.last = now();
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
