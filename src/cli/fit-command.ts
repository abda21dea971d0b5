import { basename } from 'node:path';
import {
  chooseFit,
  csvField,
  describeFit,
  exportFittedPpm,
  fitPpm,
  isPpmLabError,
  parseCountsCsv,
  parseResultsCsv,
  PROXY_OUTPUT_MEANING,
  PROXY_SCORE_COLUMN,
  type FitResult,
  type PpmFitKind,
} from '../domain/ppm-lab';
import { parseArgs, UsageError } from './args';
import { writeOutputFiles } from './outputs';
import { readInputFile } from './tags-from-file';

export const FIT_HELP = `hyper fit: fit a PPM (performance prediction model) to the scores of reward models trained on candidate mixes

Usage:
  npx hyper fit --counts counts.csv --results results.csv --score Overall --output ppm.onnx
                [--kind linear|quadratic|both] [--folds 5] [--seed N]

--results is a CSV (or TSV) with a score column and either a candidate id column (candidate_id, id or
candidate) to join with --counts, or the count columns under the feature strings (TAG_IDS). The fit is
ridge regression on the raw tag counts (linear) or on the counts and all their pairwise products
(quadratic), with lambda chosen by k-fold cross-validation (lambda 0 = minimum-norm least squares); the
report gives the cross-validated Spearman and RMSE, mean +/- standard deviation over the folds. The model
is written as an ONNX PPM (docs/ppm-contract.md) that "hyper route --ppm" and the app load.

Options:
  --results FILE       the scores (required)
  --counts FILE        the counts.csv of "hyper candidates" (needed unless --results has the count columns)
  --score NAME         the score column, e.g. Overall or ${PROXY_SCORE_COLUMN} (required)
  --output FILE        where to write the ONNX model (required)
  --kind K             linear, quadratic, or both (default; writes the one with the lower CV RMSE, or the
                       linear one when the two differ by no more than their fold-to-fold noise)
  --folds N            cross-validation folds (default 5)
  --seed N             seed of the fold assignment (default 1)
  --lambdas LIST       relative ridge penalties to try (default 0,1e-6,1e-5,...,10,100; 0 = minimum norm)
  --select rmse|spearman  how lambda (and with --kind both, the model) is chosen (default rmse)
  --meaning TEXT       what the score means, written into the model's output description
                       (default for ${PROXY_SCORE_COLUMN}: the proxy's meaning; otherwise "as in the results file")
  --trained-on TEXT    the model's training-data description (default: a summary of the fit)
  --predictions FILE   write out-of-fold predicted vs actual scores (CSV) for a plot
  --help               this text
`;

