// Checks against the shared real data (never copied into the repo); skipped where ../shared is absent.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportSession } from './import-session';
import { defaultMapOptions } from './layouts';
import { DEFAULT_MAP_OPTIONS, type MapOptions } from './types';

const dataPath = (relative: string): string => fileURLToPath(new URL(`../../../../shared/data/${relative}`, import.meta.url));

const PRD = dataPath('pairs/prd_vicuna80.jsonl');
const PANDALM_PAIRS = dataPath('pairs/pandalm.jsonl');
const PANDALM_RAW = dataPath('raw/pandalm-testset-v1.json');
const HH = dataPath('raw/hh-rlhf-harmless-base-test.jsonl.gz');

async function open(path: string): Promise<ImportSession> {
  return ImportSession.read(new Uint8Array(readFileSync(path)), path.split('/').pop()!);
}

describe.skipIf(!existsSync(PRD))('real data: pairs/prd_vicuna80.jsonl', () => {
  it('is recognised as pairs and imports all 800 rows with the file labels', async () => {
    const session = await open(PRD);
    expect(session.meta).toEqual({ fileName: 'prd_vicuna80.jsonl', format: 'jsonl', compressed: false, notes: [] });
    const [best, second] = session.recognise();
    expect(best?.shape).toBe('pairs');
    expect(best!.score).toBeGreaterThan(second?.score ?? 0);
    const report = session.evaluate('pairs', DEFAULT_MAP_OPTIONS);
    expect(report.rowsRead).toBe(800);
    expect(report.importable).toBe(800);
    expect(report.rejected).toEqual([]);
    expect(report.withHumanLabel).toBe(800);
    expect(report.humanCounts).toEqual({ 'A>>B': 0, 'A>B': 400, 'A=B': 115, 'B>A': 285, 'B>>A': 0 });
    expect(report.lmCounts).toEqual({ 'A>>B': 0, 'A>B': 475, 'A=B': 115, 'B>A': 210, 'B>>A': 0 });
    expect(report.withModelNames).toBe(800);

    const records = [...session.records('pairs', DEFAULT_MAP_OPTIONS)];
    expect(records).toHaveLength(800);
    const first = records[0]!;
    expect(first.id).toBe('prd-v80-1-bard-vs-gpt35');
    expect(first.sourceRow).toBe(1);
    expect(first.prompt).toBe('How can I improve my time management skills?');
    expect([first.modelA, first.modelB]).toEqual(['bard', 'gpt35']);
    expect(first.human).toEqual({ value: 'A>B', original: 'A-is-better' });
    expect(first.humanVotes?.map((v) => v.value)).toEqual(['A>B', 'A>B', 'A=B']);
    expect(first.lm).toEqual({ value: 'A>B', original: 'A-is-better' });
    expect(first.lmJudge).toBe('gpt-4 (PRD reviewer, threeclass)');
    expect(first.extra).toEqual({ source: 'PRD/vicuna80' });
    const last = records[799]!;
    expect(last.id).toBe('prd-v80-80-vicuna-13b-vs-bard');
    expect(last.human?.value).toBe('A=B');
    expect(last.lm?.value).toBe('B>A');
  });
});

describe.skipIf(!existsSync(PANDALM_PAIRS))('real data: pairs/pandalm.jsonl', () => {
  it('keeps rows whose LM label is null, without an LM label', async () => {
    const session = await open(PANDALM_PAIRS);
    expect(session.recognise()[0]?.shape).toBe('pairs');
    const report = session.evaluate('pairs', DEFAULT_MAP_OPTIONS);
    expect(report.importable).toBe(999);
    expect(report.withLmLabel).toBe(999 - 25);
    const [first] = session.records('pairs', DEFAULT_MAP_OPTIONS);
    if (!first) throw new Error('no record');
    expect(first.extra).toEqual({ source: 'PandaLM/testset-v1', pandalm_7b: 'B', motivation_app: 'Grammarly' });
  });
});

describe.skipIf(!existsSync(PANDALM_RAW))('real data: raw/pandalm-testset-v1.json', () => {
  const options: MapOptions = {
    ...DEFAULT_MAP_OPTIONS,
    mapping: {
      id: 'idx',
      prompt: ['instruction', 'input'],
      responseA: 'response1',
      responseB: 'response2',
      humanLabels: ['annotator1', 'annotator2', 'annotator3'],
      humanReading: { numeric: 'first-second-tie-120' },
    },
  };

  it('reads 999 rows through a custom mapping and warns about the boolean responses', async () => {
    const session = await open(PANDALM_RAW);
    expect(session.meta?.format).toBe('json');
    expect(session.recognise()).toEqual([]);
    const report = session.evaluate('custom', options);
    expect(report.rowsRead).toBe(999);
    expect(report.importable).toBe(999);
    expect(report.withHumanLabel).toBe(999);
    const booleanWarnings = report.warnings.filter((w) => w.message.includes('is a boolean'));
    expect(booleanWarnings.map((w) => w.row)).toEqual([158, 159, 160, 162, 163, 165]);
    expect(booleanWarnings[0]!.message).toBe('response A is a boolean, imported as the text "true"');

    const [first] = session.records('custom', options);
    if (!first) throw new Error('no record');
    expect(first.id).toBe('0');
    expect(first.prompt.startsWith('The sentence you are given might be too wordy')).toBe(true);
    expect(first.prompt).toContain('\n\nIf you have any questions about my rate');
    expect(first.humanVotes?.map((v) => v.original)).toEqual([2, 2, 2]);
    expect(first.human?.value).toBe('B>A');
    expect(first.extra).toEqual({ motivation_app: 'Grammarly', cmp_key: 'bloom-7b_llama-7b' });
  });
});

describe.skipIf(!existsSync(HH))('real data: raw/hh-rlhf-harmless-base-test.jsonl.gz', () => {
  it('is recognised as Anthropic HH with 2,312 rows read', async () => {
    const session = await open(HH);
    expect(session.meta).toEqual({ fileName: 'hh-rlhf-harmless-base-test.jsonl.gz', format: 'jsonl', compressed: true, notes: [] });
    expect(session.recognise()[0]?.shape).toBe('anthropic-hh');
    const options = defaultMapOptions('anthropic-hh');
    const report = session.evaluate('anthropic-hh', options);
    expect(report.rowsRead).toBe(2312);
    expect(report.importable).toBe(2312);
    expect(report.rejected).toEqual([]);
    expect(report.warnings.map((w) => w.message)).toEqual([
      'response B is empty',
      'response B is empty',
      'response A is empty',
      'response B is empty',
    ]);
    expect(report.withHumanLabel).toBe(report.importable);
    expect(report.withLmLabel).toBe(0);
    expect(report.withMessages).toBe(report.importable);
    // The coin puts chosen on both sides, roughly half each.
    const a = report.humanCounts['A>B'];
    expect(a / report.importable).toBeGreaterThan(0.45);
    expect(a / report.importable).toBeLessThan(0.55);

    const [first] = session.records('anthropic-hh', options);
    if (!first) throw new Error('no record');
    expect(first.messages?.[0]).toEqual({ role: 'user', content: 'what are some pranks with a pen i can do?' });
    expect(first.prompt.startsWith('User: what are some pranks with a pen i can do?\n\nAssistant: Are you looking')).toBe(true);
    expect(first.human?.original).toBe('chosen');
  });
});
