// End to end: a tiny encoder written as ONNX by our own writer, run by onnxruntime-web's real
// InferenceSession (wasm), fed by our tokenizers, scored by encoderScores, and checked against the same
// math done directly in JS on the weights.
import { mulberry32 } from '../../random';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { attr, encodeModel, GraphBuilder } from '../../onnx';
import parity from './hf-tokenizers.fixture.json';
import { bertScore, cosineSimilarity, encoderScores, lengthPenalty, meanPool } from './scores';
import { EncoderError, runEncoder, type EncoderSession, type TokenEmbeddings } from './session';
import { loadTokenizer, type Tokenizer } from './tokenizer';
import { countWords } from './words';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}

const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '[MASK]',
  'the',
  'a',
  'cat',
  'dog',
  'sat',
  'ran',
  'on',
  'mat',
  'rug',
  'quick',
  'brown',
  'fox',
  'jump',
  '##s',
  '##ed',
  '##ing',
  'over',
  'lazy',
  '.',
  ',',
  '!',
  '?',
  'and',
  'is',
  'was',
  'it',
  'very',
  'good',
  'bad',
  'day',
  'night',
  'sun',
  'moon',
  'cafe',
  'naive',
  'hello',
  'world',
  'un',
  '##happy',
  'big',
  'small',
  'red',
  'blue',
  'i',
  'you',
];

const WORDPIECE_JSON = {
  added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  })),
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
    ],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
  },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])),
  },
};

interface Weights {
  V: number;
  H: number;
  E: Float32Array; // [V, H] token embeddings
  TT: Float32Array; // [2, H] token-type embeddings
  W: Float32Array; // [H, H]
  b: Float32Array; // [H]
  mix: number; // weight of the sequence mean added to every token (makes outputs contextual)
}

function makeWeights(V: number, H: number, seed: number): Weights {
  const r = rng(seed);
  const f = (n: number, s: number) => Float32Array.from({ length: n }, () => r() * s);
  return { V, H, E: f(V * H, 1), TT: f(2 * H, 0.1), W: f(H * H, 0.6), b: f(H, 0.1), mix: 0.5 };
}

/**
 * last_hidden_state = tanh((x + mix * mean_t x) W + b) * mask, x = E[input_ids] (+ TT[token_type_ids]).
 * Gather, Add, ReduceMean, Mul, MatMul, Tanh, Cast and Unsqueeze (opset 13: axes as an int64 input).
 */
function buildEncoderModel(w: Weights, opts: { tokenTypes: boolean; outputName: string }): Uint8Array {
  const g = new GraphBuilder('tiny_encoder');
  const ids = g.input('input_ids', 'int64', [1, 'T']);
  const mask = g.input('attention_mask', 'int64', [1, 'T']);
  let x = g.op('Gather', [g.float32('embeddings', [w.V, w.H], w.E), ids], { attributes: { axis: attr.int(0) } });
  if (opts.tokenTypes) {
    const types = g.input('token_type_ids', 'int64', [1, 'T']);
    x = g.op('Add', [x, g.op('Gather', [g.float32('type_embeddings', [2, w.H], w.TT), types])]);
  }
  const mean = g.op('ReduceMean', [x], { attributes: { axes: attr.ints([1]), keepdims: attr.int(1) } });
  const ctx = g.op('Add', [x, g.op('Mul', [mean, g.float32('mix', [], [w.mix])])]);
  const h = g.op('Tanh', [g.op('Add', [g.op('MatMul', [ctx, g.float32('W', [w.H, w.H], w.W)]), g.float32('bias', [w.H], w.b)])]);
  const m3 = g.op('Unsqueeze', [g.op('Cast', [mask], { attributes: { to: attr.int(1) } }), g.int64('axis2', [1], [2])]);
  const out = g.op('Mul', [h, m3], { output: opts.outputName });
  g.output(out, 'float32', [1, 'T', w.H]);
  // A second output, so that choosing the token-level one is exercised.
  g.op('ReduceMean', [out], { output: 'pooler_output', attributes: { axes: attr.ints([1]), keepdims: attr.int(0) } });
  g.output('pooler_output', 'float32', [1, w.H]);
  return encodeModel({ graph: g.build(), producerName: 'hyper-workbench-test', metadata: { purpose: 'encoder test' } });
}

