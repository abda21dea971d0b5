// The seeded coin that places a chosen response on side A or B. Deterministic, so re-importing a file with
// the same seed gives the same sides; keyed by the record, so the side carries no information about the label.
import { fnv1a32, mix32 } from '../util';

/** True when the chosen response goes on side A, for this seed and record key (row id or `row-<n>`). */
export function chosenOnA(seed: number, key: string): boolean {
  return (hash32(`${seed}\u0000${key}`) & 1) === 0;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche so every bit depends on every input bit. */
export function hash32(text: string): number {
  return mix32(fnv1a32(text));
}
