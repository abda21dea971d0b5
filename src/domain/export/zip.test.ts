// Zips are read back by other implementations: Python's zipfile and Info-ZIP's unzip when the machine has them
// (each test says so and skips otherwise), and always by a central-directory reader written here against the
// APPNOTE layout, with the deflated data inflated by node:zlib.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, dosDateTime, fastDeflateRaw, webDeflateRaw, ZipWriter } from './zip';

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const PYTHON = has('python3', ['-c', 'import zipfile']);
const UNZIP = has('unzip', ['-v']);
const JAVA = has('java', ['-version']);

/**
 * Reads a zip front to back through its local headers, as streaming readers (Java's ZipInputStream) do: a
 * deflated entry ends where its deflate stream ends, a stored one must say its size in its local header.
 */
function streamZip(zip: Uint8Array): { name: string; data: Uint8Array }[] {
  const d = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: { name: string; data: Uint8Array }[] = [];
  let p = 0;
  while (d.getUint32(p, true) === 0x04034b50) {
    const flags = d.getUint16(p + 6, true);
    const method = d.getUint16(p + 8, true);
    const start = p + 30 + d.getUint16(p + 26, true) + d.getUint16(p + 28, true);
    const name = new TextDecoder().decode(zip.subarray(p + 30, p + 30 + d.getUint16(p + 26, true)));
    if (method === 0 && flags & 8) throw new Error(`${name}: only DEFLATED entries can have EXT descriptor`);
    let data: Uint8Array;
    let end: number;
    if (method === 0) {
      end = start + d.getUint32(p + 18, true);
      data = zip.subarray(start, end);
    } else {
      const r = inflateRawSync(zip.subarray(start), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      data = new Uint8Array(r.buffer);
      end = start + r.engine.bytesWritten;
    }
    if (flags & 8) end += 16;
    out.push({ name, data });
    p = end;
  }
  return out;
}

/** A zip of every kind of entry: stored, or deflated by CompressionStream ('web') or by fflate ('fast'). */
async function buildZip(deflate: false | 'web' | 'fast'): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const zip = new ZipWriter((c) => void parts.push(c), {
    ...(deflate ? { deflate: deflate === 'web' ? webDeflateRaw : () => fastDeflateRaw() } : {}),
    modified: new Date('2025-03-04T05:06:08Z'),
  });
  const enc = new TextEncoder();
  await zip.addFile('manifest.json', enc.encode('{"a": 1}\n'));
  await zip.addFile('empty.txt', new Uint8Array(0));
  await zip.addFile('data/über ✓.txt', enc.encode('x'.repeat(10_000)), { compress: false });
  const s = zip.beginFile('stream.jsonl');
  for (let i = 0; i < 1000; i++) await s.write(enc.encode(`{"i": ${i}, "text": "line ${i} ${'y'.repeat(i % 50)}"}\n`));
  await s.end();
  const s2 = zip.beginFile('stored-stream.bin', { compress: false });
  await s2.write(new Uint8Array([0, 1, 2, 255]));
  await s2.write(new Uint8Array(0));
  await s2.write(new Uint8Array([7]));
  await s2.end();
  await zip.finish();
  return new Uint8Array(Buffer.concat(parts));
}

const expectedContent = (): Record<string, Uint8Array> => {
  const enc = new TextEncoder();
  let stream = '';
  for (let i = 0; i < 1000; i++) stream += `{"i": ${i}, "text": "line ${i} ${'y'.repeat(i % 50)}"}\n`;
  return {
    'manifest.json': enc.encode('{"a": 1}\n'),
    'empty.txt': new Uint8Array(0),
    'data/über ✓.txt': enc.encode('x'.repeat(10_000)),
    'stream.jsonl': enc.encode(stream),
    'stored-stream.bin': new Uint8Array([0, 1, 2, 255, 7]),
  };
};

/** Reads a zip through its central directory (the way unzip tools do), checking each entry's CRC. */
function readZip(zip: Uint8Array): { name: string; method: number; crc: number; data: Uint8Array; time: number; date: number }[] {
  const d = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(d.getUint32(eocd, true)).toBe(0x06054b50);
  const count = d.getUint16(eocd + 10, true);
  let p = d.getUint32(eocd + 16, true);
  expect(p + d.getUint32(eocd + 12, true)).toBe(eocd);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(d.getUint32(p, true)).toBe(0x02014b50);
    const flags = d.getUint16(p + 8, true);
    const method = d.getUint16(p + 10, true);
    const crc = d.getUint32(p + 16, true);
    const csize = d.getUint32(p + 20, true);
    const size = d.getUint32(p + 24, true);
    const nameLen = d.getUint16(p + 28, true);
    const local = d.getUint32(p + 42, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    expect(flags & 0x800).toBe(0x800);
    expect(d.getUint32(local, true)).toBe(0x04034b50);
    const start = local + 30 + d.getUint16(local + 26, true) + d.getUint16(local + 28, true);
    const raw = zip.subarray(start, start + csize);
    const data = method === 8 ? new Uint8Array(inflateRawSync(raw)) : raw;
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    if (flags & 8) {
      expect(d.getUint32(start + csize, true)).toBe(0x08074b50);
      expect(d.getUint32(start + csize + 4, true)).toBe(crc);
    }
    out.push({ name, method, crc, data, time: d.getUint16(p + 12, true), date: d.getUint16(p + 14, true) });
    p += 46 + nameLen;
  }
  return out;
}

