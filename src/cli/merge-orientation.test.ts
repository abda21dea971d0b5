// The A/B orientation of TRL/HH data travels with plans and annotation files: `hyper merge` reads the data the
// way the labels were made, and refuses a side seed that would flip them.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../domain/annotation';
import { ImportSession } from '../domain/formats/import-session';
import { defaultMapOptions } from '../domain/formats/layouts';
import type { LayoutId } from '../domain/formats/types';
import { serializeAnnotationsFile } from '../domain/merge/annotations-file';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';

restoreOutputAfterEach();
const dir = mkdtempSync(join(tmpdir(), 'hyper-orient-'));

/** Records as the app imports the file with `seed`, and annotations that always prefer the file's chosen response. */
async function appLabels(bytes: Uint8Array, name: string, layout: LayoutId, seed: number, chosenOf: (i: number) => string) {
  const session = await ImportSession.read(bytes, name);
  const records = [...session.records(layout, { ...defaultMapOptions(layout), seed })];
  const annotations: Annotation[] = records.map((r, idx) => ({
    id: `plan-x|${idx}|ana`,
    projectId: 'p',
    datasetId: 'd1',
    planId: 'plan-x',
    idx,
    instanceId: r.id,
    annotator: 'ana',
    status: 'submitted',
    overall: r.responseA === chosenOf(idx) ? 'A>B' : 'B>A',
    confidence: 'fairly-confident',
    aspects: {},
    rationale: '',
    swapped: false,
    activeMs: 1,
    createdAt: 1,
    updatedAt: 2,
    submittedAt: 2,
    rev: 1,
    origin: 'local',
  }));
  return { records, annotations };
}

async function runMerge(args: string[]): Promise<{ code: number; err: string; rows: { id: string; chosen: string }[] }> {
  const io = capture();
  const output = join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  const code = await main(['merge', ...args, '--format', 'trl', '--output', output]);
  const rows =
    code === 0
      ? readFileSync(output, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { id: string; chosen: string })
      : [];
  return { code, err: io.err(), rows };
}

