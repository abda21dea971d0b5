// The only module that imports onnxruntime-web. It is loaded with a dynamic import (a static import next to
// DOM code makes the production build hang when threads are on) and used from workers only.
import type { EncoderSession } from '../domain/tags/encoder';
import { HyperError, generalError } from '../domain/errors';

type Ort = typeof import('onnxruntime-web');
let ortPromise: Promise<Ort> | null = null;

async function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web').then((ort) => {
    // One thread per session: the app already runs one session per worker, and nested pthread workers
    // add start-up cost for small models.
    ort.env.wasm.numThreads = 1;
    return ort;
  });
  return ortPromise;
}

export class ModelLoadError extends HyperError<'bad-model'> {
  constructor(message: string) {
    super('bad-model', message);
  }
}

/** An onnxruntime-web session (WASM backend) adapted to the encoder's session interface. */
export async function createEncoderSession(bytes: Uint8Array, fileName: string): Promise<EncoderSession & { release(): Promise<void> }> {
  const ort = await loadOrt();
  let session: import('onnxruntime-web').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  } catch (e) {
    throw new ModelLoadError(`${fileName} could not be loaded as an ONNX model: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    release: () => session.release(),
    async run(feeds) {
      const ortFeeds: Record<string, import('onnxruntime-web').Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) {
        ortFeeds[name] =
          f.data instanceof BigInt64Array ? new ort.Tensor('int64', f.data, f.dims) : new ort.Tensor('float32', f.data, f.dims);
      }
      const out = await session.run(ortFeeds);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]));
    },
  };
}

export type PpmBackend = 'webgpu' | 'wasm';

/** A real (non-fallback) WebGPU adapter, if the browser has one; SwiftShader counts as none for 'auto'. */
async function hasRealGpu(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return false;
  try {
    const adapter = (await gpu.requestAdapter()) as { info?: { isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean } | null;
    if (!adapter) return false;
    return !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
  } catch {
    return false;
  }
}

/** A PPM session: one float32 input [N, F], one output [N, 1]; predictions for a batch of count vectors. */
export interface PpmSession {
  backend: PpmBackend;
  featureCount: number;
  predict(counts: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Opens a PPM on WebGPU when a real adapter exists (or when asked), otherwise on WASM. */
export async function createPpmSession(bytes: Uint8Array, featureCount: number, want: 'auto' | PpmBackend): Promise<PpmSession> {
  const ort = await loadOrt();
  const backend: PpmBackend = want === 'auto' ? ((await hasRealGpu()) ? 'webgpu' : 'wasm') : want;
  let session: import('onnxruntime-web').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: [backend] });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const unsupported = /not.*(implemented|supported)|unsupported/i.test(msg);
    throw generalError(
      'bad-model',
      unsupported
        ? `The PPM uses an operator the ${backend} backend does not support: ${msg}`
        : `The PPM could not be loaded on ${backend}: ${msg}`,
    );
  }
  const input = session.inputNames[0]!;
  const output = session.outputNames[0]!;
  return {
    backend,
    featureCount,
    async predict(counts, rows) {
      if (rows === 0) return new Float32Array(0);
      // No copies of our own: onnxruntime copies the input into its memory and the output out of it.
      const view = counts.length === rows * featureCount ? counts : counts.subarray(0, rows * featureCount);
      const tensor = new ort.Tensor('float32', view, [rows, featureCount]);
      const out = await session.run({ [input]: tensor });
      const result = out[output]!;
      const data = result.data as Float32Array;
      if (data.length !== rows)
        throw generalError('bad-model', `The PPM returned ${data.length} values for ${rows} rows (expected an output of shape [N, 1]).`);
      return data instanceof Float32Array ? data : Float32Array.from(data);
    },
    release: () => session.release(),
  };
}
