// Byte-level BPE (GPT-2 / RoBERTa), as Hugging Face `tokenizers` implements it: the ByteLevel
// pre-tokenizer splits with GPT-2's regex and maps every UTF-8 byte to a printable character (a space
// becomes 'Ġ', a newline 'Ċ'); the BPE model then merges adjacent symbols by merge rank.
import type { ModelToken } from './wordpiece';

/** GPT-2's byte -> printable character table (bytes_to_unicode). */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let n = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : 256 + n++));
})();

// tokenizers' ByteLevel regex (GPT-2's pattern).
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const utf8 = new TextEncoder();

export interface ByteLevelOptions {
  addPrefixSpace: boolean;
  useRegex: boolean;
}

/** ByteLevel pre-tokenizer: GPT-2 split, then bytes -> printable characters. */
export function byteLevelPreTokenize(text: string, o: ByteLevelOptions): string[] {
  const s = o.addPrefixSpace && !text.startsWith(' ') ? ` ${text}` : text;
  const pieces = o.useRegex ? (s.match(GPT2_SPLIT) ?? []) : s ? [s] : [];
  return pieces.map(byteEncode);
}

/** UTF-8 bytes of a string, each mapped through BYTE_TO_CHAR. */
export function byteEncode(piece: string): string {
  let out = '';
  for (const b of utf8.encode(piece)) out += BYTE_TO_CHAR[b];
  return out;
}

/** BPE model over byte-level symbols: repeatedly merges the adjacent pair of lowest rank. */
export class BpeModel {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, ModelToken[]>();
  private readonly unk: ModelToken | null;

  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    merges: readonly (readonly [string, string])[],
    unkToken: string | null,
    private readonly ignoreMerges: boolean,
  ) {
    merges.forEach(([a, b], rank) => {
      const key = pairKey(a, b);
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
    const unkId = unkToken === null ? undefined : vocab.get(unkToken);
    this.unk = unkToken !== null && unkId !== undefined ? { id: unkId, token: unkToken } : null;
  }

  tokenize(word: string): ModelToken[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const result = this.compute(word);
    if (this.cache.size >= 50_000) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  /** The merged symbols of one pre-token (before vocabulary lookup). */
  merge(word: string): string[] {
    if (this.ignoreMerges && this.vocab.has(word)) return [word];
    let symbols = Array.from(word);
    while (symbols.length > 1) {
      let best = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const r = this.ranks.get(pairKey(symbols[i] as string, symbols[i + 1] as string));
        if (r !== undefined && r < best) {
          best = r;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      // Merge every occurrence of the best pair, left to right (GPT-2's loop; same result as tokenizers'
      // priority queue, which also takes equal-rank pairs leftmost first).
      const a = symbols[bestAt] as string;
      const b = symbols[bestAt + 1] as string;
      const next: string[] = symbols.slice(0, bestAt);
      for (let i = bestAt; i < symbols.length;) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(a + b);
          i += 2;
        } else next.push(symbols[i++] as string);
      }
      symbols = next;
    }
    return symbols;
  }

  private compute(word: string): ModelToken[] {
    const out: ModelToken[] = [];
    for (const sym of this.merge(word)) {
      const id = this.vocab.get(sym);
      if (id !== undefined) out.push({ id, token: sym });
      else if (this.unk) out.push(this.unk);
      // else: dropped, as tokenizers does when the model has no unk token.
    }
    return out;
  }
}

function pairKey(a: string, b: string): string {
  return `${a}\u0000${b}`;
}
