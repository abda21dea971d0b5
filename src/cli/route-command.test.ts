// `hyper route` end to end: tags as `hyper tags` computes them, PPMs run in onnxruntime-web (Node, WASM),
// plans checked against plain reference computations written here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TAG_COUNT, TAG_IDS, TAG_INDEX } from '../domain/tags/tags';
import { encodeModel, GraphBuilder } from '../domain/onnx';
import { buildLinearPpm, buildQuadraticPpm } from '../domain/ppm/builders';
import { PPM_META } from '../domain/ppm/contract';
import { mulberry32 } from '../domain/random';
import { parsePlanFile, type PlanFile } from '../domain/routing/plan-file';
import { quadraticPpm } from '../domain/routing/ppm';
import { main } from './main';
import { capture, restoreOutputAfterEach } from './test-helpers';
import { packageRoot } from './ppm-session';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const demo = join(REPO, 'src/demo/demo-pairs.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'hyper-route-'));
const SEMANTIC = ['bertscore::', 'bertscore_length::', 'cosine_sim::'];

restoreOutputAfterEach();

let outputs = 0;
/** Runs `hyper route ARGS --output <fresh file>`; returns the exit code, stderr and the parsed plan. */
async function route(args: string[]): Promise<{ code: number; err: string; out: string; plan: PlanFile | null; text: string }> {
  const output = join(dir, `plan-${++outputs}.json`);
  const io = capture();
  const code = await main(['route', ...args, '--output', output]);
  vi.restoreAllMocks();
  const text = existsSync(output) ? readFileSync(output, 'utf8') : '';
  return { code, err: io.err(), out: io.out(), plan: text ? parsePlanFile(text, output) : null, text };
}

async function routeOk(args: string[]): Promise<PlanFile & { err: string }> {
  const r = await route(args);
  expect(r.code, r.err).toBe(0);
  return { ...r.plan!, err: r.err };
}

interface TagLine {
  id: string;
  tags: string[];
}

/** `hyper tags` output of a file, parsed. */
async function featuresOf(input: string): Promise<{ path: string; lines: TagLine[] }> {
  const path = join(dir, `features-${++outputs}.jsonl`);
  capture();
  expect(await main(['features', '--input', input, '--output', path])).toBe(0);
  vi.restoreAllMocks();
  return {
    path,
    lines: readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TagLine),
  };
}

/** The plain reference: gain = sum of the weights of the instance's tags; descending, ties in input order. */
function referenceTopk(lines: readonly TagLine[], weight: (tag: string) => number, budget: number): { ids: string[]; gains: number[] } {
  const gains = lines.map((l) => l.tags.reduce((s, t) => s + weight(t), 0));
  const order = lines
    .map((_, i) => i)
    .sort((a, b) => gains[b]! - gains[a]! || a - b)
    .slice(0, budget);
  return { ids: order.map((i) => lines[i]!.id), gains: order.map((i) => gains[i]!) };
}

/** Tag counts (TAG_IDS order) of a set of instances. */
function countsOf(lines: readonly TagLine[], ids: readonly string[]): Float32Array {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const counts = new Float32Array(TAG_COUNT);
  for (const id of ids) for (const t of byId.get(id)!.tags) counts[TAG_INDEX.get(t)!]!++;
  return counts;
}

function randomWeights(seed: number, n: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() * 2 - 1);
}