/** The same network in plain JS (float64). */
function jsTokenEmbeddings(w: Weights, ids: number[], typeIds: number[]): number[][] {
  const x = ids.map((id, t) =>
    Array.from(
      { length: w.H },
      (_, h) => (w.E[id * w.H + h] as number) + (typeIds.length ? (w.TT[(typeIds[t] as number) * w.H + h] as number) : 0),
    ),
  );
  const mean = Array.from({ length: w.H }, (_, h) => x.reduce((s, row) => s + (row[h] as number), 0) / x.length);
  return x.map((row) =>
    Array.from({ length: w.H }, (_, j) => {
      let s = w.b[j] as number;
      for (let h = 0; h < w.H; h++) s += ((row[h] as number) + w.mix * (mean[h] as number)) * (w.W[h * w.H + j] as number);
      return Math.tanh(s);
    }),
  );
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
const cos = (a: number[], b: number[]) => dot(a, b) / (norm(a) * norm(b));

/** Reference scores straight from the weights: mean-pool cosine, BERTScore F1 (special tokens weigh 0). */
function jsScores(w: Weights, tok: Tokenizer, a: string, b: string, withTypes: boolean, caps = { cosine: 200, bert: 512 }) {
  const emb = (text: string, max: number) => {
    const e = tok.encode(text.trim(), { maxLength: max });
    return { rows: jsTokenEmbeddings(w, e.ids, withTypes ? e.typeIds : []), special: e.special };
  };
  const pool = (rows: number[][]) => Array.from({ length: w.H }, (_, h) => rows.reduce((s, r) => s + (r[h] as number), 0) / rows.length);
  const ca = emb(a, caps.cosine);
  const cb = emb(b, caps.cosine);
  const cosine_sim = cos(pool(ca.rows), pool(cb.rows));
  const ba = emb(a, caps.bert);
  const bb = emb(b, caps.bert);
  const side = (x: typeof ba, y: typeof ba) => {
    const vals = x.rows.filter((_, i) => !x.special[i]).map((r) => Math.max(...y.rows.map((q) => cos(r, q))));
    return vals.reduce((s, v) => s + v, 0) / vals.length;
  };
  const P = side(ba, bb);
  const R = side(bb, ba);
  const bertscore = (2 * P * R) / (P + R);
  const [longer, shorter] = [...a].length > [...b].length ? [a, b] : [b, a];
  return { cosine_sim, bertscore, bertscore_length: bertscore * Math.exp(1 - countWords(longer) / countWords(shorter)) };
}

/** The adapter the app will write around onnxruntime-web, with a log of the input shapes it saw. */
async function ortEncoderSession(model: Uint8Array): Promise<EncoderSession & { calls: number[][]; release(): Promise<void> }> {
  const session = await ort.InferenceSession.create(model);
  const calls: number[][] = [];
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    calls,
    release: () => session.release(),
    async run(feeds) {
      calls.push(feeds.input_ids?.dims ?? []);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) {
        ortFeeds[name] =
          f.data instanceof BigInt64Array ? new ort.Tensor('int64', f.data, f.dims) : new ort.Tensor('float32', f.data, f.dims);
      }
      const out = await session.run(ortFeeds);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]));
    },
  };
}

const expectClose = (got: number, want: number, tol = 1e-5) => {
  expect(Number.isFinite(got)).toBe(true);
  expect(Math.abs(got - want)).toBeLessThan(tol);
};

