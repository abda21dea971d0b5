// A compact index over the tag bit matrix, built once per feature set: for each tag the instances that
// carry it (CSR), for each instance its tags (CSR), and fast tag counts of any member list.
import { TAG_WORDS } from '../tags/tag-set';
import { TAG_COUNT } from '../tags/tags';
import { RoutingError } from './errors';

export class TagIndex {
  /** tagMembers[tagOffsets[t] .. tagOffsets[t+1]) = the instances carrying tag t, ascending. */
  readonly tagOffsets: Uint32Array;
  readonly tagMembers: Uint32Array;
  /** rowTags[rowOffsets[i] .. rowOffsets[i+1]) = the tags of instance i, ascending. */
  readonly rowOffsets: Uint32Array;
  readonly rowTags: Uint8Array;
  /** Instances with at least one tag. */
  readonly tagged: number;
  /** Instances with no tag, ascending. */
  readonly untagged: Uint32Array;

  private constructor(
    readonly n: number,
    parts: { tagOffsets: Uint32Array; tagMembers: Uint32Array; rowOffsets: Uint32Array; rowTags: Uint8Array; untagged: Uint32Array },
  ) {
    this.tagOffsets = parts.tagOffsets;
    this.tagMembers = parts.tagMembers;
    this.rowOffsets = parts.rowOffsets;
    this.rowTags = parts.rowTags;
    this.untagged = parts.untagged;
    this.tagged = n - parts.untagged.length;
  }

  /** The bit matrix this index was built from (n x TAG_WORDS words), e.g. to build it again in another thread. */
  toBits(): Uint32Array {
    const bits = new Uint32Array(this.n * TAG_WORDS);
    for (let i = 0; i < this.n; i++) {
      const end = this.rowOffsets[i + 1]!;
      for (let q = this.rowOffsets[i]!; q < end; q++) {
        const t = this.rowTags[q]!;
        bits[i * TAG_WORDS + (t >>> 5)]! |= 1 << (t & 31);
      }
    }
    return bits;
  }

  /**
   * Builds the index from the bit matrix (n x TAG_WORDS words; bit t of instance i = tag t). Bits above
   * TAG_COUNT are ignored.
   */
  static fromBits(bits: Uint32Array, n: number): TagIndex {
    if (!Number.isInteger(n) || n < 0) throw new RoutingError('bad-matrix', `n must be a non-negative integer, got ${n}`);
    if (n >= 2 ** 31) throw new RoutingError('bad-matrix', `n = ${n} is too large`);
    if (bits.length < n * TAG_WORDS)
      throw new RoutingError('bad-matrix', `the tag matrix has ${bits.length} words; ${n} instances need ${n * TAG_WORDS}`);
    const lastMask = TAG_COUNT % 32 === 0 ? 0xffffffff : (1 << (TAG_COUNT % 32)) - 1;
    const tagCounts = new Uint32Array(TAG_COUNT);
    const rowOffsets = new Uint32Array(n + 1);
    let total = 0;
    let untaggedCount = 0;
    for (let i = 0; i < n; i++) {
      const before = total;
      for (let w = 0; w < TAG_WORDS; w++) {
        let word = bits[i * TAG_WORDS + w]!;
        if (w === TAG_WORDS - 1) word &= lastMask;
        while (word !== 0) {
          const low = word & -word;
          tagCounts[w * 32 + 31 - Math.clz32(low)]!++;
          total++;
          word ^= low;
        }
      }
      if (total === before) untaggedCount++;
      rowOffsets[i + 1] = total;
    }
    const rowTags = new Uint8Array(total);
    const tagOffsets = new Uint32Array(TAG_COUNT + 1);
    for (let t = 0; t < TAG_COUNT; t++) tagOffsets[t + 1] = tagOffsets[t]! + tagCounts[t]!;
    const fill = tagOffsets.slice(0, TAG_COUNT);
    const tagMembers = new Uint32Array(total);
    const untagged = new Uint32Array(untaggedCount);
    let u = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const start = q;
      for (let w = 0; w < TAG_WORDS; w++) {
        let word = bits[i * TAG_WORDS + w]!;
        if (w === TAG_WORDS - 1) word &= lastMask;
        while (word !== 0) {
          const low = word & -word;
          const t = w * 32 + 31 - Math.clz32(low);
          rowTags[q++] = t;
          tagMembers[fill[t]!++] = i;
          word ^= low;
        }
      }
      if (q === start) untagged[u++] = i;
    }
    return new TagIndex(n, { tagOffsets, tagMembers, rowOffsets, rowTags, untagged });
  }

  /** How many instances carry tag t. */
  tagSize(t: number): number {
    return this.tagOffsets[t + 1]! - this.tagOffsets[t]!;
  }

  /**
   * Tag counts (length TAG_COUNT) of the first `count` members: the sum of their bit rows. Writes into `out`
   * (zeroed first) when given. Members are instance positions; repeated members count repeatedly.
   */
  countTags(members: Uint32Array | Int32Array | readonly number[], count = members.length, out?: Float32Array): Float32Array {
    const counts = out ?? new Float32Array(TAG_COUNT);
    if (out) counts.fill(0, 0, TAG_COUNT);
    const { rowOffsets, rowTags, n } = this;
    for (let a = 0; a < count; a++) {
      const i = members[a]!;
      if (!(i >= 0 && i < n)) throw new RoutingError('bad-option', `member ${i} is not an instance position (n = ${n})`);
      const end = rowOffsets[i + 1]!;
      for (let q = rowOffsets[i]!; q < end; q++) counts[rowTags[q]!]!++;
    }
    return counts;
  }

  /** Tag counts of every instance together (the all-human mix). */
  countAll(out?: Float32Array): Float32Array {
    const counts = out ?? new Float32Array(TAG_COUNT);
    for (let t = 0; t < TAG_COUNT; t++) counts[t] = this.tagSize(t);
    return counts;
  }

  /** Adds (sign 1) or removes (sign -1) instance i's tags to counts in place. */
  addRow(counts: Float32Array | Float64Array, i: number, sign: 1 | -1 = 1, offset = 0): void {
    const end = this.rowOffsets[i + 1]!;
    for (let q = this.rowOffsets[i]!; q < end; q++) counts[offset + this.rowTags[q]!]! += sign;
  }
}

/** Builds the routing index of a tag bit matrix (see TagIndex.fromBits). */
export function buildTagIndex(bits: Uint32Array, n: number): TagIndex {
  return TagIndex.fromBits(bits, n);
}
