// Seeded randomness for routing: mulberry32 (the same generator as domain/random.ts) with integer draws,
// and a seed mixer so that candidate k of a run has its own stream, independent of how many are built.
import { mulberry32U32 } from '../random';
import { RoutingError } from './errors';

export class Rng {
  /** Uniform 32-bit unsigned integer. */
  readonly u32: () => number;
  constructor(seed: number) {
    this.u32 = mulberry32U32(seed);
  }
  /** Uniform integer in [0, m), 1 <= m < 2^31 (exactly uniform up to 2^21, where u32 * m stays below 2^53). */
  below(m: number): number {
    return Math.floor((this.u32() * m) / 4294967296);
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
}

/** A well-mixed 32-bit seed from a base seed and a stream number (murmur3 finaliser). */
export function mixSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul((stream + 1) >>> 0, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Checks a user seed (any integer; used modulo 2^32) and returns it as an unsigned 32-bit number. */
export function normaliseSeed(seed: number | undefined, fallback = 1): number {
  const s = seed ?? fallback;
  if (!Number.isSafeInteger(s)) throw new RoutingError('bad-option', `seed must be an integer, got ${s}`);
  return s >>> 0;
}