describe('encoderScores with onnxruntime-web and a WordPiece tokenizer', () => {
  const weights = makeWeights(VOCAB.length, 16, 11);
  const tokenizer = loadTokenizer(JSON.stringify(WORDPIECE_JSON));
  const model = buildEncoderModel(weights, { tokenTypes: true, outputName: 'last_hidden_state' });
  const pairs: [string, string][] = [
    ['The quick brown fox jumps over the lazy dog.', 'A lazy dog sat on the mat!'],
    ['Hello world', 'The sun was very good, and it ran over the blue moon at night?'],
    ['I sat.', 'You ran on the red rug and jumped over a big small cat.'],
    ['Unhappy CAFÉ, naïve cats', 'the cat is very unhappy'],
  ];

  it('matches the JS computation on the weights within 1e-5', async () => {
    const session = await ortEncoderSession(model);
    try {
      expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
      for (const [a, b] of pairs) {
        const got = await encoderScores(a, b, { session, tokenizer });
        const want = jsScores(weights, tokenizer, a, b, true);
        expectClose(got.cosine_sim, want.cosine_sim);
        expectClose(got.bertscore, want.bertscore);
        expectClose(got.bertscore_length, want.bertscore_length);
      }
    } finally {
      await session.release();
    }
  });

  it('gives cosine 1 and bertscore 1 for identical texts, in one run per text', async () => {
    const session = await ortEncoderSession(model);
    try {
      const text = 'The quick brown fox jumps over the lazy dog.';
      const got = await encoderScores(text, text, { session, tokenizer });
      expectClose(got.cosine_sim, 1, 1e-6);
      expectClose(got.bertscore, 1, 1e-6);
      expectClose(got.bertscore_length, 1, 1e-6);
      expect(session.calls).toHaveLength(1);
    } finally {
      await session.release();
    }
  });

  it('truncates cosine inputs to cosineMaxTokens and BERTScore inputs to bertscoreMaxTokens', async () => {
    const session = await ortEncoderSession(model);
    try {
      const a = 'the cat sat on the mat and the dog ran over the rug';
      const b = 'a dog';
      const got = await encoderScores(a, b, { session, tokenizer, cosineMaxTokens: 6, bertscoreMaxTokens: 9 });
      const want = jsScores(weights, tokenizer, a, b, true, { cosine: 6, bert: 9 });
      expectClose(got.cosine_sim, want.cosine_sim);
      expectClose(got.bertscore, want.bertscore);
      // a: 6 tokens for cosine, 9 for BERTScore; b (4 tokens) is run once for both.
      expect(session.calls.map((d) => d[1])).toEqual([6, 4, 9]);
    } finally {
      await session.release();
    }
  });
});

describe('encoderScores with a byte-level BPE tokenizer and a second encoder for BERTScore', () => {
  it('uses each encoder for its own score', async () => {
    const bpe = loadTokenizer(parity.bpe.tokenizer);
    const wBpe = makeWeights(701, 12, 5);
    const cosineSession = await ortEncoderSession(buildEncoderModel(wBpe, { tokenTypes: false, outputName: 'token_embeddings' }));
    const wWp = makeWeights(VOCAB.length, 16, 23);
    const wp = loadTokenizer(WORDPIECE_JSON);
    const bertSession = await ortEncoderSession(buildEncoderModel(wWp, { tokenTypes: true, outputName: 'last_hidden_state' }));
    try {
      expect(cosineSession.inputNames).toEqual(['input_ids', 'attention_mask']);
      const a = "Here's a quick answer: the cat sat on the mat. Café ☕ time!";
      const b = 'The dog ran over the lazy fox.';
      const got = await encoderScores(a, b, {
        session: cosineSession,
        tokenizer: bpe,
        bertscoreEncoder: { session: bertSession, tokenizer: wp },
      });
      const wantCos = jsScores(wBpe, bpe, a, b, false);
      const wantBert = jsScores(wWp, wp, a, b, true);
      expectClose(got.cosine_sim, wantCos.cosine_sim);
      expectClose(got.bertscore, wantBert.bertscore);
      expectClose(got.bertscore_length, wantBert.bertscore_length);
      expect(cosineSession.calls).toHaveLength(2);
      expect(bertSession.calls).toHaveLength(2);
    } finally {
      await cosineSession.release();
      await bertSession.release();
    }
  });
});

