// `hyper judge` against a fake OpenAI-compatible server on 127.0.0.1 (node:http, port 0): deterministic verdicts
// (the longer answer wins) with planted position bias and unreadable answers, a 429 with Retry-After, a 500, a
// malformed body; a rerun asks only what is missing; a killed process resumes from its answers file.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main';
import { buildLinearPpm } from '../domain/ppm';
import { capture, restoreOutputAfterEach } from './test-helpers';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const demo = join(REPO, 'src/demo/demo-pairs.jsonl');
const PAIRS = readFileSync(demo, 'utf8').split('\n').filter(Boolean).length;
const dir = mkdtempSync(join(tmpdir(), 'hyper-judge-'));

restoreOutputAfterEach();

const bucket = (text: string, mod: number) => createHash('sha256').update(text).digest()[0]! % mod;

class FakeJudge {
  server: Server = createServer((req, res) => void this.answer(req, res));
  url = '';
  /** Every request body's user message, in arrival order, with the status answered. */
  seen: { user: string; status: number; auth: string | undefined }[] = [];
  /** Scripted answers by request number (1-based). */
  script = new Map<number, { status: number; headers?: Record<string, string>; body?: string }>();
  delayMs = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as { model: string; messages: { content: string }[] };
    const user = body.messages[1]!.content;
    const n = this.seen.length + 1;
    const scripted = this.script.get(n);
    const status = scripted?.status ?? 200;
    this.seen.push({ user, status: scripted?.body !== undefined && status === 200 ? -1 : status, auth: req.headers.authorization });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (scripted) {
      res.writeHead(scripted.status, { 'Content-Type': 'application/json', ...scripted.headers });
      res.end(scripted.body ?? JSON.stringify({ error: { message: `scripted ${scripted.status}` } }));
      return;
    }
    const prompt = /\[User request\]\n([\s\S]*?)\n\n\[Answer A\]/.exec(user)![1]!;
    const a = /\[Answer A\]\n([\s\S]*?)\n\[End of answer A\]/.exec(user)![1]!;
    const b = /\[Answer B\]\n([\s\S]*?)\n\[End of answer B\]/.exec(user)![1]!;
    // Planted: one prompt in 7 gets no verdict; one in 5 gets "A" whatever is shown (position bias); else the longer.
    // A second judge for the ensemble test: it prefers the answer shown second, whatever it says.
    const content =
      body.model === 'second-judge'
        ? '[[B]]'
        : bucket(prompt, 7) === 0
          ? 'Both answers have merit.'
          : bucket(prompt, 5) === 0
            ? 'A is shown first. [[A]]'
            : a.length >= b.length
              ? '[[A]]'
              : '[[B]]';
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({ choices: [{ message: { role: 'assistant', content } }], usage: { prompt_tokens: 200, completion_tokens: 5 } }),
    );
  }

  /** Successful answers per distinct request (a request answered twice would be paid twice). */
  answeredTwice(): string[] {
    const counts = new Map<string, number>();
    for (const s of this.seen) if (s.status === 200) counts.set(s.user, (counts.get(s.user) ?? 0) + 1);
    return [...counts].filter(([, c]) => c > 1).map(([u]) => u.slice(0, 60));
  }
}

const judge = new FakeJudge();
beforeAll(() => judge.start());
afterAll(() => new Promise<void>((r) => judge.server.close(() => r())));

async function run(args: string[], input = demo, model = 'fake-judge'): Promise<{ code: number; err: string }> {
  const io = capture();
  const code = await main(['judge', '--input', input, '--base-url', judge.url, '--model', model, ...args]);
  vi.restoreAllMocks();
  return { code, err: io.err() };
}

const readLines = (path: string): JudgedLine[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JudgedLine);

interface JudgedLine {
  id: string;
  pref_lm: string | null;
  pref_lm_swapped_order: string | null;
  lm_judge: string;
  judge_swap_inconsistent: boolean | null;
  judge_unparseable: number;
  judge_vote_split: number;
  prompt: string;
}

