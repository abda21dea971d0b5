// The only module that imports onnxruntime-web. It is loaded with a dynamic import (a static import next to
// DOM code makes the production build hang when threads are on) and used from workers only.
import type { EncoderSession } from '../domain/features/encoder';

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

export class ModelLoadError extends Error {
  readonly code = 'bad-model';
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
        ortFeeds[name] = f.data instanceof BigInt64Array ? new ort.Tensor('int64', f.data, f.dims) : new ort.Tensor('float32', f.data, f.dims);
      }
      const out = await session.run(ortFeeds);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]));
    },
  };
}
