// The instances a PPM-lab run draws from. Candidate mixes need both a human and an LM label on every
// instance, and the paper drops ties by either source (spec section 5), so the pool is the instances whose
// human and LM winners are both A or B. A gold split (for the proxy evaluator) is held out first, from the
// instances with a human winner, so that no candidate mix ever trains on a gold pair.
import { TAG_WORDS } from '../tags/tag-set';
import { majorityOf, winnerOf, type Label, type Winner } from '../labels';
import { mixSeed, Rng } from '../routing/rng';
import { TagIndex } from '../routing/tag-index';
import { PpmLabError } from './errors';

/** What the lab needs of a pair (PairRecord fits). */
export interface LabelledPair {
  id: string;
  prompt: string;
  responseA: string;
  responseB: string;
  lm?: Label;
  human?: Label;
  humanVotes?: Label[];
}

export interface PoolOptions {
  /** Share (0..1) of the instances with a human winner held out as the gold set; default 0 (no gold set). */
  goldShare?: number;
  /** Seed of the gold split (default 1). */
  seed?: number;
}

/** Why instances are out of the pool; each instance is counted once, under the first reason that applies. */
export interface PoolExclusions {
  gold: number;
  humanMissing: number;
  humanTie: number;
  lmMissing: number;
  lmTie: number;
}

export interface CandidatePool {
  /** Instances in the dataset (the length of the records and of the tag matrix). */
  n: number;
  /** Dataset positions of the pool instances, ascending. Pool position p = positions[p]. */
  positions: Uint32Array;
  /** Per pool position: 1 when the human winner is A, 0 when it is B. */
  humanA: Uint8Array;
  /** Per pool position: 1 when the LM winner is A, 0 when it is B. */
  lmA: Uint8Array;
  /** Tag index over pool positions (rows of the dataset's tag matrix, in pool order). */
  index: TagIndex;
  /** Dataset positions of the gold instances, ascending. */
  gold: Uint32Array;
  /** Per gold instance: 1 when the human-majority winner is A, 0 when it is B. */
  goldA: Uint8Array;
  goldShare: number;
  goldSeed: number;
  excluded: PoolExclusions;
  /** Instances of the pool where human and LM winners differ (only these can change between mixes). */
  disagreements: number;
  /** FNV-1a digest of the pool's ids and winners and of the gold split: same value, same pool. */
  fingerprint: string;
}

/** The human winner: the file's aggregate label, or the majority of the votes (strength collapsed). */
export function humanWinner(r: LabelledPair): Winner | null {
  if (r.human) return winnerOf(r.human.value);
  if (r.humanVotes && r.humanVotes.length > 0) {
    const m = majorityOf(r.humanVotes);
    return m ? winnerOf(m.value) : null;
  }
  return null;
}

/** Seed stream of the gold split (independent of the candidate streams of the same seed). */
const GOLD_STREAM = 0x601d;

/**
 * Splits a dataset into the gold set and the candidate pool and indexes the pool's tags. `tagBits` is the
 * dataset's tag matrix (n x TAG_WORDS words, bit t of instance i = TAG_IDS[t]).
 */
export function preparePool(records: readonly LabelledPair[], tagBits: Uint32Array, opts: PoolOptions = {}): CandidatePool {
  const n = records.length;
  if (tagBits.length !== n * TAG_WORDS) {
    throw new PpmLabError('bad-dataset', `the tag matrix has ${tagBits.length} words; ${n} instances need ${n * TAG_WORDS}`);
  }
  const goldShare = opts.goldShare ?? 0;
  if (!(goldShare >= 0 && goldShare < 1)) throw new PpmLabError('bad-option', `goldShare must be in [0, 1), got ${goldShare}`);
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new PpmLabError('bad-option', `seed must be an integer, got ${seed}`);
  const goldSeed = seed >>> 0;

  const human = new Int8Array(n); // 1 = A, -1 = B, 0 = tie, 2 = missing
  const lm = new Int8Array(n);
  const code = (w: Winner | null) => (w === null ? 2 : w === 'A' ? 1 : w === 'B' ? -1 : 0);
  const withHumanWinner: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    human[i] = code(humanWinner(r));
    lm[i] = code(r.lm ? winnerOf(r.lm.value) : null);
    if (human[i] === 1 || human[i] === -1) withHumanWinner.push(i);
  }

  // Gold: a seeded partial shuffle of the instances with a human winner.
  const goldCount = Math.round(goldShare * withHumanWinner.length);
  const rng = new Rng(mixSeed(goldSeed, GOLD_STREAM));
  for (let j = 0; j < goldCount; j++) {
    const r = j + rng.below(withHumanWinner.length - j);
    const x = withHumanWinner[r]!;
    withHumanWinner[r] = withHumanWinner[j]!;
    withHumanWinner[j] = x;
  }
  const isGold = new Uint8Array(n);
  for (let j = 0; j < goldCount; j++) isGold[withHumanWinner[j]!] = 1;

  const excluded: PoolExclusions = { gold: 0, humanMissing: 0, humanTie: 0, lmMissing: 0, lmTie: 0 };
  const positions: number[] = [];
  const gold: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isGold[i]) {
      excluded.gold++;
      gold.push(i);
    } else if (human[i] === 2) excluded.humanMissing++;
    else if (human[i] === 0) excluded.humanTie++;
    else if (lm[i] === 2) excluded.lmMissing++;
    else if (lm[i] === 0) excluded.lmTie++;
    else positions.push(i);
  }
  const m = positions.length;
  const pos = Uint32Array.from(positions);
  const humanA = new Uint8Array(m);
  const lmA = new Uint8Array(m);
  const bits = new Uint32Array(m * TAG_WORDS);
  let disagreements = 0;
  for (let p = 0; p < m; p++) {
    const i = pos[p]!;
    humanA[p] = human[i] === 1 ? 1 : 0;
    lmA[p] = lm[i] === 1 ? 1 : 0;
    if (humanA[p] !== lmA[p]) disagreements++;
    bits.set(tagBits.subarray(i * TAG_WORDS, (i + 1) * TAG_WORDS), p * TAG_WORDS);
  }
  const goldPos = Uint32Array.from(gold);
  const goldA = Uint8Array.from(gold, (i) => (human[i] === 1 ? 1 : 0));

  const h = new Fnv();
  h.int(n).int(goldSeed).int(goldCount);
  for (let p = 0; p < m; p++) h.text(records[pos[p]!]!.id).int(humanA[p]! * 2 + lmA[p]!);
  for (let j = 0; j < goldPos.length; j++) h.text(records[goldPos[j]!]!.id).int(goldA[j]!);

  return {
    n,
    positions: pos,
    humanA,
    lmA,
    index: TagIndex.fromBits(bits, m),
    gold: goldPos,
    goldA,
    goldShare,
    goldSeed,
    excluded,
    disagreements,
    fingerprint: h.hex(),
  };
}

/** Two 32-bit FNV-1a lanes with different offsets: a cheap, stable digest (not a security hash). */
class Fnv {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;
  private byte(x: number): void {
    this.a = Math.imul(this.a ^ x, 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ x ^ 0x5a, 0x01000193) >>> 0;
  }
  int(v: number): this {
    for (let k = 0; k < 4; k++) this.byte((v >>> (8 * k)) & 0xff);
    return this;
  }
  text(s: string): this {
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      this.byte(c & 0xff);
      this.byte(c >>> 8);
    }
    this.byte(0);
    return this;
  }
  hex(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}
