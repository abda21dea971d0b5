import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { coverageText, TAG_WORDS } from '../domain/tags/tag-set';
import { featuresByFamily } from '../domain/tags/tags';
import { budgetCost, resolveBudget, type BudgetInput } from '../domain/routing/budget';
import { isRoutingError } from '../domain/routing/errors';
import { planHumans, planJson, planToFile, type PlanFile } from '../domain/routing/plan-file';
import { DEFAULT_HYBRID_WEIGHT, RISK_STRATEGIES, routePlan, STRATEGY_NAMES, strategySpec, type StrategyName } from '../domain/routing/plan';
import { riskOfRecords } from '../domain/judge/risk';
import { fitJudgeErrors, predictJudgeErrors } from '../domain/judge/adaptive';
import { winnerOf } from '../domain/labels';
import type { PairRecord } from '../domain/instance';
import { Router } from '../domain/routing/router';
import { eligibleTagIndex } from '../domain/routing/eligible';
import { defectCodes } from '../domain/pair-defects';
import type { DatasetOrientation } from '../domain/formats/orientation';
import { parseArgs, UsageError } from './args';
import { writeOutputFile } from './outputs';
import { openPpm, packageVersion, PAPER_PRIOR_NAME } from './ppm-session';
import { datasetOptions, readDataset, readTagsFile, tagsFromDataset, TagsFileError, type DatasetTags } from './tags-from-file';

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const ROUTE_HELP = `hyper route: choose which pairs go to human annotators, with a PPM and a routing strategy

Usage:
  npx hyper route --input FILE --ppm MODEL.onnx|paper-prior --strategy NAME --budget B --output PLAN.json

Tags are computed from --input exactly as "hyper tags" computes them, or read from its JSONL output
(--tags); with both, pairs and ids come from --input and tags from --tags, matched by id. The PPM predicts
the quality of a mix from its tag counts; features the PPM uses but the data lacks are fed zero (the
command lists them). The plan (JSON) lists the human-routed pairs in routing order with their gains, the
parameters, and the PPM's and the dataset's SHA-256.

Options:
  --input FILE          the dataset file (any format the app imports)
  --tags FILE.jsonl     tags from "hyper tags --output" instead of computing them
  --ppm MODEL           an ONNX PPM file (docs/ppm-contract.md), or "paper-prior" for the built-in linear
                        model from the paper's Table 13 (its output is an uncalibrated relative gain)
  --strategy NAME       topk       the B pairs with the highest gain PPM(pair) - PPM(nothing)
                        simulated  the best of K candidate mixes of size B (the paper's Algorithm 1), seeded
                        positive   every pair with a positive gain (no budget: the count is an output)
                        best       simulated over 20 random budgets up to B (default n - 1); the best mix
                        risk       the B pairs the LM judge most likely got wrong (needs --input from hyper judge:
                                   risk = 1 without a verdict, else the largest of 0.5 if the verdict flips with
                                   the order, the vote split, and 1 - the verdict's probability)
                        hybrid     the B pairs with the highest W x gain rank + (1 - W) x risk (--weight W, 0.5)
  --budget B            how many pairs go to humans. A number with a decimal point, or a percentage, is a
                        fraction of the dataset (0.25, .25, 25%, 1.0 = all); a whole number is a count
                        (2500; 1 = one pair; 0 = none). Counts above the dataset size route every pair.
  --budget-money TOTAL  instead of --budget: the most to spend, with --cost-human (and --cost-lm): the largest
                        h with h * cost-human + (n - h) * cost-lm <= TOTAL
  --cost-human X        price of one human label (reported with any budget; needed by --budget-money)
  --cost-lm Y           price of one LM label (default 0)
  --seed N              seed of simulated, best and --refine (default 1); same seed, same plan
  --candidates K        candidates per budget for simulated and best (default 500, the paper's K)
  --weight W            hybrid: the share of the PPM gain's rank in the score (default 0.5)
  --refit               risk, hybrid: learn where the judge errs from the pairs with a human label in --input
                        (a logistic regression on the risk rule and the tags); those pairs stay routed (their
                        labels are made), the others are ranked by the learnt error probability
  --refine              improve the chosen mix by swaps that raise the prediction (beyond the paper)
  --output FILE         where to write the plan JSON (required)
  --layout, --mapping   how to read --input, as for "hyper tags"
  --side-seed N         seed of the coin that places TRL/HH chosen responses on A or B (default 1)
  --help                this text
`;

