import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAPER_TAG_COUNT as TAG_COUNT, PAPER_TAG_IDS as TAG_IDS, TAG_INDEX } from '../tags/tags';
import { readPpmInfo } from './contract';
import { buildPaperPriorPpm, PAPER_PRIOR, PaperPriorParseError, paperPriorWeights, TABLE13_ABSENT_TAG } from './paper-prior';
import { parsePpmIndex } from './ppm-index';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../../..');
const TSV_PATH = resolve(REPO, '../shared/data/hyper-paper/table13-tag-gains.tsv');
const MODEL_PATH = resolve(REPO, 'public/ppm/paper-prior.onnx');
const INDEX_PATH = resolve(REPO, 'public/ppm/index.json');
const haveShared = existsSync(TSV_PATH);

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

/** A Table 13 TSV built from the paper's 90 tag ids: gain of tag i = (i + 1) / 1000, the absent tag left out. */
function syntheticTsv(edit?: (rows: string[]) => void): string {
  const rows = TAG_IDS.filter((t) => t !== TABLE13_ABSENT_TAG).map((t) => `${t}\t${(TAG_INDEX.get(t)! + 1) / 1000}`);
  edit?.(rows);
  return `feature\tgain_x1e-3\n${rows.join('\n')}\n`;
}

function parseError(text: string): PaperPriorParseError {
  try {
    paperPriorWeights(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PaperPriorParseError);
    return e as PaperPriorParseError;
  }
  throw new Error('expected a parse error');
}

describe('paperPriorWeights', () => {
  it('reads one weight per tag in TAG_IDS order; the absent bertscore [0, 0.33] row weighs 0', () => {
    const w = paperPriorWeights(syntheticTsv((rows) => rows.reverse()));
    expect(w).toHaveLength(TAG_COUNT);
    expect(w[TAG_INDEX.get(TABLE13_ABSENT_TAG)!]).toBe(0);
    for (let i = 1; i < TAG_COUNT; i++) expect(w[i]).toBeCloseTo((i + 1) / 1000, 7);
  });

  it('accepts CRLF line ends, a BOM and trailing blank lines', () => {
    const text = `\uFEFF${syntheticTsv().replace(/\n/g, '\r\n')}\r\n\r\n`;
    expect(paperPriorWeights(text)).toEqual(paperPriorWeights(syntheticTsv()));
  });

  it('names the line of an unknown tag', () => {
    const e = parseError(syntheticTsv((rows) => (rows[4] = 'rouge::min_val=0.0|max_val=0.5\t0.1')));
    expect(e.code).toBe('unknown-tag');
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/line 6: unknown tag "rouge::min_val=0\.0\|max_val=0\.5"/);
  });

  it('rejects a bad header, bad numbers, wrong column counts, repeats and missing rows', () => {
    expect(parseError('tag\tgain\n').code).toBe('bad-header');
    const bad = parseError(syntheticTsv((rows) => (rows[0] = `${rows[0]!.split('\t')[0]}\tabc`)));
    expect([bad.code, bad.line]).toEqual(['bad-number', 2]);
    expect(bad.message).toMatch(/line 2: gain "abc"/);
    expect(parseError(syntheticTsv((rows) => (rows[0] = `${rows[0]!.split('\t')[0]}\t`))).code).toBe('bad-number');
    const cols = parseError(syntheticTsv((rows) => (rows[2] = `${rows[2]}\textra`)));
    expect([cols.code, cols.line]).toEqual(['bad-row', 4]);
    const dup = parseError(syntheticTsv((rows) => rows.push(rows[0]!)));
    expect(dup.code).toBe('duplicate-tag');
    expect(dup.message).toMatch(/already appeared on line 2/);
    const missing = parseError(syntheticTsv((rows) => rows.splice(10, 2)));
    expect(missing.code).toBe('missing-tags');
    expect(missing.message).toMatch(/2 tag\(s\) have no row/);
  });
});

describe('paper prior PPM', () => {
  it('is a linear PPM over the 90 tags with an honest output meaning', () => {
    const info = readPpmInfo(buildPaperPriorPpm(syntheticTsv()));
    expect(info.kind).toBe('linear');
    expect(info.features).toEqual([...TAG_IDS]);
    expect(info.output).toBe('uncalibrated relative gain (x1e-3 RewardBench per instance, paper Table 13)');
    expect(info.source).toMatch(/Table 13/);
  });

  it.skipIf(!haveShared)('the committed public/ppm/paper-prior.onnx equals the build from ../shared table 13', () => {
    const built = buildPaperPriorPpm(readFileSync(TSV_PATH, 'utf8'));
    const committed = new Uint8Array(readFileSync(MODEL_PATH));
    expect(committed).toEqual(built);
  });

  it('index.json describes the committed model (hash, size, metadata)', () => {
    const bytes = new Uint8Array(readFileSync(MODEL_PATH));
    const index = parsePpmIndex(readFileSync(INDEX_PATH, 'utf8'));
    const entry = index.models.find((m) => m.id === PAPER_PRIOR.id)!;
    expect(entry).toBeDefined();
    const info = readPpmInfo(bytes);
    expect(entry).toEqual({
      id: PAPER_PRIOR.id,
      name: PAPER_PRIOR.name,
      file: PAPER_PRIOR.file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      kind: info.kind,
      output: info.output,
      source: info.source,
      features: 90,
    });
  });

  it('the committed model outputs the sum of the tag weights of the counts', async () => {
    const bytes = new Uint8Array(readFileSync(MODEL_PATH));
    const info = readPpmInfo(bytes);
    // Weights: from the TSV when present; otherwise the committed model must still be the paper prior, so
    // check the rows against each other (single-tag rows give the weights, combinations must add up).
    const F = TAG_COUNT;
    const rows: number[][] = [
      TAG_IDS.map(() => 0),
      TAG_IDS.map((_, i) => (i === TAG_INDEX.get('rouge::min_val=0.67|max_val=1.0') ? 1 : 0)),
      TAG_IDS.map((_, i) => (i === TAG_INDEX.get(TABLE13_ABSENT_TAG) ? 100 : 0)),
      TAG_IDS.map((_, i) => (i % 7) * 3),
      TAG_IDS.map(() => 100),
      TAG_IDS.map((_, i) => (i < 27 ? 7000 / 3 : i % 2 ? 500 : 0)),
    ];
    const session = await ort.InferenceSession.create(bytes);
    try {
      const v = Float32Array.from(rows.flat());
      const out = await session.run({ [info.inputName]: new ort.Tensor('float32', v, [rows.length, F]) });
      const y = out[info.outputName]!.data as Float32Array;
      if (haveShared) {
        const w = paperPriorWeights(readFileSync(TSV_PATH, 'utf8'));
        rows.forEach((row, r) => {
          const expected = row.reduce((s, c, i) => s + c * w[i]!, 0);
          expect(Math.abs(y[r]! - expected), `row ${r}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected)));
        });
        expect(y[1]).toBeCloseTo(w[TAG_INDEX.get('rouge::min_val=0.67|max_val=1.0')!]!, 6);
      }
      expect(y[0]).toBe(0);
      expect(y[2]).toBe(0); // the tag Table 13 has no row for
    } finally {
      await session.release();
    }
  });
});
