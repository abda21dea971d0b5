// The routing worker's logic, with its runtime passed in (feature sets, PPM bytes, an ONNX session factory),
// so it runs against fakes in unit tests. It holds one routing session (a dataset's tag index + a PPM) and
// answers route / curve / explain / predict against it. Curves are computed here ahead of time so the page's
// slider only reads numbers.
import type { TagSet } from '../domain/tags/tag-set';
import { TAG_COUNT, TAG_IDS } from '../domain/tags/tags';
import {
  describeFitRangeExcess,
  isPpmError,
  matchFeatures,
  outsideFitRange,
  readPpmInfo,
  tagCountEvaluator,
  type PpmInfo,
} from '../domain/ppm';
import {
  atIndexPositions,
  eligibleTagIndex,
  errorsCaught,
  gainRanks,
  judgeScores,
  scoreOrder,
  RISK_STRATEGIES,
  routePlan,
  Router,
  tagGains,
  toIndexPosition,
  type CandidateHelper,
  type EligibleIndex,
  type TagIndex,
} from '../domain/routing';
import { defectOfCode } from '../domain/pair-defects';
import { fitJudgeErrors, predictJudgeErrors } from '../domain/judge/adaptive';
import { winnerOf, type Preference } from '../domain/labels';
import type { PpmRow } from '../storage/db';
import type { PpmSession } from './onnx-runtime';
import type { BackendChoice, PpmSummary, RouteOutcome, RoutingRequest, RoutingResults } from './routing-protocol';
import { withTransfer, type Handlers, type JobContext } from './worker-host';
import { generalError, type GeneralErrorCode } from '../domain/errors';

export interface RoutingDeps {
  loadTagSet(datasetId: string): Promise<TagSet | undefined>;
  loadPpm(hash: string): Promise<PpmRow | undefined>;
  openSession(bytes: Uint8Array, featureCount: number, want: BackendChoice): Promise<PpmSession>;
  /** Pairs people labelled (the file's human label, else the annotators' majority) with the judge's label, if any. */
  loadHumanLabels?(datasetId: string): Promise<{ idx: number; human: Preference; judge: Preference | null }[]>;
  /** Pairs with any annotation on the dataset (a draft or a submitted label, by anyone). */
  loadStartedPairs?(datasetId: string): Promise<number[]>;
  /** A second thread for half of the simulated candidates over this tag index (absent: one thread). */
  candidateHelper?(index: TagIndex, key: string): CandidateHelper;
}

/** Routable pairs whose judge risk is unknown. */
function routableWithoutRisk(eligible: EligibleIndex, risk: Float32Array): number {
  let missing = 0;
  for (let i = 0; i < eligible.index.n; i++) if (Number.isNaN(risk[eligible.positions ? eligible.positions[i]! : i]!)) missing++;
  return missing;
}