/** A --budget value: `25%` or a number with a decimal point is a fraction, a whole number is a count. */
export function parseBudgetArg(text: string): { kind: 'fraction' | 'count'; value: number } {
  const t = text.trim();
  let m = /^(\d+(?:\.\d*)?|\.\d+)%$/.exec(t);
  if (m) {
    const pct = Number(m[1]);
    if (pct > 100) throw new UsageError(`--budget ${text}: a percentage must be between 0% and 100%`);
    return { kind: 'fraction', value: pct / 100 };
  }
  if (/^\d+$/.test(t)) {
    const value = Number(t);
    if (!Number.isSafeInteger(value)) throw new UsageError(`--budget ${text}: too large`);
    return { kind: 'count', value };
  }
  m = /^(\d+\.\d*|\.\d+)$/.exec(t);
  if (m) {
    const value = Number(m[1]);
    if (value > 1) {
      throw new UsageError(
        `--budget ${text}: a number with a decimal point is a fraction of the dataset and must be between 0 and 1 (write ${Math.trunc(value)} for a count)`,
      );
    }
    return { kind: 'fraction', value };
  }
  throw new UsageError(`--budget ${JSON.stringify(text)}: expected a fraction (0.25 or 25%) or a whole number of pairs (2500)`);
}

function nonNegative(text: string, option: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text.trim())) throw new UsageError(`${option} ${JSON.stringify(text)}: expected a non-negative number`);
  return Number(text);
}

