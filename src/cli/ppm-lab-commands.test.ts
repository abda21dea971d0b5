// `hyper candidates` and `hyper fit` end to end on a small seeded dataset written by the test, then the
// fitted model routed by `hyper route`.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TAG_IDS } from '../domain/tags/tags';
import { readPpmInfo } from '../domain/ppm/contract';
import { FITTED_SOURCE, type CandidateManifest, parseCountsCsv, PROXY_OUTPUT_MEANING } from '../domain/ppm-lab';
import { mulberry32 } from '../domain/random';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'hyper-lab-'));

restoreOutputAfterEach();

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, out: io.out(), err: io.err() };
}

// 160 pairs in the project's pairs layout: varied lengths, a few ties and missing labels on either side.
const WORDS = 'river stone light quick answer table green over under model paper seven blue cold warm'.split(' ');
const next = mulberry32(5);
const text = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
const pick = (u: number) => (u < 0.06 ? null : u < 0.12 ? 'Tie' : u < 0.56 ? 'A-is-better' : 'B-is-better');
const input = join(dir, 'pairs.jsonl');
writeFileSync(
  input,
  Array.from({ length: 160 }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      prompt: `Question ${i}: ${text(3 + Math.floor(next() * 30))}`,
      response_a: text(2 + Math.floor(next() * 60)),
      response_b: text(2 + Math.floor(next() * 60)),
      pref_human: pick(next()),
      pref_lm: pick(next()),
    }),
  ).join('\n') + '\n',
);

