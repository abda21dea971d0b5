// How well routing sends humans the LM judge's mistakes, on real pairs with a gold (human) label and a simulated
// judge with planted errors: on a seeded quarter of the pairs it prefers whichever answer is shown first (position
// bias: its verdict flips with the order), on a further 12% it is consistently wrong, elsewhere it gives the gold
// winner. Each pair is judged in both orders, as `hyper judge` does. For each strategy and budget the row is the
// share of the judge's errors inside the human-routed pairs divided by the budget share: random routing is 1.0,
// higher is better. The PPM is the built-in paper prior. Needs ../shared/data/pairs (a row says so without it).
// Standalone: `node bench/judge-routing.bench.mjs` (prints the rows as JSON).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openTsModules } from '../scripts/load-ts.mjs';

export const name = 'judge-risk routing value (Node)';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAIRS = join(ROOT, '..', 'shared', 'data', 'pairs');
const FILES = ['pandalm.jsonl', 'prd_vicuna80.jsonl'];
const BUDGETS = [0.1, 0.25, 0.5];

export async function run() {
  const rows = [];
  const row = (metric, value) => rows.push({ benchmark: name, metric, value, target: '' });
  if (!existsSync(PAIRS)) {
    row('skipped', `${PAIRS} is not there (real pairs with gold labels are needed)`);
    return rows;
  }
  // One loader kept open for the run: computing tags imports the scorers when first needed.
  const loader = await openTsModules([
    '/src/domain/routing/index.ts',
    '/src/domain/judge/index.ts',
    '/src/domain/labels.ts',
    '/src/domain/random.ts',
    '/src/cli/tags-from-file.ts',
    '/src/domain/ppm/index.ts',
  ]);
  try {
    return await measure(rows, row, ...loader.modules);
  } finally {
    await loader.close();
  }
}

async function measure(rows, row, routing, judge, labels, random, files, ppmDomain) {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const priorBytes = readFileSync(join(ROOT, 'public', 'ppm', 'paper-prior.onnx'));
  /** The built-in paper prior on onnxruntime-web (WASM), as `hyper route --ppm paper-prior` opens it. */
  const openPrior = async (coverage) => {
    const info = ppmDomain.readPpmInfo(priorBytes);
    const match = ppmDomain.matchFeatures(info, coverage);
    const session = await ort.InferenceSession.create(priorBytes, { executionProviders: ['wasm'] });
    const F = info.features.length;
    const evaluator = ppmDomain.tagCountEvaluator(info, match, async (input, rows) => {
      const out = await session.run({ [info.inputName]: new ort.Tensor('float32', input, [rows, F]) });
      return Float32Array.from(out[info.outputName].data);
    });
    return { evaluator, release: () => session.release() };
  };
  for (const file of FILES) {
    const { records } = await files.readDataset(join(PAIRS, file), {}, () => undefined);
    const gold = records.filter((r) => r.human !== undefined);
    const tagSet = await files.computeTagSet(gold, file);
    const next = random.mulberry32(20240617);
    const risk = new Float64Array(gold.length);
    const wrong = new Uint8Array(gold.length);
    let planted = { biased: 0, consistent: 0 };
    gold.forEach((r, i) => {
      const truth = r.human.value;
      const u = next();
      let ab;
      let ba;
      if (u < 0.25) {
        ab = 'A>B';
        ba = 'A>B';
        planted.biased++;
      } else if (u < 0.37) {
        const w = labels.winnerOf(truth) === 'A' ? 'B>A' : 'A>B';
        ab = w;
        ba = labels.swapPreference(w);
        planted.consistent++;
      } else {
        ab = truth;
        ba = labels.swapPreference(truth);
      }
      const answers = [
        { judge: 'sim', order: 'ab', sample: 0, verdict: ab, confidence: null },
        { judge: 'sim', order: 'ba', sample: 0, verdict: ba, confidence: null },
      ];
      const j = judge.judgePair(answers, { primary: 'sim' });
      const s = j.signals;
      risk[i] = judge.judgeRisk(
        {
          judge_swap_inconsistent: s.swapInconsistent,
          judge_vote_split: s.voteSplit,
          judge_confidence: s.confidence,
          judge_answers: s.answers,
          judge_unparseable: s.unparseable,
        },
        j.label !== null,
      );
      wrong[i] = j.label === null || labels.winnerOf(j.label) !== labels.winnerOf(truth) ? 1 : 0;
    });
    const errors = wrong.reduce((s, w) => s + w, 0);
    const n = gold.length;
    row(
      `${file}: pairs with a gold label; judge errors (planted: ${planted.biased} position-biased, ${planted.consistent} consistently wrong)`,
      `${n}; ${errors} (${((100 * errors) / n).toFixed(1)}%)`,
    );
    const ppm = await openPrior(tagSet.coverage);
    try {
      const eligible = routing.eligibleTagIndex(tagSet.tagBits, n, tagSet.defects);
      const router = new routing.Router(eligible.index, ppm.evaluator);
      const caught = (humanIdx) => humanIdx.reduce((s, i) => s + wrong[i], 0);
      const shuffled = Array.from({ length: eligible.index.n }, (_, i) => (eligible.positions ? eligible.positions[i] : i));
      const r2 = random.mulberry32U32(7);
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = r2() % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      for (const share of BUDGETS) {
        const b = Math.round(share * eligible.index.n);
        const ratio = (c) => (c / errors / (b / n)).toFixed(2);
        const plan = async (strategy, extra = {}) =>
          (
            await routing.routePlan(
              router,
              eligible,
              routing.strategySpec(strategy, { budget: b, K: 1, seed: 1, refine: false, ...extra }, eligible.index.n),
              { risk },
            )
          ).plan.humanIdx;
        const cells = {
          random: caught(shuffled.slice(0, b)),
          'top-k (paper prior)': caught([...(await plan('topk'))]),
          risk: caught([...(await plan('risk'))]),
          'hybrid (weight 0.5)': caught([...(await plan('hybrid'))]),
        };
        for (const [strategy, c] of Object.entries(cells))
          row(`${file}: ${strategy} at ${share * 100}% (${b} pairs)`, `${ratio(c)}x random (${c} of ${errors} errors)`);
      }
    } finally {
      await ppm.release();
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
