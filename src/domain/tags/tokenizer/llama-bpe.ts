// Fast Llama / Llama-2 SentencePiece-BPE token counter (32k vocabulary, byte fallback), giving the same
// tokens as the `llama-tokenizer-js` package (which matches SentencePiece on the reference data) at a
// fraction of its cost. Runs in browsers, workers and Node: no DOM, no I/O.
//
// The vocabulary and the merge list are read once, at module load, from the package's own decoded
// instance and turned into compact typed arrays:
//   - CHAR_ID: BMP code unit -> token id of that single character (or NONE); 128 KB.
//   - CLS: BMP code unit -> class (normal vocabulary char / space / byte fallback / surrogate); 64 KB.
//   - an open-addressing hash table (a, b) -> (merge rank << 15 | merged id); 2 x 1 MB.
//
// How llama-tokenizer-js encodes (and what we reproduce): prepend one space (the SentencePiece dummy
// prefix), replace every space by "▁" (U+2581), map every code point to its single-character token or, when
// the vocabulary has none, to its UTF-8 bytes as <0xXX> tokens, then run BPE over the whole sequence: merge
// the adjacent pair with the lowest rank in the merge list, leftmost first among equal ranks, until no pair
// is in the list. Byte tokens take part in no merge, and no vocabulary piece has a "▁" after a non-"▁"
// character (both checked at load time below), so no merge ever crosses (a) a byte-fallback character or
// (b) the start of a run of "▁". The text therefore splits into independent chunks "▁*[^▁]*" between
// byte-fallback characters, and the BPE result is the concatenation of the per-chunk results. Chunks are
// mostly words, so their token counts are cached (bounded, two generations).
import llamaTokenizer from 'llama-tokenizer-js';

const SPACE_PIECE = '\u2581';
const NONE = 0xffff;

// Character classes of BMP code units.
const CLS_NORMAL = 0; // a single-character vocabulary piece
const CLS_SPACE = 1; // ' ' or '▁' (both become the piece "▁")
const CLS_BYTES = 2; // not in the vocabulary: one <0xXX> token per UTF-8 byte
const CLS_SURROGATE = 3; // half of a surrogate pair, or a lone surrogate (decided at use)

const HASH_BITS = 18;
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const HASH_SHIFT = 32 - HASH_BITS;

interface Tables {
  charId: Uint16Array;
  cls: Uint8Array;
  astralId: Map<number, number>;
  byteId: Uint16Array;
  spaceId: number;
  pairKeys: Int32Array;
  pairVals: Int32Array;
}

