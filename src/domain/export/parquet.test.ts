// The Parquet file is read back by two readers that are not the writer: hyparquet (the app's reader) and
// @dsnp/parquetjs (an independent implementation), and every value is compared with the rows written.
import parquetjs from '@dsnp/parquetjs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { FULL_COLUMNS, fullRow, type FullRow } from './rows';
import { trickyMerge, writeAll } from './test-fixtures';
import { createFormatWriter } from './writers';

/** A row as a Parquet reader should return it: nested values as JSON text, null stays null. */
function expectedCells(row: FullRow): Record<string, unknown> {
  return Object.fromEntries(FULL_COLUMNS.map((c) => [c.name, c.kind === 'json' && row[c.name] !== null ? JSON.stringify(row[c.name]) : row[c.name]]));
}

async function readWithHyparquet(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.slice().buffer;
  return parquetReadObjects({ file, metadata: parquetMetadata(file) });
}

async function readWithParquetjs(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const reader = await parquetjs.ParquetReader.openBuffer(Buffer.from(bytes));
  try {
    const cursor = reader.getCursor();
    const rows: Record<string, unknown>[] = [];
    for (let r = await cursor.next(); r; r = await cursor.next()) rows.push(r as Record<string, unknown>);
    return rows;
  } finally {
    await reader.close();
  }
}

/** parquetjs leaves optional nulls out and gives UTF8 as strings; fill absent columns with null to compare. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FULL_COLUMNS.map((c) => {
    const v = row[c.name];
    return [c.name, v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : v];
  }));
}

describe('Parquet export', () => {
  for (const rowGroupSize of [2, 10_000]) {
    it(`two independent readers return exactly the rows written (row groups of ${rowGroupSize})`, async () => {
      const { merged } = trickyMerge({ ties: 'keep' });
      const writer = createFormatWriter('parquet', { parquet: { rowGroupSize }, hyperTags: (m) => (m.idx === 0 ? ['a', 'b'] : undefined) });
      const bytes = writeAll(writer, merged, 1);
      expect(writer.stats).toMatchObject({ rows: 5, skippedTies: 0, bytes: bytes.length });
      const expected = merged.map((m) => expectedCells(fullRow(m, m.idx === 0 ? ['a', 'b'] : undefined)));
      const viaHyparquet = await readWithHyparquet(bytes);
      const viaParquetjs = await readWithParquetjs(bytes);
      expect(viaHyparquet).toEqual(expected);
      expect(viaParquetjs.map(normalise)).toEqual(expected);
      const meta = parquetMetadata(bytes.slice().buffer);
      expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual(rowGroupSize === 2 ? [2, 2, 1] : [5]);
      expect(meta.created_by).toBe('hyper-workbench');
    });
  }

  it('an export with no rows is a valid, empty Parquet file', async () => {
    const bytes = writeAll(createFormatWriter('parquet'), []);
    expect(Number(parquetMetadata(bytes.slice().buffer).num_rows)).toBe(0);
    expect(await readWithParquetjs(bytes)).toEqual([]);
  });

  it('stores key/value metadata in the footer', () => {
    const bytes = writeAll(createFormatWriter('parquet', { parquet: { metadata: { 'hyper.export': '{"a":1}' } } }), trickyMerge().merged);
    expect(parquetMetadata(bytes.slice().buffer).key_value_metadata).toEqual([{ key: 'hyper.export', value: '{"a":1}' }]);
  });
});
