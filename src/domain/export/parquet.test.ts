// The Parquet file is read back by two readers that are not the writer: hyparquet (the app's reader) and DuckDB
// (an independent implementation, through @duckdb/node-api), and every value is compared with the rows written.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { PairRecord } from '../instance';
import { mergeRecords } from '../merge/merge';
import { ann, plan, rec } from '../merge/test-fixtures';
import { mulberry32 } from '../random';
import { FULL_COLUMNS, fullRow, type FullRow } from './rows';
import { trickyMerge, writeAll } from './test-fixtures';
import { createFormatWriter } from './writers';

const dir = mkdtempSync(join(tmpdir(), 'hyper-parquet-'));
let files = 0;

/** A row as a Parquet reader should return it: nested values as JSON text, null stays null. */
function expectedCells(row: FullRow): Record<string, unknown> {
  return Object.fromEntries(
    FULL_COLUMNS.map((c) => [c.name, c.kind === 'json' && row[c.name] !== null ? JSON.stringify(row[c.name]) : row[c.name]]),
  );
}

async function readWithHyparquet(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const file = bytes.slice().buffer;
  return parquetReadObjects({ file, metadata: parquetMetadata(file) });
}

/** Every row through DuckDB's own Parquet reader, in file order, with DuckDB's values made plain JS. */
async function readWithDuckDb(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  const path = join(dir, `f${++files}.parquet`);
  writeFileSync(path, bytes);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const result = await conn.runAndReadAll(`select * from read_parquet('${path}', file_row_number = true) order by file_row_number`);
    return result.getRowObjectsJS().map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([k]) => k !== 'file_row_number')
          .map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
      ),
    );
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** A merged dataset of n pairs, about a quarter routed (a boolean column with long runs of both values). */
function manyRows(n: number) {
  const random = mulberry32(11);
  const records: PairRecord[] = Array.from({ length: n }, (_, i) => rec(`r${i}`, random() < 0.5 ? 'A>B' : 'B>A'));
  const routed = records.flatMap((r, i) => (random() < 0.25 ? [[i, r.id, random()] as [number, string, number]] : []));
  const annotations = routed.filter((_, k) => k % 2 === 0).map(([i, id]) => ann(i, id, 'ann', random() < 0.5 ? 'A>>B' : 'B>A'));
  return { ...mergeRecords(records, { plan: plan(...routed), annotations }), routed: routed.length };
}

describe('Parquet export', () => {
  for (const rowGroupSize of [2, 10_000]) {
    it(`two independent readers return exactly the rows written (row groups of ${rowGroupSize})`, async () => {
      const { merged } = trickyMerge({ ties: 'keep' });
      const writer = createFormatWriter('parquet', { parquet: { rowGroupSize }, hyperTags: (m) => (m.idx === 0 ? ['a', 'b'] : undefined) });
      const bytes = writeAll(writer, merged, 1);
      expect(writer.stats).toMatchObject({ rows: 5, skippedTies: 0, bytes: bytes.length });
      const expected = merged.map((m) => expectedCells(fullRow(m, m.idx === 0 ? ['a', 'b'] : undefined)));
      expect(await readWithHyparquet(bytes)).toEqual(expected);
      expect(await readWithDuckDb(bytes)).toEqual(expected);
      const meta = parquetMetadata(bytes.slice().buffer);
      expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual(rowGroupSize === 2 ? [2, 2, 1] : [5]);
      expect(meta.created_by).toBe('hyper-workbench');
    });
  }

  it('a boolean column with long runs (879 rows, a quarter routed) reads the same in every reader; booleans are PLAIN', async () => {
    const { merged, routed } = manyRows(879);
    const bytes = writeAll(createFormatWriter('parquet'), merged, 100);
    const expected = merged.map((m) => m.routed);
    expect(expected.filter(Boolean).length).toBe(routed);
    expect(routed).toBeGreaterThan(150);
    expect((await readWithHyparquet(bytes)).map((r) => r.routed)).toEqual(expected);
    expect((await readWithDuckDb(bytes)).map((r) => r.routed)).toEqual(expected);
    const column = parquetMetadata(bytes.slice().buffer).row_groups[0]!.columns.find((c) => c.meta_data?.path_in_schema[0] === 'routed')!;
    expect(column.meta_data!.encodings).toEqual(['PLAIN']);
  });

  it('an export with no rows is a valid, empty Parquet file', async () => {
    const bytes = writeAll(createFormatWriter('parquet'), []);
    expect(Number(parquetMetadata(bytes.slice().buffer).num_rows)).toBe(0);
    expect(await readWithDuckDb(bytes)).toEqual([]);
  });

  it('stores key/value metadata in the footer', () => {
    const bytes = writeAll(createFormatWriter('parquet', { parquet: { metadata: { 'hyper.export': '{"a":1}' } } }), trickyMerge().merged);
    expect(parquetMetadata(bytes.slice().buffer).key_value_metadata).toEqual([{ key: 'hyper.export', value: '{"a":1}' }]);
  });
});
