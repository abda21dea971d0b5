// Seeded synthetic tag matrices and PPM weights, for tests and benchmarks.
import { TAG_WORDS } from '../tags/tag-set';
import { PAPER_TAG_COUNT, TAG_COUNT } from '../tags/tags';
import { Rng } from './rng';

/**
 * n instances, each carrying `perInstance` distinct tags drawn uniformly (a partial shuffle of the paper's 90;
 * the judge features stay unset), except a share `untaggedShare` of instances that carry none.
 */
export function randomTagMatrix(n: number, perInstance: number, seed: number, untaggedShare = 0): Uint32Array {
  const bits = new Uint32Array(n * TAG_WORDS);
  const rng = new Rng(seed);
  const F = PAPER_TAG_COUNT;
  const tags = new Uint8Array(F);
  const k = Math.min(perInstance, F);
  for (let i = 0; i < n; i++) {
    if (untaggedShare > 0 && rng.float() < untaggedShare) continue;
    for (let t = 0; t < F; t++) tags[t] = t;
    for (let j = 0; j < k; j++) {
      const r = j + rng.below(F - j);
      const t = tags[r]!;
      tags[r] = tags[j]!;
      tags[j] = t;
      bits[i * TAG_WORDS + (t >>> 5)]! |= 1 << (t & 31);
    }
  }
  return bits;
}

/** One weight per tag (TAG_COUNT), uniform in [-scale, scale). */
export function randomWeights(seed: number, scale = 1e-3): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: TAG_COUNT }, () => (2 * rng.float() - 1) * scale);
}
