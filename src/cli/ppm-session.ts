// A PPM for the command line: the file (a user's .onnx or the built-in paper prior), its contract, its match
// against the dataset's tags, and an onnxruntime-web session in Node (WASM, one thread) wrapped as routing's
// evaluator.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AvailableTag, FeatureMatch, PpmInfo } from '../domain/ppm/contract';
import { matchFeatures, readPpmInfo } from '../domain/ppm/contract';
import { tagCountEvaluator, type PpmRun } from '../domain/ppm/evaluator';
import type { PpmEvaluator } from '../domain/routing/ppm';
import { readInputFile } from './tags-from-file';
import { HyperError } from '../domain/errors';

/** The name that selects the built-in PPM. */
export const PAPER_PRIOR_NAME = 'paper-prior';
const PACKAGE_NAME = 'hyper-workbench';

/**
 * The package root: the nearest folder above this module with our package.json. The module runs from
 * src/cli (tests) or from dist-cli/hyper.mjs (the built CLI), so a fixed relative path would be wrong in one.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new PpmLoadError('not-found', `cannot find the ${PACKAGE_NAME} package root above ${from}`);
    dir = up;
  }
}

/** The package version, for the plan's producedBy. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where `--ppm X` points: the built-in paper prior, or a file path. */
export function resolvePpmPath(spec: string): { path: string; name: string } {
  if (spec === PAPER_PRIOR_NAME) return { path: join(packageRoot(), 'public', 'ppm', 'paper-prior.onnx'), name: PAPER_PRIOR_NAME };
  return { path: spec, name: basename(spec) };
}

/** The model could not be loaded or run; `code` says at which step. */
export class PpmLoadError extends HyperError<'not-found' | 'bad-model' | 'bad-ppm-output'> {}

export interface CliPpm {
  name: string;
  path: string;
  sha256: string;
  info: PpmInfo;
  match: FeatureMatch;
  /** Tag counts in TAG_IDS order in, one score per row out. */
  evaluator: PpmEvaluator;
  backend: 'wasm';
  release(): Promise<void>;
}

type Ort = typeof import('onnxruntime-web');
let ortPromise: Promise<Ort> | null = null;

// Loaded on first use, so commands that need no model do not pay for the runtime.
function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web').then((ort) => {
    // Routing batches its rows into few large calls; extra threads would only add start-up cost.
    ort.env.wasm.numThreads = 1;
    return ort;
  });
  return ortPromise;
}

/**
 * Opens a PPM: checks the file against the contract (readPpmInfo), matches its features to the dataset's
 * `tags` (in TAG_IDS order; features the data lacks are fed zero) and creates a WASM session. Fixed batch
 * sizes are honoured by tagCountEvaluator (chunks, the last padded).
 */
export async function openPpm(spec: string, tags: readonly AvailableTag[]): Promise<CliPpm> {
  const { path, name } = resolvePpmPath(spec);
  const bytes = await readInputFile(path, '--ppm');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let info: PpmInfo;
  try {
    info = readPpmInfo(bytes);
  } catch (e) {
    // Keep the contract's code ([not-onnx], [missing-metadata], ...) and say which file.
    if (e instanceof Error) e.message = `--ppm ${path}: ${e.message}`;
    throw e;
  }
  const match = matchFeatures(info, tags);
  const ort = await loadOrt();
  let session: import('onnxruntime-web').InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const what = /not.*(implemented|supported)|unsupported/i.test(msg)
      ? 'uses an operator onnxruntime-web (WASM) does not support'
      : 'could not be loaded by onnxruntime-web';
    throw new PpmLoadError('bad-model', `--ppm ${path} ${what}: ${msg}`);
  }
  const F = info.features.length;
  const run: PpmRun = async (input, rows) => {
    let y: import('onnxruntime-web').Tensor | undefined;
    try {
      const out = await session.run({ [info.inputName]: new ort.Tensor('float32', input, [rows, F]) });
      y = out[info.outputName];
    } catch (e) {
      throw new PpmLoadError(
        'bad-model',
        `--ppm ${path} failed on a batch of ${rows} rows x ${F} features: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!y || y.type !== 'float32' || y.data.length !== rows) {
      const got = y ? `${y.type} [${y.dims.join(', ')}]` : 'nothing';
      throw new PpmLoadError(
        'bad-ppm-output',
        `--ppm ${path}: output "${info.outputName}" is ${got} for ${rows} rows; a PPM must return float32 [${rows}, 1]`,
      );
    }
    // onnxruntime-web copies a CPU output out of its own memory: the array is ours, no second copy needed.
    return y.data as Float32Array;
  };
  return {
    name,
    path,
    sha256,
    info,
    match,
    evaluator: tagCountEvaluator(info, match, run),
    backend: 'wasm',
    release: () => session.release(),
  };
}
