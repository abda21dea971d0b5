// The exported ONNX PPM must compute what the fitter's own model computes, on raw counts.
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAG_IDS } from '../tags/tags';
import { readPpmInfo } from '../ppm/contract';
import { mulberry32 } from '../random';
import { describeFit, exportFittedPpm, FITTED_SOURCE, fitPpm, predictFitted, type PpmFitKind } from './fit';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const F = TAG_IDS.length;

/** Runs the model on n rows of 90 raw counts, feeding the columns its metadata names. */
async function runOnnx(model: Uint8Array, X: Float64Array, n: number): Promise<Float32Array> {
  const info = readPpmInfo(model);
  const cols = info.features.map((f) => TAG_IDS.indexOf(f));
  const G = cols.length;
  const input = new Float32Array(n * G);
  for (let r = 0; r < n; r++) cols.forEach((c, g) => (input[r * G + g] = X[r * F + c]!));
  const session = await ort.InferenceSession.create(model);
  try {
    const out = await session.run({ [info.inputName]: new ort.Tensor('float32', input, [n, G]) });
    return out[info.outputName]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Mixes like the lab's: 18 lexical tags in bins of 3 summing to the human count, plus a few descriptive tags. */
function mixes(n: number, seed: number): { X: Float64Array; y: Float64Array } {
  const next = mulberry32(seed);
  const X = new Float64Array(n * F);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const human = Math.floor(next() * 7000);
    for (let s = 0; s < 6; s++) {
      const a = Math.floor(next() * human);
      const b = Math.floor(next() * (human - a));
      X[r * F + 3 * s] = a;
      X[r * F + 3 * s + 1] = b;
      X[r * F + 3 * s + 2] = human - a - b;
    }
    for (const t of [30, 52, 70, 88]) X[r * F + t] = Math.floor(next() * human);
    const share = human / 7000;
    y[r] = 0.6 + 0.05 * share - 0.04 * share * share + 0.01 * (X[r * F + 52]! / 7000) + 0.005 * (next() - 0.5);
  }
  return { X, y };
}

describe.each<PpmFitKind>(['linear', 'quadratic'])('exportFittedPpm (%s)', (kind) => {
  const n = 160;
  const { X, y } = mixes(n, kind === 'linear' ? 1 : 2);
  const fit = fitPpm({ features: TAG_IDS, X, y, n }, { kind, folds: 5, seed: 3 });

  it.each([false, true])(
    "gives the fitted model's own predictions in onnxruntime-web (within 1e-4 relative; all features: %s)",
    async (allFeatures) => {
      const model = exportFittedPpm(fit, { output: 'Overall (test scores, 0..1)', allFeatures });
      expect(readPpmInfo(model).features).toHaveLength(allFeatures ? F : 22);
      const own = predictFitted(fit.model, X, n);
      const onnx = await runOnnx(model, X, n);
      expect(onnx).toHaveLength(n);
      for (let r = 0; r < n; r++) {
        expect(Math.abs(onnx[r]! - own[r]!), `row ${r}: onnx ${onnx[r]}, fitted ${own[r]}`).toBeLessThanOrEqual(
          1e-4 * Math.max(1, Math.abs(own[r]!)),
        );
      }
      // and the model is not trivial: it follows the scores
      let s = 0;
      for (let r = 0; r < n; r++) s += (own[r]! - y[r]!) ** 2;
      expect(Math.sqrt(s / n)).toBeLessThan(0.01);
    },
  );

  it('fills in the contract metadata', () => {
    const info = readPpmInfo(exportFittedPpm(fit, { output: 'Overall (test scores, 0..1)' }));
    expect(info.kind).toBe(kind);
    // Only the tags that varied over the mixes: the model knows nothing about the others.
    expect(info.features).toEqual(fit.usedFeatures);
    expect(info.features).toEqual([...TAG_IDS.slice(0, 18), TAG_IDS[30], TAG_IDS[52], TAG_IDS[70], TAG_IDS[88]]);
    expect(info.output).toBe('Overall (test scores, 0..1)');
    expect(info.source).toBe(FITTED_SOURCE);
    expect(info.trainedOn).toBe(describeFit(fit));
    expect(info.trainedOn).toContain(`${n} candidate mixes`);
    expect(info.cvSpearman).toBe(fit.cv.spearman.mean);
    expect(info.cvRmse).toBe(fit.cv.rmse.mean);
    expect(info.warnings).toEqual([]);
  });
});