function writeModel(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A linear PPM whose batch dim is fixed (the contract allows it; the runtime must be fed exactly `batch` rows). */
function fixedBatchLinear(features: readonly string[], weights: Float32Array, batch: number): Uint8Array {
  const F = features.length;
  const g = new GraphBuilder('fixed_batch_linear');
  const x = g.input('x', 'float32', [batch, F]);
  g.op('MatMul', [x, g.float32('w', [F, 1], weights)], { output: 'y' });
  g.output('y', 'float32', [batch, 1]);
  return encodeModel({
    graph: g.build(),
    metadata: {
      [PPM_META.version]: '1',
      [PPM_META.kind]: 'linear',
      [PPM_META.features]: JSON.stringify(features),
      [PPM_META.output]: 'test score',
      [PPM_META.source]: 'route-command.test.ts',
    },
  });
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** A plan without what differs between two runs of the same routing (time, output path, log). */
const routingOf = (p: PlanFile & { err?: string }) => ({ ...p, createdAt: '', producedBy: null, err: '' });

let demoTags: { path: string; lines: TagLine[] };
beforeAll(async () => {
  demoTags = await featuresOf(demo);
});

describe('hyper route on the demo data', () => {
  it('topk with a linear PPM in its own feature order picks what the plain reference picks', async () => {
    const features = [...TAG_IDS].reverse();
    const w = randomWeights(5, features.length);
    const model = writeModel(
      'linear-reversed.onnx',
      buildLinearPpm({ features, weights: w, bias: 0.3, output: 'test score', source: 'test' }),
    );
    const plan = await routeOk(['--input', demo, '--ppm', model, '--strategy', 'topk', '--budget', '0.25']);
    const weight = (t: string) => w[features.indexOf(t)]!;
    const ref = referenceTopk(demoTags.lines, weight, 10);
    expect(plan.human.map((h) => h.id)).toEqual(ref.ids);
    plan.human.forEach((h, a) => expect(h.gain).toBeCloseTo(ref.gains[a]!, 5));
    expect(plan.human.map((h) => h.idx)).toEqual(ref.ids.map((id) => demoTags.lines.findIndex((l) => l.id === id)));
    expect(plan.predicted).toBeCloseTo(0.3 + sum(ref.gains), 4);
    expect(plan.predictedAllLm).toBeCloseTo(0.3, 6);
    expect(plan.predictedAllHuman).toBeCloseTo(0.3 + sum(demoTags.lines.map((l) => sum(l.tags.map(weight)))), 4);
    // The demo file has no semantic score columns and no judge signals: the PPM's nine semantic features and six
    // judge features are fed zero.
    expect(plan.ppm.missingInData).toEqual(features.filter((f) => SEMANTIC.some((p) => f.startsWith(p)) || f.startsWith('judge')));
    expect(plan.err).toContain("15 of the PPM's 96 features are missing in the data and fed zero");
    expect(plan.err).toContain('LM judge: 6 tags');
    expect(plan.err).toContain('cosine_sim: 3 tags (min_val=0.67|max_val=1.0, min_val=0.33|max_val=0.67, min_val=0.0|max_val=0.33)');
    expect(plan).toMatchObject({
      strategy: 'topk',
      seed: null,
      candidates: null,
      budget: { kind: 'fraction', value: 0.25, count: 10 },
      dataset: { name: 'demo-pairs.jsonl', n: 40 },
      ppm: { name: 'linear-reversed.onnx', kind: 'linear', output: 'test score' },
    });
    expect(plan.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.ppm.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.producedBy.command).toContain('--strategy topk --budget 0.25');
  });

  it('feeds a fixed-batch PPM in padded batches and matches a feature subset by name', async () => {
    const features = TAG_IDS.filter((_, t) => t % 3 === 0).reverse();
    const w = randomWeights(9, features.length);
    const model = writeModel('fixed-batch.onnx', fixedBatchLinear(features, w, 7));
    const plan = await routeOk(['--input', demo, '--ppm', model, '--strategy', 'topk', '--budget', '12']);
    const ref = referenceTopk(demoTags.lines, (t) => (features.includes(t) ? w[features.indexOf(t)]! : 0), 12);
    expect(plan.human.map((h) => h.id)).toEqual(ref.ids);
    expect(plan.err).toContain('fixed batch size 7');
    const sim = await routeOk(['--input', demo, '--ppm', model, '--strategy', 'simulated', '--budget', '12', '--candidates', '30']);
    expect(sim.human).toHaveLength(12);
    expect(sim.predicted).toBeCloseTo(sum(sim.human.map((h) => h.gain)), 4);
  });

  it('runs every strategy with the paper prior', async () => {
    const common = ['--input', demo, '--ppm', 'paper-prior'];
    const all = await routeOk([...common, '--strategy', 'topk', '--budget', '1.0']);
    expect(all.human).toHaveLength(40);
    const gains = all.human.map((h) => h.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));

    const topk = await routeOk([...common, '--strategy', 'topk', '--budget', '25%']);
    expect(topk.human).toEqual(all.human.slice(0, 10));
    // The paper prior is linear with bias 0: a mix's prediction is the sum of its gains.
    expect(topk.predicted).toBeCloseTo(sum(topk.human.map((h) => h.gain)), 4);
    expect(topk.predictedAllHuman).toBeCloseTo(sum(gains), 4);
    expect(topk.err).toContain('10 to humans');

    const sim = await routeOk([...common, '--strategy', 'simulated', '--budget', '0.25']);
    expect(sim).toMatchObject({ strategy: 'simulated', seed: 1, candidates: 500, budget: { count: 10 } });
    expect(new Set(sim.human.map((h) => h.id)).size).toBe(10);
    expect(sim.predicted).toBeCloseTo(sum(sim.human.map((h) => h.gain)), 4);
    // For a linear PPM the top-k mix is the best mix of its size.
    expect(sim.predicted).toBeLessThanOrEqual(topk.predicted + 1e-5);

    const pos = await routeOk([...common, '--strategy', 'positive']);
    const positive = all.human.filter((h) => h.gain > 0);
    expect(positive.length).toBeGreaterThan(0);
    expect(positive.length).toBeLessThan(40);
    expect(pos.human).toEqual(positive);
    expect(pos.budget).toMatchObject({ kind: 'count', count: positive.length });

    const best = await routeOk([...common, '--strategy', 'best', '--budget', '0.5', '--candidates', '50']);
    expect(best.strategy).toBe('best-over-budgets');
    expect(best.budgetsTried).toHaveLength(20);
    for (const b of best.budgetsTried!) expect(b >= 1 && b <= 20).toBe(true);
    expect(best.budgetsTried).toContain(best.human.length);
    expect(best.predicted).toBeCloseTo(sum(best.human.map((h) => h.gain)), 4);

    const refined = await routeOk([...common, '--strategy', 'simulated', '--budget', '0.25', '--refine']);
    expect(refined.strategy).toBe('simulated+local-search');
    expect(refined.refinement!.startPredicted).toBeCloseTo(sim.predicted, 5);
    expect(refined.predicted).toBeGreaterThanOrEqual(sim.predicted);
    expect(refined.predicted).toBeLessThanOrEqual(topk.predicted + 1e-5);
    expect(refined.human).toHaveLength(10);
  });

  it('never routes a pair with an empty response or identical responses, and says how many it left out', async () => {
    const rows = readFileSync(demo, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    rows[3]!.completion_b = rows[3]!.completion_a;
    rows[7]!.completion_a = '   ';
    const input = join(dir, 'degenerate.jsonl');
    writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n'));
    for (const strategy of ['topk', 'simulated', 'best']) {
      const candidates = strategy === 'topk' ? [] : ['--candidates', '20'];
      const plan = await routeOk(['--input', input, '--ppm', 'paper-prior', '--strategy', strategy, '--budget', '1.0', ...candidates]);
      const ids = new Set(plan.human.map((h) => h.id));
      expect(ids.has(String(rows[3]!.prompt_hash))).toBe(false);
      expect(ids.has(String(rows[7]!.prompt_hash))).toBe(false);
      expect(plan.err).toContain('2 pairs are not routed: 1 with an empty response, 1 with identical responses');
      if (strategy !== 'best') expect(plan.human).toHaveLength(38);
    }
  });

  it('is deterministic for a seed; another seed gives another plan', async () => {
    const args = ['--input', demo, '--ppm', 'paper-prior', '--strategy', 'simulated', '--budget', '0.3', '--candidates', '20', '--refine'];
    const a = await routeOk([...args, '--seed', '7']);
    const b = await routeOk([...args, '--seed', '7']);
    expect(routingOf(b)).toEqual(routingOf(a));
    expect(a.human).toHaveLength(12);
    const c = await routeOk([...args, '--seed', '8']);
    expect(c.seed).toBe(8);
    expect(c.human.map((h) => h.id)).not.toEqual(a.human.map((h) => h.id));
  });

  it('routes with a quadratic PPM and reports what the model predicts for the mix', async () => {
    const F = TAG_COUNT;
    const next = mulberry32(3);
    const w = Float32Array.from({ length: F }, () => next());
    // Negative definite enough that piling up one tag stops paying: the best mix is not simply the top gains.
    const Q = new Float32Array(F * F);
    for (let i = 0; i < F; i++) {
      Q[i * F + i] = -0.2;
      for (let j = 0; j < i; j++) Q[i * F + j] = Q[j * F + i] = (next() - 0.5) * 0.02;
    }
    const model = writeModel(
      'quadratic.onnx',
      buildQuadraticPpm({ features: TAG_IDS, bias: 0.1, w, Q, output: 'test score', source: 'test' }),
    );
    const plan = await routeOk([
      '--input',
      demo,
      '--ppm',
      model,
      '--strategy',
      'simulated',
      '--budget',
      '8',
      '--candidates',
      '100',
      '--refine',
    ]);
    expect(plan.ppm.kind).toBe('quadratic');
    expect(plan.human).toHaveLength(8);
    const js = quadraticPpm(0.1, w, Q);
    const [expected] = await js.predict(
      countsOf(
        demoTags.lines,
        plan.human.map((h) => h.id),
      ),
      1,
    );
    expect(plan.predicted).toBeCloseTo(expected!, 3);
    expect(plan.predicted).toBeCloseTo(plan.refinement!.startPredicted + plan.refinement!.improvement, 5);
    const topk = await routeOk(['--input', demo, '--ppm', model, '--strategy', 'topk', '--budget', '8']);
    const [topkExpected] = await js.predict(
      countsOf(
        demoTags.lines,
        topk.human.map((h) => h.id),
      ),
      1,
    );
    expect(topk.predicted).toBeCloseTo(topkExpected!, 3);
  });

  it('reads tags from `hyper tags` output, alone or matched to --input by id', async () => {
    const args = ['--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '0.25'];
    const fromInput = await routeOk(['--input', demo, ...args]);
    const fromTags = await routeOk(['--tags', demoTags.path, ...args]);
    const both = await routeOk(['--input', demo, '--tags', demoTags.path, ...args]);
    expect(fromTags.human).toEqual(fromInput.human);
    expect(fromTags.ppm.missingInData).toEqual(fromInput.ppm.missingInData);
    expect(fromTags.dataset.name).toMatch(/^features-\d+\.jsonl$/);
    expect(both.human).toEqual(fromInput.human);
    expect(both.dataset).toEqual(fromInput.dataset);

    // Lines in another order still match by id; a missing line is an error.
    const lines = readFileSync(demoTags.path, 'utf8').trim().split('\n');
    const shuffled = join(dir, 'shuffled.jsonl');
    writeFileSync(shuffled, `${[...lines].reverse().join('\n')}\n`);
    expect((await routeOk(['--input', demo, '--tags', shuffled, ...args])).human).toEqual(fromInput.human);
    const short = join(dir, 'short.jsonl');
    writeFileSync(short, `${lines.slice(1).join('\n')}\n`);
    const r = await route(['--input', demo, '--tags', short, ...args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has no line for 1 of the 40 pairs of --input (first: "demo-001")');
  });

  it('reads budgets as fractions, percentages, counts and money', async () => {
    const ids = async (budget: string[]) =>
      (await routeOk(['--input', demo, '--ppm', 'paper-prior', '--strategy', 'topk', ...budget])).human.map((h) => h.id);
    const all = await ids(['--budget', '1.0']);
    expect(await ids(['--budget', '1'])).toEqual(all.slice(0, 1));
    expect(await ids(['--budget', '0'])).toEqual([]);
    expect(await ids(['--budget', '.5'])).toEqual(all.slice(0, 20));
    expect(await ids(['--budget', '12.5%'])).toEqual(all.slice(0, 5));
    expect(await ids(['--budget', '2500'])).toEqual(all);
    // 40 labels: h * 10 + (40 - h) * 1 <= 100 gives h = 6.
    const money = await routeOk([
      '--input',
      demo,
      '--ppm',
      'paper-prior',
      '--strategy',
      'topk',
      '--budget-money',
      '100',
      '--cost-human',
      '10',
      '--cost-lm',
      '1',
    ]);
    expect(money.human.map((h) => h.id)).toEqual(all.slice(0, 6));
    expect(money.budget).toEqual({ kind: 'money', value: 100, count: 6, costHuman: 10, costLm: 1 });
    expect(money.err).toContain('cost: 94 (6 x 10 + 34 x 1)');
  });

  it('explains bad options and bad files with a non-zero exit', async () => {
    const base = ['--input', demo, '--ppm', 'paper-prior'];
    const cases: [string[], number, RegExp][] = [
      [
        [...base, '--strategy', 'topk', '--budget', '1.5'],
        2,
        /--budget 1\.5: a number with a decimal point is a fraction of the dataset and must be between 0 and 1 \(write 1 for a count\)/,
      ],
      [[...base, '--strategy', 'topk', '--budget', 'lots'], 2, /--budget "lots": expected a fraction \(0\.25 or 25%\) or a whole number/],
      [[...base, '--strategy', 'topk', '--budget', '-3'], 2, /--budget "-3"/],
      [[...base, '--strategy', 'topk', '--budget', '120%'], 2, /between 0% and 100%/],
      [[...base, '--strategy', 'topk'], 2, /--strategy topk needs --budget/],
      [[...base, '--strategy', 'best', '--budget', '0'], 2, /--strategy best needs a budget of at least one pair; 0 buys 0/],
      [
        [...base, '--strategy', 'greedy', '--budget', '3'],
        2,
        /unknown strategy "greedy" \(expected topk, simulated, positive, best, risk, hybrid\)/,
      ],
      [[...base, '--strategy', 'positive', '--budget', '3'], 2, /--strategy positive takes no budget/],
      [[...base, '--strategy', 'topk', '--budget-money', '5'], 2, /--budget-money needs --cost-human/],
      [
        [...base, '--strategy', 'topk', '--budget', '3', '--candidates', '9'],
        2,
        /--candidates applies to --strategy simulated and best only/,
      ],
      [[...base, '--strategy', 'simulated', '--budget', '3', '--candidates', '0'], 2, /--candidates "0": expected a whole number >= 1/],
      [[...base, '--strategy', 'simulated', '--budget', '3', '--seed', 'x'], 2, /--seed "x": expected a whole number/],
      [['--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '3'], 2, /--input or --tags is required/],
      [
        ['--input', join(dir, 'nope.jsonl'), '--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '3'],
        1,
        /--input \S+nope\.jsonl: no such file \[not-found\]/,
      ],
      [
        ['--input', demo, '--ppm', join(dir, 'nope.onnx'), '--strategy', 'topk', '--budget', '3'],
        1,
        /--ppm \S+nope\.onnx: no such file \[not-found\]/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await route(args);
      expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(code);
      expect(r.err).toMatch(message);
      expect(r.plan).toBeNull();
    }
    const corrupt = writeModel('corrupt.onnx', new Uint8Array([0x08, 0x07, 0x12, 0xff, 0xff, 0xff, 0x01, 0x02]));
    const r = await route(['--input', demo, '--ppm', corrupt, '--strategy', 'topk', '--budget', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--ppm \S+corrupt\.onnx: not an ONNX model .*\[not-onnx\]/);
    const noMeta = new GraphBuilder('m');
    noMeta.op('Identity', [noMeta.input('x', 'float32', ['N', 90])], { output: 'y' });
    noMeta.output('y', 'float32', ['N', 90]);
    const plain = writeModel('plain.onnx', encodeModel({ graph: noMeta.build(), metadata: {} }));
    const m = await route(['--input', demo, '--ppm', plain, '--strategy', 'topk', '--budget', '3']);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/the model carries no PPM metadata.*\[missing-metadata\]/);
    const badTags = join(dir, 'bad-tags.jsonl');
    writeFileSync(badTags, '{"id": "a", "tags": ["rouge::min_val=0.0|max_val=0.33"]}\n{"id": "b", "tags": ["rouge::nope"]}\n');
    const t = await route(['--tags', badTags, '--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '1']);
    expect(t.code).toBe(1);
    expect(t.err).toContain(
      `bad-tags.jsonl line 2: tags[0] "rouge::nope" is not one of the HyPER feature strings (the paper's 90 and the 6 judge features) [bad-tags-file]`,
    );
    const help = await route(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('npx hyper route --input FILE --ppm MODEL.onnx|paper-prior');
  });

  it('finds the paper prior from the built CLI (dist-cli) as from the sources', async () => {
    expect(packageRoot(join(REPO, 'dist-cli', 'hyper.mjs'))).toBe(REPO);
    expect(packageRoot()).toBe(REPO);
    const output = join(dir, 'built-cli-plan.json');
    const run = spawnSync(
      process.execPath,
      [
        join(REPO, 'bin/hyper.mjs'),
        'route',
        '--input',
        demo,
        '--ppm',
        'paper-prior',
        '--strategy',
        'topk',
        '--budget',
        '0.25',
        '--output',
        output,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const built = parsePlanFile(readFileSync(output, 'utf8'));
    const here = await routeOk(['--input', demo, '--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '0.25']);
    expect(built.human).toEqual(here.human);
    expect(built.ppm.sha256).toBe(here.ppm.sha256);
  }, 120_000);
});

const PRD = resolve(REPO, '../shared/data/pairs/prd_vicuna80.jsonl');
const TABLE13 = resolve(REPO, '../shared/data/hyper-paper/table13-tag-gains.tsv');

describe.skipIf(!existsSync(PRD) || !existsSync(TABLE13))('real data: hyper route on prd_vicuna80 with the paper prior', () => {
  it('topk at 25% routes exactly the ids of the plain Table 13 reference', async () => {
    const weights = new Map<string, number>();
    for (const line of readFileSync(TABLE13, 'utf8').trim().split('\n').slice(1)) {
      const [tag, gain] = line.split('\t');
      weights.set(tag!, Number(gain));
    }
    expect(weights.size).toBe(89);
    const { lines } = await featuresOf(PRD);
    const budget = Math.round(0.25 * lines.length);
    const ref = referenceTopk(lines, (t) => weights.get(t) ?? 0, budget);
    const plan = await routeOk(['--input', PRD, '--ppm', 'paper-prior', '--strategy', 'topk', '--budget', '0.25']);
    expect(plan.human).toHaveLength(200);
    expect(plan.human.map((h) => h.id)).toEqual(ref.ids);
    plan.human.forEach((h, a) => expect(h.gain).toBeCloseTo(ref.gains[a]!, 4));
  }, 120_000);
});
