// The whole local loop on real data: PandaLM pairs -> tags -> 200 candidate mixes -> a PROXY reward model per
// mix scored on a held-out gold split -> linear and quadratic PPMs with a CV report. Only structural
// properties are asserted; the numbers are printed as they come (nothing here is tuned to them).
// Skipped where ../shared is absent. The same loop at other sizes: bench/ppm-lab.bench.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleTagSet, scoreChunk } from '../tags/tag-set';
import { lexicalScorers } from '../tags/lexical-scorers';
import { TAG_COUNT } from '../tags/tags';
import { ImportSession } from '../formats/import-session';
import { defaultMapOptions } from '../formats/layouts';
import { generateCandidates, planCandidates } from './candidates';
import { fitPpm, spearman, type FitResult } from './fit';
import { preparePool } from './pool';
import { proxyEvaluateCandidate, proxyFeatures } from './proxy';

const PANDALM = fileURLToPath(new URL('../../../../shared/data/pairs/pandalm.jsonl', import.meta.url));
const K = 200;

describe.skipIf(!existsSync(PANDALM))('the PPM lab loop on pairs/pandalm.jsonl (proxy reward models)', () => {
  it(`generates ${K} candidates, scores them with the proxy, fits linear and quadratic PPMs and reports CV`, async () => {
    const session = await ImportSession.read(new Uint8Array(readFileSync(PANDALM)), 'pandalm.jsonl');
    const records = [...session.records('pairs', defaultMapOptions('pairs'))];
    expect(records).toHaveLength(999);
    const chunk = scoreChunk(records, 0, lexicalScorers);
    const fs = assembleTagSet({
      datasetId: 'pandalm',
      n: records.length,
      columns: chunk.columns,
      descriptiveBits: chunk.descriptiveBits,
      withDescriptive: chunk.withTags,
      defects: chunk.defects,
      semanticSource: 'file',
      computeMs: 0,
      now: 0,
    });

    const pool = preparePool(records, fs.tagBits, { goldShare: 0.2, seed: 1 });
    expect(pool.gold.length).toBeGreaterThan(100);
    expect(pool.positions.length).toBeGreaterThan(500);
    const plan = planCandidates(pool, { k: K, seed: 1 });
    const features = proxyFeatures(records);
    const buffer = new Float64Array(features.width);
    const X = new Float64Array(K * TAG_COUNT);
    const y = new Float64Array(K);
    const ids: string[] = [];
    const share: number[] = [];
    for (const c of generateCandidates(pool, plan)) {
      const r = proxyEvaluateCandidate(features, c, { positions: pool.gold, preferA: pool.goldA }, { seed: 1 + c.index }, buffer);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
      X.set(c.counts, c.index * TAG_COUNT);
      y[c.index] = r.accuracy;
      ids.push(c.id);
      share.push(c.humanInMix / c.mix.length);
    }
    expect(ids).toHaveLength(K);

    const data = { features: fs.coverage.map((c) => c.tag), X, y, n: K, ids };
    const fits: FitResult[] = (['linear', 'quadratic'] as const).map((kind) => fitPpm(data, { kind, folds: 5, seed: 1 }));
    for (const f of fits) {
      expect(f.outOfFold).toHaveLength(K);
      for (const v of [f.cv.spearman.mean, f.cv.spearman.std, f.cv.rmse.mean, f.cv.rmse.std, f.train.rmse])
        expect(Number.isFinite(v)).toBe(true);
      expect(f.outOfFold.every((o) => Number.isFinite(o.predicted))).toBe(true);
    }

    const mean = y.reduce((s, v) => s + v, 0) / K;
    const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / K);
    const allHuman = y[0]!;
    const allLm = y[1]!;
    console.log(
      [
        `PPM lab on pandalm.jsonl: pool ${pool.positions.length} pairs (${pool.disagreements} human/LM disagreements), gold ${pool.gold.length}, ${K} candidates`,
        `proxy_accuracy (PROXY, gold split): mean ${mean.toFixed(4)}, sd ${sd.toFixed(4)}, all-human ${allHuman.toFixed(4)}, all-LM ${allLm.toFixed(4)}`,
        // For scale: how much of the ranking the human share of the mix alone explains (no CV, no fit).
        `Spearman(proxy_accuracy, human share of the mix) = ${spearman(y, share).toFixed(3)}`,
        ...fits.map(
          (f) =>
            `${f.kind.padEnd(9)} lambda ${String(f.lambda).padEnd(6)} CV Spearman ${f.cv.spearman.mean.toFixed(3)} +/- ${f.cv.spearman.std.toFixed(3)}, ` +
            `CV RMSE ${f.cv.rmse.mean.toFixed(4)} +/- ${f.cv.rmse.std.toFixed(4)} (${f.terms} terms, ${f.usedFeatures.length} tags vary)`,
        ),
      ].join('\n'),
    );
  });
});
