// Routing over the pairs that can be routed: pairs with an empty response or identical responses
// (pair-defects.ts) are never sent to humans, so strategies run over a tag index of the other pairs, and their
// results are mapped back to dataset positions here.
import { TAG_WORDS } from '../tags/tag-set';
import { countDefects, type PairDefect } from '../pair-defects';
import { buildTagIndex, type TagIndex } from './tag-index';

export interface EligibleIndex {
  /** The tag index of the routable pairs (positions 0..index.n-1 of this index, not of the dataset). */
  index: TagIndex;
  /** Index position -> dataset position; null when every pair is routable (the positions are the same). */
  positions: Uint32Array | null;
  /** Pairs left out, by defect. */
  excluded: Record<PairDefect, number>;
  /** Pairs in the dataset. */
  n: number;
}

/** The tag index of the routable pairs of a dataset (`defects`: per pair 0 or a defect code; absent = all routable). */
export function eligibleTagIndex(tagBits: Uint32Array, n: number, defects?: Uint8Array): EligibleIndex {
  const excluded = countDefects(defects);
  if (!defects || excluded.empty + excluded.identical === 0) return { index: buildTagIndex(tagBits, n), positions: null, excluded, n };
  const keep = n - excluded.empty - excluded.identical;
  const positions = new Uint32Array(keep);
  const bits = new Uint32Array(keep * TAG_WORDS);
  for (let i = 0, k = 0; i < n; i++) {
    if (defects[i] !== 0) continue;
    positions[k] = i;
    bits.set(tagBits.subarray(i * TAG_WORDS, (i + 1) * TAG_WORDS), k * TAG_WORDS);
    k++;
  }
  return { index: buildTagIndex(bits, keep), positions, excluded, n };
}

/** Dataset positions of index positions. */
export function toDatasetPositions(e: EligibleIndex, ids: Uint32Array): Uint32Array {
  if (!e.positions) return ids;
  const out = new Uint32Array(ids.length);
  for (let a = 0; a < ids.length; a++) out[a] = e.positions[ids[a]!]!;
  return out;
}

/** The index position of a dataset position, or -1 when that pair is not routable. */
export function toIndexPosition(e: EligibleIndex, idx: number): number {
  if (!e.positions) return idx >= 0 && idx < e.n ? idx : -1;
  let lo = 0;
  let hi = e.positions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = e.positions[mid]!;
    if (v === idx) return mid;
    if (v < idx) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
