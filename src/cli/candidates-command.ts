import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { jsonFormatOf, writeOutputFolder } from './outputs';
import { basename, join } from 'node:path';
import { coverageText, TAG_WORDS } from '../domain/tags/tag-set';
import {
  MANIFEST_FORMAT,
  buildManifest,
  CANDIDATE_ID_COLUMN,
  countsCsvHeader,
  countsCsvLine,
  csvField,
  DEFAULT_CAP,
  generateCandidates,
  humanIds,
  manifestEntry,
  planCandidates,
  preparePool,
  PROXY_SCORE_COLUMN,
  proxyEvaluateCandidate,
  proxyFeatures,
  trlJsonl,
  type CandidateManifestEntry,
} from '../domain/ppm-lab';
import { parseArgs, UsageError } from './args';
import { computeTagSet, datasetOptions, readDataset, readTagsFile, TagsFileError } from './tags-from-file';

export const CANDIDATES_HELP = `hyper candidates: candidate human/LM mixes for fitting a PPM (the paper's training loop)

Usage:
  npx hyper candidates --input FILE --output DIR [--k 200] [--budgets random|0.1,0.2,...] [--seed N] [--cap 7000]
                       [--proxy [--gold-share 0.2]]

The input needs both a human and an LM label per pair; pairs with a tie or a missing label from either
source are dropped (as in the paper). Each candidate routes a budget of the remaining pairs to humans with
the paper's Algorithm 1 (the rest keep the LM label) and is capped at --cap pairs by a seeded sample. Writes:
  DIR/candidates/<id>.jsonl          the mix as TRL preference rows {"prompt", "chosen", "rejected"}
  DIR/candidates/<id>.human-ids.txt  ids of the pairs in the mix that carry the human label
  DIR/counts.csv                     candidate_id + the tag counts of the human-labelled pairs (PPM input)
  DIR/manifest.json                  seed, K, budgets, cap, dataset SHA-256, pool and per-candidate counts
Train one reward model per candidate file, put its score next to the candidate id in a CSV, and run
"hyper fit". With --proxy a small local reward model stands in (a PROXY, not RewardBench) and DIR/results.csv
gets its gold-split accuracy as ${PROXY_SCORE_COLUMN}.

Options:
  --input FILE         the dataset (any format the app imports), with human and LM labels
  --output DIR         where to write: a new or empty folder, or with --force the folder of an earlier run
                       (replaced whole once the new run is complete; a folder holding anything else is refused)
  --k N                number of candidates (default 200; with --budgets: the number of budgets given)
  --budgets LIST       "random" (default: uniform budgets, with the all-human and all-LM mixes first) or
                       fractions of the pool, e.g. 0.1,0.25,0.5 (candidate i takes budget i mod the list)
  --no-extremes        random budgets without the all-human and all-LM mixes
  --seed N             seed of budgets, candidates, the gold split and the proxy (default 1)
  --cap N|none         largest mix (default ${DEFAULT_CAP}, the paper's cap)
  --tags FILE.jsonl    tags from "hyper tags --output" instead of computing them (matched by id)
  --proxy              train and score the proxy reward model per candidate; writes DIR/results.csv
  --gold-share X       share of the human-labelled pairs held out as the gold set (default 0.2 with --proxy,
                       else 0); gold pairs never enter a mix
  --proxy-epochs N     SGD passes of the proxy (default 4)
  --layout, --mapping  how to read --input, as for "hyper tags"
  --side-seed N        seed of the coin that places TRL/HH chosen responses on A or B (default 1)
  --force              replace the earlier run in --output
  --help               this text
`;

function wholeNumber(text: string, option: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)) || Number(text) < min) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a whole number${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}`);
  }
  return Number(text);
}

function fraction(text: string, option: string, max = 1): number {
  const t = text.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(t) || Number(t) > max)
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a number between 0 and ${max}`);
  return Number(t);
}

