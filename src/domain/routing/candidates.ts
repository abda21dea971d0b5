// Algorithm 1 of the HyPER paper (a random candidate human subset), built for speed.
// - One working copy of the tag -> instances lists. For each tag in a random order, its not-yet-chosen
//   instances are first moved to the front of its segment (a scan, no randomness), then drawn in random
//   order by a lazy Fisher-Yates over that front part, only as far as the budget needs. This gives the
//   paper's "shuffle the tag's instances and add those not yet chosen" order at one random draw per
//   instance added. Touched segments are copied back afterwards, so every candidate starts from the same
//   state and depends on its seed alone.
// - Chosen instances are marked with a per-candidate stamp instead of a cleared set.
// - Tag counts are not kept while building: the counts at each wanted budget are summed afterwards from
//   the addition order, forwards from the empty set or backwards from the full candidate, whichever
//   touches fewer instances.
// Candidate k of a run with seed s draws from its own stream mixSeed(s, k), so it can be rebuilt alone,
// and the candidate for budget b is the prefix of the same candidate for any larger budget: a budget
// curve builds each candidate once, up to its largest budget.
import { TAG_COUNT } from '../tags/tags';
import { mixSeed, Rng } from './rng';
import type { TagIndex } from './tag-index';

export class CandidateBuilder {
  /** Instances of the last candidate in order of addition: order[0 .. size). */
  readonly order: Uint32Array;
  /** Instances added to the last candidate. */
  size = 0;
  private readonly counts = new Int32Array(TAG_COUNT);
  private readonly total = new Int32Array(TAG_COUNT);
  private readonly perm: Uint32Array;
  private readonly untaggedPerm: Uint32Array;
  private readonly tagOrder = new Uint8Array(TAG_COUNT);
  private readonly touched = new Uint8Array(TAG_COUNT);
  private readonly stamp: Uint8Array;
  private epoch = 0;
  private segment: Uint16Array | null = null;

  constructor(readonly index: TagIndex) {
    this.perm = index.tagMembers.slice();
    this.untaggedPerm = index.untagged.slice();
    this.stamp = new Uint8Array(index.n);
    this.order = new Uint32Array(index.n);
    for (let t = 0; t < TAG_COUNT; t++) this.total[t] = index.tagSize(t);
  }