describe('hyper judge', () => {
  it('judges every pair in both orders, retries what can be retried, reports what cannot, and a rerun asks only that', async () => {
    const out = join(dir, 'judged.jsonl');
    judge.seen = [];
    judge.script = new Map([
      [2, { status: 429, headers: { 'retry-after-ms': '5' } }],
      [4, { status: 500 }],
      [6, { status: 200, body: 'this is not json' }],
    ]);
    process.env.HYPER_TEST_JUDGE_KEY = 'sk-test-secret';
    const first = await run([
      '--output',
      out,
      '--concurrency',
      '1',
      '--price-input',
      '1',
      '--price-output',
      '2',
      '--api-key-env',
      'HYPER_TEST_JUDGE_KEY',
    ]);
    expect(first.code, first.err).toBe(1);
    expect(first.err).toContain('1 requests failed: run the same command again');
    expect(existsSync(out)).toBe(true);
    // Two pairs x two orders, plus the 429 and the 500 retried, plus the malformed answer that failed.
    expect(judge.seen).toHaveLength(2 * PAIRS + 2);
    expect(judge.seen.every((s) => s.auth === 'Bearer sk-test-secret')).toBe(true);
    const answersFile = readFileSync(`${out}.answers.jsonl`, 'utf8');
    expect(answersFile.trim().split('\n')).toHaveLength(2 * PAIRS - 1);
    expect(answersFile).not.toContain('sk-test-secret');
    expect(first.err).toMatch(/cost this run 0\.0\d+/);

    judge.script = new Map();
    const before = judge.seen.length;
    const second = await run([
      '--output',
      out,
      '--concurrency',
      '4',
      '--price-input',
      '1',
      '--price-output',
      '2',
      '--api-key-env',
      'HYPER_TEST_JUDGE_KEY',
    ]);
    expect(second.code, second.err).toBe(0);
    expect(judge.seen.length - before).toBe(1);
    expect(judge.answeredTwice()).toEqual([]);
    expect(second.err).toContain(`${2 * PAIRS - 1} answers taken from`);
    // The demo pairs have human labels: the run says how far the judge agrees with them.
    expect(second.err).toMatch(
      /against the \d+ human labels: accuracy \d+\.\d% over \d+ judged pairs, Cohen's kappa -?\d\.\d{3}, verdict flips with the order on \d+\.\d%/,
    );

    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JudgedLine);
    expect(lines).toHaveLength(PAIRS);
    expect(readFileSync(out, 'utf8')).not.toContain('sk-test-secret');
    for (const l of lines) {
      expect(l.lm_judge).toBe('fake-judge (pairwise-v1)');
      if (bucket(l.prompt, 7) === 0) {
        expect(l).toMatchObject({ pref_lm: null, judge_unparseable: 2 });
      } else if (bucket(l.prompt, 5) === 0) {
        // Always "A": the swapped order says the other side; the judge is inconsistent and the label is a tie.
        expect(l).toMatchObject({ pref_lm: 'Tie', judge_swap_inconsistent: true });
      } else {
        expect(l.judge_swap_inconsistent).toBe(false);
        expect(l.pref_lm).toBe(l.pref_lm_swapped_order);
      }
    }
    expect(lines.some((l) => l.judge_swap_inconsistent === true)).toBe(true);
    expect(lines.some((l) => l.pref_lm === null)).toBe(true);
  }, 60_000);

  it('routes the judged pairs by judge risk: no verdict first, then flipped verdicts; hybrid spans top-k and risk', async () => {
    const judged = join(dir, 'judged.jsonl');
    expect(existsSync(judged)).toBe(true);
    const lines = readFileSync(judged, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JudgedLine);
    const riskOf = (l: JudgedLine) => (l.pref_lm === null ? 1 : l.judge_swap_inconsistent ? 0.5 : 0);
    const plan = async (strategy: string, extra: string[] = []) => {
      const output = join(dir, `plan-${strategy}-${extra.join('')}.json`);
      const io = capture();
      const code = await main([
        'route',
        '--input',
        judged,
        '--ppm',
        'paper-prior',
        '--strategy',
        strategy,
        '--budget',
        '10',
        '--output',
        output,
        ...extra,
      ]);
      vi.restoreAllMocks();
      expect(code, io.err()).toBe(0);
      return JSON.parse(readFileSync(output, 'utf8')) as { strategy: string; human: { id: string }[] };
    };
    const risk = await plan('risk');
    expect(risk.strategy).toBe('risk');
    const routed = new Set(risk.human.map((h) => h.id));
    expect(routed.size).toBe(10);
    const inRisk = lines.filter((l) => routed.has(l.id)).map(riskOf);
    const outRisk = lines.filter((l) => !routed.has(l.id)).map(riskOf);
    expect(Math.min(...inRisk)).toBeGreaterThanOrEqual(Math.max(...outRisk));
    expect(inRisk.filter((r) => r === 1)).toHaveLength(lines.filter((l) => riskOf(l) === 1).length);
    // Weight 1 is the PPM gain alone (top-k's pairs); weight 0 is the risk alone.
    expect((await plan('hybrid', ['--weight', '1'])).human.map((h) => h.id)).toEqual((await plan('topk')).human.map((h) => h.id));
    expect((await plan('hybrid', ['--weight', '0'])).human.map((h) => h.id)).toEqual(risk.human.map((h) => h.id));
    // Adaptive: the model of the judge's errors is fitted on the pairs with a human label; those stay routed.
    const human = lines.filter((l) => (l as { pref_human?: string }).pref_human !== undefined).map((l) => l.id);
    expect(human.length).toBeGreaterThan(0);
    const refitOut = join(dir, 'plan-refit.json');
    const rio = capture();
    expect(
      await main([
        'route',
        '--input',
        judged,
        '--ppm',
        'paper-prior',
        '--strategy',
        'risk',
        '--refit',
        '--budget',
        String(human.length + 5),
        '--output',
        refitOut,
      ]),
    ).toBe(0);
    vi.restoreAllMocks();
    const both = lines.filter((l) => (l as { pref_human?: string }).pref_human !== undefined && l.pref_lm !== null).length;
    expect(rio.err()).toMatch(new RegExp(`refit on ${both} pairs with both a human and a judge label: the judge is wrong on \\d+ of them`));
    const refit = (JSON.parse(readFileSync(refitOut, 'utf8')) as { human: { id: string }[] }).human.map((h) => h.id);
    expect(refit.slice(0, human.length).sort()).toEqual([...human].sort());
    // A file without judge signals cannot be routed by risk.
    const io = capture();
    expect(
      await main([
        'route',
        '--input',
        demo,
        '--ppm',
        'paper-prior',
        '--strategy',
        'risk',
        '--budget',
        '5',
        '--output',
        join(dir, 'x.json'),
      ]),
    ).toBe(2);
    vi.restoreAllMocks();
    expect(io.err()).toContain(`${PAIRS} of the ${PAIRS} pairs carry no judge signals`);
  }, 60_000);

  it('a PPM that asks for the judge features routes on them: the judge signals are PPM inputs', async () => {
    const judged = join(dir, 'judged.jsonl');
    const lines = readLines(judged);
    const flipped = lines.filter((l) => l.judge_swap_inconsistent === true).map((l) => l.id);
    const none = lines.filter((l) => l.pref_lm === null).map((l) => l.id);
    expect(flipped.length).toBeGreaterThan(0);
    expect(none.length).toBeGreaterThan(0);
    // A linear PPM over two judge features (and one paper tag it weighs at 0): a flip is worth 2, no verdict 1.
    const features = ['judge::feature_name=swap_inconsistent', 'judge::feature_name=no_verdict', 'rouge::min_val=0.0|max_val=0.33'];
    const model = join(dir, 'judge-aware.onnx');
    writeFileSync(model, buildLinearPpm({ features, weights: Float32Array.from([2, 1, 0]), bias: 0, output: 'test', source: 'test' }));
    const output = join(dir, 'plan-judge-aware.json');
    const io = capture();
    const budget = flipped.length + none.length;
    const code = await main([
      'route',
      '--input',
      judged,
      '--ppm',
      model,
      '--strategy',
      'topk',
      '--budget',
      String(budget),
      '--output',
      output,
    ]);
    vi.restoreAllMocks();
    expect(code, io.err()).toBe(0);
    const plan = JSON.parse(readFileSync(output, 'utf8')) as { human: { id: string; gain: number }[]; ppm: { missingInData: string[] } };
    expect(plan.ppm.missingInData).toEqual([]);
    // The flipped pairs first (gain 2), then those without a verdict (gain 1).
    expect(new Set(plan.human.slice(0, flipped.length).map((h) => h.id))).toEqual(new Set(flipped));
    expect(new Set(plan.human.slice(flipped.length).map((h) => h.id))).toEqual(new Set(none));
    expect(plan.human.map((h) => h.gain)).toEqual([...flipped.map(() => 2), ...none.map(() => 1)]);
  });

  it('a killed run resumes from its answers file: answered requests are not sent again', async () => {
    const out = join(dir, 'killed.jsonl');
    judge.seen = [];
    judge.script = new Map();
    judge.delayMs = 60;
    const child = spawn(
      process.execPath,
      [
        join(REPO, 'bin/hyper.mjs'),
        'judge',
        '--input',
        demo,
        '--base-url',
        judge.url,
        '--model',
        'fake-judge',
        '--output',
        out,
        '--concurrency',
        '2',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const answers = `${out}.answers.jsonl`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (!existsSync(answers) || readFileSync(answers, 'utf8').split('\n').length < 12))
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    judge.delayMs = 0;
    const stored = readFileSync(answers, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && l.endsWith('}')).length;
    expect(stored).toBeGreaterThanOrEqual(10);
    expect(stored).toBeLessThan(2 * PAIRS);
    const before = judge.seen.length;
    const again = await run(['--output', out]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain(`resuming: ${stored} answers already in`);
    expect(judge.seen.length - before).toBe(2 * PAIRS - stored);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(PAIRS);
  }, 120_000);

  it('a rerun with another model adds a judge: its answers count in the vote split, --ensemble majority makes the label', async () => {
    const out = join(dir, 'ensemble.jsonl');
    judge.script = new Map();
    expect((await run(['--output', out])).code).toBe(0);
    const one = readLines(out);
    judge.seen = [];
    const second = await run(['--output', out, '--ensemble', 'majority'], demo, 'second-judge');
    expect(second.code).toBe(0);
    // Only the new judge's questions are sent: the first judge's answers come from the answers file.
    expect(judge.seen).toHaveLength(2 * PAIRS);
    expect(second.err).toContain('2 judges in');
    const two = readLines(out);
    expect(two).toHaveLength(PAIRS);
    let disagreeing = 0;
    two.forEach((line, i) => {
      // The second judge always names the answer shown second: B in the A/B order, A in the B/A order, so it flips
      // with the order and its label is a tie; with the first judge's label the two-judge majority is a tie too.
      // Where the first judge gave no verdict, the second judge's label stands alone, under its name.
      expect(line.pref_lm).toBe('Tie');
      expect(line.lm_judge).toEqual(
        one[i]!.pref_lm === null ? 'second-judge (pairwise-v1)' : expect.stringContaining('majority of 2 judges'),
      );
      if (one[i]!.pref_lm !== null && one[i]!.pref_lm !== 'Tie') disagreeing++;
      expect(line.judge_vote_split).toBeGreaterThan(0);
    });
    expect(disagreeing).toBeGreaterThan(0);
    // Primary (the default): the label is this run's judge's alone; the other judge still raises the split.
    judge.seen = [];
    expect((await run(['--output', out])).code).toBe(0);
    expect(judge.seen).toHaveLength(0);
    const primary = readLines(out);
    primary.forEach((line, i) => {
      expect(line.pref_lm).toBe(one[i]!.pref_lm);
      expect(line.lm_judge).toBe('fake-judge (pairwise-v1)');
      expect(line.judge_vote_split).toBeGreaterThanOrEqual(one[i]!.judge_vote_split);
    });
    expect((await run(['--output', out, '--ensemble', 'all'])).err).toContain('--ensemble "all": expected primary or majority');
  });

  it('keeps a conversational prompt as its turns in the output, and reads it back as turns', async () => {
    const input = join(dir, 'chat.jsonl');
    const messages = [
      { role: 'user', content: 'Name a prime number.' },
      { role: 'assistant', content: 'Seven.' },
      { role: 'user', content: 'And an even one?' },
    ];
    writeFileSync(
      input,
      `${JSON.stringify({ id: 'c1', prompt: messages, response_a: 'Two is the only even prime.', response_b: 'Four.' })}\n`,
    );
    const out = join(dir, 'chat-judged.jsonl');
    judge.script = new Map();
    expect((await run(['--output', out], input)).code).toBe(0);
    const line = JSON.parse(readFileSync(out, 'utf8').trim()) as { prompt: unknown };
    expect(line.prompt).toEqual(messages);
    // The judged file imports again with the turns intact (route reads it).
    const io = capture();
    const code = await main([
      'route',
      '--input',
      out,
      '--ppm',
      'paper-prior',
      '--strategy',
      'risk',
      '--budget',
      '1',
      '--output',
      join(dir, 'chat-plan.json'),
    ]);
    vi.restoreAllMocks();
    expect(io.err()).not.toContain('expected text');
    expect(code).toBe(0);
  });

  it('refuses a key on the command line, a template without the pair, and unknown options', async () => {
    const out = join(dir, 'never.jsonl');
    expect((await run(['--output', out, '--api-key', 'sk-visible'])).err).toContain('--api-key is now called --api-key-env');
    const bad = join(dir, 'bad-template.json');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(bad, JSON.stringify({ id: 'mine', system: 'Judge.', user: 'Which is better? {response_a}' })),
    );
    const r = await run(['--output', out, '--template', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('lacks {prompt}, {response_b}');
    expect((await run(['--output', out, '--orders', 'three'])).err).toContain('--orders "three": expected both or one');
    expect(existsSync(out)).toBe(false);
  });
});