describe('hyper merge keeps the orientation the labels were made in', () => {
  // A TRL file of the project's own: 40 pairs, chosen is always the longer answer.
  const trl = Array.from({ length: 40 }, (_, i) => ({
    prompt: `Question ${i}?`,
    chosen: `A careful answer number ${i}.`,
    rejected: `no ${i}`,
  }));
  const trlPath = join(dir, 'prefs.jsonl');
  writeFileSync(trlPath, trl.map((r) => JSON.stringify(r)).join('\n'));

  it('route records the layout and side seed; merge reads the data with them, and refuses another seed', async () => {
    const planPath = join(dir, 'plan.json');
    capture();
    expect(
      await main([
        'route',
        '--input',
        trlPath,
        '--ppm',
        'paper-prior',
        '--strategy',
        'topk',
        '--budget',
        '1.0',
        '--side-seed',
        '2',
        '--output',
        planPath,
      ]),
    ).toBe(0);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as { dataset: { layout: string; sideSeed: number } };
    expect(plan.dataset).toMatchObject({ layout: 'trl-string', sideSeed: 2 });

    const { annotations } = await appLabels(readFileSync(trlPath), 'prefs.jsonl', 'trl-string', 2, (i) => trl[i]!.chosen);
    const annPath = join(dir, 'annotations.json');
    writeFileSync(annPath, serializeAnnotationsFile(annotations, { datasets: [{ id: 'd1', layout: 'trl-string', sideSeed: 2, n: 40 }] }));

    // No --side-seed: the recorded seed is used, so every chosen response is the file's chosen one.
    const ok = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath]);
    expect(ok.code).toBe(0);
    expect(ok.rows).toHaveLength(40);
    expect(ok.rows.every((r, i) => r.chosen === trl[i]!.chosen)).toBe(true);
    // The right seed given explicitly: the same.
    expect((await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath, '--side-seed', '2'])).rows).toEqual(ok.rows);
    // The wrong one: refused, and the message says what to pass.
    const wrong = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath, '--side-seed', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('plan.json was made on the data read with side seed 2, but this run reads it with side seed 1');
    expect(wrong.err).toContain('Pass --side-seed 2');
    // The old option name says what it is called now.
    const old = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath, '--seed', '2']);
    expect(old.code).toBe(2);
    expect(old.err).toContain('--seed is now called --side-seed');
  });

  it('an annotations file alone is enough to refuse a flip; a plan that records another layout is refused', async () => {
    const { annotations } = await appLabels(readFileSync(trlPath), 'prefs.jsonl', 'trl-string', 5, (i) => trl[i]!.chosen);
    const annPath = join(dir, 'annotations-5.json');
    writeFileSync(annPath, serializeAnnotationsFile(annotations, { datasets: [{ id: 'd1', layout: 'trl-string', sideSeed: 5 }] }));
    // A plan without an orientation (written before it was recorded).
    const planPath = join(dir, 'plan-old.json');
    const ids = (await appLabels(readFileSync(trlPath), 'prefs.jsonl', 'trl-string', 5, () => '')).records.map((r) => r.id);
    const oldPlan = {
      format: 'hyper-routing-plan',
      version: 1,
      producedBy: { app: 'hyper-workbench', version: '0.1.0' },
      createdAt: '2025-01-01T00:00:00.000Z',
      dataset: { name: 'prefs.jsonl', n: 40 },
      ppm: { name: 'p', sha256: '0'.repeat(64), kind: 'linear', output: 'x', missingInData: [] },
      strategy: 'topk',
      budget: { kind: 'count', value: 40, count: 40 },
      seed: null,
      candidates: null,
      predicted: 0,
      predictedAllLm: 0,
      predictedAllHuman: 0,
      human: ids.map((id, idx) => ({ idx, id, gain: 0 })),
    };
    writeFileSync(planPath, JSON.stringify(oldPlan));
    const ok = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath]);
    expect(ok.code).toBe(0);
    expect(ok.rows.every((r, i) => r.chosen === trl[i]!.chosen)).toBe(true);
    const wrong = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath, '--side-seed', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('annotations-5.json was made on the data read with side seed 5');
    writeFileSync(planPath, JSON.stringify({ ...oldPlan, dataset: { ...oldPlan.dataset, layout: 'pairs', sideSeed: null } }));
    const layout = await runMerge(['--input', trlPath, '--plan', planPath, '--annotations', annPath, '--layout', 'trl-string']);
    expect(layout.code).toBe(1);
    expect(layout.err).toContain('read as layout "pairs", but this run reads it as "trl-string": pass --layout pairs');
  });

  const hhPath = resolve(process.cwd(), '../shared/data/raw/hh-rlhf-harmless-base-test.jsonl.gz');
  it.skipIf(!existsSync(hhPath))(
    'real data (Anthropic HH, 2,312 pairs): with the recorded seed chosen = HH chosen on every pair; another seed is refused',
    { timeout: 60_000 },
    async () => {
      const bytes = readFileSync(hhPath);
      // HH's chosen response of each pair, in the app's orientation for side seed 2 (the import's human label says which side).
      const session = await ImportSession.read(bytes, 'hh.jsonl.gz');
      const records = [...session.records('anthropic-hh', { ...defaultMapOptions('anthropic-hh'), seed: 2 })];
      const chosen = new Map(records.map((r) => [r.id, r.human!.value === 'A>B' ? r.responseA : r.responseB]));
      const { annotations } = await appLabels(bytes, 'hh.jsonl.gz', 'anthropic-hh', 2, (i) => chosen.get(records[i]!.id)!);
      const annPath = join(dir, 'hh-annotations.json');
      writeFileSync(
        annPath,
        serializeAnnotationsFile(annotations, { datasets: [{ id: 'd1', layout: 'anthropic-hh', sideSeed: 2, n: records.length }] }),
      );
      const planPath = join(dir, 'hh-plan.json');
      capture();
      expect(
        await main([
          'route',
          '--input',
          hhPath,
          '--ppm',
          'paper-prior',
          '--strategy',
          'topk',
          '--budget',
          '1.0',
          '--side-seed',
          '2',
          '--output',
          planPath,
        ]),
      ).toBe(0);
      const ok = await runMerge(['--input', hhPath, '--plan', planPath, '--annotations', annPath]);
      expect(ok.code).toBe(0);
      expect(ok.rows.length).toBeGreaterThan(2000);
      const wrongSide = ok.rows.filter((r) => r.chosen !== chosen.get(r.id));
      expect(wrongSide).toEqual([]);
      const wrong = await runMerge(['--input', hhPath, '--plan', planPath, '--annotations', annPath, '--side-seed', '1']);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('Pass --side-seed 2');
    },
  );
});
