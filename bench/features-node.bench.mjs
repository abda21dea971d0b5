// Where the lexical features' time goes, in Node on unique pairs (bench/unique-pairs.mjs): each scorer's share
// (token counts, ROUGE-1, entity overlap), the entity step's own split (wink-nlp's tokenizer, NER, POS, then
// our spans), and the machine's ceiling for two workers: the same scorers on one and on two worker_threads
// (scoring time inside each thread, start-up excluded). Standalone: `node bench/features-node.bench.mjs`.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openTsModules } from '../scripts/load-ts.mjs';
import { sharedPairs, uniquePairMaker } from './unique-pairs.mjs';

export const name = 'lexical features, where the time goes (Node)';
const N = Number(process.env.BENCH_FEATURE_SPLIT_PAIRS ?? 4000);

function pairsFrom(rows, from, count) {
  const maker = uniquePairMaker(rows, 17);
  const out = [];
  for (let i = 0; i < from + count; i++) {
    const p = maker.next();
    if (i >= from) out.push(p);
  }
  return { pairs: out, uniqueTexts: maker.stats().uniqueTexts };
}

async function scorers() {
  const loader = await openTsModules(['/src/domain/tags/lexical-scorers.ts', '/src/domain/tags/entities/index.ts']);
  const [{ lexicalScorers }, entities] = loader.modules;
  lexicalScorers.countTokens('warm up');
  lexicalScorers.entitySim('Paris is in France.', 'Berlin is in Germany.');
  return { s: lexicalScorers, entities, close: loader.close };
}

const scoreAll = (s, pairs) => {
  for (const p of pairs) {
    s.countTokens(p.prompt);
    s.countTokens(p.response_a);
    s.countTokens(p.response_b);
    s.rouge1F(p.response_a, p.response_b);
    s.entitySim(p.response_a, p.response_b);
  }
};

function inThreads(threads) {
  return Promise.all(
    Array.from(
      { length: threads },
      (_, i) =>
        new Promise((resolve, reject) => {
          const w = new Worker(fileURLToPath(import.meta.url), { workerData: { from: (i * N) / threads, count: N / threads } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
}

export async function run() {
  const rows = sharedPairs();
  if (!rows) return [{ benchmark: name, metric: 'skipped', value: '../shared/data/pairs not found', target: '' }];
  const { pairs, uniqueTexts } = pairsFrom(rows, 0, N);
  const { s, entities, close } = await scorers();
  const time = (f) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  let tokens = 0;
  let rouge = 0;
  let entity = 0;
  for (const p of pairs) {
    tokens += time(() => {
      s.countTokens(p.prompt);
      s.countTokens(p.response_a);
      s.countTokens(p.response_b);
    });
    rouge += time(() => s.rouge1F(p.response_a, p.response_b));
    entity += time(() => s.entitySim(p.response_a, p.response_b));
  }
  await close();
  const total = tokens + rouge + entity;
  const pct = (x) => `${((100 * x) / total).toFixed(0)}%`;
  // wink-nlp alone, by pipeline stage, on the same responses.
  const { default: winkNLP } = await import('wink-nlp');
  const { default: model } = await import('wink-eng-lite-web-model');
  const texts = pairs.flatMap((p) => [p.response_a, p.response_b]);
  const stage = {};
  for (const [label, pipe] of [
    ['tokenizer', []],
    ['+ NER', ['ner']],
    ['+ NER + POS', ['pos', 'ner']],
  ]) {
    const nlp = winkNLP(model, pipe);
    for (const t of texts.slice(0, 100)) nlp.readDoc(t);
    stage[label] = time(() => texts.forEach((t) => nlp.readDoc(t)));
  }
  void entities;
  const threadMs = async (threads) => Math.max(...(await inThreads(threads)));
  const one = await threadMs(1);
  const two = await threadMs(2);
  const label = `${N.toLocaleString('en-US')} unique pairs (${uniqueTexts.toLocaleString('en-US')} distinct texts)`;
  return [
    {
      benchmark: name,
      metric: `${label}: token counts / ROUGE-1 / entity overlap (ms, share)`,
      value: `${tokens.toFixed(0)} (${pct(tokens)}) / ${rouge.toFixed(0)} (${pct(rouge)}) / ${entity.toFixed(0)} (${pct(entity)})`,
      target: 'entity step no longer dominant',
      ok: entity < tokens + rouge,
      was: 'entity 62%, tokens 16%, ROUGE 9%',
    },
    {
      benchmark: name,
      metric: `${label}: wink-nlp on the responses: tokenizer / + NER / + NER + POS (ms); our spans take the rest of the entity step`,
      value: `${stage.tokenizer.toFixed(0)} / ${stage['+ NER'].toFixed(0)} / ${stage['+ NER + POS'].toFixed(0)}`,
      target: '',
    },
    {
      benchmark: name,
      metric: `${label}: the machine's ceiling, scoring on 1 -> 2 worker_threads (ms, speed-up)`,
      value: `${one.toFixed(0)} -> ${two.toFixed(0)} (${(one / two).toFixed(2)}x)`,
      target: '',
    },
  ];
}

if (!isMainThread) {
  const rows = sharedPairs();
  const { pairs } = pairsFrom(rows, workerData.from, workerData.count);
  const { s, close } = await scorers();
  const t0 = performance.now();
  scoreAll(s, pairs);
  const ms = performance.now() - t0;
  await close();
  parentPort.postMessage(ms);
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(JSON.stringify(r));
}
