// The commands never leave or destroy files on failure: outputs appear whole or not at all, an earlier output
// survives a failed or interrupted run, and a folder output is replaced whole (or refused), never mixed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';

restoreOutputAfterEach();
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const demo = join(REPO, 'src/demo/demo-pairs.jsonl');

async function run(args: string[]): Promise<{ code: number; err: string }> {
  const io = capture();
  const code = await main(args);
  return { code, err: io.err() };
}

/** Files in a folder that are leftovers of an unfinished write. */
const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('outputs are written whole or not at all', () => {
  it('a merge that fails keeps the earlier output as it was, and leaves no partial file or temporary behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyper-out-'));
    const plan = join(dir, 'plan.json');
    expect(
      (await run(['route', '--input', demo, '--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '0.5', '--output', plan])).code,
    ).toBe(0);
    const output = join(dir, 'hybrid.jsonl');
    writeFileSync(output, 'EARLIER EXPORT\n');
    writeFileSync(`${output}.manifest.json`, '{"earlier": true}\n');
    // An annotation on a pair id the dataset does not have at that position: the merge fails part-way.
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      `${JSON.stringify({ idx: 30, instanceId: 'not-there', annotator: 'a', planId: 'p', status: 'submitted', overall: 'A>B' })}\n`,
    );
    const failed = await run(['merge', '--input', demo, '--plan', plan, '--annotations', bad, '--format', 'trl', '--output', output]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('not-there');
    expect(readFileSync(output, 'utf8')).toBe('EARLIER EXPORT\n');
    expect(readFileSync(`${output}.manifest.json`, 'utf8')).toBe('{"earlier": true}\n');
    expect(temps(dir)).toEqual([]);
    // Into a new name: nothing at all appears, neither the data file nor a manifest.
    const fresh = join(dir, 'fresh.jsonl');
    expect((await run(['merge', '--input', demo, '--plan', plan, '--annotations', bad, '--format', 'trl', '--output', fresh])).code).toBe(
      1,
    );
    expect(existsSync(fresh)).toBe(false);
    expect(existsSync(`${fresh}.manifest.json`)).toBe(false);
    // A 0-byte annotations file is refused, not read as "no annotations".
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const refused = await run(['merge', '--input', demo, '--plan', plan, '--annotations', empty, '--format', 'trl', '--output', fresh]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('empty.jsonl: the file is empty');
    // And a good run replaces the earlier output.
    expect((await run(['merge', '--input', demo, '--plan', plan, '--file-human', 'use', '--format', 'trl', '--output', output])).code).toBe(
      0,
    );
    expect(readFileSync(output, 'utf8')).not.toContain('EARLIER');
    expect(JSON.parse(readFileSync(`${output}.manifest.json`, 'utf8'))).toMatchObject({ format: 'hyper-export-manifest' });
  });

  it('candidates: a rerun with --force replaces the earlier run whole; a folder of other files is refused and left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyper-out-'));
    const lab = join(dir, 'lab');
    expect((await run(['candidates', '--input', demo, '--k', '30', '--seed', '1', '--output', lab])).code).toBe(0);
    expect(readdirSync(join(lab, 'candidates')).filter((n) => n.endsWith('.jsonl'))).toHaveLength(30);
    const again = await run(['candidates', '--input', demo, '--k', '5', '--seed', '2', '--output', lab]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds a run');
    expect((await run(['candidates', '--input', demo, '--k', '5', '--seed', '2', '--output', lab, '--force'])).code).toBe(0);
    expect(readdirSync(join(lab, 'candidates')).filter((n) => n.endsWith('.jsonl'))).toHaveLength(5);
    expect(JSON.parse(readFileSync(join(lab, 'manifest.json'), 'utf8')).candidates).toHaveLength(5);
    expect(readdirSync(dir)).toEqual(['lab']);

    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    const refused = await run(['candidates', '--input', demo, '--k', '5', '--output', mine, '--force']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('holds files that are not an earlier output of this command');
    expect(readdirSync(mine)).toEqual(['notes.txt']);
  });

  it(
    'Ctrl-C during candidates leaves no cut file: the earlier run stays, the unfinished one is removed',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hyper-int-'));
      const lab = join(dir, 'lab');
      expect((await run(['candidates', '--input', demo, '--k', '3', '--seed', '1', '--output', lab])).code).toBe(0);
      const before = readFileSync(join(lab, 'manifest.json'), 'utf8');
      // A run long enough to interrupt: many candidates without a cap.
      const child = spawn(
        process.execPath,
        [join(REPO, 'bin/hyper.mjs'), 'candidates', '--input', demo, '--k', '100000', '--output', lab, '--force'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // Interrupt once it is writing candidates into its own temporary folder.
      const deadline = Date.now() + 60_000;
      while (
        Date.now() < deadline &&
        !readdirSync(dir).some(
          (n) => n.endsWith('.tmp') && existsSync(join(dir, n, 'candidates')) && readdirSync(join(dir, n, 'candidates')).length > 10,
        )
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('interrupted');
      expect(readdirSync(dir)).toEqual(['lab']);
      expect(readFileSync(join(lab, 'manifest.json'), 'utf8')).toBe(before);
      expect(readdirSync(join(lab, 'candidates')).filter((n) => n.endsWith('.jsonl'))).toHaveLength(3);
    },
  );
});
