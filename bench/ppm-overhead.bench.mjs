// The PPM through the app's path (tag counts in the app's 96-column order, mapped to the model's own columns,
// batched by predictRows, run in an onnxruntime-web WASM session, checked) against onnxruntime's own
// `session.run` on an input already in the model's layout, in Node on one thread, for 100k rows of seeded
// tag counts, with the paper prior PPM (public/ppm/paper-prior.onnx). Medians of 9 runs, the two paths alternating. Target: within 1.5x.
// Standalone: `node bench/ppm-overhead.bench.mjs`.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { openTsModules } from '../scripts/load-ts.mjs';
import { rng } from './harness.mjs';

export const name = 'PPM overhead (Node, WASM, 1 thread)';
const ROWS = Number(process.env.BENCH_PPM_ROWS ?? 100_000);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export async function run() {
  const loader = await openTsModules([
    '/src/domain/ppm/contract.ts',
    '/src/domain/ppm/evaluator.ts',
    '/src/domain/routing/index.ts',
    '/src/workers/onnx-runtime.ts',
    '/src/domain/tags/tags.ts',
  ]);
  try {
    return await measure(...loader.modules);
  } finally {
    await loader.close();
  }
}

async function measure(contract, evaluatorMod, routing, runtime, tags) {
  const bytes = new Uint8Array(readFileSync(new URL('../public/ppm/paper-prior.onnx', import.meta.url)));
  const info = contract.readPpmInfo(bytes);
  const available = tags.TAG_IDS.map((tag) => ({ tag, available: true }));
  const match = contract.matchFeatures(info, available);
  const W = tags.TAG_COUNT;
  const F = info.features.length;
  // Seeded counts, every row different (as the candidates of a simulated run are).
  const random = rng(42);
  const counts = Float32Array.from({ length: ROWS * W }, () => Math.floor(random() * 40));
  const modelInput = contract.toPpmInput(match.order, counts, ROWS, W);

  // The app's path, as the routing worker opens it.
  const session = await runtime.createPpmSession(bytes, F, 'wasm');
  const evaluator = evaluatorMod.tagCountEvaluator(info, match, (input, rows) => session.predict(input, rows));
  // onnxruntime itself, on an input already in the model's layout.
  const ort = await import('onnxruntime-web');
  const raw = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  await raw.run({ [raw.inputNames[0]]: new ort.Tensor('float32', modelInput, [ROWS, F]) });
  await routing.predictRows(evaluator, counts.slice(), ROWS);

  // Each run gets an input written just before it (untimed), as routing hands over rows it has just built; the
  // two paths alternate, 9 runs each, so that a slower moment of the machine falls on both.
  const rawRuns = [];
  const appRuns = [];
  for (let k = 0; k < 9; k++) {
    const modelCopy = modelInput.slice();
    let t0 = performance.now();
    await raw.run({ [raw.inputNames[0]]: new ort.Tensor('float32', modelCopy, [ROWS, F]) });
    rawRuns.push(performance.now() - t0);
    const countsCopy = counts.slice();
    t0 = performance.now();
    await routing.predictRows(evaluator, countsCopy, ROWS);
    appRuns.push(performance.now() - t0);
  }
  const rawMs = median(rawRuns);
  const appMs = median(appRuns);
  await raw.release();
  await session.release();
  const ratio = appMs / rawMs;
  const label = `${ROWS.toLocaleString('en-US')} rows, ${F} model features of ${W} tags`;
  return [
    { benchmark: name, metric: `${label}: onnxruntime session.run (ms)`, value: rawMs.toFixed(1), target: '' },
    { benchmark: name, metric: `${label}: the app's path, predictRows through the evaluator (ms)`, value: appMs.toFixed(1), target: '' },
    {
      benchmark: name,
      metric: `${label}: app / raw`,
      value: `${ratio.toFixed(2)}x`,
      target: '<= 1.5x',
      ok: ratio <= 1.5,
      measured: ratio,
      limit: 1.5,
      was: 'predictRows 8-9x, evaluator 4x',
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
