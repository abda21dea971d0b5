import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';
import { TAG_INDEX } from '../domain/tags/tags';

const demo = new URL('../demo/demo-pairs.jsonl', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hyper-cli-'));
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

restoreOutputAfterEach();

describe('hyper tags', () => {
  it('writes one line per pair with scores and valid tag ids', async () => {
    const output = join(dir, 'demo-features.jsonl');
    const io = capture();
    expect(await main(['tags', '--input', demo, '--output', output])).toBe(0);
    // The command's first name does the same.
    const old = join(dir, 'demo-features-old-name.jsonl');
    expect(await main(['features', '--input', demo, '--output', old])).toBe(0);
    expect(readFileSync(old, 'utf8')).toBe(readFileSync(output, 'utf8'));
    const lines = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; scores: Record<string, number>; tags: string[] });
    const ids = readFileSync(demo, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { prompt_hash: string }).prompt_hash);
    expect(lines.map((l) => l.id)).toEqual(ids);
    for (const l of lines) {
      expect(l.scores.prompt_len).toBeGreaterThan(0);
      expect(l.scores.rouge).toBeGreaterThanOrEqual(0);
      expect(l.tags.every((t) => TAG_INDEX.has(t))).toBe(true);
      // one bin of each computed score
      for (const s of ['prompt_len', 'len_shorter', 'len_longer', 'token_len_diff', 'rouge', 'entity_sim']) {
        expect(l.tags.filter((t) => t.startsWith(`${s}::`))).toHaveLength(1);
      }
    }
    expect(io.err()).toContain('40 pairs');
    expect(io.err()).toContain('81/90 tags available');
  });

  it('reads a file through a column mapping', async () => {
    const input = join(dir, 'custom.csv');
    writeFileSync(input, 'q,x,y\nWhat is 2+2?,4,five\nName a colour.,red,blue\n');
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ prompt: ['q'], responseA: 'x', responseB: 'y' }));
    const output = join(dir, 'custom.jsonl');
    capture();
    expect(await main(['features', '--input', input, '--output', output, '--layout', 'custom', '--mapping', mapping])).toBe(0);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('explains usage errors and bad input with a non-zero exit', async () => {
    const io = capture();
    expect(await main(['features', '--input', demo])).toBe(2);
    expect(io.err()).toContain('--output is required');
    expect(await main(['features', '--input', demo, '--output', join(dir, 'x'), '--bogus'])).toBe(2);
    expect(io.err()).toContain('unknown option --bogus');
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, '{"a": 1}\n');
    expect(await main(['features', '--input', bad, '--output', join(dir, 'y')])).toBe(1);
    expect(io.err()).toMatch(/bad\.parquet is not a Parquet file.*\[format-mismatch\]/);
    expect(await main(['nope'])).toBe(2);
    expect(await main(['features', '--help'])).toBe(0);
    expect(io.out()).toContain('npx hyper tags --input FILE');
  });

  it('takes -h and --version as other CLIs do', async () => {
    const io = capture();
    expect(await main(['-h'])).toBe(0);
    expect(io.out()).toContain('Commands:');
    expect(await main(['route', '-h'])).toBe(0);
    expect(io.out()).toContain('hyper route: choose which pairs go to human annotators');
    expect(await main(['--version'])).toBe(0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(io.out().trim().split('\n').at(-1)).toBe(pkg.version);
  });
});
