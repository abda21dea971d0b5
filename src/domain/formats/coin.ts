// The seeded coin that places a chosen response on side A or B. Deterministic, so re-importing a file with
// the same seed gives the same sides; keyed by the record, so the side carries no information about the label.

/** True when the chosen response goes on side A, for this seed and record key (row id or `row-<n>`). */
export function chosenOnA(seed: number, key: string): boolean {
  return (hash32(`${seed}\u0000${key}`) & 1) === 0;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's avalanche so every bit depends on every input bit. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
