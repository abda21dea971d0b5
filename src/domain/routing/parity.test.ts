// Parity on real data (skipped where ../shared is absent): the app's tags of prd_vicuna80 and the paper's
// Table 13 gains as a linear PPM; top-k at 25% must pick exactly what a plain reference computation picks.
// Budget: resolveBudget({ kind: 'fraction', value: 0.25 }) = Math.round(0.25 * n) (n = 800: 200).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleTagSet, hasBit, scoreChunk } from '../tags/tag-set';
import { lexicalScorers } from '../tags/lexical-scorers';
import { TAG_COUNT, TAG_IDS } from '../tags/tags';
import { ImportSession } from '../formats/import-session';
import { defaultMapOptions } from '../formats/layouts';
import { resolveBudget } from './budget';
import { linearPpm } from './ppm';
import { Router } from './router';
import { buildTagIndex } from './tag-index';

const PRD = path.resolve(process.cwd(), '../shared/data/pairs/prd_vicuna80.jsonl');
const TABLE13 = path.resolve(process.cwd(), '../shared/data/hyper-paper/table13-tag-gains.tsv');

describe.skipIf(!existsSync(PRD) || !existsSync(TABLE13))('real data: top-k parity on prd_vicuna80 with Table 13 gains', () => {
  it('top-k at 25% selects exactly the reference ids', async () => {
    const session = await ImportSession.read(new Uint8Array(readFileSync(PRD)), 'prd_vicuna80.jsonl');
    const shape = session.recognise()[0]!.shape;
    const records = [...session.records(shape, defaultMapOptions(shape))];
    const n = records.length;
    const chunk = scoreChunk(records, 0, lexicalScorers);
    const fs = assembleTagSet({
      datasetId: 'prd',
      n,
      columns: chunk.columns,
      descriptiveBits: chunk.descriptiveBits,
      withDescriptive: chunk.withTags,
      defects: chunk.defects,
      semanticSource: 'file',
      computeMs: 0,
      now: 0,
    });

    // Table 13: tag -> gain (x1e-3); the tag without a row weighs 0.
    const weights = new Float64Array(TAG_COUNT);
    const lines = readFileSync(TABLE13, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const [tag, gain] = line.split('\t');
      const t = TAG_IDS.indexOf(tag!);
      expect(t).toBeGreaterThanOrEqual(0);
      weights[t] = Number(gain);
    }
    expect(lines.length).toBe(89);

    // Reference: gain = sum of the instance's tag weights, sorted descending, ties in input order.
    const refGain = Array.from({ length: n }, (_, i) => {
      let g = 0;
      for (let t = 0; t < TAG_COUNT; t++) if (hasBit(fs.tagBits, i, t)) g += weights[t]!;
      return g;
    });
    const budget = resolveBudget({ kind: 'fraction', value: 0.25, n });
    expect(budget).toBe(Math.round(0.25 * n));
    const reference = Array.from({ length: n }, (_, i) => i)
      .sort((a, b) => refGain[b]! - refGain[a]! || a - b)
      .slice(0, budget);

    const router = new Router(buildTagIndex(fs.tagBits, n), linearPpm(weights, 0));
    const r = await router.topk(budget);
    const ids = [...r.humanIds].map((i) => records[i]!.id);
    const refIds = reference.map((i) => records[i]!.id);
    const sameSet = new Set(ids).size === budget && refIds.every((id) => new Set(ids).has(id));
    const tiesAtCut = refGain.filter((g) => g === refGain[reference[budget - 1]!]).length;
    const distinct = new Set(refGain).size;
    console.log(
      `parity prd_vicuna80: n = ${n}, budget ${budget}, tagged ${router.index.tagged}, ` +
        `${distinct} distinct gains, ${tiesAtCut} instance(s) share the cut-off gain ${refGain[reference[budget - 1]!]!.toFixed(6)}; ` +
        `same ids: ${sameSet}, same order: ${ids.join() === refIds.join()}`,
    );
    expect(ids).toEqual(refIds);
    expect(r.predicted).toBeCloseTo(
      reference.reduce((s, i) => s + refGain[i]!, 0),
      3,
    );
  });
});