describe('hyper candidates', () => {
  const out = join(dir, 'run');

  it('writes TRL files, human ids, counts.csv, manifest.json and (with --proxy) results.csv', async () => {
    const r = await run(['candidates', '--input', input, '--output', out, '--k', '12', '--cap', '60', '--seed', '3', '--proxy']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/pool: \d+ pairs with a human and an LM winner/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as CandidateManifest;
    expect(manifest).toMatchObject({ format: 'hyper-candidates', seed: 3, k: 12, cap: 60, budgets: 'random' });
    expect(manifest.dataset.sha256).toBe(createHash('sha256').update(readFileSync(input)).digest('hex'));
    expect(manifest.pool.gold.size).toBeGreaterThan(0);
    expect(readdirSync(join(out, 'candidates'))).toHaveLength(24);
    const counts = parseCountsCsv(readFileSync(join(out, 'counts.csv'), 'utf8'));
    expect(counts.ids).toEqual(manifest.candidates.map((c) => c.id));
    expect(counts.features).toEqual([...TAG_IDS]);
    for (const c of manifest.candidates) {
      const rows = readFileSync(join(out, c.files!.trl), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, string>);
      expect(rows).toHaveLength(c.mixSize);
      expect(c.mixSize).toBe(Math.min(60, manifest.pool.size));
      expect(Object.keys(rows[0]!)).toEqual(['prompt', 'chosen', 'rejected']);
      const human = readFileSync(join(out, c.files!.humanIds), 'utf8').split('\n').filter(Boolean);
      expect(human).toHaveLength(c.humanInMix);
      expect(human.some((id) => manifest.pool.gold.ids.includes(id))).toBe(false);
      // The lexical tags: each of the 6 computed scores has one bin per human-labelled pair.
      const row = counts.X.subarray(counts.byId.get(c.id)! * TAG_IDS.length, (counts.byId.get(c.id)! + 1) * TAG_IDS.length);
      const prompt = TAG_IDS.map((t, k) => (t.startsWith('prompt_len::') ? row[k]! : 0)).reduce((s, v) => s + v, 0);
      expect(prompt).toBe(c.humanInMix);
    }
    const results = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(results[0]).toBe('candidate_id,proxy_accuracy,proxy_train_accuracy,human_in_mix,mix_size');
    expect(results).toHaveLength(13);
    for (const line of results.slice(1)) {
      const acc = Number(line.split(',')[1]);
      expect(acc).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible for a seed', async () => {
    const again = join(dir, 'run-again');
    expect(
      (await run(['candidates', '--input', input, '--output', again, '--k', '12', '--cap', '60', '--seed', '3', '--proxy'])).code,
    ).toBe(0);
    for (const f of ['counts.csv', 'results.csv', 'candidates/c007.jsonl'])
      expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  });

  it('explains bad options and refuses to overwrite a run', async () => {
    let r = await run(['candidates', '--input', input, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('already holds a run');
    r = await run(['candidates', '--input', input, '--output', join(dir, 'x'), '--budgets', '0.2,1.5']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--budgets "1.5": expected a number between 0 and 1');
    r = await run(['candidates', '--input', input, '--output', join(dir, 'x'), '--proxy', '--gold-share', '0']);
    expect(r.err).toContain('--proxy needs a gold set');
    r = await run(['candidates', '--input', input, '--output', join(dir, 'x'), '--cap', '0']);
    expect(r.err).toContain('--cap "0": expected a whole number >= 1');
    r = await run(['candidates', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('npx hyper candidates --input FILE --output DIR');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});

describe('hyper fit', () => {
  const out = join(dir, 'run');

  it('prints the CV report and writes an ONNX PPM that hyper route loads and routes with', async () => {
    const model = join(dir, 'ppm.onnx');
    const preds = join(dir, 'preds.csv');
    const r = await run([
      'fit',
      '--counts',
      join(out, 'counts.csv'),
      '--results',
      join(out, 'results.csv'),
      '--score',
      'proxy_accuracy',
      '--folds',
      '3',
      '--output',
      model,
      '--predictions',
      preds,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^kind\s+lambda\s+CV Spearman\s+CV RMSE/);
    expect(r.out).toMatch(/\nlinear\s+\S+\s+(-?\d\.\d{3}|n\/a) ± /);
    expect(r.out).toMatch(/\nquadratic\s+\S+\s+/);
    const info = readPpmInfo(new Uint8Array(readFileSync(model)));
    expect(info.source).toBe(FITTED_SOURCE);
    expect(info.output).toBe(`proxy_accuracy: ${PROXY_OUTPUT_MEANING}`);
    expect(info.trainedOn).toContain('12 candidate mixes');
    expect(['linear', 'quadratic']).toContain(info.kind);
    expect(readFileSync(preds, 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 12);

    const plan = join(dir, 'plan.json');
    const routed = await run([
      'route',
      '--input',
      input,
      '--ppm',
      model,
      '--strategy',
      'simulated',
      '--budget',
      '0.25',
      '--candidates',
      '20',
      '--output',
      plan,
    ]);
    expect(routed.code, routed.err).toBe(0);
    expect((JSON.parse(readFileSync(plan, 'utf8')) as { human: unknown[] }).human).toHaveLength(40);
  });

  it('fits from count columns in the results file alone, one kind', async () => {
    const counts = readFileSync(join(out, 'counts.csv'), 'utf8').trim().split('\n');
    const scores = readFileSync(join(out, 'results.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[1]);
    const inline = join(dir, 'inline.csv');
    writeFileSync(inline, [`${counts[0]},Overall`, ...counts.slice(1).map((l, i) => `${l},${scores[i]}`)].join('\n'));
    const r = await run([
      'fit',
      '--results',
      inline,
      '--score',
      'Overall',
      '--kind',
      'linear',
      '--folds',
      '3',
      '--output',
      join(dir, 'lin.onnx'),
      '--meaning',
      'test score 0..1',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('quadratic');
    expect(readPpmInfo(new Uint8Array(readFileSync(join(dir, 'lin.onnx')))).output).toBe('Overall: test score 0..1');
  });

  it('names the file, line and column of a bad results file', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'candidate_id,Overall\nc000,0.5\nc001,oops\n');
    let r = await run([
      'fit',
      '--counts',
      join(out, 'counts.csv'),
      '--results',
      bad,
      '--score',
      'Overall',
      '--output',
      join(dir, 'bad.onnx'),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('bad.csv line 3: column "Overall" is "oops", expected a number [bad-results]');
    r = await run(['fit', '--results', bad, '--score', 'Overall', '--output', join(dir, 'bad.onnx')]);
    expect(r.err).toMatch(/no count columns/);
    r = await run([
      'fit',
      '--counts',
      join(out, 'counts.csv'),
      '--results',
      join(out, 'results.csv'),
      '--score',
      'proxy_accuracy',
      '--kind',
      'cubic',
      '--output',
      join(dir, 'bad.onnx'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--kind "cubic": expected linear, quadratic or both');
    expect(existsSync(join(dir, 'bad.onnx'))).toBe(false);
  });
});
