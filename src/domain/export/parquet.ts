// Full records as Parquet through hyparquet-writer, one row group at a time: rows are buffered up to the row
// group size, written, and the bytes drained, so memory holds one row group and never the whole file.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { FULL_COLUMNS, type FullColumnKind, type FullRow } from './rows';

// The writer bundles its own hyparquet; its schema type is the one to satisfy.
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export interface ParquetOptions {
  /** Rows per row group (default 10,000). */
  rowGroupSize?: number;
  /** Written into the file's created_by. */
  createdBy?: string;
  /** Key/value metadata stored in the footer. */
  metadata?: Record<string, string>;
}

const ELEMENT: Record<FullColumnKind, Omit<SchemaElement, 'name'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  // Nested values as JSON text (UTF8, not the JSON logical type) so every reader, `datasets` included, sees strings.
  json: { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  int: { type: 'INT32', repetition_type: 'REQUIRED' },
  double: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  bool: { type: 'BOOLEAN', repetition_type: 'REQUIRED' },
};

export function fullParquetSchema(): SchemaElement[] {
  return [{ name: 'root', num_children: FULL_COLUMNS.length }, ...FULL_COLUMNS.map((c) => ({ name: c.name, ...ELEMENT[c.kind] }))];
}

/** Streams full rows into Parquet bytes. */
export class FullParquetEncoder {
  private readonly writer = new ByteWriter();
  private readonly parquet: ParquetWriter;
  private readonly groupSize: number;
  private pending: FullRow[] = [];

  constructor(options: ParquetOptions = {}) {
    this.groupSize = options.rowGroupSize ?? 10_000;
    this.parquet = new ParquetWriter({
      writer: this.writer,
      schema: fullParquetSchema(),
      createdBy: options.createdBy ?? 'hyper-workbench',
      ...(options.metadata ? { kvMetadata: Object.entries(options.metadata).map(([key, value]) => ({ key, value })) } : {}),
    });
  }

  push(rows: readonly FullRow[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const row of rows) {
      this.pending.push(row);
      if (this.pending.length >= this.groupSize) out.push(...this.flushGroup());
    }
    if (out.length === 0 && this.writer.index > 0) out.push(this.drain());
    return out.filter((b) => b.length > 0);
  }

  finish(): Uint8Array[] {
    const out = this.flushGroup();
    // hyparquet-writer returns a promise only when the writer's flush does; ByteWriter's does not.
    void this.parquet.finish();
    out.push(this.drain());
    return out.filter((b) => b.length > 0);
  }

  private flushGroup(): Uint8Array[] {
    if (this.pending.length === 0) return [this.drain()];
    const rows = this.pending;
    this.pending = [];
    const columnData = FULL_COLUMNS.map((c) => ({
      name: c.name,
      data: rows.map((r) => {
        const v = r[c.name];
        return c.kind === 'json' ? (v === null ? null : JSON.stringify(v)) : v;
      }),
      // hyparquet-writer writes booleans RLE-encoded by default, which some readers get wrong (@dsnp/parquetjs
      // read all 879 `routed` values of a PandaLM export as false; DuckDB and hyparquet read them right).
      // PLAIN (bit-packed) booleans are read alike by every reader.
      ...(c.kind === 'bool' ? { encoding: 'PLAIN' as const } : {}),
    }));
    void this.parquet.write({ columnData, rowGroupSize: rows.length });
    return [this.drain()];
  }

  /** The bytes written since the last drain; the writer then starts again at the front of its buffer. */
  private drain(): Uint8Array {
    const w = this.writer;
    const bytes = new Uint8Array(w.buffer, 0, w.index).slice();
    w.index = 0;
    return bytes;
  }
}