function wholeNumber(text: string, option: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}`);
  }
  return Number(text);
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Puts the tags of `fromTags` in the order of `ids`; every id must have a line and no line may be left over. */
function alignTags(ids: readonly string[], fromTags: DatasetTags, tagsPath: string): DatasetTags {
  const at = new Map<string, number>();
  fromTags.ids.forEach((id, i) => at.set(id, i));
  const bits = new Uint32Array(ids.length * TAG_WORDS);
  const missing: string[] = [];
  ids.forEach((id, i) => {
    const j = at.get(id);
    if (j === undefined) missing.push(id);
    else bits.set(fromTags.tagBits.subarray(j * TAG_WORDS, (j + 1) * TAG_WORDS), i * TAG_WORDS);
  });
  if (missing.length > 0) {
    throw new TagsFileError(
      `--tags ${tagsPath} has no line for ${missing.length} of the ${ids.length} pairs of --input (first: ${missing
        .slice(0, 3)
        .map((s) => JSON.stringify(s))
        .join(', ')})`,
    );
  }
  if (fromTags.n !== ids.length) {
    throw new TagsFileError(
      `--tags ${tagsPath} has ${fromTags.n} lines but --input has ${ids.length} pairs: the files do not describe the same dataset`,
    );
  }
  const coverage = fromTags.coverage.map((c) => ({ ...c }));
  return { ids: [...ids], n: ids.length, tagBits: bits, coverage };
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(3);
}

/**
 * The adaptive risk: a model of the judge's errors fitted on the pairs that have both a human and a judge label,
 * its error probability for the other pairs, and 2 (above any probability) for pairs with a human label, which
 * stay routed: their labels are made.
 */
function refitRisk(
  records: readonly PairRecord[],
  ruleRisk: Float64Array,
  tagBits: Uint32Array,
  log: (s: string) => void,
): { risk: Float64Array; refit: { n: number; errors: number } } {
  const idx: number[] = [];
  const wrong: (0 | 1)[] = [];
  records.forEach((r, i) => {
    if (!r.human || !r.lm) return;
    idx.push(i);
    wrong.push(winnerOf(r.lm.value) === winnerOf(r.human.value) ? 0 : 1);
  });
  if (idx.length === 0) throw new UsageError("--refit needs pairs with both a human label (pref_human) and the judge's label in --input");
  const model = fitJudgeErrors({ idx, wrong }, ruleRisk, tagBits);
  log(`  refit on ${model.n} pairs with both a human and a judge label: the judge is wrong on ${model.errors} of them`);
  const p = predictJudgeErrors(model, ruleRisk, tagBits, records.length);
  records.forEach((r, i) => {
    if (r.human) p[i] = 2;
  });
  return { risk: p, refit: { n: model.n, errors: model.errors } };
}

/** Runs `hyper route`; returns the process exit code. */
export async function routeCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'input', value: true },
    { name: 'tags', value: true },
    { name: 'ppm', value: true, required: true },
    { name: 'strategy', value: true, required: true },
    { name: 'budget', value: true },
    { name: 'budget-money', value: true },
    { name: 'cost-human', value: true },
    { name: 'cost-lm', value: true },
    { name: 'seed', value: true },
    { name: 'candidates', value: true },
    { name: 'weight', value: true },
    { name: 'refit', value: false },
    { name: 'refine', value: false },
    { name: 'output', value: true, required: true },
    { name: 'layout', value: true },
    { name: 'mapping', value: true },
    { name: 'side-seed', value: true },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(ROUTE_HELP);
    return 0;
  }
  const started = performance.now();
  const opt = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);

  // Every option is checked before the (slow) tagging starts.
  const strategy = String(args.strategy) as StrategyName;
  if (!STRATEGY_NAMES.includes(strategy))
    throw new UsageError(`unknown strategy "${String(args.strategy)}" (expected ${STRATEGY_NAMES.join(', ')})`);
  const input = opt('input');
  const tagsPath = opt('tags');
  if (input === undefined && tagsPath === undefined) throw new UsageError('--input or --tags is required');
  const budgetText = opt('budget');
  const moneyText = opt('budget-money');
  if (budgetText !== undefined && moneyText !== undefined) throw new UsageError('give --budget or --budget-money, not both');
  if (strategy === 'positive' && (budgetText !== undefined || moneyText !== undefined)) {
    throw new UsageError('--strategy positive takes no budget: it routes every pair with a positive gain');
  }
  if (
    (strategy === 'topk' || strategy === 'simulated' || strategy === 'risk' || strategy === 'hybrid') &&
    budgetText === undefined &&
    moneyText === undefined
  ) {
    throw new UsageError(`--strategy ${strategy} needs --budget (or --budget-money)`);
  }
  const costHuman = opt('cost-human') === undefined ? undefined : nonNegative(opt('cost-human')!, '--cost-human');
  const costLm = opt('cost-lm') === undefined ? undefined : nonNegative(opt('cost-lm')!, '--cost-lm');
  if (moneyText !== undefined && costHuman === undefined)
    throw new UsageError('--budget-money needs --cost-human (the price of one human label)');
  const asked: { kind: BudgetInput['kind']; value: number } | null =
    budgetText !== undefined
      ? parseBudgetArg(budgetText)
      : moneyText !== undefined
        ? { kind: 'money', value: nonNegative(moneyText, '--budget-money') }
        : null;
  const seed = opt('seed') === undefined ? 1 : wholeNumber(opt('seed')!, '--seed', Number.MIN_SAFE_INTEGER);
  if (opt('candidates') !== undefined && strategy !== 'simulated' && strategy !== 'best') {
    throw new UsageError('--candidates applies to --strategy simulated and best only');
  }
  const K = opt('candidates') === undefined ? 500 : wholeNumber(opt('candidates')!, '--candidates', 1);
  if (opt('weight') !== undefined && strategy !== 'hybrid') throw new UsageError('--weight applies to --strategy hybrid only');
  const weight = opt('weight') === undefined ? DEFAULT_HYBRID_WEIGHT : nonNegative(opt('weight')!, '--weight');
  if (weight > 1) throw new UsageError(`--weight ${opt('weight')}: the share of the PPM gain, between 0 and 1`);
  const needsRisk = RISK_STRATEGIES.includes(strategy);
  if (args.refit === true && !needsRisk) throw new UsageError('--refit applies to --strategy risk and hybrid only');
  if (needsRisk && input === undefined)
    throw new UsageError(`--strategy ${strategy} needs --input: the judge signals are read from the judged pairs (hyper judge --output)`);
  if (K > 1_000_000) throw new UsageError(`--candidates ${K}: at most 1,000,000`);
  const refine = args.refine === true;
  const output = String(args.output);

  // Tags, and the bytes that identify the dataset.
  let tags: DatasetTags;
  let datasetSha256: string;
  let datasetName: string;
  // How the input's A/B sides were fixed: recorded in the plan so that `merge` reads the data the same way.
  let orientation: DatasetOrientation | null = null;
  let records: PairRecord[] | null = null;
  if (input !== undefined) {
    datasetName = basename(input);
    if (tagsPath !== undefined) {
      const dataset = await readDataset(input, datasetOptions(args, '--side-seed'), log);
      const fromFile = (await readTagsFile(tagsPath, '--tags')).tags;
      tags = {
        ...alignTags(
          dataset.records.map((r) => r.id),
          fromFile,
          tagsPath,
        ),
        defects: defectCodes(dataset.records),
      };
      datasetSha256 = sha256Of(dataset.bytes);
      orientation = dataset.orientation;
      records = dataset.records;
      log(`tags from ${tagsPath}`);
    } else {
      const r = await tagsFromDataset(input, datasetOptions(args, '--side-seed'), log);
      tags = r.tags;
      datasetSha256 = sha256Of(r.dataset.bytes);
      orientation = r.dataset.orientation;
      records = r.dataset.records;
    }
  } else {
    datasetName = basename(tagsPath!);
    ({ tags, sha256: datasetSha256 } = await readTagsFile(tagsPath!, '--tags'));
    log(`${tagsPath}: ${tags.n} pairs with tags`);
  }
  const n = tags.n;

  let count: number | null = null;
  if (asked) {
    try {
      count = resolveBudget({
        ...asked,
        n,
        ...(costHuman !== undefined ? { costHuman } : {}),
        ...(costLm !== undefined ? { costLm } : {}),
      });
    } catch (e) {
      if (isRoutingError(e) && e.code === 'bad-budget') throw new UsageError(e.message);
      throw e;
    }
    if (strategy === 'best' && count < 1 && n > 0)
      throw new UsageError(`--strategy best needs a budget of at least one pair; ${budgetText ?? moneyText} buys ${count}`);
    if (asked.kind === 'count' && asked.value > n)
      log(`note: --budget ${asked.value} is more than the ${n} pairs: every pair goes to humans`);
  }

  const ppm = await openPpm(String(args.ppm), tags.coverage);
  try {
    const { info, match } = ppm;
    log(`PPM ${ppm.name}: ${info.kind}, ${info.features.length} features, output: ${info.output}`);
    for (const w of info.warnings) log(`  warning: ${w}`);
    if (match.missingInData.length > 0) {
      log(`  ${match.missingInData.length} of the PPM's ${info.features.length} features are missing in the data and fed zero:`);
      for (const line of featuresByFamily(match.missingInData)) log(`    ${line}`);
      log("  (each one is listed in the plan's ppm.missingInData)");
    } else {
      log(`  all ${info.features.length} PPM features are in the data`);
    }

    // Pairs with an empty response or identical responses are not routed: strategies run over the others.
    const eligible = eligibleTagIndex(tags.tagBits, n, tags.defects);
    const index = eligible.index;
    const excludedCount = eligible.excluded.empty + eligible.excluded.identical;
    if (excludedCount > 0)
      log(
        `  ${excludedCount} pairs are not routed: ${eligible.excluded.empty} with an empty response, ${eligible.excluded.identical} with identical responses`,
      );
    else if (!tags.defects)
      log('  note: without --input the texts are unknown, so pairs with empty or identical responses cannot be left out');
    if (count !== null && count > index.n) log(`note: only ${index.n} pairs can be routed; the budget routes them all`);
    const router = new Router(index, ppm.evaluator);
    let risk: Float64Array | undefined;
    let refit: { n: number; errors: number } | undefined;
    if (needsRisk) {
      const r = riskOfRecords(records!);
      if (r.missing > 0) {
        throw new UsageError(
          `--strategy ${strategy}: ${r.missing} of the ${n} pairs carry no judge signals (judge_* fields); judge the file first with "hyper judge"`,
        );
      }
      risk = r.risk;
      if (args.refit === true) ({ risk, refit } = refitRisk(records!, r.risk, tags.tagBits, log));
    }
    const spec = strategySpec(strategy, { budget: count, K, seed, refine, weight }, index.n);
    const costs = { ...(costHuman !== undefined ? { costHuman } : {}), ...(costLm !== undefined ? { costLm } : {}) };
    const routed = await routePlan(router, eligible, spec, {
      ppm: info,
      ...(asked ? { asked } : {}),
      ...(risk ? { risk } : {}),
      ...(refit ? { refit } : {}),
    });
    const routedPlan = { ...routed.plan, budget: { ...routed.plan.budget, ...costs } };
    const plan: PlanFile = planToFile(
      routedPlan,
      {
        producedBy: { app: 'hyper-workbench', version: packageVersion(), command: ['hyper', 'route', ...argv].map(shellQuote).join(' ') },
        createdAt: new Date().toISOString(),
        dataset: { name: datasetName, sha256: datasetSha256, n, ...orientation },
        ppm: {
          name: ppm.name,
          sha256: ppm.sha256,
          kind: info.kind,
          output: info.output,
          source: info.source,
          missingInData: [...match.missingInData],
          backend: `onnxruntime-web ${ppm.backend}`,
        },
      },
      planHumans(routedPlan, (idx) => tags.ids[idx], n),
    );
    const warnings = plan.warnings ?? [];
    await writeOutputFile(output, planJson(plan));

    const h = plan.human.length;
    const label = strategy === 'best' ? 'best-over-budgets' : strategy;
    log(
      `${n} pairs, ${coverageText(tags.coverage)}; ${label}${plan.refinement ? ' + local search' : ''}: ${h} to humans (${n ? ((100 * h) / n).toFixed(1) : '0'}%), ${n - h} keep the LM label`,
    );
    if (asked) log(`  budget ${budgetText ?? `${moneyText} (money)`} -> ${count} pairs${strategy === 'best' ? ' at most' : ''}`);
    if (plan.budgetsTried) log(`  budgets tried: ${plan.budgetsTried.join(', ')}`);
    log(
      `  predicted ${fmt(plan.predicted)} vs all-LM ${fmt(plan.predictedAllLm)}, all-human ${fmt(plan.predictedAllHuman)} (${info.output})`,
    );
    if (plan.refinement) {
      const r = plan.refinement;
      log(
        `  refine: ${fmt(r.startPredicted)} -> ${fmt(plan.predicted)} (${r.swapsAccepted} swaps${r.localOptimum ? ', a swap-local optimum' : ''})`,
      );
    } else if (refine) {
      log('  refine: nothing to swap (the plan routes no pair or every pair)');
    }
    if (costHuman !== undefined)
      log(`  cost: ${budgetCost(h, n, costHuman, costLm ?? 0)} (${h} x ${costHuman} + ${n - h} x ${costLm ?? 0})`);
    if (match.missingInData.length > 0) log(`  ${match.missingInData.length} PPM feature(s) missing in the data (fed zero)`);
    for (const w of warnings) log(`  warning: ${w}`);
    if (String(args.ppm) === PAPER_PRIOR_NAME) log('  the paper prior ranks mixes; its numbers are not RewardBench scores');
    log(`wrote ${output} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await ppm.release();
  }
}
