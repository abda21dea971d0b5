// Search and label filters over a dataset, on a compact columnar index (no records kept).
import { winnerOf, type Label } from './labels';
import type { PairRecord } from './instance';

export type WinnerFilter = 'any' | 'A' | 'B' | 'tie' | 'missing';
export type AgreementFilter = 'any' | 'agree' | 'disagree';

export interface DatasetQuery {
  search: string;
  lm: WinnerFilter;
  human: WinnerFilter;
  agreement: AgreementFilter;
}

export const EMPTY_QUERY: DatasetQuery = { search: '', lm: 'any', human: 'any', agreement: 'any' };

export function isEmptyQuery(q: DatasetQuery): boolean {
  return q.search.trim() === '' && q.lm === 'any' && q.human === 'any' && q.agreement === 'any';
}

const MISSING = -1;
const WINNER_CODE = { A: 0, B: 1, tie: 2 } as const;

function codeOf(label: Label | undefined): number {
  return label ? WINNER_CODE[winnerOf(label.value)] : MISSING;
}

/**
 * The searchable form of consecutive pairs: each pair's id, prompt, responses and model names lowercased and
 * joined by NUL, the pairs joined by SOH into one string per part (one string clones and stores far cheaper
 * than thousands), with where each pair starts, and the winner codes of both labels. Pairs whose text is all
 * Latin-1 go in one part, the others in a second: the engines store a Latin-1 string at a byte a character
 * and any other at two, so one emoji no longer doubles what the whole block costs to store and read. Built
 * once when pairs are stored, so a first search only reads it back.
 */
export interface SearchBlock {
  parts: SearchPart[];
  lm: Int8Array;
  human: Int8Array;
}

export interface SearchPart {
  text: string;
  /** starts[k] is where the part's pair k begins in `text`; starts[n] is text.length + 1. */
  starts: Uint32Array;
  /** The block position (0-based) of the part's pair k, ascending. */
  pos: Uint32Array;
}

const PAIR_SEP = '\u0001';
const WIDE = /[\u0100-\uffff]/;

function partOf(texts: readonly string[], pos: readonly number[]): SearchPart {
  const starts = new Uint32Array(texts.length + 1);
  let at = 0;
  texts.forEach((t, k) => {
    starts[k] = at;
    at += t.length + 1;
  });
  starts[texts.length] = at;
  return { text: texts.join(PAIR_SEP), starts, pos: Uint32Array.from(pos) };
}

/** The search block of `records` (in dataset order). */
export function searchBlockOf(records: readonly PairRecord[]): SearchBlock {
  const n = records.length;
  const lm = new Int8Array(n);
  const human = new Int8Array(n);
  const narrow: string[] = [];
  const narrowPos: number[] = [];
  const wide: string[] = [];
  const widePos: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    // Lowercased per pair (not as one joined string): lowercasing can change a text's length.
    const hay = [r.id, r.prompt, r.responseA, r.responseB, r.modelA ?? '', r.modelB ?? ''].join('\u0000').toLowerCase();
    if (WIDE.test(hay)) {
      wide.push(hay);
      widePos.push(i);
    } else {
      narrow.push(hay);
      narrowPos.push(i);
    }
    lm[i] = codeOf(r.lm);
    human[i] = codeOf(r.human);
  }
  return { parts: [partOf(narrow, narrowPos), partOf(wide, widePos)], lm, human };
}

function concatParts(a: SearchPart, b: SearchPart, shiftPos: number): SearchPart {
  const na = a.pos.length;
  const nb = b.pos.length;
  if (nb === 0) return a;
  const pos = new Uint32Array(na + nb);
  pos.set(a.pos);
  for (let k = 0; k < nb; k++) pos[na + k] = b.pos[k]! + shiftPos;
  if (na === 0) return { text: b.text, starts: b.starts, pos };
  const starts = new Uint32Array(na + nb + 1);
  starts.set(a.starts.subarray(0, na));
  const shift = a.starts[na]!;
  for (let k = 0; k <= nb; k++) starts[na + k] = b.starts[k]! + shift;
  return { text: `${a.text}${PAIR_SEP}${b.text}`, starts, pos };
}