describe('crc32', () => {
  it('matches the standard check value and continues across chunks', () => {
    const enc = new TextEncoder();
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(enc.encode('56789'), crc32(enc.encode('1234')))).toBe(0xcbf43926);
  });
});

describe('ZipWriter', () => {
  for (const deflate of [false, 'web', 'fast'] as const) {
    const kind = deflate ? `deflated (${deflate})` : 'stored';
    it(`${kind}: every entry reads back through the central directory with its CRC and time`, async () => {
      const zip = await buildZip(deflate);
      const entries = readZip(zip);
      const expected = expectedContent();
      expect(entries.map((e) => e.name)).toEqual(Object.keys(expected));
      for (const e of entries) expect(e.data).toEqual(expected[e.name]);
      expect(entries.map((e) => e.method)).toEqual(deflate ? [8, 8, 0, 8, 0] : [0, 0, 0, 0, 0]);
      const { time, date } = dosDateTime(new Date('2025-03-04T05:06:08Z'));
      expect(entries.every((e) => e.time === time && e.date === date)).toBe(true);
      expect(date).toBe(((2025 - 1980) << 9) | (3 << 5) | 4);
      expect(time).toBe((5 << 11) | (6 << 5) | 4);
      if (deflate) expect(zip.length).toBeLessThan(10_000 + 60_000);
    });

    it(`${kind}: a streaming reader (local headers front to back) reads every entry, stored ones included`, async () => {
      const entries = streamZip(await buildZip(deflate));
      const expected = expectedContent();
      expect(entries.map((e) => e.name)).toEqual(Object.keys(expected));
      for (const e of entries) expect(e.data).toEqual(expected[e.name]);
    });

    it.skipIf(!JAVA)(`${kind}: Java's streaming ZipInputStream reads every entry`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyper-zip-'));
      const path = join(dir, 'test.zip');
      writeFileSync(path, await buildZip(deflate));
      const source = join(dir, 'ReadZip.java');
      writeFileSync(
        source,
        [
          'import java.io.*; import java.util.zip.*;',
          'public class ReadZip { public static void main(String[] a) throws Exception {',
          '  try (ZipInputStream z = new ZipInputStream(new FileInputStream(a[0]), java.nio.charset.StandardCharsets.UTF_8)) {',
          '    for (ZipEntry e; (e = z.getNextEntry()) != null; ) { long n = 0; byte[] b = new byte[8192]; for (int k; (k = z.read(b)) > 0; ) n += k; System.out.println(e.getName() + "\t" + n); }',
          '  } } }',
        ].join('\n'),
      );
      const r = spawnSync('java', [source, path], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const expected = Object.entries(expectedContent()).map(([n, b]) => `${n}\t${b.length}`);
      expect(r.stdout.trim().split('\n')).toEqual(expected);
    });

    it.skipIf(!PYTHON)(`${kind}: Python's zipfile reads it and its CRC check passes`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyper-zip-'));
      const path = join(dir, 'test.zip');
      writeFileSync(path, await buildZip(deflate));
      const script = [
        'import zipfile, sys, json, hashlib',
        'z = zipfile.ZipFile(sys.argv[1])',
        'assert z.testzip() is None',
        'print(json.dumps([[i.filename, i.file_size, hashlib.sha256(z.read(i.filename)).hexdigest()] for i in z.infolist()]))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const listed = JSON.parse(r.stdout) as [string, number, string][];
      const { createHash } = await import('node:crypto');
      const expected = Object.entries(expectedContent()).map(([n, b]) => [n, b.length, createHash('sha256').update(b).digest('hex')]);
      expect(listed).toEqual(expected);
    });

    it.skipIf(!UNZIP)(`${kind}: unzip -t finds no errors`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyper-zip-'));
      const path = join(dir, 'test.zip');
      writeFileSync(path, await buildZip(deflate));
      const r = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('No errors detected');
      expect(r.stdout).toContain('testing: stream.jsonl');
    });
  }

  it('refuses misuse: two open entries, a repeated or unsafe name, compression without a compressor', async () => {
    const zip = new ZipWriter(() => {});
    const s = zip.beginFile('a');
    expect(() => zip.beginFile('b')).toThrow(/while another entry is open/);
    await expect(zip.finish()).rejects.toThrow(/still open/);
    await s.end();
    await expect(zip.addFile('a', new Uint8Array(1))).rejects.toThrow(/added twice/);
    await expect(zip.addFile('../x', new Uint8Array(1))).rejects.toThrow(/bad entry name/);
    await expect(zip.addFile('c', new Uint8Array(1), { compress: true })).rejects.toThrow(/no compressor/);
  });
});
