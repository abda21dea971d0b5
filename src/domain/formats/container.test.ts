import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../errors';
import { formatFromFileName, readTable, sniffContent, type ReadTableOptions } from './container';
import type { RawRow, RowProblem, TableSink } from './types';
import { concatBytes } from '../bytes';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

interface Read {
  format: string;
  compressed: boolean;
  rows: RawRow[];
  problems: RowProblem[];
}

async function read(bytes: Uint8Array, fileName: string, opts?: ReadTableOptions): Promise<Read & { notes: string[]; encoding: string }> {
  const rows: RawRow[] = [];
  const problems: RowProblem[] = [];
  const sink: TableSink = {
    row: (r) => rows.push(r),
    problem: (p) => problems.push(p),
    reset: () => {
      rows.length = 0;
      problems.length = 0;
    },
  };
  const result = await readTable(bytes, fileName, sink, opts);
  return { ...result, rows, problems };
}

async function failure(bytes: Uint8Array, fileName: string, opts?: ReadTableOptions): Promise<ImportError> {
  try {
    await read(bytes, fileName, opts);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
}

const JSONL = '{"prompt": "p1", "n": 1}\n{"prompt": "p2", "n": 2}\n';
const JSON_ARRAY = '[{"prompt": "p1", "n": 1}, {"prompt": "p2", "n": 2}]';
const CSV = 'prompt,n\r\np1,1\r\np2,2\r\n';
const TSV = 'prompt\tn\np1\t1\np2\t2\n';
const PAIRS_OF = (rows: RawRow[]): unknown[] => rows.map((r) => [r.row, r.value.prompt]);

describe('formatFromFileName', () => {
  it('reads the extension after .gz', () => {
    expect(formatFromFileName('a.jsonl')).toEqual({ format: 'jsonl', gz: false });
    expect(formatFromFileName('a.NDJSON.gz')).toEqual({ format: 'jsonl', gz: true });
    expect(formatFromFileName('train.tab')).toEqual({ format: 'tsv', gz: false });
    expect(formatFromFileName('x.pq')).toEqual({ format: 'parquet', gz: false });
    expect(formatFromFileName('notes.txt')).toEqual({ format: null, gz: false });
    expect(formatFromFileName('data')).toEqual({ format: null, gz: false });
  });
});

describe('readTable: text formats', () => {
  it.each([
    [
      'data.jsonl',
      JSONL,
      'jsonl',
      [
        [1, 'p1'],
        [2, 'p2'],
      ],
    ],
    [
      'data.json',
      JSON_ARRAY,
      'json',
      [
        [1, 'p1'],
        [2, 'p2'],
      ],
    ],
    [
      'data.csv',
      CSV,
      'csv',
      [
        [2, 'p1'],
        [3, 'p2'],
      ],
    ],
    [
      'data.tsv',
      TSV,
      'tsv',
      [
        [2, 'p1'],
        [3, 'p2'],
      ],
    ],
  ] as const)('reads %s', async (name, text, format, rows) => {
    const result = await read(enc(text), name);
    expect(result.format).toBe(format);
    expect(result.compressed).toBe(false);
    expect(PAIRS_OF(result.rows)).toEqual(rows);
  });

  it.each([
    ['data.jsonl.gz', JSONL, 'jsonl'],
    ['data.json.gz', JSON_ARRAY, 'json'],
    ['data.csv.gz', CSV, 'csv'],
    ['data.tsv.gz', TSV, 'tsv'],
  ] as const)('reads gzip-compressed %s', async (name, text, format) => {
    const result = await read(await gzip(enc(text)), name);
    expect(result).toMatchObject({ format, compressed: true });
    expect(result.rows.map((r) => r.value.prompt)).toEqual(['p1', 'p2']);
  });

  it('decompresses gzip content even when the name does not say .gz', async () => {
    expect(await read(await gzip(enc(JSONL)), 'data.jsonl')).toMatchObject({ format: 'jsonl', compressed: true });
  });

  it('keeps CSV cells as strings', async () => {
    expect((await read(enc(CSV), 'data.csv')).rows[0]!.value).toEqual({ prompt: 'p1', n: '1' });
  });

  it('strips a UTF-8 BOM in every text format', async () => {
    const bom = '\uFEFF';
    expect((await read(enc(bom + CSV), 'data.csv')).rows[0]!.value).toEqual({ prompt: 'p1', n: '1' });
    expect((await read(enc(bom + JSONL), 'data.jsonl')).rows).toHaveLength(2);
    expect((await read(enc(bom + JSON_ARRAY), 'data.json')).rows).toHaveLength(2);
    expect((await read(await gzip(enc(bom + TSV)), 'data.tsv.gz')).rows[0]!.value).toEqual({ prompt: 'p1', n: '1' });
  });

  it('reads UTF-16 text with a byte-order mark', async () => {
    const text = '\uFEFFprompt\tn\nbonjour é\t1\n';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    const result = await read(bytes, 'export.txt');
    expect(result.format).toBe('tsv');
    expect(result.rows[0]!.value).toEqual({ prompt: 'bonjour é', n: '1' });
  });

  it('reads CRLF JSON lines and reports broken lines with their line numbers', async () => {
    const text = '{"prompt": "a"}\r\n{"prompt": \r\n\r\n[1]\r\n{"prompt": "b"}\r\n';
    const result = await read(enc(text), 'data.jsonl');
    expect(PAIRS_OF(result.rows)).toEqual([
      [1, 'a'],
      [5, 'b'],
    ]);
    expect(result.problems).toEqual([
      { row: 2, reason: 'invalid JSON: unexpected end of input, expected a value (column 12)' },
      { row: 4, reason: 'expected a JSON object, found an array' },
    ]);
  });

  it('reads a .json file that holds JSON lines as JSON lines', async () => {
    expect((await read(enc(JSONL), 'data.json')).format).toBe('jsonl');
  });

  it('reads a .jsonl file that holds one JSON array (or a pretty-printed document) as JSON', async () => {
    expect((await read(enc(JSON_ARRAY), 'data.jsonl')).format).toBe('json');
    expect((await read(enc('{\n  "data": [{"prompt": "p"}]\n}\n'), 'data.jsonl')).format).toBe('json');
  });

  it('reads a one-line object as one JSON-lines row in a .jsonl file and as a wrapper in a .json file', async () => {
    expect((await read(enc('{"prompt": "p"}'), 'one.jsonl')).rows).toEqual([{ row: 1, value: { prompt: 'p' } }]);
    expect((await read(enc('{"rows": [{"prompt": "p"}]}'), 'one.json')).rows).toEqual([{ row: 1, value: { prompt: 'p' } }]);
  });

  it('sniffs files with an unknown extension', async () => {
    expect((await read(enc(JSONL), 'data.txt')).format).toBe('jsonl');
    expect((await read(enc(JSON_ARRAY), 'data')).format).toBe('json');
    expect((await read(enc(CSV), 'export.dat')).format).toBe('csv');
    expect((await read(enc(TSV), 'export.dat')).format).toBe('tsv');
    const semicolons = await read(enc('prompt;n\np1;1\n'), 'export.txt');
    expect(semicolons).toMatchObject({ format: 'csv', rows: [{ row: 2, value: { prompt: 'p1', n: '1' } }] });
  });

  it('reads a .csv file that is tab-separated as TSV', async () => {
    expect((await read(enc(TSV), 'data.csv')).format).toBe('tsv');
  });

  it('reads large inputs in slices with the right line numbers', async () => {
    const line = (i: number): string => JSON.stringify({ prompt: `p${i}`, pad: 'é'.repeat(i % 700) });
    const lines = Array.from({ length: 6000 }, (_, i) => line(i));
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(2 << 20);
    for (const [bytes, name] of [
      [enc(text), 'big.jsonl'],
      [await gzip(enc(text)), 'big.jsonl.gz'],
    ] as const) {
      const result = await read(bytes, name);
      expect(result.problems).toEqual([]);
      expect(result.rows).toHaveLength(6000);
      expect(result.rows[5999]).toEqual({ row: 6000, value: JSON.parse(line(5999)) });
      expect(result.rows.every((r, i) => r.value.prompt === `p${i}`)).toBe(true);
    }
  });
});

describe('readTable: errors', () => {
  it('rejects an empty file, blank content and empty gzip content', async () => {
    expect(await failure(new Uint8Array(), 'data.jsonl')).toMatchObject({ code: 'empty-file', message: 'data.jsonl is empty.' });
    expect((await failure(enc(' \n\r\n'), 'data.csv')).code).toBe('empty-file');
    expect((await failure(await gzip(new Uint8Array()), 'data.jsonl.gz')).code).toBe('empty-file');
  });

  it('rejects a .gz name on bytes that are not gzip', async () => {
    const error = await failure(enc(JSONL), 'data.jsonl.gz');
    expect(error.code).toBe('not-gzip');
    expect(error.message).toContain('does not start with the gzip signature 1f 8b');
  });

  it('rejects damaged gzip data: truncated, a flipped byte, a wrong trailer, junk after the end', async () => {
    const compressed = await gzip(enc(JSONL.repeat(200)));
    expect((await failure(compressed.subarray(0, compressed.length - 12), 'data.jsonl.gz')).code).toBe('not-gzip');
    // Only the trailer cut: the data inflates, but the CRC-32 and size it should end with are missing.
    expect((await failure(compressed.subarray(0, compressed.length - 3), 'data.jsonl.gz')).message).toMatch(/damaged or truncated/);
    const crc = compressed.slice();
    crc[crc.length - 6]! ^= 0xff;
    expect((await failure(crc, 'data.jsonl.gz')).message).toContain('CRC-32 mismatch');
    const flipped = compressed.slice();
    flipped[Math.floor(flipped.length / 2)]! ^= 0x5a;
    expect((await failure(flipped, 'data.jsonl.gz')).code).toBe('not-gzip');
    expect((await failure(concat(compressed, enc('junk')), 'data.jsonl.gz')).code).toBe('not-gzip');
  });

  it('text that is not UTF-8 is read again as Windows-1252, with a note that says where; never with U+FFFD put in', async () => {
    const latin1 = new Uint8Array([
      ...enc('prompt,response_a,response_b\nq1,ok,fine\nCaf'),
      0xe9,
      ...enc(' au lait,na'),
      0xef,
      ...enc('ve,b\n'),
    ]);
    const r = await read(latin1, 'cafe.csv');
    expect(r.encoding).toBe('windows-1252');
    expect(r.rows.map((x) => x.value.prompt)).toEqual(['q1', 'Café au lait']);
    expect(r.rows[1]!.value.response_a).toBe('naïve');
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(
      /^cafe\.csv is not UTF-8 text: the first byte that is not valid UTF-8 is at byte 43 \(line 3\), 0xe9\. It was read as Windows-1252/,
    );
    expect(JSON.stringify(r.rows)).not.toContain('\uFFFD');
    // Valid UTF-8 reads as it is, with no note.
    const utf8 = await read(enc('prompt,response_a,response_b\nCafé,naïve,b\n'), 'utf8.csv');
    expect([utf8.encoding, utf8.notes, utf8.rows[0]!.value.prompt]).toEqual(['utf-8', [], 'Café']);
    // A sink that cannot start over gets the error itself.
    const once: TableSink = { row: () => undefined, problem: () => undefined };
    await expect(readTable(latin1, 'cafe.csv', once)).rejects.toMatchObject({ code: 'not-utf8' });
    // JSON lines and gzip too.
    const jsonl = new Uint8Array([...enc('{"prompt": "Gr'), 0xfc, 0xdf, ...enc('e", "response_a": "a", "response_b": "b"}\n')]);
    expect((await read(await gzip(jsonl), 'x.jsonl.gz')).rows[0]!.value.prompt).toBe('Grüße');
  });

  it('reads every member of a multi-member gzip file (cat a.gz b.gz), as gzip -d does', async () => {
    const lines = JSONL.trim().split('\n');
    const parts = await Promise.all([lines.slice(0, 1), lines.slice(1), lines.slice(0, 1)].map((l) => gzip(enc(`${l.join('\n')}\n`))));
    const result = await read(concat(...parts), 'data.jsonl.gz');
    expect(result.rows.map((r) => r.value)).toEqual([lines[0]!, ...lines.slice(1), lines[0]!].map((l) => JSON.parse(l)));
    // A large file of several members, each bigger than one input slice, reads whole too.
    const big = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ prompt: `p${i} ${'x'.repeat(i % 97)}`, n: i })).join('\n');
    const members = await Promise.all([0, 1, 2].map((k) => gzip(enc(`${big}\n`.replace(/"p(\d+)/g, `"m${k}p$1`)))));
    const many = await read(concat(...members), 'big.jsonl.gz');
    expect(many.rows).toHaveLength(9000);
    expect(many.rows[8999]!.value).toMatchObject({ prompt: expect.stringMatching(/^m2p2999/) });
  });

  it('rejects a .parquet name on text, naming what it looks like', async () => {
    const error = await failure(enc(JSONL), 'data.parquet');
    expect(error.code).toBe('format-mismatch');
    expect(error.message).toBe('data.parquet is not a Parquet file (it does not start with PAR1; it looks like JSON lines).');
    expect((await failure(enc(CSV), 'data.pq')).message).toBe(
      'data.pq is not a Parquet file (it does not start with PAR1; it looks like comma-separated text).',
    );
  });

  it('rejects text names on other content', async () => {
    const parquet = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'prompt', data: ['p'], type: 'STRING' }] }));
    expect(await failure(parquet, 'data.jsonl')).toMatchObject({
      code: 'format-mismatch',
      message: 'data.jsonl is not a JSON-lines file (it does not start with "[" or "{"; it looks like a Parquet file).',
    });
    expect((await failure(enc(CSV), 'data.json')).message).toBe(
      'data.json is not a JSON file (it does not start with "[" or "{"; it looks like comma-separated text).',
    );
    expect((await failure(enc(JSONL), 'data.csv')).message).toBe(
      'data.csv is not a CSV file (it is not delimited text; it looks like JSON lines).',
    );
  });

  it('rejects content that fits no format', async () => {
    expect((await failure(new Uint8Array([1, 0, 2, 3, 0, 9]), 'blob.bin')).code).toBe('unknown-format');
    const plain = await failure(enc('just some words\nand more\n'), 'notes.txt');
    expect(plain.code).toBe('unknown-format');
    expect(plain.message).toContain('it looks like plain text');
  });

  it('rejects a file without rows', async () => {
    expect((await failure(enc('[]'), 'data.json')).code).toBe('no-rows');
    expect((await failure(enc('prompt,n\n'), 'data.csv')).code).toBe('no-rows');
  });

  it('reports the position of a JSON syntax error', async () => {
    const error = await failure(enc('[\n{"prompt": "a"},\n{"prompt" "b"}\n]'), 'data.json');
    expect(error).toMatchObject({ code: 'bad-json' });
    expect(error.message).toBe('data.json is not valid JSON: unexpected """, expected ":" after a property name at line 3, column 11.');
  });
});

describe('readTable: progress and cancellation', () => {
  const big = enc(JSONL.repeat(60_000)); // about 3 MB, several slices

  it('reports progress in bytes, ending at the total', async () => {
    const seen: Array<[number, number]> = [];
    await read(big, 'big.jsonl', { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every(([, total]) => total === big.length)).toBe(true);
    const done = seen.map(([d]) => d);
    expect(done).toEqual(done.toSorted((a, b) => a - b));
    expect(seen.at(-1)).toEqual([big.length, big.length]);
  });

  it('stops with "cancelled" when the signal is aborted before or during the read', async () => {
    const before = new AbortController();
    before.abort();
    expect((await failure(big, 'big.jsonl', { signal: before.signal })).code).toBe('cancelled');

    const during = new AbortController();
    const error = await failure(big, 'big.jsonl', { signal: during.signal, onProgress: () => during.abort() });
    expect(error.code).toBe('cancelled');

    const gzDuring = new AbortController();
    const gz = await gzip(big);
    expect((await failure(gz, 'big.jsonl.gz', { signal: gzDuring.signal, onProgress: () => gzDuring.abort() })).code).toBe('cancelled');
  });
});

describe('readTable: Parquet', () => {
  const parquet = (): Uint8Array =>
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: [1n, 2n, 9007199254740993n], type: 'INT64' },
          { name: 'prompt', data: ['p1', 'p2', null], type: 'STRING' },
          { name: 'when', data: [new Date(0), new Date(1000), null], type: 'TIMESTAMP' },
          { name: 'score', data: [0.5, 1, 2], type: 'DOUBLE' },
          { name: 'tags', data: [['x', 'y'], [], null] },
        ],
        rowGroupSize: 2,
      }),
    );

  it('reads rows 1..n across row groups with BigInt and Date made plain', async () => {
    const result = await read(parquet(), 'data.parquet');
    expect(result).toMatchObject({ format: 'parquet', compressed: false, problems: [] });
    expect(result.rows).toEqual([
      { row: 1, value: { id: 1, prompt: 'p1', when: '1970-01-01T00:00:00.000Z', score: 0.5, tags: ['x', 'y'] } },
      { row: 2, value: { id: 2, prompt: 'p2', when: '1970-01-01T00:00:01.000Z', score: 1, tags: [] } },
      { row: 3, value: { id: '9007199254740993', prompt: null, when: null, score: 2, tags: null } },
    ]);
  });

  it('reads gzip-compressed Parquet and Parquet without a known extension', async () => {
    expect(await read(await gzip(parquet()), 'data.parquet.gz')).toMatchObject({ format: 'parquet', compressed: true });
    expect((await read(parquet(), 'download')).rows).toHaveLength(3);
  });

  it('rejects a damaged Parquet file', async () => {
    const bytes = parquet();
    const truncated = new Uint8Array([...bytes.subarray(0, 40), ...bytes.subarray(bytes.length - 8)]);
    expect(await failure(truncated, 'data.parquet')).toMatchObject({ code: 'bad-parquet' });
    const garbled = bytes.slice();
    for (let i = 4; i < garbled.length - 8; i++) garbled[i] = 0xab;
    expect((await failure(garbled, 'data.parquet')).code).toBe('bad-parquet');
  });
});

describe('sniffContent', () => {
  it('tells the kinds apart from the first bytes', () => {
    expect(sniffContent(enc('PAR1...'), true)).toEqual({ kind: 'parquet' });
    expect(sniffContent(enc('  [1]'), true)).toEqual({ kind: 'json-array' });
    expect(sniffContent(enc('{"a":1}\n{"a":2}'), true)).toEqual({ kind: 'json-lines' });
    expect(sniffContent(enc('{\n "a": 1\n}'), true)).toEqual({ kind: 'json-object' });
    expect(sniffContent(enc('{"a":1}\n'), true)).toEqual({ kind: 'json-one-line' });
    expect(sniffContent(enc('a,"b\tc",d\n'), true)).toEqual({ kind: 'delimited', delimiter: ',' });
    expect(sniffContent(enc('\n\n'), true)).toEqual({ kind: 'empty' });
    expect(sniffContent(new Uint8Array([0xff, 0xd8, 0, 1]), true)).toEqual({ kind: 'binary' });
  });
});
