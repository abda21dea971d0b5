// The semantic scores of spec 2.1 computed with a user-supplied encoder:
// - cosine_sim: cosine of the mean-pooled token embeddings (sentence-transformers' mean pooling; batch of
//   one, so every token, special ones included, is attended). Inputs truncated to 200 tokens, as the
//   reference sets max_seq_length = 200 for all-distilroberta-v1.
// - bertscore: BERTScore F1 (Zhang et al.) as the bert_score package computes it with its defaults:
//   greedy cosine matching of L2-normalised token embeddings; special tokens ([CLS]/[SEP]) get weight 0
//   (no idf: every other token weighs 1) but, as in bert_score, stay in the candidate set a token may match;
//   no baseline rescaling; F1 = 0 when P + R = 0 or a side has no content token. Inputs truncated to
//   512 tokens (the model maximum bert_score uses).
// - bertscore_length: bertscore x exp(1 - words(longer) / words(shorter)), longer/shorter by characters
//   (on a tie, A is the shorter, as in the reference), 0 when the shorter has no words.
import { runEncoder, type Encoder, type TokenEmbeddings } from './session';
import { countWords } from './words';

export interface EncoderScores {
  cosine_sim: number;
  bertscore: number;
  bertscore_length: number;
}

export interface EncoderScoreOptions extends Encoder {
  /** Token cap for cosine_sim inputs, special tokens included (default 200, the reference's max_seq_length). */
  cosineMaxTokens?: number;
  /** Token cap for BERTScore inputs, special tokens included (default 512, bert_score's cap for DistilBERT). */
  bertscoreMaxTokens?: number;
  /**
   * A second encoder for BERTScore. The reference uses all-distilroberta-v1 for cosine_sim and
   * distilbert-base-uncased (5th layer) for BERTScore; without this, one encoder serves both.
   */
  bertscoreEncoder?: Encoder;
}

export const COSINE_MAX_TOKENS = 200;
export const BERTSCORE_MAX_TOKENS = 512;

/** Mean of the token vectors (float64). */
export function meanPool(e: TokenEmbeddings): Float64Array {
  const out = new Float64Array(e.hidden);
  for (let t = 0; t < e.tokens; t++) {
    const row = t * e.hidden;
    for (let h = 0; h < e.hidden; h++) out[h] = (out[h] as number) + (e.data[row + h] as number);
  }
  if (e.tokens > 0) for (let h = 0; h < e.hidden; h++) out[h] = (out[h] as number) / e.tokens;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosineSimilarity(u: ArrayLike<number>, v: ArrayLike<number>): number {
  if (u.length !== v.length) throw new RangeError(`cosine of vectors of lengths ${u.length} and ${v.length}`);
  let dot = 0;
  let nu = 0;
  let nv = 0;
  for (let i = 0; i < u.length; i++) {
    const a = u[i] as number;
    const b = v[i] as number;
    dot += a * b;
    nu += a * a;
    nv += b * b;
  }
  return nu === 0 || nv === 0 ? 0 : dot / Math.sqrt(nu * nv);
}

function unitRows(e: TokenEmbeddings): Float64Array {
  const out = new Float64Array(e.tokens * e.hidden);
  for (let t = 0; t < e.tokens; t++) {
    const row = t * e.hidden;
    let n = 0;
    for (let h = 0; h < e.hidden; h++) n += (e.data[row + h] as number) ** 2;
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let h = 0; h < e.hidden; h++) out[row + h] = (e.data[row + h] as number) * inv;
  }
  return out;
}

export interface BertScoreOptions {
  /** Whether special tokens remain match candidates (bert_score: yes). They never carry weight. */
  specialTokensAsCandidates?: boolean;
}

/** BERTScore precision, recall and F1 of a candidate against a reference (see the file comment). */
export function bertScore(
  cand: TokenEmbeddings,
  ref: TokenEmbeddings,
  options: BertScoreOptions = {},
): { precision: number; recall: number; f1: number } {
  if (cand.hidden !== ref.hidden) throw new RangeError(`hidden sizes differ: ${cand.hidden} vs ${ref.hidden}`);
  const H = cand.hidden;
  const matchSpecial = options.specialTokensAsCandidates ?? true;
  const c = unitRows(cand);
  const r = unitRows(ref);
  const bestForCand = new Float64Array(cand.tokens).fill(-Infinity);
  const bestForRef = new Float64Array(ref.tokens).fill(-Infinity);
  for (let i = 0; i < cand.tokens; i++) {
    if (!matchSpecial && cand.special[i]) continue;
    for (let j = 0; j < ref.tokens; j++) {
      if (!matchSpecial && ref.special[j]) continue;
      let s = 0;
      for (let h = 0; h < H; h++) s += (c[i * H + h] as number) * (r[j * H + h] as number);
      if (s > (bestForCand[i] as number)) bestForCand[i] = s;
      if (s > (bestForRef[j] as number)) bestForRef[j] = s;
    }
  }
  const weightedMean = (best: Float64Array, special: readonly boolean[]) => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < best.length; i++) {
      if (special[i]) continue;
      const b = best[i] as number;
      sum += Number.isFinite(b) ? b : 0;
      n++;
    }
    return n === 0 ? Number.NaN : sum / n;
  };
  const precision = weightedMean(bestForCand, cand.special);
  const recall = weightedMean(bestForRef, ref.special);
  const f = (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1: Number.isFinite(f) ? f : 0 };
}

/** Code points, as Python's len() counts them. */
function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** exp(1 - words(longer)/words(shorter)), longer/shorter by characters; 0 if the shorter has no words. */
export function lengthPenalty(a: string, b: string): number {
  const [longer, shorter] = charLength(a) > charLength(b) ? [a, b] : [b, a];
  const ws = countWords(shorter);
  if (ws === 0) return 0;
  return Math.exp(1 - countWords(longer) / ws);
}

/** cosine_sim, bertscore and bertscore_length of a response pair with a loaded encoder. */
export async function encoderScores(a: string, b: string, options: EncoderScoreOptions): Promise<EncoderScores> {
  const cosineMax = options.cosineMaxTokens ?? COSINE_MAX_TOKENS;
  const bertMax = options.bertscoreMaxTokens ?? BERTSCORE_MAX_TOKENS;
  const cosineEncoder: Encoder = options;
  const bertEncoder: Encoder = options.bertscoreEncoder ?? options;

  // One run per distinct (encoder, token sequence): a text under both caps, or A equal to B, is embedded once.
  const memo = new Map<Encoder, Map<string, Promise<TokenEmbeddings>>>();
  const embed = (encoder: Encoder, text: string, maxTokens: number): Promise<TokenEmbeddings> => {
    const enc = encoder.tokenizer.encode(text.trim(), { maxLength: maxTokens });
    const key = enc.ids.join(',');
    let byIds = memo.get(encoder);
    if (!byIds) memo.set(encoder, (byIds = new Map()));
    let p = byIds.get(key);
    if (!p) {
      p = runEncoder(encoder, enc.ids, enc.typeIds, enc.special);
      byIds.set(key, p);
    }
    return p;
  };

  const [ca, cb] = [await embed(cosineEncoder, a, cosineMax), await embed(cosineEncoder, b, cosineMax)];
  const cosine_sim = cosineSimilarity(meanPool(ca), meanPool(cb));
  const [ba, bb] = [await embed(bertEncoder, a, bertMax), await embed(bertEncoder, b, bertMax)];
  const bertscore = bertScore(ba, bb).f1;
  return { cosine_sim, bertscore, bertscore_length: bertscore * lengthPenalty(a, b) };
}
