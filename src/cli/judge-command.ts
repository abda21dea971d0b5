import { appendFile, readFile } from 'node:fs/promises';
import { calibrationReport, runJudge, type JudgeAnswer, type JudgeStore, type JudgeTemplate } from '../domain/judge';
import { tagsOf } from '../domain/tags/tag-set';
import { judgedRow, toStoredSignals } from '../domain/judge/rows';
import { combineJudges, judgeName } from '../domain/judge/combine';
import { checkTemplate, FIVE_POINT_TEMPLATE, PAIRWISE_TEMPLATE } from '../domain/judge/templates';
import { createChatClient } from '../domain/tags/analyzer/client';
import { parseArgs, UsageError } from './args';
import { writeOutputFile } from './outputs';
import { computeTagSet, datasetOptions, readDataset } from './tags-from-file';

export const JUDGE_HELP = `hyper judge: label pairs with an LM judge through an OpenAI-compatible endpoint

Usage:
  npx hyper judge --input FILE --base-url URL --model NAME --output judged.jsonl [options]

Every pair is shown to the judge in both orders (A/B and B/A) by default, so position bias is measured, not
assumed. The output is the pairs layout, one line per input pair: the pair, pref_lm (the judge's label; when
the two orders disagree, a tie), pref_lm_swapped_order (the verdict on the swapped order, mapped back to the
pair's own sides), lm_judge (model and template) and the judge signals (judge_swap_inconsistent,
judge_vote_split, judge_confidence). Every answer is appended to OUT.answers.jsonl as it arrives: a rerun
after a crash, a cancel or a failure asks only what is not answered yet, and never pays for an answer twice.

Options:
  --input FILE          the pairs (any file the app imports; --layout, --mapping, --side-seed as for "hyper tags")
  --base-url URL        the endpoint, e.g. http://127.0.0.1:8000/v1 (requests go to this address only)
  --model NAME          the judge model
  --output FILE         where to write the judged pairs (JSONL)
  --api-key-env VAR     read the API key from this environment variable (never from the command line)
  --template NAME|FILE  pairwise (default: [[A]] / [[B]] / [[C]]), five-point (MultiPref scale), or a JSON file
                        {"id", "name", "scale": "pairwise"|"five-point", "system", "user"} with {prompt},
                        {response_a} and {response_b} in it
  --orders both|one     both orders (default) or only A/B
  --samples K           answers per pair and order (default 1, at temperature 0)
  --temperature T       sampling temperature when K > 1 (default 0.7)
  --logprobs            ask for the verdict token's probability (used as the judge's confidence)
  --policy tie|first    the label when the two orders disagree (default tie)
  --ensemble primary|majority
                        with answers of several judges in OUT.answers.jsonl (rerun with another --model):
                        the label is this run's judge's (primary, the default) or the judges' majority;
                        every judge's answers count in judge_vote_split either way
  --concurrency N       requests in flight at once (default 8)
  --max-retries N       retries of a 429 / 5xx / network failure per request (default 4)
  --timeout-ms MS       per request (default 120000)
  --price-input X       price per million input tokens (for the cost lines)
  --price-output Y      price per million output tokens
  --help                this text
`;

function num(args: Record<string, string | true>, name: string, def: number, check: (v: number) => boolean, what: string): number {
  const v = args[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name} ${JSON.stringify(v)}: expected ${what}`);
  return n;
}

async function templateOf(spec: string | undefined): Promise<JudgeTemplate> {
  if (spec === undefined || spec === 'pairwise') return PAIRWISE_TEMPLATE;
  if (spec === 'five-point' || spec === '5point') return FIVE_POINT_TEMPLATE;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(spec, 'utf8'));
  } catch (e) {
    throw new UsageError(`--template ${spec}: not a readable JSON template (${e instanceof Error ? e.message : String(e)})`);
  }
  const t = raw as Partial<JudgeTemplate>;
  if (typeof t.system !== 'string' || typeof t.user !== 'string')
    throw new UsageError(`--template ${spec}: needs "system" and "user" texts`);
  try {
    return checkTemplate({
      id: String(t.id ?? spec),
      name: String(t.name ?? spec),
      scale: t.scale ?? 'pairwise',
      system: t.system,
      user: t.user,
    });
  } catch (e) {
    throw new UsageError(`--template ${spec}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The answers file beside the output: one JudgeAnswer per line, appended as answers arrive. */
async function answersStore(path: string, log: (s: string) => void): Promise<{ store: JudgeStore; answers: Map<string, JudgeAnswer> }> {
  const answers = new Map<string, JudgeAnswer>();
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const a = JSON.parse(line) as JudgeAnswer;
      if (typeof a.key === 'string') answers.set(a.key, a);
    } catch {
      // A line cut short by a crash: that request is asked again.
      if (i < lines.length - 1 || line.trim() !== '') log(`  ${path} line ${i + 1}: not a complete answer, asked again`);
    }
  });
  if (answers.size > 0) log(`resuming: ${answers.size} answers already in ${path}`);
  // A file that ends without a newline (cut short) gets one, so the next answer starts its own line.
  if (text !== '' && !text.endsWith('\n')) await appendFile(path, '\n');
  const store: JudgeStore = {
    get: async (key) => answers.get(key),
    put: async (a) => {
      await appendFile(path, `${JSON.stringify(a)}\n`);
      answers.set(a.key, a);
    },
  };
  return { store, answers };
}

