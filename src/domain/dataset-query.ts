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
 * joined by NUL, the pairs joined by SOH into one string (one string clones and stores far cheaper than
 * thousands), with where each pair starts, and the winner codes of both labels. Built once when pairs are
 * stored, so a first search only reads it back.
 */
export interface SearchBlock {
  text: string;
  /** starts[k] is where pair k begins in `text`; starts[n] is text.length + 1. */
  starts: Uint32Array;
  lm: Int8Array;
  human: Int8Array;
}

const PAIR_SEP = '\u0001';

/** The search block of `records` (in dataset order). */
export function searchBlockOf(records: readonly PairRecord[]): SearchBlock {
  const n = records.length;
  const starts = new Uint32Array(n + 1);
  const lm = new Int8Array(n);
  const human = new Int8Array(n);
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    // Lowercased per pair (not as one joined string): lowercasing can change a text's length.
    const hay = [r.id, r.prompt, r.responseA, r.responseB, r.modelA ?? '', r.modelB ?? ''].join('\u0000').toLowerCase();
    parts.push(hay);
    starts[i] = at;
    at += hay.length + 1;
    lm[i] = codeOf(r.lm);
    human[i] = codeOf(r.human);
  }
  starts[n] = at;
  return { text: parts.join(PAIR_SEP), starts, lm, human };
}

/** `a` followed by `b`: the block of a stored run of pairs extended by the pairs after it. */
export function concatSearchBlocks(a: SearchBlock, b: SearchBlock): SearchBlock {
  const na = a.lm.length;
  const nb = b.lm.length;
  if (na === 0) return b;
  if (nb === 0) return a;
  const starts = new Uint32Array(na + nb + 1);
  starts.set(a.starts.subarray(0, na));
  const shift = a.starts[na]!;
  for (let k = 0; k <= nb; k++) starts[na + k] = b.starts[k]! + shift;
  const lm = new Int8Array(na + nb);
  lm.set(a.lm);
  lm.set(b.lm, na);
  const human = new Int8Array(na + nb);
  human.set(a.human);
  human.set(b.human, na);
  return { text: `${a.text}${PAIR_SEP}${b.text}`, starts, lm, human };
}

/** How many pairs a block holds. */
export function searchBlockSize(b: SearchBlock): number {
  return b.lm.length;
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
    let n = 0;
    let base = 0;
    for (const b of this.blocks) {
      const size = searchBlockSize(b);
      if (!needle) {
        for (let k = 0; k < size; k++) if (!filtered || keep(b, k)) out[n++] = base + k;
      } else {
        // One indexOf over the whole block; a hit names its pair, and the scan goes on at the next pair.
        let k = 0;
        for (let pos = b.text.indexOf(needle); pos !== -1;) {
          while (b.starts[k + 1]! <= pos) k++;
          if (!filtered || keep(b, k)) out[n++] = base + k;
          if (++k >= size) break;
          pos = b.text.indexOf(needle, b.starts[k]!);
        }
      }
      base += size;
    }
    return out.slice(0, n);
  }
}

function wantCode(f: WinnerFilter): number | null {
  return f === 'any' ? null : f === 'missing' ? MISSING : WINNER_CODE[f];
}
