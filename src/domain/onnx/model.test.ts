// Models written by our encoder must load and run in the real onnxruntime-web (wasm backend under Node).
import { mulberry32 } from '../random';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder';
import { attr, encodeModel, int64Tensor, tensorRawData } from './model';
import { ProtoDecodeError } from './proto-wire';
import { readMetadataProps, readModelSummary } from './reader';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

/** Deterministic pseudo-random numbers in [-1, 1). */
function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}

/** y = b + w.v as MatMul + Add, over a batch [N, F] -> [N, 1]. */
function linearModel(w: Float32Array, b: number, metadata: Record<string, string>): Uint8Array {
  const F = w.length;
  const g = new GraphBuilder('linear_ppm');
  const v = g.input('v', 'float32', ['N', F]);
  const W = g.float32('w', [F, 1], w);
  const B = g.float32('b', [1], [b]);
  const wv = g.op('MatMul', [v, W]);
  g.op('Add', [wv, B], { output: 'y' });
  g.output('y', 'float32', ['N', 1]);
  return encodeModel({ graph: g.build(), producerName: 'hyper-workbench-test', producerVersion: '0.1.0', metadata });
}

/** y = b + w.v + v^T Q v: MatMul, Mul, ReduceSum (opset 13: axes as an int64 input) and Add. */
function quadraticModel(w: Float32Array, q: Float32Array, b: number): Uint8Array {
  const F = w.length;
  const g = new GraphBuilder('quadratic_ppm');
  const v = g.input('v', 'float32', ['N', F]);
  const lin = g.op('MatMul', [v, g.float32('w', [F, 1], w)]);
  const vq = g.op('MatMul', [v, g.float32('Q', [F, F], q)]);
  const quad = g.op('ReduceSum', [g.op('Mul', [vq, v]), g.int64('axes', [1], [1])], { attributes: { keepdims: attr.int(1) } });
  const y = g.op('Add', [g.op('Add', [lin, quad]), g.float32('b', [], [b])], { output: 'y' });
  g.output(y, 'float32', ['N', 1]);
  return encodeModel({ graph: g.build() });
}

async function runY(model: Uint8Array, v: Float32Array, n: number, f: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  try {
    expect(session.inputNames).toEqual(['v']);
    expect(session.outputNames).toEqual(['y']);
    const out = await session.run({ v: new ort.Tensor('float32', v, [n, f]) });
    const y = out.y!;
    expect(y.dims).toEqual([n, 1]);
    return y.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('encodeModel + onnxruntime-web', () => {
  const F = 90;
  const N = 64;
  const next = rng(7);
  const w = Float32Array.from({ length: F }, () => next() * 0.01);
  const v = Float32Array.from({ length: N * F }, () => Math.floor((next() + 1) * 20));

  it('runs a linear model [N,F] -> [N,1] and matches the JS computation', async () => {
    const b = 0.62;
    const y = await runY(linearModel(w, b, { kind: 'linear' }), v, N, F);
    for (let i = 0; i < N; i++) {
      let expected = b;
      for (let j = 0; j < F; j++) expected += (w[j] as number) * (v[i * F + j] as number);
      expect(Math.abs((y[i] as number) - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
    }
  });

  it('runs a quadratic model y = b + w.v + v^T Q v', async () => {
    const f = 12;
    const n = 9;
    const w2 = Float32Array.from({ length: f }, () => next());
    const q = new Float32Array(f * f);
    for (let i = 0; i < f; i++) for (let j = 0; j <= i; j++) q[i * f + j] = q[j * f + i] = next() * 0.1;
    const vs = Float32Array.from({ length: n * f }, () => next());
    const y = await runY(quadraticModel(w2, q, -0.5), vs, n, f);
    for (let r = 0; r < n; r++) {
      const row = vs.subarray(r * f, (r + 1) * f);
      let expected = -0.5;
      for (let i = 0; i < f; i++) {
        expected += (w2[i] as number) * (row[i] as number);
        for (let j = 0; j < f; j++) expected += (row[i] as number) * (q[i * f + j] as number) * (row[j] as number);
      }
      expect(Math.abs((y[r] as number) - expected)).toBeLessThan(1e-5);
    }
  });
});

describe('readMetadataProps / readModelSummary', () => {
  const metadata = {
    'hyper.kind': 'linear',
    'hyper.features': JSON.stringify(['bertscore::min_val=0.0|max_val=0.33', 'English']),
    unicode: 'Größe – 名前 ✓',
    empty: '',
  };
  const bytes = linearModel(new Float32Array([0.5, -0.25, 2]), 1, metadata);

  it('round-trips metadata_props', () => {
    expect(readMetadataProps(bytes)).toEqual(metadata);
  });

  it('returns {} for a model without metadata', () => {
    const g = new GraphBuilder('id');
    g.input('x', 'float32', [1]);
    g.op('Identity', ['x'], { output: 'y' });
    g.output('y', 'float32', [1]);
    expect(readMetadataProps(encodeModel({ graph: g.build() }))).toEqual({});
  });

  it('summarises the interface, nodes and initializers', () => {
    const s = readModelSummary(bytes);
    expect(s.irVersion).toBe(8);
    expect(s.opsetImports).toEqual([{ domain: '', version: 13 }]);
    expect(s.producerName).toBe('hyper-workbench-test');
    expect(s.producerVersion).toBe('0.1.0');
    expect(s.graphName).toBe('linear_ppm');
    expect(s.inputs).toEqual([{ name: 'v', elemType: 'float32', shape: ['N', 3] }]);
    expect(s.outputs).toEqual([{ name: 'y', elemType: 'float32', shape: ['N', 1] }]);
    expect(s.nodes.map((n) => [n.opType, n.inputs, n.outputs])).toEqual([
      ['MatMul', ['v', 'w'], [s.nodes[0]!.outputs[0]]],
      ['Add', [s.nodes[0]!.outputs[0], 'b'], ['y']],
    ]);
    expect(s.initializers).toEqual([
      { name: 'w', elemType: 'float32', dims: [3, 1] },
      { name: 'b', elemType: 'float32', dims: [1] },
    ]);
    expect(s.metadata).toEqual(metadata);
  });

  it('rejects bytes that are not a model', () => {
    expect(() => readModelSummary(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(ProtoDecodeError);
  });
});

describe('builder and tensor checks', () => {
  it('refuses undefined inputs, duplicate values and graphs without outputs', () => {
    const g = new GraphBuilder('g');
    g.input('x', 'float32', ['N']);
    expect(() => g.op('Relu', ['nope'])).toThrow(/not defined/);
    expect(() => g.input('x', 'float32', [1])).toThrow(/already defined/);
    expect(() => g.build()).toThrow(/no outputs/);
    expect(() => g.output('missing', 'float32', [1])).toThrow(/not defined/);
  });

  it('checks the value count against dims and stores int64 little-endian', () => {
    expect(() => tensorRawData({ name: 't', type: 'float32', dims: [2, 2], data: [1, 2, 3] })).toThrow(/3 values/);
    expect(Array.from(tensorRawData(int64Tensor('i', [2], [1, -2])))).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 254, 255, 255, 255, 255, 255, 255, 255,
    ]);
  });
});
