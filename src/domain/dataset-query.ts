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

/** A search index: lowercased text per instance and winner codes of both labels. */
export class DatasetIndex {
  private readonly text: string[] = [];
  private lm = new Int8Array(1024);
  private human = new Int8Array(1024);

  get size(): number {
    return this.text.length;
  }

  add(record: PairRecord): void {
    const i = this.text.length;
    if (i === this.lm.length) {
      this.lm = grow(this.lm);
      this.human = grow(this.human);
    }
    this.text.push(
      [record.id, record.prompt, record.responseA, record.responseB, record.modelA ?? '', record.modelB ?? ''].join('\u0000').toLowerCase(),
    );
    this.lm[i] = codeOf(record.lm);
    this.human[i] = codeOf(record.human);
  }

  /** Positions (0-based) of the instances that match, in dataset order. */
  query(q: DatasetQuery): Uint32Array {
    const needle = q.search.trim().toLowerCase();
    const lmWant = wantCode(q.lm);
    const humanWant = wantCode(q.human);
    const out = new Uint32Array(this.text.length);
    let n = 0;
    for (let i = 0; i < this.text.length; i++) {
      const lm = this.lm[i]!;
      const human = this.human[i]!;
      if (lmWant !== null && lm !== lmWant) continue;
      if (humanWant !== null && human !== humanWant) continue;
      if (q.agreement !== 'any') {
        if (lm === MISSING || human === MISSING) continue;
        if ((lm === human) !== (q.agreement === 'agree')) continue;
      }
      if (needle && !this.text[i]!.includes(needle)) continue;
      out[n++] = i;
    }
    return out.slice(0, n);
  }
}

function wantCode(f: WinnerFilter): number | null {
  return f === 'any' ? null : f === 'missing' ? MISSING : WINNER_CODE[f];
}

function grow(a: Int8Array): Int8Array<ArrayBuffer> {
  const b = new Int8Array(a.length * 2);
  b.set(a);
  return b;
}