  /**
   * Builds one candidate from `seed` until it has `budget` instances (at most n). With `fill` false it
   * stops once every tagged instance is in (the untagged fill changes no tag count); with `fill` true the
   * rest of the budget comes from untagged instances in a seeded random order. Returns the size reached.
   */
  build(seed: number, budget: number, fill: boolean): number {
    const { order, perm, stamp, tagOrder, touched } = this;
    const { tagOffsets, tagMembers, tagged } = this.index;
    if (++this.epoch === 256) {
      stamp.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    this.size = 0;
    if (budget === 0) return 0;
    const rng = new Rng(seed);
    const stopAt = Math.min(budget, tagged);
    for (let t = 0; t < TAG_COUNT; t++) tagOrder[t] = t;
    let size = 0;
    let nTouched = 0;
    // Tags in a random order (lazy Fisher-Yates over the tags).
    for (let ti = 0; ti < TAG_COUNT && size < stopAt; ti++) {
      const rt = ti + rng.below(TAG_COUNT - ti);
      const t = tagOrder[rt]!;
      tagOrder[rt] = tagOrder[ti]!;
      tagOrder[ti] = t;
      const start = tagOffsets[t]!;
      const end = tagOffsets[t + 1]!;
      if (start === end) continue;
      touched[nTouched++] = t;
      // Not-yet-chosen instances of the tag to the front of its segment.
      let free = start;
      for (let j = start; j < end; j++) {
        const x = perm[j]!;
        if (stamp[x] !== epoch) {
          perm[j] = perm[free]!;
          perm[free++] = x;
        }
      }
      // ...then added in a random order until the budget is reached.
      const u = free - start;
      const take = Math.min(u, stopAt - size);
      for (let j = 0; j < take; j++) {
        const r = start + j + rng.below(u - j);
        const x = perm[r]!;
        perm[r] = perm[start + j]!;
        perm[start + j] = x;
        stamp[x] = epoch;
        order[size++] = x;
      }
    }
    for (let a = 0; a < nTouched; a++) {
      const t = touched[a]!;
      perm.set(tagMembers.subarray(tagOffsets[t]!, tagOffsets[t + 1]!), tagOffsets[t]!);
    }
    if (fill && size < budget) {
      // Every tagged instance is in; the rest comes from untagged instances in a seeded random order.
      const up = this.untaggedPerm;
      const u = up.length;
      for (let j = 0; size < budget; j++) {
        const r = j + rng.below(u - j);
        const x = up[r]!;
        up[r] = up[j]!;
        up[j] = x;
        stamp[x] = epoch;
        order[size++] = x;
      }
      up.set(this.index.untagged);
    }
    this.size = size;
    return size;
  }

  /**
   * Tag counts of the last built candidate cut at each of `budgets` (ascending, each at most the budget it
   * was built for): `atBudget(p, counts)` for every p. Budgets beyond the size reached (a build without
   * fill stops at the tagged instances) get the counts of the whole candidate. Sums forwards from the
   * empty set for the small budgets and backwards from the whole candidate for the large ones, choosing
   * the split that touches the fewest instances.
   */
  countsAt(budgets: ArrayLike<number>, atBudget: (p: number, counts: Int32Array) => void): void {
    const m = budgets.length;
    if (m === 0) return;
    const { counts, order, stamp, epoch } = this;
    const { rowOffsets, rowTags, n, tagged } = this.index;
    const S = this.size;
    // Cost of starting backwards: the whole candidate's counts (free when it holds every tagged instance).
    const full = S >= tagged; // tagged instances always come before untagged ones
    const base = full ? 0 : n - S + (n >> 4);
    let split = 0;
    let bestCost = Infinity;
    for (let s = 0; s <= m; s++) {
      const fwd = s > 0 ? Math.min(budgets[s - 1]!, S) : 0;
      const bwd = s < m ? base + S - Math.min(budgets[s]!, S) : 0;
      if (fwd + bwd < bestCost) {
        bestCost = fwd + bwd;
        split = s;
      }
    }
    // Touching instances in addition order is a cache miss or two each (they are in random order); a scan
    // of every instance in index order, each chosen one added to the segment between budgets it fell in,
    // reads memory in sequence and wins once the candidate is a sizeable part of the data.
    if (bestCost * 3 > n + S) {
      this.countsBySegment(budgets, atBudget);
      return;
    }
    // Forwards: budgets[0 .. split).
    counts.fill(0);
    let a = 0;
    for (let p = 0; p < split; p++) {
      const b = Math.min(budgets[p]!, S);
      for (; a < b; a++) {
        const x = order[a]!;
        const end = rowOffsets[x + 1]!;
        for (let q = rowOffsets[x]!; q < end; q++) counts[rowTags[q]!]!++;
      }
      atBudget(p, counts);
    }
    if (split === m) return;
    // Backwards: budgets[split .. m), from the whole candidate down.
    counts.set(this.total);
    if (!full) {
      for (let x = 0; x < n; x++) {
        if (stamp[x] === epoch) continue;
        const end = rowOffsets[x + 1]!;
        for (let q = rowOffsets[x]!; q < end; q++) counts[rowTags[q]!]!--;
      }
    }
    a = S;
    for (let p = m - 1; p >= split; p--) {
      const b = Math.min(budgets[p]!, S);
      for (; a > b; a--) {
        const x = order[a - 1]!;
        const end = rowOffsets[x + 1]!;
        for (let q = rowOffsets[x]!; q < end; q++) counts[rowTags[q]!]!--;
      }
      atBudget(p, counts);
    }
  }

  /** countsAt by one pass over the instances in index order (see there). */
  private countsBySegment(budgets: ArrayLike<number>, atBudget: (p: number, counts: Int32Array) => void): void {
    const m = budgets.length;
    const { counts, order } = this;
    const { rowOffsets, rowTags, n } = this.index;
    const S = this.size;
    if (!this.segment || this.segment.length < n) this.segment = new Uint16Array(n);
    const seg = this.segment;
    const NONE = 0xffff;
    seg.fill(NONE, 0, n);
    // Segment p holds the instances added after budget p - 1 and up to budget p (budgets beyond the size
    // reached get the whole candidate). More than 65,534 budgets would not fit; they never occur.
    if (m >= NONE) throw new RangeError(`countsAt: ${m} budgets, at most ${NONE - 1}`);
    let a = 0;
    for (let p = 0; p < m; p++) {
      const b = Math.min(budgets[p]!, S);
      for (; a < b; a++) seg[order[a]!] = p;
    }
    const diff = new Int32Array(m * TAG_COUNT);
    for (let x = 0; x < n; x++) {
      const p = seg[x]!;
      if (p === NONE) continue;
      const base = p * TAG_COUNT;
      const end = rowOffsets[x + 1]!;
      for (let q = rowOffsets[x]!; q < end; q++) diff[base + rowTags[q]!]!++;
    }
    counts.fill(0);
    for (let p = 0; p < m; p++) {
      const base = p * TAG_COUNT;
      for (let t = 0; t < TAG_COUNT; t++) counts[t]! += diff[base + t]!;
      atBudget(p, counts);
    }
  }

  /** The addition order of candidate k of a run seeded `seed`, cut at `budget` (a copy). */
  candidateOrder(seed: number, k: number, budget: number): Uint32Array {
    this.build(mixSeed(seed, k), budget, true);
    return this.order.slice(0, budget);
  }
}

/** Rebuilds candidate k of a simulated run (seed, budget): the instances in order of addition. */
export function candidateOrder(index: TagIndex, seed: number, k: number, budget: number): Uint32Array {
  return new CandidateBuilder(index).candidateOrder(seed >>> 0, k, budget);
}