function buildTables(): Tables {
  const vocab = llamaTokenizer.vocabById;
  const byString = llamaTokenizer.vocabByString;
  if (vocab.length > 1 << 15) throw new Error(`llama vocabulary too large: ${vocab.length}`);
  const idOf = (piece: string): number => {
    const id = byString.get(piece);
    if (id === undefined) throw new Error(`llama vocabulary lacks ${JSON.stringify(piece)}`);
    return id;
  };

  const charId = new Uint16Array(0x10000).fill(NONE);
  const astralId = new Map<number, number>();
  for (const piece of vocab) {
    const cp = piece.codePointAt(0);
    if (cp === undefined || piece.length !== (cp > 0xffff ? 2 : 1)) continue;
    // Canonical id as the package looks it up (the last one, were a piece listed twice).
    if (cp > 0xffff) astralId.set(cp, idOf(piece));
    else charId[cp] = idOf(piece);
  }
  const spaceId = idOf(SPACE_PIECE);
  charId[0x20] = spaceId;

  const cls = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) cls[c] = CLS_SURROGATE;
    else if (c === 0x20 || c === 0x2581) cls[c] = CLS_SPACE;
    else cls[c] = charId[c] === NONE ? CLS_BYTES : CLS_NORMAL;
  }

  const byteId = new Uint16Array(256);
  for (let b = 0; b < 256; b++) byteId[b] = idOf(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);

  // Invariants the chunking relies on.
  for (const piece of vocab) {
    if (/[^\u2581]\u2581/.test(piece)) {
      throw new Error(`llama vocabulary piece ${JSON.stringify(piece)} has "▁" after another character`);
    }
  }

  const pairKeys = new Int32Array(HASH_SIZE).fill(-1);
  const pairVals = new Int32Array(HASH_SIZE);
  for (const [key, prio] of llamaTokenizer.merges) {
    const sep = key.indexOf(' ');
    const left = key.slice(0, sep);
    const right = key.slice(sep + 1);
    if (sep <= 0 || right.includes(' ')) throw new Error(`unexpected llama merge key ${JSON.stringify(key)}`);
    const a = idOf(left);
    const b = idOf(right);
    if (/^<0x[0-9A-F]{2}>$/.test(left) || /^<0x[0-9A-F]{2}>$/.test(right)) {
      throw new Error(`llama merge list merges a byte token: ${JSON.stringify(key)}`);
    }
    const merged = byString.get(left + right);
    if (merged === undefined) continue; // the package cannot apply it either
    // The package's priority is 2 * index + 1 in the merge list; smaller merges first.
    const rank = (prio - 1) >> 1;
    if (rank < 0 || rank >= 1 << 16) throw new Error(`llama merge rank out of range: ${prio}`);
    const k = (a << 15) | b;
    let h = Math.imul(k, 0x9e3779b1) >>> HASH_SHIFT;
    while (pairKeys[h] !== -1 && pairKeys[h] !== k) h = (h + 1) & HASH_MASK;
    pairKeys[h] = k;
    pairVals[h] = (rank << 15) | merged;
  }
  return { charId, cls, astralId, byteId, spaceId, pairKeys, pairVals };
}

const T = buildTables();
const CHAR_ID = T.charId;
const CLS = T.cls;
const ASTRAL_ID = T.astralId;
const BYTE_ID = T.byteId;
const PAIR_KEYS = T.pairKeys;
const PAIR_VALS = T.pairVals;

/** (rank << 15 | merged id) of the merge of tokens a and b, or -1. Smaller value = earlier merge. */
function pairValue(a: number, b: number): number {
  const k = (a << 15) | b;
  let h = Math.imul(k, 0x9e3779b1) >>> HASH_SHIFT;
  for (;;) {
    const key = PAIR_KEYS[h]!;
    if (key === k) return PAIR_VALS[h]!;
    if (key === -1) return -1;
    h = (h + 1) & HASH_MASK;
  }
}

// ---- BPE over one chunk (spaces and single-character pieces only) --------------------------------------

let sym = new Int32Array(256);
let pr = new Int32Array(256);

/** Loads the token ids of the characters of s[start, end) into `sym`; returns how many. */
function loadChunk(s: string, start: number, end: number): number {
  if (sym.length < end - start) {
    sym = new Int32Array(2 * (end - start));
    pr = new Int32Array(2 * (end - start));
  }
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      // Chunks only hold astral characters that are vocabulary pieces.
      sym[n++] = ASTRAL_ID.get(s.codePointAt(i)!)!;
      i++;
    } else sym[n++] = CHAR_ID[c]!;
  }
  return n;
}

const SHORT_CHUNK = 48;

/** Runs BPE over sym[0, n); leaves the result in sym[0, result) and returns its length. */
function bpe(n: number): number {
  if (n < 2) return n;
  if (n > SHORT_CHUNK) return bpeLong(n);
  // Short chunks: repeated linear scan over the pair values (cheaper than a heap for a few symbols).
  for (let i = 0; i < n - 1; i++) pr[i] = pairValue(sym[i]!, sym[i + 1]!);
  for (;;) {
    let best = -1;
    let bestVal = 0x7fffffff;
    for (let i = 0; i < n - 1; i++) {
      const v = pr[i]!;
      if (v >= 0 && v < bestVal) {
        bestVal = v;
        best = i;
      }
    }
    if (best < 0) return n;
    sym[best] = bestVal & 0x7fff;
    for (let i = best + 1; i < n - 1; i++) sym[i] = sym[i + 1]!;
    for (let i = best + 1; i < n - 2; i++) pr[i] = pr[i + 1]!;
    n--;
    if (best > 0) pr[best - 1] = pairValue(sym[best - 1]!, sym[best]!);
    if (best < n - 1) pr[best] = pairValue(sym[best]!, sym[best + 1]!);
  }
}