function wholeNumber(text: string, option: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}`);
  }
  return Number(text);
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const f4 = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(2)) : 'n/a');

/** The CV report, one line per fitted kind, like the paper's Table 2. */
export function reportTable(fits: readonly FitResult[]): string {
  const rows = [['kind', 'lambda', 'CV Spearman', 'CV RMSE', 'train RMSE', 'terms', 'solver']];
  for (const f of fits) {
    rows.push([
      f.kind,
      String(f.lambda),
      `${f3(f.cv.spearman.mean)} ± ${f3(f.cv.spearman.std)}`,
      `${f4(f.cv.rmse.mean)} ± ${f4(f.cv.rmse.std)}`,
      f4(f.train.rmse),
      String(f.terms),
      f.solver,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Runs `hyper fit`; returns the process exit code. */
export async function fitCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'results', value: true, required: true },
    { name: 'counts', value: true },
    { name: 'score', value: true, required: true },
    { name: 'output', value: true, required: true },
    { name: 'kind', value: true },
    { name: 'folds', value: true },
    { name: 'seed', value: true },
    { name: 'lambdas', value: true },
    { name: 'select', value: true },
    { name: 'meaning', value: true },
    { name: 'trained-on', value: true },
    { name: 'predictions', value: true },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(FIT_HELP);
    return 0;
  }
  const opt = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  const kindText = opt('kind') ?? 'both';
  if (!['linear', 'quadratic', 'both'].includes(kindText))
    throw new UsageError(`--kind ${JSON.stringify(kindText)}: expected linear, quadratic or both`);
  const kinds: PpmFitKind[] = kindText === 'both' ? ['linear', 'quadratic'] : [kindText as PpmFitKind];
  const folds = opt('folds') === undefined ? 5 : wholeNumber(opt('folds')!, '--folds', 2);
  const seed = opt('seed') === undefined ? 1 : wholeNumber(opt('seed')!, '--seed', Number.MIN_SAFE_INTEGER);
  const select = (opt('select') ?? 'rmse') as 'rmse' | 'spearman';
  if (select !== 'rmse' && select !== 'spearman') throw new UsageError(`--select ${JSON.stringify(select)}: expected rmse or spearman`);
  let lambdas: number[] | undefined;
  if (opt('lambdas') !== undefined) {
    lambdas = opt('lambdas')!
      .split(',')
      .map((t) => {
        const v = Number(t.trim());
        if (t.trim() === '' || !Number.isFinite(v) || v < 0) throw new UsageError(`--lambdas: ${JSON.stringify(t)} is not a number >= 0`);
        return v;
      });
  }
  const score = String(args.score);
  const output = String(args.output);
  const resultsPath = String(args.results);
  const countsPath = opt('counts');

  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const counts =
    countsPath === undefined ? undefined : parseCountsCsv(decode(await readInputFile(countsPath, '--counts')), basename(countsPath));
  const data = parseResultsCsv(decode(await readInputFile(resultsPath, '--results')), {
    score,
    ...(counts ? { counts } : {}),
    file: basename(resultsPath),
    ...(countsPath ? { countsFile: basename(countsPath) } : {}),
  });
  log(
    `${resultsPath}: ${data.n} scored candidates, ${data.features.length} count columns (${data.source === 'joined' ? `joined with ${countsPath}` : 'from the results file'})`,
  );
  if (data.unscored.length > 0)
    log(
      `  ${data.unscored.length} candidates of ${countsPath} have no score and are left out (first: ${data.unscored.slice(0, 3).join(', ')})`,
    );

  if (data.y.every((v) => v === data.y[0]))
    log(`  warning: every ${score} is ${data.y[0]}: there is nothing to fit, the PPM will be a constant`);

  const fits: FitResult[] = [];
  for (const kind of kinds) {
    try {
      fits.push(fitPpm(data, { kind, folds, seed, select, ...(lambdas ? { lambdas } : {}) }));
    } catch (e) {
      if (isPpmLabError(e) && (e.code === 'too-few-rows' || e.code === 'bad-option')) throw new UsageError(e.message);
      throw e;
    }
  }
  const choice = chooseFit(fits, select);
  const best = fits[choice.best]!;
  const first = fits[0]!;
  process.stdout.write(`${reportTable(fits)}\n`);
  log(
    `(${folds}-fold CV, seed ${seed}, ${data.n} candidates, ${first.usedFeatures.length} of ${data.features.length} features vary; ` +
      `lambda relative to the mean eigenvalue, chosen by ${select === 'rmse' ? 'lowest mean RMSE' : 'highest mean Spearman'} on the same folds)`,
  );

  const meaning = opt('meaning') ?? (score === PROXY_SCORE_COLUMN ? PROXY_OUTPUT_MEANING : 'as in the results file');
  const model = exportFittedPpm(best, {
    output: `${score}: ${meaning}`,
    trainedOn: opt('trained-on') ?? `${describeFit(best)}; score column ${score} of ${basename(resultsPath)}`,
  });
  const outputs: { path: string; data: Uint8Array | string; option: string }[] = [{ path: output, data: model, option: '--output' }];
  if (opt('predictions') !== undefined) {
    const lines = ['candidate_id,kind,fold,actual,predicted'];
    for (const f of fits) for (const o of f.outOfFold) lines.push([csvField(o.id ?? ''), f.kind, o.fold, o.actual, o.predicted].join(','));
    outputs.push({ path: opt('predictions')!, data: `${lines.join('\n')}\n`, option: '--predictions' });
  }
  await writeOutputFiles(outputs);
  if (opt('predictions') !== undefined) log(`wrote out-of-fold predictions to ${opt('predictions')}`);
  log(`wrote ${output}: ${best.kind} PPM, output "${score}: ${meaning}"`);
  if (fits.length > 1) log(`  kept: ${choice.reason}`);
  log('  the model records the tag counts it was fitted on: hyper route warns when a mix goes beyond them');
  if (score === PROXY_SCORE_COLUMN) log('  the scores are PROXY accuracies: the PPM predicts the proxy, not a RewardBench score');
  return 0;
}
