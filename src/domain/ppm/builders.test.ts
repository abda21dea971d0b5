// Built PPMs must load in onnxruntime-web (wasm backend under Node) and compute what they claim.
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAG_IDS } from '../tags/tags';
import { readModelSummary } from '../onnx';
import { buildLinearPpm, buildQuadraticPpm, PPM_INPUT_NAME, PPM_OUTPUT_NAME } from './builders';
import { PPM_META, readPpmInfo } from './contract';
import { referencePpm, seededRandom } from './test-helpers';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function runPpm(model: Uint8Array, v: Float32Array, n: number, f: number): Promise<Float32Array> {
  const info = readPpmInfo(model);
  const session = await ort.InferenceSession.create(model);
  try {
    expect(session.inputNames).toEqual([info.inputName]);
    expect(session.outputNames).toEqual([info.outputName]);
    const out = await session.run({ [info.inputName]: new ort.Tensor('float32', v, [n, f]) });
    const y = out[info.outputName]!;
    expect(y.dims).toEqual([n, 1]);
    return y.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** |got - expected| <= 1e-5 * max(1, |expected|) for every row. */
function expectClose(got: Float32Array, expected: Float64Array): void {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < got.length; i++) {
    const e = expected[i]!;
    expect(Math.abs(got[i]! - e), `row ${i}: got ${got[i]}, expected ${e}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e)));
  }
}

const F = TAG_IDS.length;
const N = 7;
const describeArgs = { features: TAG_IDS, output: 'RewardBench Overall 0..1', source: 'unit test (random seeded weights)' };

/** Raw counts 0..50 for N rows, a few zero rows and columns included. */
function counts(seed: number): Float32Array {
  const next = seededRandom(seed);
  const v = Float32Array.from({ length: N * F }, () => Math.floor((next() + 1) * 25));
  v.fill(0, 0, F); // row 0: the empty mix
  for (let r = 0; r < N; r++) v[r * F + 5] = 0;
  return v;
}

describe('buildLinearPpm', () => {
  const next = seededRandom(11);
  const weights = Float32Array.from({ length: F }, () => next() * 0.01);
  const bias = 0.61;
  const model = buildLinearPpm({ weights, bias, ...describeArgs, trainedOn: 'nothing', cvSpearman: 0.41, cvRmse: 0.31 });

  it('matches y = b + w.v computed in JS (N = 7)', async () => {
    const v = counts(3);
    expectClose(await runPpm(model, v, N, F), referencePpm(v, N, weights, bias));
  });

  it('writes the contract metadata and interface', () => {
    const info = readPpmInfo(model);
    expect(info).toMatchObject({
      features: [...TAG_IDS],
      kind: 'linear',
      output: 'RewardBench Overall 0..1',
      source: 'unit test (random seeded weights)',
      version: '1',
      trainedOn: 'nothing',
      cvSpearman: 0.41,
      cvRmse: 0.31,
      inputName: PPM_INPUT_NAME,
      outputName: PPM_OUTPUT_NAME,
      fixedBatch: null,
      warnings: [],
    });
    expect(Object.keys(info.metadata)).toEqual([
      PPM_META.version,
      PPM_META.kind,
      PPM_META.features,
      PPM_META.output,
      PPM_META.source,
      PPM_META.trainedOn,
      PPM_META.cvSpearman,
      PPM_META.cvRmse,
    ]);
    const s = readModelSummary(model);
    expect(s.nodes.map((n) => n.opType)).toEqual(['MatMul', 'Add']);
    expect(s.initializers).toEqual([
      { name: 'w', elemType: 'float32', dims: [F, 1] },
      { name: 'b', elemType: 'float32', dims: [1] },
    ]);
  });

  it('gives the same bytes for the same inputs', () => {
    const again = buildLinearPpm({
      weights: Float32Array.from(weights),
      bias,
      ...describeArgs,
      trainedOn: 'nothing',
      cvSpearman: 0.41,
      cvRmse: 0.31,
    });
    expect(again).toEqual(model);
    const other = buildLinearPpm({ weights, bias: bias + 1, ...describeArgs });
    expect(other).not.toEqual(model);
  });

  it('works on a subset of the tags in any order', async () => {
    const features = [TAG_IDS[40]!, TAG_IDS[2]!, TAG_IDS[89]!];
    const m = buildLinearPpm({ weights: [0.5, -2, 0.25], bias: -1, features, output: 'x', source: 'y' });
    expect(readPpmInfo(m).features).toEqual(features);
    const v = new Float32Array([1, 2, 3, 0, 0, 0, 10, 1, 4]);
    expectClose(await runPpm(m, v, 3, 3), referencePpm(v, 3, [0.5, -2, 0.25], -1));
  });

  it('refuses bad arguments', () => {
    expect(() => buildLinearPpm({ weights: new Float32Array(3), bias: 0, ...describeArgs })).toThrow(/3 weights for 96 features/);
    expect(() => buildLinearPpm({ weights: [Number.NaN], bias: 0, features: [TAG_IDS[0]!], output: 'o', source: 's' })).toThrow(/finite/);
    expect(() => buildLinearPpm({ weights: [1, 2], bias: 0, features: [TAG_IDS[0]!, TAG_IDS[0]!], output: 'o', source: 's' })).toThrow(
      /appears twice/,
    );
    expect(() => buildLinearPpm({ weights: [1], bias: 0, features: ['nope'], output: 'o', source: 's' })).toThrow(/not a known tag id/);
    expect(() => buildLinearPpm({ weights: [1], bias: 0, features: [TAG_IDS[0]!], output: ' ', source: 's' })).toThrow(
      /output must be a non-empty string/,
    );
  });
});

describe('buildQuadraticPpm', () => {
  const next = seededRandom(29);
  const w = Float32Array.from({ length: F }, () => next() * 1e-3);
  const Q = new Float32Array(F * F);
  for (let i = 0; i < F; i++) for (let j = 0; j <= i; j++) Q[i * F + j] = Q[j * F + i] = next() * 1e-6;
  const bias = 0.55;
  const model = buildQuadraticPpm({ bias, w, Q, ...describeArgs });

  it('matches y = b + w.v + v^T Q v computed in JS (N = 7)', async () => {
    const v = counts(5);
    const expected = referencePpm(v, N, w, bias, Q);
    expect(expected[0]).toBeCloseTo(bias, 12); // the empty mix gives the bias
    expectClose(await runPpm(model, v, N, F), expected);
  });

  it('declares kind quadratic and uses MatMul, Mul, ReduceSum, Add', () => {
    expect(readPpmInfo(model).kind).toBe('quadratic');
    expect(readModelSummary(model).nodes.map((n) => n.opType)).toEqual(['MatMul', 'Mul', 'ReduceSum', 'MatMul', 'Add', 'Add']);
  });

  it('is deterministic', () => {
    expect(buildQuadraticPpm({ bias, w: Float32Array.from(w), Q: Float32Array.from(Q), ...describeArgs })).toEqual(model);
  });

  it('refuses a non-symmetric or misshapen Q', () => {
    const features = [TAG_IDS[0]!, TAG_IDS[1]!];
    expect(() => buildQuadraticPpm({ bias: 0, w: [1, 2], Q: [1, 2, 3, 4], features, output: 'o', source: 's' })).toThrow(/not symmetric/);
    expect(() => buildQuadraticPpm({ bias: 0, w: [1, 2], Q: [1, 2, 2], features, output: 'o', source: 's' })).toThrow(/2 x 2 matrix/);
    expect(() => buildQuadraticPpm({ bias: 0, w: [1], Q: [1, 2, 2, 1], features, output: 'o', source: 's' })).toThrow(
      /1 linear weights for 2 features/,
    );
  });
});
