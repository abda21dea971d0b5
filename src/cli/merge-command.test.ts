import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';
import { appInfo } from './merge-command';

const dir = mkdtempSync(join(tmpdir(), 'hyper-merge-'));

restoreOutputAfterEach();

// Five pairs in the project's pairs layout: p0-p2 routed, p0 and p1 annotated (p1 a split, i.e. a tie), p3 an LM
// tie, p4 without an LM label.
const PAIRS = [
  { id: 'p0', prompt: 'Capital of France?', response_a: 'Paris.', response_b: 'Lyon, "maybe".', pref_lm: 'B-is-better' },
  { id: 'p1', prompt: 'Two plus two?', response_a: '4', response_b: 'four', pref_lm: 'A-is-better' },
  { id: 'p2', prompt: 'A haiku, please.', response_a: 'Old pond,\nfrog jumps', response_b: 'no', pref_lm: 'A-is-better' },
  { id: 'p3', prompt: 'Say hi.', response_a: 'hi', response_b: 'hello', pref_lm: 'Tie' },
  { id: 'p4', prompt: 'Pick one.', response_a: 'x', response_b: 'y', pref_lm: null },
];
const input = join(dir, 'pairs.jsonl');
writeFileSync(input, PAIRS.map((p) => JSON.stringify(p)).join('\n'));
const inputSha = createHash('sha256').update(readFileSync(input)).digest('hex');

const planPath = join(dir, 'plan.json');
writeFileSync(
  planPath,
  JSON.stringify({
    format: 'hyper-routing-plan',
    version: 1,
    producedBy: { app: 'hyper-workbench', version: '0.1.0' },
    createdAt: '2025-01-01T00:00:00.000Z',
    dataset: { name: 'pairs.jsonl', sha256: inputSha, n: 5 },
    ppm: { name: 'paper-prior', sha256: '0'.repeat(64), kind: 'linear', output: 'relative gain', missingInData: [] },
    strategy: 'topk',
    budget: { kind: 'count', value: 3, count: 3 },
    seed: null,
    candidates: null,
    predicted: 0.5,
    predictedAllLm: 0.25,
    predictedAllHuman: 0.75,
    human: [
      { idx: 0, id: 'p0', gain: 3 },
      { idx: 1, id: 'p1', gain: 2 },
      { idx: 2, id: 'p2', gain: 1 },
    ],
  }),
);
const annotationsPath = join(dir, 'annotations.jsonl');
const a = (idx: number, instanceId: string, annotator: string, overall: string) =>
  JSON.stringify({ idx, instanceId, annotator, overall, planId: 'plan-1', status: 'submitted' });
writeFileSync(
  annotationsPath,
  [a(0, 'p0', 'ann', 'A>>B'), a(0, 'p0', 'bob', 'A>B'), a(1, 'p1', 'ann', 'A>B'), a(1, 'p1', 'bob', 'B>A')].join('\n'),
);

const base = (format: string, output: string) => [
  'merge',
  '--input',
  input,
  '--plan',
  planPath,
  '--annotations',
  annotationsPath,
  '--format',
  format,
  '--output',
  output,
];

/** Entries of a zip by name, read through its central directory. */
function unzip(bytes: Buffer): Map<string, string> {
  const eocd = bytes.length - 22;
  expect(bytes.readUInt32LE(eocd)).toBe(0x06054b50);
  let p = bytes.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < bytes.readUInt16LE(eocd + 10); i++) {
    const nameLen = bytes.readUInt16LE(p + 28);
    const local = bytes.readUInt32LE(p + 42);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + bytes.readUInt32LE(p + 20));
    out.set(
      bytes.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
      (bytes.readUInt16LE(p + 10) === 8 ? inflateRawSync(raw) : raw).toString('utf8'),
    );
    p += 46 + nameLen;
  }
  return out;
}