/** `a` followed by `b`: the block of a stored run of pairs extended by the pairs after it. */
export function concatSearchBlocks(a: SearchBlock, b: SearchBlock): SearchBlock {
  const na = a.lm.length;
  if (na === 0) return b;
  if (b.lm.length === 0) return a;
  const lm = new Int8Array(na + b.lm.length);
  lm.set(a.lm);
  lm.set(b.lm, na);
  const human = new Int8Array(na + b.human.length);
  human.set(a.human);
  human.set(b.human, na);
  return { parts: a.parts.map((p, i) => concatParts(p, b.parts[i]!, na)), lm, human };
}

/** How many pairs a block holds. */
export function searchBlockSize(b: SearchBlock): number {
  return b.lm.length;
}

/** Block positions of the pairs of `part` whose text holds `needle`, ascending, appended to `hits`. */
function partHits(part: SearchPart, needle: string, hits: number[]): void {
  const { text, starts, pos } = part;
  const size = pos.length;
  // One indexOf over the whole part; a hit names its pair, and the scan goes on at the next pair.
  let k = 0;
  for (let at = text.indexOf(needle); at !== -1;) {
    while (starts[k + 1]! <= at) k++;
    hits.push(pos[k]!);
    if (++k >= size) break;
    at = text.indexOf(needle, starts[k]!);
  }
}

const PENDING_BLOCK = 256;

/** A search index over a dataset: its search blocks in order (pairs added one by one are blocked too). */
export class DatasetIndex {
  private readonly blocks: SearchBlock[] = [];
  private pending: PairRecord[] = [];
  private stored = 0;

  get size(): number {
    return this.stored + this.pending.length;
  }

  add(record: PairRecord): void {
    this.pending.push(record);
    if (this.pending.length === PENDING_BLOCK) this.flush();
  }

  addBlock(block: SearchBlock): void {
    this.flush();
    this.blocks.push(block);
    this.stored += searchBlockSize(block);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const b = searchBlockOf(this.pending);
    this.pending = [];
    this.blocks.push(b);
    this.stored += searchBlockSize(b);
  }

  /** Positions (0-based) of the instances that match, in dataset order. */
  query(q: DatasetQuery): Uint32Array {
    this.flush();
    // The separators cannot be typed; a needle holding one would match across fields or pairs.
    const needle = q.search.trim().toLowerCase().replaceAll('\u0000', '').replaceAll(PAIR_SEP, '');
    const lmWant = wantCode(q.lm);
    const humanWant = wantCode(q.human);
    const filtered = lmWant !== null || humanWant !== null || q.agreement !== 'any';
    const keep = (b: SearchBlock, k: number): boolean => {
      const lm = b.lm[k]!;
      const human = b.human[k]!;
      if (lmWant !== null && lm !== lmWant) return false;
      if (humanWant !== null && human !== humanWant) return false;
      if (q.agreement !== 'any') {
        if (lm === MISSING || human === MISSING) return false;
        if ((lm === human) !== (q.agreement === 'agree')) return false;
      }
      return true;
    };
    const out = new Uint32Array(this.stored);
    const hits: number[] = [];
    let n = 0;
    let base = 0;
    for (const b of this.blocks) {
      const size = searchBlockSize(b);
      if (!needle) {
        for (let k = 0; k < size; k++) if (!filtered || keep(b, k)) out[n++] = base + k;
      } else {
        hits.length = 0;
        for (const part of b.parts) partHits(part, needle, hits);
        // Each part's hits are ascending; the block's, merged, too.
        if (b.parts.length > 1) hits.sort((x, y) => x - y);
        for (const k of hits) if (!filtered || keep(b, k)) out[n++] = base + k;
      }
      base += size;
    }
    return out.slice(0, n);
  }
}

function wantCode(f: WinnerFilter): number | null {
  return f === 'any' ? null : f === 'missing' ? MISSING : WINNER_CODE[f];
}