/** Runs `hyper candidates`; returns the process exit code. */
export async function candidatesCommand(argv: readonly string[], log: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'input', value: true, required: true },
    { name: 'output', value: true, required: true },
    { name: 'k', value: true },
    { name: 'budgets', value: true },
    { name: 'no-extremes', value: false },
    { name: 'seed', value: true },
    { name: 'cap', value: true },
    { name: 'tags', value: true },
    { name: 'proxy', value: false },
    { name: 'gold-share', value: true },
    { name: 'proxy-epochs', value: true },
    { name: 'layout', value: true },
    { name: 'mapping', value: true },
    { name: 'side-seed', value: true },
    { name: 'force', value: false },
    { name: 'help', value: false },
  ]);
  if (args.help) {
    log(CANDIDATES_HELP);
    return 0;
  }
  const started = performance.now();
  const opt = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);

  // Every option is checked before the (slow) reading and tagging.
  const input = String(args.input);
  const outDir = String(args.output);
  const seed = opt('seed') === undefined ? 1 : wholeNumber(opt('seed')!, '--seed', Number.MIN_SAFE_INTEGER);
  const budgetsText = opt('budgets') ?? 'random';
  const budgets = budgetsText === 'random' ? ('random' as const) : budgetsText.split(',').map((b) => fraction(b, '--budgets'));
  const k = opt('k') === undefined ? (budgets === 'random' ? 200 : budgets.length) : wholeNumber(opt('k')!, '--k', 1);
  if (k > 100_000) throw new UsageError(`--k ${k}: at most 100,000 candidates`);
  if (args['no-extremes'] && budgets !== 'random') throw new UsageError('--no-extremes applies to random budgets only');
  const capText = opt('cap');
  const cap = capText === undefined ? DEFAULT_CAP : capText === 'none' ? null : wholeNumber(capText, '--cap', 1);
  const proxy = args.proxy === true;
  const goldShare = opt('gold-share') === undefined ? (proxy ? 0.2 : 0) : fraction(opt('gold-share')!, '--gold-share', 0.9);
  if (proxy && goldShare === 0) throw new UsageError('--proxy needs a gold set: --gold-share must be above 0');
  if (!proxy && opt('proxy-epochs') !== undefined) throw new UsageError('--proxy-epochs applies with --proxy only');
  const epochs = opt('proxy-epochs') === undefined ? 4 : wholeNumber(opt('proxy-epochs')!, '--proxy-epochs', 1);
  const isRun = async (dir: string) => (await jsonFormatOf(join(dir, 'manifest.json'))) === MANIFEST_FORMAT;
  if (existsSync(join(outDir, 'manifest.json')) && (await isRun(outDir)) && !args.force) {
    throw new UsageError(`--output ${outDir} already holds a run (manifest.json); choose another folder or pass --force to replace it`);
  }

  const dataset = await readDataset(input, datasetOptions(args, '--side-seed'), log);
  const { records } = dataset;
  let tagBits: Uint32Array;
  const tagsPath = opt('tags');
  if (tagsPath !== undefined) {
    const fromFile = (await readTagsFile(tagsPath, '--tags')).tags;
    const at = new Map(fromFile.ids.map((id, i) => [id, i]));
    tagBits = new Uint32Array(records.length * TAG_WORDS);
    records.forEach((r, i) => {
      const j = at.get(r.id);
      if (j === undefined) throw new TagsFileError(`--tags ${tagsPath} has no line for pair "${r.id}" of --input`);
      tagBits.set(fromFile.tagBits.subarray(j * TAG_WORDS, (j + 1) * TAG_WORDS), i * TAG_WORDS);
    });
    log(`tags from ${tagsPath}`);
  } else {
    const fs = await computeTagSet(records, input);
    tagBits = fs.tagBits;
    log(`tags computed: ${coverageText(fs.coverage)}`);
  }

  const pool = preparePool(records, tagBits, { goldShare, seed });
  const e = pool.excluded;
  log(
    `pool: ${pool.positions.length} pairs with a human and an LM winner (${pool.disagreements} where they differ); ` +
      `left out: ${e.gold} gold, ${e.humanTie} human ties, ${e.humanMissing} without a human label, ${e.lmTie} LM ties, ${e.lmMissing} without an LM label`,
  );
  const plan = planCandidates(pool, { k, budgets, seed, cap, includeExtremes: !args['no-extremes'] });

  const features = proxy ? proxyFeatures(records) : null;
  const weights = features ? new Float64Array(features.width) : null;
  const gold = { positions: pool.gold, preferA: pool.goldA };
  const countsLines = [countsCsvHeader()];
  const resultLines = [[CANDIDATE_ID_COLUMN, PROXY_SCORE_COLUMN, 'proxy_train_accuracy', 'human_in_mix', 'mix_size'].join(',')];
  const entries: CandidateManifestEntry[] = [];
  let proxyMs = 0;
  // The run is built in a folder of its own and swapped in whole when complete (outputs.ts): an interrupted run
  // leaves the earlier one as it was, and a rerun never mixes its files with stale ones.
  await writeOutputFolder(outDir, isRun, async (dir) => {
    await mkdir(join(dir, 'candidates'));
    let lastLog = performance.now();
    for (const c of generateCandidates(pool, plan)) {
      const files = { trl: `candidates/${c.id}.jsonl`, humanIds: `candidates/${c.id}.human-ids.txt` };
      await writeFile(join(dir, files.trl), trlJsonl(records, c));
      const ids = humanIds(records, c);
      await writeFile(join(dir, files.humanIds), ids.length ? `${ids.join('\n')}\n` : '');
      countsLines.push(countsCsvLine(c));
      entries.push(manifestEntry(c, files));
      if (features && weights) {
        const t0 = performance.now();
        const r = proxyEvaluateCandidate(features, c, gold, { epochs, seed: seed + c.index }, weights);
        proxyMs += performance.now() - t0;
        resultLines.push([csvField(c.id), r.accuracy, r.trainAccuracy, c.humanInMix, c.mix.length].join(','));
      }
      if (performance.now() - lastLog > 2000) {
        log(`  ${c.index + 1}/${plan.k} candidates`);
        lastLog = performance.now();
      }
    }
    await writeFile(join(dir, 'counts.csv'), `${countsLines.join('\n')}\n`);
    const manifest = buildManifest({
      plan,
      pool,
      records,
      entries,
      dataset: { name: basename(input), sha256: createHash('sha256').update(dataset.bytes).digest('hex') },
    });
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (proxy) await writeFile(join(dir, 'results.csv'), `${resultLines.join('\n')}\n`);
  });

  const sizes = entries.map((x) => x.mixSize);
  log(`wrote ${plan.k} candidates to ${outDir}: mixes of ${Math.min(...sizes)}..${Math.max(...sizes)} pairs, counts.csv, manifest.json`);
  if (proxy) {
    log(
      `  results.csv: ${PROXY_SCORE_COLUMN} of a PROXY reward model (hashed n-grams, ${epochs} epochs) on ${pool.gold.length} gold pairs, ${(proxyMs / plan.k).toFixed(1)} ms per candidate`,
    );
    log(
      `  next: npx hyper fit --counts ${join(outDir, 'counts.csv')} --results ${join(outDir, 'results.csv')} --score ${PROXY_SCORE_COLUMN} --output ppm.onnx`,
    );
  }
  log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}