const POS_SCALE = 4294967296; // heap priority = rank * 2^32 + position (exact in a double)

/** BPE with a binary heap and a linked list: O(n log n) for very long chunks. */
function bpeLong(n: number): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  let heap = new Float64Array(n);
  let size = 0;
  const push = (p: number) => {
    if (size === heap.length) {
      const bigger = new Float64Array(heap.length * 2);
      bigger.set(heap);
      heap = bigger;
    }
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= p) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = p;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    if (size > 0) heap[i] = last;
    return top;
  };
  const consider = (i: number) => {
    const j = next[i]!;
    if (j >= n) return;
    const v = pairValue(sym[i]!, sym[j]!);
    if (v >= 0) push((v >>> 15) * POS_SCALE + i);
  };
  for (let i = 0; i < n - 1; i++) consider(i);
  while (size > 0) {
    const p = pop();
    const rank = Math.floor(p / POS_SCALE);
    const i = p - rank * POS_SCALE;
    if (sym[i]! < 0) continue; // merged into its left neighbour
    const j = next[i]!;
    if (j >= n) continue;
    const v = pairValue(sym[i]!, sym[j]!);
    if (v < 0 || v >>> 15 !== rank) continue; // stale: one side changed since
    sym[i] = v & 0x7fff;
    sym[j] = -1;
    const k = next[j]!;
    next[i] = k;
    if (k < n) prev[k] = i;
    if (prev[i]! >= 0) consider(prev[i]!);
    consider(i);
  }
  let m = 0;
  for (let i = 0; i < n; i = next[i]!) sym[m++] = sym[i]!;
  return m;
}

// ---- chunk cache ------------------------------------------------------------------------------------------

const CACHE_GENERATION = 20_000; // entries per generation; at most two generations are kept
const CACHE_MAX_KEY = 64; // longer chunks are not cached
let cacheNew = new Map<string, number>();
let cacheOld = new Map<string, number>();

const keyUnits = new Uint16Array(CACHE_MAX_KEY);

/**
 * A fresh, flat copy of s[start, end). A plain slice may be a view that keeps the whole text alive (V8's
 * sliced strings, SpiderMonkey's dependent strings), which a long-lived cache key must not do.
 */
function ownedKey(s: string, start: number, end: number): string {
  for (let i = start; i < end; i++) keyUnits[i - start] = s.charCodeAt(i);
  return String.fromCharCode.apply(null, keyUnits.subarray(0, end - start) as unknown as number[]);
}

function chunkCount(s: string, start: number, end: number): number {
  const len = end - start;
  if (len === 1) return 1;
  if (len > CACHE_MAX_KEY) return bpe(loadChunk(s, start, end));
  const key = s.slice(start, end); // lookups only
  let count = cacheNew.get(key);
  if (count !== undefined) return count;
  count = cacheOld.get(key);
  if (count === undefined) count = bpe(loadChunk(s, start, end));
  if (cacheNew.size >= CACHE_GENERATION) {
    cacheOld = cacheNew;
    cacheNew = new Map();
  }
  cacheNew.set(ownedKey(s, start, end), count);
  return count;
}

/** Empties the chunk cache (for benchmarks of cold-cache speed, and to release its memory). */
export function clearTokenCache(): void {
  cacheNew = new Map();
  cacheOld = new Map();
}

// ---- scanning -------------------------------------------------------------------------------------------