/** A request handler for serveWorker; each call of this function has its own session state. */
export function createRoutingHandler(deps: RoutingDeps): Handlers<RoutingRequest, RoutingResults> {
  interface Session {
    key: string;
    /** The tag index of the routable pairs, and the map back to dataset positions. */
    eligible: EligibleIndex;
    index: TagIndex;
    /** Per dataset pair: 0, or its defect code (why it is not routed). */
    defects: Uint8Array;
    /** The judge's risk per dataset position, when the tag set has it. */
    judgeRisk: Float32Array | null;
    datasetId: string;
    tagBits: Uint32Array;
    router: Router;
    ppm: PpmSession;
    info: PpmInfo;
    evaluator: Router['ppm'];
  }

  let current: Session | null = null;
  let prepareTail: Promise<unknown> = Promise.resolve();

  // onnxruntime-web refuses a second run on a session while one is in flight ("Session already started"), and
  // route, curve and explain requests arrive together: every ORT call (create, run, release) goes through here.
  let ortTail: Promise<unknown> = Promise.resolve();
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const run = ortTail.then(f);
    ortTail = run.catch(() => undefined);
    return run;
  }

  function fail(code: GeneralErrorCode, message: string): never {
    throw generalError(code, message);
  }

  function sessionFor(key: string): Session {
    if (!current || current.key !== key)
      fail('not-prepared', 'The routing session was replaced (another dataset or PPM was chosen); reload the Route page.');
    return current;
  }

  async function prepare(req: Extract<RoutingRequest, { type: 'prepare' }>, ctx: JobContext): Promise<RoutingResults['prepare']> {
    const started = performance.now();
    ctx.progress({ phase: 'reading-tags', done: 0, total: 3 });
    const fs = await deps.loadTagSet(req.datasetId);
    if (!fs) fail('no-features', 'This dataset has no tags yet: compute features first.');
    const row = await deps.loadPpm(req.ppmHash);
    if (!row) fail('not-found', 'The PPM is no longer stored in this browser.');
    let info;
    try {
      info = readPpmInfo(row.bytes);
    } catch (e) {
      if (isPpmError(e)) fail(`ppm-${e.code}`, `${row.name}: ${e.message}`);
      throw e;
    }
    const match = matchFeatures(info, fs.coverage);
    ctx.progress({ phase: 'starting-ppm', done: 1, total: 3 });
    if (current) {
      const old = current.ppm;
      current = null;
      await serial(() => old.release()).catch(() => undefined);
    }
    const ppm = await serial(() => deps.openSession(row.bytes, info.features.length, req.backend));
    const evaluator = tagCountEvaluator(info, match, (input, rows) => serial(() => ppm.predict(input, rows)));
    const eligible = eligibleTagIndex(fs.tagBits, fs.n, fs.defects);
    const index = eligible.index;
    const helper = deps.candidateHelper?.(index, req.session);
    const router = new Router(index, evaluator, helper ? { helper } : {});
    ctx.progress({ phase: 'tag-gains', done: 2, total: 3 });
    let tg: Awaited<ReturnType<typeof tagGains>>;
    let allHuman: number;
    try {
      tg = await tagGains(index, evaluator, { seed: 1 });
      allHuman = await router.allHuman();
      // Gains of every instance, computed now so the first route is quick.
      await router.gains();
    } catch (e) {
      // The contract check passed, but the graph does not run on its declared input (a symbolic width that the
      // weights contradict, say): onnxruntime's own words ("GEMM: Dimension mismatch") alone do not say why.
      await serial(() => ppm.release()).catch(() => undefined);
      const why = e instanceof Error ? e.message : String(e);
      fail(
        'ppm-run',
        `${row.name} passes the PPM contract but does not run on its ${info.features.length} declared feature columns: the model's input must take exactly the features listed in hyper.ppm.features, in that order (onnxruntime said: ${why})`,
      );
    }
    current = {
      key: req.session,
      eligible,
      index,
      defects: fs.defects ?? new Uint8Array(fs.n),
      judgeRisk: fs.judgeRisk ?? null,
      datasetId: req.datasetId,
      tagBits: fs.tagBits,
      router,
      ppm,
      info,
      evaluator,
    };
    const summary: PpmSummary = {
      hash: row.hash,
      name: row.name,
      kind: info.kind,
      output: info.output,
      source: info.source,
      featureCount: info.features.length,
      missingInData: match.missingInData,
      unusedDataTags: match.unusedDataTags,
      warnings: info.warnings,
      backend: ppm.backend,
      hasFitRange: info.fitRange !== undefined,
      allHumanOutside: describeFitRangeExcess(outsideFitRange(info, index.countAll()), 'The all-human mix'),
    };
    return {
      ppm: summary,
      n: fs.n,
      routable: index.n,
      excluded: eligible.excluded,
      allLm: tg.allLm,
      allHuman,
      judgeRisk: fs.judgeRisk ? { missing: routableWithoutRisk(eligible, fs.judgeRisk) } : null,
      ms: performance.now() - started,
      tagGains: TAG_IDS.map((tag, t) => ({ tag, gain: tg.gains[t]!, carriers: tg.carriers[t]! })).filter((g) => g.carriers > 0),
    };
  }

  /**
   * The judge risk to route by (dataset positions), and the expected judge error per pair for the errors-caught
   * curve. Adaptive: a model of "the judge is wrong" fitted on the pairs people labelled ranks the rest; the
   * labelled pairs stay first (their labels are made) and count as caught exactly when the judge got them wrong.
   */
  async function judgeRiskFor(
    s: Session,
    adaptive: boolean,
  ): Promise<{ risk: ArrayLike<number>; expected: ArrayLike<number>; refit?: { n: number; errors: number } }> {
    if (!s.judgeRisk || routableWithoutRisk(s.eligible, s.judgeRisk) > 0) {
      fail(
        'bad-option',
        'Routing by judge risk needs the LM judge\'s signals on every pair: import the file "hyper judge" wrote, then compute tags.',
      );
    }
    if (!adaptive) return { risk: s.judgeRisk, expected: s.judgeRisk };
    const labelled = (await deps.loadHumanLabels?.(s.datasetId)) ?? [];
    const both = labelled.filter((l) => l.judge !== null);
    if (both.length === 0) fail('bad-option', "Learning where the judge errs needs pairs with both a human label and the judge's label.");
    const model = fitJudgeErrors(
      { idx: both.map((l) => l.idx), wrong: both.map((l) => (winnerOf(l.judge!) === winnerOf(l.human) ? 0 : 1)) },
      s.judgeRisk,
      s.tagBits,
    );
    const risk = predictJudgeErrors(model, s.judgeRisk, s.tagBits, s.eligible.n);
    const expected = Float64Array.from(risk);
    // Pairs someone has started (a draft, or one annotator's label short of a majority) stay next: work begun on
    // them is not moved out of the queue. Only the part nobody has touched is re-ranked.
    for (const idx of (await deps.loadStartedPairs?.(s.datasetId)) ?? []) if (idx >= 0 && idx < risk.length) risk[idx] = 1.5;
    for (const l of labelled) {
      risk[l.idx] = 2;
      expected[l.idx] = l.judge !== null && winnerOf(l.judge) === winnerOf(l.human) ? 0 : 1;
    }
    return { risk, expected, refit: { n: model.n, errors: model.errors } };
  }

  async function route(req: Extract<RoutingRequest, { type: 'route' }>, ctx: JobContext): Promise<RouteOutcome> {
    const s = sessionFor(req.session);
    const started = performance.now();
    const judged = RISK_STRATEGIES.includes(req.spec.strategy) ? await judgeRiskFor(s, req.adaptive === true) : null;
    const routed = await routePlan(s.router, s.eligible, req.spec, {
      signal: ctx.signal,
      ppm: s.info,
      ...(judged ? { risk: judged.risk } : {}),
      ...(judged?.refit ? { refit: judged.refit } : {}),
    });
    return { ...routed, ms: performance.now() - started };
  }

  /** Expected judge errors among the human-routed pairs against the budget, for risk or hybrid, and random's line. */
  async function riskCurve(req: Extract<RoutingRequest, { type: 'risk-curve' }>): Promise<RoutingResults['risk-curve']> {
    const s = sessionFor(req.session);
    const started = performance.now();
    const judged = await judgeRiskFor(s, req.adaptive);
    const spec = req.strategy === 'risk' ? ({ strategy: 'risk' } as const) : ({ strategy: 'hybrid', weight: req.weight } as const);
    const order = scoreOrder(await s.router.gains(), await judgeScores(s.router, spec, atIndexPositions(s.eligible, judged.risk)));
    const expected = atIndexPositions(s.eligible, judged.expected);
    const n = s.index.n;
    const points = Math.max(2, Math.min(201, Math.floor(req.points)));
    const budgets = [...new Set(Array.from({ length: points }, (_, i) => Math.round((i * n) / (points - 1))))];
    const caught = errorsCaught(order, expected, budgets);
    const total = caught[caught.length - 1] ?? 0;
    return {
      points: budgets.map((budget, i) => ({ budget, caught: caught[i]!, random: n === 0 ? 0 : (total * budget) / n })),
      total,
      ms: performance.now() - started,
      ...(judged.refit ? { refit: judged.refit } : {}),
    };
  }

  async function curve(req: Extract<RoutingRequest, { type: 'curve' }>, ctx: JobContext): Promise<RoutingResults['curve']> {
    const s = sessionFor(req.session);
    const started = performance.now();
    const n = s.index.n;
    const points = Math.max(2, Math.min(201, Math.floor(req.points)));
    const budgets = [...new Set(Array.from({ length: points }, (_, i) => Math.round((i * n) / (points - 1))))];
    const c = await s.router.budgetCurve({ budgets, strategy: req.strategy, K: req.candidates, seed: req.seed, signal: ctx.signal });
    return {
      points: c.points.map((p) => ({ budget: p.budget, predicted: p.predicted })),
      allLm: c.allLm,
      allHuman: c.allHuman,
      ms: performance.now() - started,
    };
  }

  /** An instance's gain, and for each of its tags the gain it would lose without that tag. */
  async function explain(req: Extract<RoutingRequest, { type: 'explain' }>): Promise<RoutingResults['explain']> {
    const s = sessionFor(req.session);
    const { index } = s;
    const n = s.eligible.n;
    if (!Number.isInteger(req.idx) || req.idx < 0 || req.idx >= n)
      fail('bad-option', `There is no pair ${req.idx + 1}: the dataset has pairs 1 to ${n}.`);
    const at = toIndexPosition(s.eligible, req.idx);
    if (at < 0)
      return { idx: req.idx, excluded: defectOfCode(s.defects[req.idx]!) ?? 'empty', gain: 0, rank: -1, gainRank: 0, risk: null, tags: [] };
    const table = await s.router.gains();
    const tags: number[] = [];
    for (let q = index.rowOffsets[at]!; q < index.rowOffsets[at + 1]!; q++) tags.push(index.rowTags[q]!);
    const buf = new Float32Array((tags.length + 1) * TAG_COUNT);
    index.addRow(buf, at, 1);
    tags.forEach((t, j) => {
      index.addRow(buf, at, 1, (j + 1) * TAG_COUNT);
      buf[(j + 1) * TAG_COUNT + t] = 0;
    });
    const pred = await s.evaluator.predict(buf, tags.length + 1);
    const rank = table.order.indexOf(at);
    return {
      idx: req.idx,
      excluded: null,
      gain: table.gains[at]!,
      rank,
      gainRank: gainRanks(table)[at]!,
      risk: s.judgeRisk && !Number.isNaN(s.judgeRisk[req.idx]!) ? s.judgeRisk[req.idx]! : null,
      tags: tags
        .map((t, j) => ({ tag: TAG_IDS[t]!, contribution: pred[0]! - pred[j + 1]! }))
        .sort((a, b) => b.contribution - a.contribution),
    };
  }

  return {
    // One prepare at a time, so a session is never replaced half-way through another's start.
    prepare: (req, ctx) => {
      const run = prepareTail.then(() => prepare(req, ctx));
      prepareTail = run.catch(() => undefined);
      return run;
    },
    route,
    curve,
    'risk-curve': (req) => riskCurve(req),
    explain: (req) => explain(req),
    predict: async (req) => {
      const out = await sessionFor(req.session).evaluator.predict(req.counts, req.rows);
      return withTransfer(out, [out.buffer]);
    },
  };
}