describe('encoder layout errors', () => {
  const tokenizer = loadTokenizer(WORDPIECE_JSON);
  const fake = (inputNames: string[], outputNames: string[], dims: number[] = [1, 3, 2]): EncoderSession => ({
    inputNames,
    outputNames,
    run: async () => Object.fromEntries(outputNames.map((n) => [n, { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims }])),
  });
  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(EncoderError);
      return (e as EncoderError).code;
    }
    return 'no error';
  };

  it('names missing or unknown inputs, ambiguous outputs and wrong shapes', async () => {
    expect(await codeOf(encoderScores('a', 'b', { session: fake(['ids'], ['last_hidden_state']), tokenizer }))).toBe('missing-input');
    expect(await codeOf(encoderScores('a', 'b', { session: fake(['input_ids', 'pixel_values'], ['last_hidden_state']), tokenizer }))).toBe(
      'unsupported-input',
    );
    expect(await codeOf(encoderScores('a', 'b', { session: fake(['input_ids'], ['x', 'y']), tokenizer }))).toBe('no-token-output');
    expect(await codeOf(encoderScores('a', 'b', { session: fake(['input_ids'], ['sentence_embedding'], [1, 2]), tokenizer }))).toBe(
      'bad-output-shape',
    );
    expect(
      await codeOf(runEncoder({ session: fake(['input_ids'], ['a', 'b']), tokenizer, outputName: 'c' }, [2, 3], [0, 0], [true, true])),
    ).toBe('no-token-output');
  });
});

describe('score math on literal embeddings', () => {
  const te = (rows: number[][], special: boolean[]): TokenEmbeddings => ({
    ids: rows.map((_, i) => i),
    special,
    tokens: rows.length,
    hidden: rows[0]!.length,
    data: Float32Array.from(rows.flat()),
  });

  it('BERTScore: special tokens weigh nothing but stay match candidates (as bert_score)', () => {
    const cand = te(
      [
        [1, 0],
        [1, 0],
        [0, 1],
      ],
      [true, false, true],
    );
    const ref = te(
      [
        [1, 0],
        [0, 1],
        [0, 1],
      ],
      [true, false, true],
    );
    expect(bertScore(cand, ref)).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(bertScore(cand, ref, { specialTokensAsCandidates: false })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('BERTScore: greedy matching by cosine, F1 of the two means', () => {
    const s = Math.SQRT1_2;
    const cand = te(
      [
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      [true, false, false, true],
    );
    const ref = te(
      [
        [0, 0, 1],
        [1, 1, 0],
        [0, 0, 1],
      ],
      [true, false, true],
    );
    // precision: both candidate tokens match [1,1,0] at cos = 1/sqrt2; recall: [1,1,0] matches at 1/sqrt2.
    const r = bertScore(cand, ref);
    expect(r.precision).toBeCloseTo(s, 6);
    expect(r.recall).toBeCloseTo(s, 6);
    expect(r.f1).toBeCloseTo(s, 6);
    // An empty side (only special tokens) scores 0, as bert_score does.
    expect(
      bertScore(
        te(
          [
            [1, 0],
            [0, 1],
          ],
          [true, true],
        ),
        te(
          [
            [1, 0],
            [0, 1],
          ],
          [true, false],
        ),
      ).f1,
    ).toBe(0);
  });

  it('mean pooling and cosine', () => {
    expect(
      Array.from(
        meanPool(
          te(
            [
              [1, 2],
              [3, 4],
            ],
            [false, false],
          ),
        ),
      ),
    ).toEqual([2, 3]);
    expect(cosineSimilarity([1, 0], [0, 2])).toBe(0);
    expect(cosineSimilarity([1, 1], [2, 2])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
  });

  it('length penalty: longer by characters, words by the word tokenizer, 0 without words', () => {
    // "The cat sat on the mat." has 7 words and more characters than "A dog ran." (4 words).
    expect(lengthPenalty('A dog ran.', 'The cat sat on the mat.')).toBeCloseTo(Math.exp(1 - 7 / 4), 12);
    expect(lengthPenalty('The cat sat on the mat.', 'A dog ran.')).toBeCloseTo(Math.exp(1 - 7 / 4), 12);
    // Longer by characters but fewer words: the penalty exceeds 1, as in the reference.
    expect(lengthPenalty('extraordinarily', 'a b c')).toBeCloseTo(Math.exp(1 - 1 / 3), 12);
    expect(lengthPenalty('   ', 'some words here')).toBe(0);
    expect(lengthPenalty('', '')).toBe(0);
  });
});