describe('hyper merge', () => {
  it('writes TRL with the human label on routed, annotated pairs, and a manifest with the counts', async () => {
    const output = join(dir, 'hybrid.jsonl');
    const io = capture();
    expect(await main(base('trl', output))).toBe(0);
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; chosen: string; rejected: string });
    // p0: humans say A (the LM said B); p1: human tie, dropped; p2: routed, unlabelled, LM says A; p3 LM tie dropped; p4 no label.
    expect(rows).toEqual([
      { id: 'p0', prompt: 'Capital of France?', chosen: 'Paris.', rejected: 'Lyon, "maybe".' },
      { id: 'p2', prompt: 'A haiku, please.', chosen: 'Old pond,\nfrog jumps', rejected: 'no' },
    ]);
    const manifest = JSON.parse(readFileSync(`${output}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({
      format: 'hyper-export-manifest',
      producedBy: { app: appInfo().name, version: appInfo().version },
      dataset: { name: 'pairs.jsonl', sha256: inputSha, instances: 5 },
      routing: { strategy: 'topk', routed: 3, predicted: 0.5, ppm: { name: 'paper-prior' } },
      merge: {
        options: { aggregate: 'majority', unlabelled: 'lm', ties: 'drop' },
        counts: {
          output: 2,
          bySource: { human: 1, lm: 1 },
          tiesDropped: { human: 1, lm: 1 },
          routedUnlabelled: 1,
          omitted: { noLabel: 1, unlabelled: 0 },
          agreement: { compared: 2, agree: 0, rate: 0 },
        },
      },
      export: { format: 'trl', file: 'hybrid.jsonl', rows: 2, sha256: createHash('sha256').update(readFileSync(output)).digest('hex') },
    });
    expect(manifest.producedBy.command).toContain('hyper merge --input');
    expect(appInfo().name).toBe('hyper-workbench');
    expect(io.err()).toContain('merged 5 pairs: 2 kept (1 human, 1 LM)');
    expect(io.err()).toContain('human-LM agreement on routed pairs with both labels: 0/2 (0.0%)');
  });

  it('options: --ties keep --unlabelled omit --aggregate annotator:bob on the full format', async () => {
    const output = join(dir, 'full.jsonl');
    capture();
    expect(await main([...base('full', output), '--ties', 'keep', '--unlabelled', 'omit', '--aggregate', 'annotator:bob'])).toBe(0);
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.id, r.label, r.label_source])).toEqual([
      ['p0', 'A>B', 'human'],
      ['p1', 'B>A', 'human'],
      ['p3', 'A=B', 'lm'],
    ]);
    const manifest = JSON.parse(readFileSync(`${output}.manifest.json`, 'utf8'));
    expect(manifest.merge.options).toEqual({
      aggregate: 'annotator:bob',
      unlabelled: 'omit',
      ties: 'keep',
      fileHuman: 'ignore',
      planId: null,
      degenerate: 'drop',
    });
    expect(manifest.merge.counts.omitted).toEqual({ unlabelled: 1, noLabel: 1, degenerate: { empty: 0, identical: 0 } });
  });

  it('a .zip output bundles the data, manifest.json and the dataset card', async () => {
    const output = join(dir, 'bundle.zip');
    capture();
    expect(await main([...base('csv', output), '--ties', 'keep'])).toBe(0);
    const files = unzip(readFileSync(output));
    expect([...files.keys()]).toEqual(['bundle.csv', 'manifest.json', 'README.md']);
    const csv = files.get('bundle.csv')!;
    expect(csv.split('\r\n')[0]).toMatch(/^id,idx,prompt,/);
    expect(csv).toContain('"Old pond,\nfrog jumps"');
    const manifest = JSON.parse(files.get('manifest.json')!);
    expect(manifest.export).toMatchObject({ format: 'csv', file: 'bundle.csv', rows: 4 });
    expect(files.get('README.md')).toContain('load_dataset("csv", data_files="bundle.csv", split="train")');
  });

  it('parquet and trl-conversational write files the importer reads back', async () => {
    capture();
    for (const format of ['parquet', 'trl-conversational']) {
      const output = join(dir, `out.${format === 'parquet' ? 'parquet' : 'jsonl'}`);
      expect(await main(base(format, output))).toBe(0);
      const { ImportSession } = await import('../domain/formats/import-session');
      const session = await ImportSession.read(new Uint8Array(readFileSync(output)), output);
      expect(session.recognise()[0]?.shape).toBe(format === 'parquet' ? 'pairs' : 'trl-conversational');
      expect(session.rows.map((r) => r.value.id)).toEqual(['p0', 'p2']);
    }
  });

  it('--features adds the HyPER tags to the full record', async () => {
    const features = join(dir, 'features.jsonl');
    writeFileSync(features, `${JSON.stringify({ id: 'p0', scores: {}, tags: ['rouge::min_val=0.0|max_val=0.33'] })}\n`);
    const output = join(dir, 'tagged.jsonl');
    capture();
    expect(await main([...base('full', output), '--tags', features])).toBe(0);
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => r.hyper_tags)).toEqual([['rouge::min_val=0.0|max_val=0.33'], null]);
  });

  it('--file-human use needs no annotations file', async () => {
    const withHuman = join(dir, 'with-human.jsonl');
    writeFileSync(withHuman, PAIRS.map((p, i) => JSON.stringify({ ...p, pref_human: i === 2 ? 'B-is-better' : null })).join('\n'));
    const output = join(dir, 'file-human.jsonl');
    const io = capture();
    expect(
      await main(['merge', '--input', withHuman, '--plan', planPath, '--format', 'trl', '--output', output, '--file-human', 'use']),
    ).toBe(0);
    expect(io.err()).toContain('warning: the plan was made on a file with another SHA-256');
    const rows = readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; chosen: string });
    expect(rows).toEqual([
      expect.objectContaining({ id: 'p0', chosen: 'Lyon, "maybe".' }),
      expect.objectContaining({ id: 'p1', chosen: '4' }),
      expect.objectContaining({ id: 'p2', chosen: 'no' }),
    ]);
  });

  it('explains usage errors and bad files with their line, and a plan for another dataset', async () => {
    const io = capture();
    expect(await main(['merge', '--input', input, '--plan', planPath, '--format', 'trl', '--output', join(dir, 'x')])).toBe(2);
    expect(io.err()).toContain('--annotations is required');
    expect(await main([...base('xml', join(dir, 'x'))])).toBe(2);
    expect(io.err()).toContain('--format must be one of trl, trl-conversational, full, csv, parquet');
    expect(await main([...base('trl', join(dir, 'x')), '--ties', 'sometimes'])).toBe(2);
    expect(io.err()).toContain('--ties must be one of drop, keep');
    expect(await main([...base('trl', join(dir, 'x')), '--aggregate', 'median'])).toBe(1);
    expect(io.err()).toMatch(/unknown aggregation "median".*\[bad-option\]/);
    const badAnnotations = join(dir, 'bad.jsonl');
    writeFileSync(badAnnotations, `${a(0, 'p0', 'ann', 'A>B')}\n${a(1, 'p1', 'bob', 'sideways')}\n`);
    expect(
      await main([
        'merge',
        '--input',
        input,
        '--plan',
        planPath,
        '--annotations',
        badAnnotations,
        '--format',
        'trl',
        '--output',
        join(dir, 'x'),
      ]),
    ).toBe(1);
    expect(io.err()).toContain('line 2: "overall" must be one of A>>B, A>B, A=B, B>A, B>>A, got "sideways"');
    const otherPlan = join(dir, 'other-plan.json');
    writeFileSync(otherPlan, readFileSync(planPath, 'utf8').replace('"id":"p1"', '"id":"zz"'));
    expect(
      await main([
        'merge',
        '--input',
        input,
        '--plan',
        otherPlan,
        '--annotations',
        annotationsPath,
        '--format',
        'trl',
        '--output',
        join(dir, 'x'),
      ]),
    ).toBe(1);
    expect(io.err()).toMatch(/instance 1 should be "zz" but the dataset has "p1".*\[plan-mismatch\]/);
    expect(await main(['merge', '--help'])).toBe(0);
    expect(io.out()).toContain('npx hyper merge --input FILE --plan PLAN.json');
  });
});
