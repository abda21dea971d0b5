// The seeded generator (mulberry32) of the plain-JS scripts and benchmarks; the app's TypeScript has its own in
// src/domain/random.ts (same algorithm, so the same seed gives the same numbers).

/** A function returning uniform numbers in [0, 1), the same sequence for the same seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