/** Whether s[i] starts a surrogate pair; returns the code point, or -1. */
function pairAt(s: string, i: number): number {
  const hi = s.charCodeAt(i);
  if (hi > 0xdbff || i + 1 >= s.length) return -1;
  const lo = s.charCodeAt(i + 1);
  if (lo < 0xdc00 || lo > 0xdfff) return -1;
  return ((hi - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
}

/**
 * Walks the text as the package sees it (" " + text) and reports every chunk [start, end) of s (a run of
 * spaces, then a run of vocabulary characters) and every byte-fallback code point. Used by `encode`;
 * `countTokens` inlines the same walk.
 */
function scan(text: string, onChunk: (s: string, start: number, end: number) => void, onBytes: (cp: number) => void): void {
  if (text.length === 0) return;
  const s = ` ${text}`;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const start = i;
    i = chunkEnd(s, i, n);
    if (i > start) onChunk(s, start, i);
    else {
      const cp = fallbackAt(s, i);
      onBytes(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
}

/**
 * End of the chunk that starts at s[i] (spaces, then vocabulary characters), or i itself when s[i] is a
 * byte-fallback character.
 */
function chunkEnd(s: string, i: number, n: number): number {
  let k = CLS[s.charCodeAt(i)]!;
  while (k === CLS_SPACE) {
    if (++i >= n) return i;
    k = CLS[s.charCodeAt(i)]!;
  }
  for (;;) {
    if (k === CLS_NORMAL) i++;
    else if (k === CLS_SURROGATE) {
      const cp = pairAt(s, i);
      if (cp < 0 || !ASTRAL_ID.has(cp)) return i;
      i += 2;
    } else return i;
    if (i >= n) return i;
    k = CLS[s.charCodeAt(i)]!;
  }
}

/** The code point at s[i] that falls back to bytes (a lone surrogate reads as U+FFFD, as in the package). */
function fallbackAt(s: string, i: number): number {
  const cp = pairAt(s, i);
  if (cp >= 0) return cp;
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

/** Number of Llama-2 SentencePiece tokens of `text`, without BOS (the empty string has 0). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const s = ` ${text}`;
  const n = s.length;
  let total = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    i = chunkEnd(s, i, n);
    if (i > start) total += chunkCount(s, start, i);
    else {
      const c = s.charCodeAt(i);
      if (c < 0x80) total += 1;
      else if (c < 0x800) total += 2;
      else if (c < 0xd800 || c > 0xdfff) total += 3;
      else {
        const cp = pairAt(s, i);
        if (cp >= 0) {
          total += 4;
          i++;
        } else total += 3; // lone surrogate: U+FFFD
      }
      i++;
    }
  }
  return total;
}

/** Token ids of `text` with the Llama-2 SentencePiece vocabulary (dummy prefix space, no BOS). */
export function encode(text: string): number[] {
  const out: number[] = [];
  scan(
    text,
    (s, start, end) => {
      const m = bpe(loadChunk(s, start, end));
      for (let i = 0; i < m; i++) out.push(sym[i]!);
    },
    (cp) => {
      if (cp < 0x80) out.push(BYTE_ID[cp]!);
      else if (cp < 0x800) out.push(BYTE_ID[0xc0 | (cp >> 6)]!, BYTE_ID[0x80 | (cp & 0x3f)]!);
      else if (cp < 0x10000) {
        out.push(BYTE_ID[0xe0 | (cp >> 12)]!, BYTE_ID[0x80 | ((cp >> 6) & 0x3f)]!, BYTE_ID[0x80 | (cp & 0x3f)]!);
      } else {
        out.push(
          BYTE_ID[0xf0 | (cp >> 18)]!,
          BYTE_ID[0x80 | ((cp >> 12) & 0x3f)]!,
          BYTE_ID[0x80 | ((cp >> 6) & 0x3f)]!,
          BYTE_ID[0x80 | (cp & 0x3f)]!,
        );
      }
    },
  );
  return out;
}
