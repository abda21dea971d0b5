// BERT-style text pipeline pieces, as Hugging Face `tokenizers` implements them: BertNormalizer,
// BertPreTokenizer and the WordPiece model (greedy longest-match-first with a '##' continuation prefix).

export interface BertNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  /** null: follow `lowercase` (the tokenizers default). */
  stripAccents: boolean | null;
  lowercase: boolean;
}

// Rust `char::is_control` as tokenizers uses it: every "Other" category (Cc, Cf, Cs, Co, Cn) except \t \n \r.
const CONTROL = /[^\t\n\r\P{C}]/u;
const WHITESPACE = /\s/u;
const MARKS = /\p{Mn}/gu;
// tokenizers' is_bert_punc: ASCII punctuation (including symbols such as $ + < = > ^ ` |) or Unicode P*.
const BERT_PUNCT = /^(?:[!-/:-@[-`{-~]|\p{P})$/u;

/** The CJK ideograph blocks BERT puts spaces around (same ranges as the original BERT code). */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Removes combining marks after canonical decomposition ("café" -> "cafe"). */
export function stripAccents(s: string): string {
  return s.normalize('NFD').replace(MARKS, '');
}

/** BertNormalizer: clean control chars and whitespace, space out CJK ideographs, strip accents, lowercase. */
export function bertNormalize(text: string, o: BertNormalizerOptions): string {
  let s = text;
  if (o.cleanText || o.handleChineseChars) {
    let out = '';
    for (const ch of s) {
      const cp = ch.codePointAt(0) as number;
      if (o.cleanText) {
        if (cp === 0 || cp === 0xfffd || CONTROL.test(ch)) continue;
        if (WHITESPACE.test(ch)) {
          out += ' ';
          continue;
        }
      }
      out += o.handleChineseChars && isChineseChar(cp) ? ` ${ch} ` : ch;
    }
    s = out;
  }
  if (o.stripAccents ?? o.lowercase) s = stripAccents(s);
  if (o.lowercase) s = s.toLowerCase();
  return s;
}

export function isBertPunctuation(ch: string): boolean {
  return BERT_PUNCT.test(ch);
}

/** BertPreTokenizer: split on whitespace (dropped) and isolate every punctuation character. */
export function bertPreTokenize(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
      if (word) out.push(word);
      word = '';
    } else if (isBertPunctuation(ch)) {
      if (word) out.push(word);
      out.push(ch);
      word = '';
    } else word += ch;
  }
  if (word) out.push(word);
  return out;
}

/** Whitespace pre-tokenizer of tokenizers: `\w+|[^\w\s]+`. */
export function whitespacePreTokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}\p{Pc}]+|[^\p{L}\p{N}\p{M}\p{Pc}\s]+/gu) ?? [];
}

export interface ModelToken {
  id: number;
  token: string;
}

/** WordPiece model: greedy longest match first; a word with any unmatched remainder becomes [UNK]. */
export class WordPieceModel {
  private readonly cache = new Map<string, ModelToken[]>();
  private readonly unk: ModelToken;

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    unkToken: string,
    private readonly prefix: string,
    private readonly maxInputCharsPerWord: number,
  ) {
    const unkId = vocab.get(unkToken);
    if (unkId === undefined) throw new Error(`the unknown token ${JSON.stringify(unkToken)} is not in the vocabulary`);
    this.unk = { id: unkId, token: unkToken };
  }

  tokenize(word: string): ModelToken[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const result = this.compute(word);
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  private compute(word: string): ModelToken[] {
    const chars = Array.from(word);
    if (chars.length > this.maxInputCharsPerWord) return [this.unk];
    const out: ModelToken[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: ModelToken | null = null;
      while (start < end) {
        const piece = (start > 0 ? this.prefix : '') + chars.slice(start, end).join('');
        const id = this.vocab.get(piece);
        if (id !== undefined) {
          found = { id, token: piece };
          break;
        }
        end--;
      }
      if (!found) return [this.unk];
      out.push(found);
      start = end;
    }
    return out;
  }
}