/** Runs `hyper judge`; returns the process exit code. */
export async function judgeCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'input', value: true, required: true },
    { name: 'base-url', value: true, required: true },
    { name: 'model', value: true, required: true },
    { name: 'output', value: true, required: true },
    { name: 'api-key-env', value: true },
    { name: 'api-key', value: true, renamedTo: 'api-key-env' },
    { name: 'template', value: true },
    { name: 'orders', value: true },
    { name: 'samples', value: true },
    { name: 'temperature', value: true },
    { name: 'logprobs', value: false },
    { name: 'policy', value: true },
    { name: 'ensemble', value: true },
    { name: 'concurrency', value: true },
    { name: 'max-retries', value: true },
    { name: 'timeout-ms', value: true },
    { name: 'price-input', value: true },
    { name: 'price-output', value: true },
    { name: 'layout', value: true },
    { name: 'mapping', value: true },
    { name: 'side-seed', value: true },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(JUDGE_HELP);
    return 0;
  }
  const orders =
    args.orders === undefined || args.orders === 'both' ? (['ab', 'ba'] as const) : args.orders === 'one' ? (['ab'] as const) : null;
  if (!orders) throw new UsageError(`--orders ${JSON.stringify(args.orders)}: expected both or one`);
  const ensemble =
    args.ensemble === undefined || args.ensemble === 'primary' ? 'primary' : args.ensemble === 'majority' ? 'majority' : null;
  if (!ensemble) throw new UsageError(`--ensemble ${JSON.stringify(args.ensemble)}: expected primary or majority`);
  const policy = args.policy === undefined || args.policy === 'tie' ? 'tie' : args.policy === 'first' ? 'first-order' : null;
  if (!policy) throw new UsageError(`--policy ${JSON.stringify(args.policy)}: expected tie or first`);
  const samples = num(args, 'samples', 1, (v) => Number.isInteger(v) && v >= 1 && v <= 20, 'a whole number from 1 to 20');
  const temperature = num(args, 'temperature', 0.7, (v) => v >= 0 && v <= 2, 'a number from 0 to 2');
  const concurrency = num(args, 'concurrency', 8, (v) => Number.isInteger(v) && v >= 1 && v <= 256, 'a whole number from 1 to 256');
  const maxRetries = num(args, 'max-retries', 4, (v) => Number.isInteger(v) && v >= 0 && v <= 20, 'a whole number from 0 to 20');
  const timeoutMs = num(args, 'timeout-ms', 120_000, (v) => v > 0, 'a positive number of milliseconds');
  const hasPrice = args['price-input'] !== undefined || args['price-output'] !== undefined;
  const price = hasPrice
    ? {
        inputPerMillion: num(args, 'price-input', 0, (v) => v >= 0, 'a non-negative price'),
        outputPerMillion: num(args, 'price-output', 0, (v) => v >= 0, 'a non-negative price'),
      }
    : undefined;
  let apiKey: string | undefined;
  if (typeof args['api-key-env'] === 'string') {
    apiKey = process.env[args['api-key-env']];
    if (!apiKey) throw new UsageError(`--api-key-env ${args['api-key-env']}: that environment variable is not set`);
  }
  const template = await templateOf(typeof args.template === 'string' ? args.template : undefined);
  const output = String(args.output);
  const { records } = await readDataset(String(args.input), datasetOptions(args, '--side-seed'), log);
  const client = createChatClient({
    baseUrl: String(args['base-url']),
    model: String(args.model),
    ...(apiKey ? { apiKey } : {}),
    fetch: (u, i) => fetch(u, i),
    timeoutMs,
  });
  const answersPath = `${output}.answers.jsonl`;
  const { store, answers } = await answersStore(answersPath, log);
  // Ctrl-C once: send nothing more, let the requests in flight finish and store their answers. Twice: stop now.
  const controller = new AbortController();
  const hard = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) hard.abort();
    else log('stopping: the requests in flight finish and are stored (Ctrl-C again to stop at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let lastLog = 0;
  const started = performance.now();
  let result;
  try {
    result = await runJudge({
      pairs: records.map((r, idx) => ({ idx, id: r.id, prompt: r.prompt, responseA: r.responseA, responseB: r.responseB })),
      settings: { template, orders, samples, temperature, logprobs: args.logprobs === true, ...(price ? { price } : {}) },
      client,
      store,
      concurrency,
      maxRetries,
      backoff: { baseMs: 500, maxMs: 30_000 },
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          const t = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        }),
      signal: controller.signal,
      abortInFlight: hard.signal,
      onProgress: (p) => {
        const t = performance.now();
        if (t - lastLog < 2000 && p.done < p.total) return;
        lastLog = t;
        const rate = p.perSecond === null ? '' : `, ${p.perSecond.toFixed(1)}/s, ETA ${Math.round(p.etaSeconds ?? 0)} s`;
        log(
          `  ${p.done}/${p.total} answers (${p.stored} stored before, ${p.unparseable} without a verdict, ${p.failed} failed)${rate}${p.waiting ? `, waiting ${Math.round(p.waiting.ms / 1000)} s` : ''}`,
        );
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const p = result.progress;
  if (result.cancelled) {
    log(
      `cancelled after ${p.done} of ${p.total} answers (${answers.size} in ${answersPath}); ${output} was not written. Run the same command again to finish: answered requests are not sent again.`,
    );
    return 130;
  }
  // Every answer in the answers file counts: a rerun with another --model adds a judge (--ensemble majority
  // makes the label their majority; by default it stays this run's judge's, the others raise the vote split).
  const thisJudge = judgeName({ model: client.model, templateId: template.id });
  const combined = combineJudges(answers.values(), new Map(records.map((r, idx) => [idx, r.id])), {
    primary: thisJudge,
    ensemble,
    policy,
  });
  const byIdx = new Map(combined.map((c) => [c.idx, c]));
  const none = {
    label: null,
    signals: toStoredSignals({ swapInconsistent: null, voteSplit: 0, confidence: null, answers: 0, unparseable: 0 }),
  };
  const judgements = records.map((_, idx) => byIdx.get(idx) ?? { ...none, judge: thisJudge, perJudge: {}, swappedOrder: null, idx });
  const judgesSeen = new Set([...answers.values()].map(judgeName));
  if (judgesSeen.size > 1)
    log(
      `  ${judgesSeen.size} judges in ${answersPath}: ${[...judgesSeen].join(', ')} (label: ${ensemble === 'majority' ? 'their majority' : thisJudge})`,
    );
  const lines = records.map((r, idx) => JSON.stringify(judgedRow(r, judgements[idx]!)));
  await writeOutputFile(output, lines.length ? `${lines.join('\n')}\n` : '');
  const spent = [...answers.values()].reduce((s, a) => s + (a.cost ?? 0), 0);
  log(`wrote ${records.length} judged pairs to ${output} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  log(
    `  ${p.requests} requests (${p.retries} retries), ${p.stored} answers taken from ${answersPath}, ${p.unparseable} without a verdict (kept in the answers file), ${p.failed} failed`,
  );
  log(
    `  tokens this run: ${p.promptTokens} in, ${p.completionTokens} out${p.cost !== null ? `; cost this run ${p.cost.toFixed(6)}, all answers ${spent.toFixed(6)}` : ''}`,
  );
  // How far the judge can be trusted, where the file has human labels too.
  const labelled = records.flatMap((r, idx) => (r.human ? [idx] : []));
  if (labelled.length > 0) {
    const tagSet = await computeTagSet(records, String(args.input));
    const report = calibrationReport(
      labelled.map((idx) => {
        const judgement = judgements[idx]!;
        return {
          judge: judgement.label,
          human: records[idx]!.human!.value,
          swapInconsistent: judgement.signals.judge_swap_inconsistent,
          confidence: judgement.signals.judge_confidence,
          tags: tagsOf(tagSet.tagBits, idx),
        };
      }),
    );
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
    log(
      `  against the ${labelled.length} human labels: accuracy ${pct(report.accuracy)} over ${report.n} judged pairs, Cohen's kappa ${report.kappa === null ? 'n/a' : report.kappa.toFixed(3)}, verdict flips with the order on ${pct(report.positionBiasRate)}`,
    );
    if (report.calibration)
      log(
        `  confidence: ECE ${report.calibration.ece.toFixed(3)}, Brier ${report.calibration.brier.toFixed(3)} over ${report.calibration.n} pairs`,
      );
    for (const t of report.byTag.slice(0, 3)) log(`  most errors on ${t.tag}: ${pct(t.errorRate)} of ${t.n} pairs`);
  }
  if (result.fatal) {
    log(`  stopped: ${result.fatal.message}`);
    return 1;
  }
  if (p.failed > 0) {
    for (const e of result.errors.slice(0, 5)) log(`  pair ${e.idx + 1} (${e.order}, sample ${e.sample}): ${e.message}`);
    log(`  ${p.failed} requests failed: run the same command again to retry them`);
    return 1;
  }
  return 0;
}
