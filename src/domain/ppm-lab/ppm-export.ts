// A fitted PPM as an ONNX file meeting the contract (docs/ppm-contract.md), and the model restricted to some features.
import { buildLinearPpm, buildQuadraticPpm } from '../ppm/builders';
import { PpmLabError } from './errors';
import type { FitResult, FittedPpm } from './fit-types';

/** Source written into every PPM fitted here. */
export const FITTED_SOURCE = 'fitted in HyPER Workbench PPM lab';

export interface ExportMeta {
  /** What the output means: the score column's name and meaning (hyper.ppm.output). */
  output: string;
  /** The training data (default: a summary of the fit with its CV spread). */
  trainedOn?: string;
  /** Default FITTED_SOURCE. */
  source?: string;
  /**
   * Keep every input feature in the model (false by default: only the features that varied over the rows,
   * so that routing reports the tags the model knows nothing about as unused rather than as missing).
   */
  allFeatures?: boolean;
}

/** The model over a subset of its features (their weights and interactions; the rest must weigh zero to keep predictions). */
export function restrictModel(model: FittedPpm, features: readonly string[]): FittedPpm {
  const F = model.features.length;
  const at = features.map((f) => {
    const i = model.features.indexOf(f);
    if (i < 0) throw new PpmLabError('bad-option', `restrictModel: "${f}" is not a feature of the model`);
    return i;
  });
  const G = at.length;
  const w = Float64Array.from(at, (i) => model.w[i]!);
  const out: FittedPpm = { kind: model.kind, features: [...features], bias: model.bias, w };
  if (model.Q) {
    const Q = new Float64Array(G * G);
    for (let a = 0; a < G; a++) for (let b = 0; b < G; b++) Q[a * G + b] = model.Q[at[a]! * F + at[b]!]!;
    out.Q = Q;
  }
  return out;
}

/** One line describing the fit and its cross-validation, for hyper.ppm.trained_on. */
export function describeFit(fit: FitResult, what = 'candidate mixes'): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  return (
    `${fit.n} ${what}; ${fit.kind} ridge, lambda ${fit.lambda} (relative), ${fit.folds}-fold CV seed ${fit.seed}: ` +
    `Spearman ${f(fit.cv.spearman.mean)} +/- ${f(fit.cv.spearman.std)}, RMSE ${f(fit.cv.rmse.mean)} +/- ${f(fit.cv.rmse.std)}`
  );
}

/** The fitted PPM as an ONNX file meeting the contract (docs/ppm-contract.md), metadata filled in. */
export function exportFittedPpm(fit: FitResult, meta: ExportMeta): Uint8Array {
  const m = meta.allFeatures || fit.usedFeatures.length === 0 ? fit.model : restrictModel(fit.model, fit.usedFeatures);
  const at = new Map(fit.model.features.map((f, i) => [f, i]));
  const description = {
    features: m.features,
    output: meta.output,
    source: meta.source ?? FITTED_SOURCE,
    trainedOn: meta.trainedOn ?? describeFit(fit),
    // The counts the model saw, per exported feature: routing warns when it asks about mixes beyond them.
    fitRange: { min: m.features.map((f) => fit.range.min[at.get(f)!]!), max: m.features.map((f) => fit.range.max[at.get(f)!]!) },
    ...(Number.isFinite(fit.cv.spearman.mean) ? { cvSpearman: fit.cv.spearman.mean } : {}),
    ...(Number.isFinite(fit.cv.rmse.mean) ? { cvRmse: fit.cv.rmse.mean } : {}),
  };
  if (m.kind === 'linear') return buildLinearPpm({ ...description, weights: m.w, bias: m.bias });
  return buildQuadraticPpm({ ...description, w: m.w, Q: m.Q!, bias: m.bias });
}
