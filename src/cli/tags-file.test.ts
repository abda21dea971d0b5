// The streaming reader of `hyper tags` files: lines split across read chunks, the file's SHA-256, tag bits
// and coverage as the lines say, and errors that name the line.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TAG_WORDS } from '../domain/tags/tag-set';
import { TAG_IDS, TAG_INDEX } from '../domain/tags/tags';
import { readTagsFile } from './tags-from-file';

const dir = mkdtempSync(join(tmpdir(), 'hyper-tags-file-'));
const write = (name: string, text: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readTagsFile', () => {
  it('reads a file larger than its read chunks: every line, its tags, the hash of its bytes', async () => {
    // ~9 MB: lines cross the 4 MB read chunks, some with multi-byte characters in their ids.
    const tags = TAG_IDS.slice(0, 60);
    const lines = Array.from({ length: 9000 }, (_, i) => ({
      id: i % 7 === 0 ? `pair-${i}-é✓` : `pair-${i}`,
      scores: { rouge: (i % 10) / 10 },
      tags: [tags[i % 60], tags[(i * 7) % 60], tags[(i * 13) % 60]],
      note: 'x'.repeat(900),
    }));
    const text = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n\n`;
    const path = write('big.jsonl', text);
    const { tags: read, sha256 } = await readTagsFile(path, '--tags');
    expect(sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(read.n).toBe(9000);
    expect(read.ids).toEqual(lines.map((l) => l.id));
    for (const i of [0, 1, 4095, 4096, 8999]) {
      const want = new Set(lines[i]!.tags.map((t) => TAG_INDEX.get(t!)!));
      const got = TAG_IDS.map((_, t) => t).filter((t) => (read.tagBits[i * TAG_WORDS + (t >>> 5)]! >>> (t & 31)) & 1);
      expect(new Set(got)).toEqual(want);
    }
    // A tag family with a score on some line is available; one with neither score nor tag is not.
    expect(read.coverage.find((c) => c.tag.startsWith('rouge::'))?.available).toBe(true);
    expect(read.coverage.find((c) => c.tag.startsWith('entity_sim::'))?.available).toBe(tags.some((t) => t!.startsWith('entity_sim::')));
  });

  it('names the line of a bad line, a repeated id, an unknown tag, and a file that is not UTF-8', async () => {
    const good = (id: string) => JSON.stringify({ id, tags: [TAG_IDS[0]] });
    await expect(readTagsFile(write('a.jsonl', `${good('a')}\n{oops\n`), '--tags')).rejects.toThrow(/a\.jsonl line 2: not JSON/);
    await expect(readTagsFile(write('b.jsonl', `${good('a')}\n\n${good('a')}`), '--tags')).rejects.toThrow(
      /b\.jsonl line 3: id "a" already on line 1/,
    );
    await expect(readTagsFile(write('c.jsonl', `${good('a')}\n{"id":"b","tags":["nope"]}\n`), '--tags')).rejects.toThrow(
      /c\.jsonl line 2: tags\[0\] "nope" is not one of the HyPER feature strings/,
    );
    await expect(readTagsFile(write('d.jsonl', new Uint8Array([0x7b, 0xff, 0xfe, 0x0a])), '--tags')).rejects.toThrow(
      /d\.jsonl line 1: not UTF-8 text/,
    );
    await expect(readTagsFile(join(dir, 'missing.jsonl'), '--tags')).rejects.toThrow(/--tags .*missing\.jsonl: no such file/);
  });
});
