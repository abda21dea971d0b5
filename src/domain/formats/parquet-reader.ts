// Parquet reader on hyparquet: one row group at a time, so progress and cancellation work on large files.
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ImportError } from '../errors';
import { setOwnField } from './own-field';
import type { TableSink } from './types';

export interface ParquetReadOptions {
  signal?: AbortSignal;
  /** Called after each row group with the rows done and the file's row count. */
  onRowGroup?: (doneRows: number, totalRows: number) => void | Promise<void>;
}

/** Reads every row of a Parquet file into the sink as rows 1..n. Throws ImportError 'bad-parquet' on a corrupt file. */
export async function readParquet(
  bytes: Uint8Array,
  fileName: string,
  sink: TableSink,
  opts: ParquetReadOptions = {},
): Promise<{ rows: number }> {
  const file = exactArrayBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw badParquet(fileName, error);
  }
  const totalRows = Number(metadata.num_rows);
  let rowStart = 0;
  let rows = 0;
  for (const group of metadata.row_groups) {
    if (opts.signal?.aborted) throw new ImportError('cancelled', 'The import was cancelled.');
    const rowEnd = rowStart + Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd });
    } catch (error) {
      throw badParquet(fileName, error);
    }
    for (let k = 0; k < objects.length; k++) {
      sink.row({ row: rowStart + k + 1, value: plainRow(objects[k]!) });
      rows++;
    }
    rowStart = rowEnd;
    await opts.onRowGroup?.(rowStart, totalRows);
  }
  return { rows };
}

function exactArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}

function badParquet(fileName: string, error: unknown): ImportError {
  const why = error instanceof Error ? error.message : String(error);
  return new ImportError('bad-parquet', `${fileName} could not be read as Parquet (the file may be damaged or truncated): ${why}`);
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) setOwnField(out, key, plainValue(row[key]));
  return out;
}

/** BigInt becomes a number when exact (else its decimal text), Date its ISO text; lists and structs recursively. */
export function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (ArrayBuffer.isView(value) && !(value instanceof Uint8Array) && !(value instanceof DataView)) {
    // Typed arrays of numbers (or BigInts) from a list column: make them ordinary lists.
    return Array.from(value as unknown as ArrayLike<unknown>, plainValue);
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return plainRow(value as Record<string, unknown>);
  }
  return value;
}
