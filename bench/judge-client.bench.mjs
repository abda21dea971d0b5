// The judge's request path is not the bottleneck: `runJudge` through the real chat client and Node's fetch against a
// local OpenAI-compatible server that answers after 50 ms, with 16 requests in flight. At that latency the ceiling
// is 16 / 0.05 s = 320 requests/s; the target is at least 150. Pairs are unique texts (real pairs when
// ../shared/data/pairs is there, else generated ones), so no cache answers for the server.
// Standalone: `node bench/judge-client.bench.mjs` (prints the rows as JSON).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTsModule } from '../scripts/load-ts.mjs';

export const name = 'judge client (Node, fake endpoint at 50 ms)';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const REQUESTS = 1600;

function pairsFor(count) {
  const file = join(ROOT, '..', 'shared', 'data', 'pairs', 'pandalm.jsonl');
  const real = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  return Array.from({ length: count }, (_, i) => {
    const r = real[i % Math.max(1, real.length)];
    // Unique per pair even when the file is shorter than the run.
    const tag = ` (#${i})`;
    return r
      ? {
          idx: i,
          id: `p${i}`,
          prompt: `${typeof r.prompt === 'string' ? r.prompt : JSON.stringify(r.prompt)}${tag}`,
          responseA: `${r.response_a}${tag}`,
          responseB: `${r.response_b}${tag}`,
        }
      : {
          idx: i,
          id: `p${i}`,
          prompt: `Question number ${i}: explain item ${i * 7919}.`,
          responseA: `Answer one for ${i}.`,
          responseB: `Answer two for ${i}, longer.`,
        };
  });
}

export async function run() {
  const judge = await loadTsModule('/src/domain/judge/index.ts');
  const client = await loadTsModule('/src/domain/tags/analyzer/client.ts');
  let seen = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen++;
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            choices: [{ message: { role: 'assistant', content: body.length % 2 ? '[[A]]' : '[[B]]' } }],
            usage: { prompt_tokens: 300, completion_tokens: 6 },
          }),
        );
      }, LATENCY_MS);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/v1`;
  try {
    const pairs = pairsFor(REQUESTS / 2);
    const answers = new Map();
    const store = { get: async (k) => answers.get(k), put: async (a) => void answers.set(a.key, a) };
    const chat = client.createChatClient({ baseUrl: url, model: 'fake', timeoutMs: 30_000, fetch: (u, i) => fetch(u, i) });
    const settings = {
      template: judge.PAIRWISE_TEMPLATE,
      orders: ['ab', 'ba'],
      samples: 1,
      temperature: 0,
      logprobs: false,
      price: { inputPerMillion: 1, outputPerMillion: 2 },
    };
    const t0 = performance.now();
    const r = await judge.runJudge({
      pairs,
      settings,
      client: chat,
      store,
      concurrency: CONCURRENCY,
      maxRetries: 2,
      backoff: { baseMs: 100, maxMs: 1000 },
      sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
    });
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = r.progress.requests / seconds;
    return [
      {
        benchmark: name,
        metric: `${r.progress.requests} requests (${pairs.length} pairs x 2 orders), ${CONCURRENCY} in flight, answers stored`,
        value: `${perSecond.toFixed(0)} requests/s (${seconds.toFixed(2)} s; ceiling ${(CONCURRENCY / (LATENCY_MS / 1000)).toFixed(0)}/s); server saw ${seen}`,
        target: '>= 150 requests/s',
        ok: perSecond >= 150 && r.progress.done === REQUESTS && seen === REQUESTS,
      },
    ];
  } finally {
    server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
