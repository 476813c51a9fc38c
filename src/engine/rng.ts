/**
 * Seeded pseudo-random numbers (xorshift32). Deterministic: the same seed gives the same
 * sequence, so the same seed gives the same trace. No allocation per draw.
 */
export interface Rng {
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Uniform float in [0, 1). */
  next(): number;
}

export class XorShift32 implements Rng {
  private s: number;
  constructor(seed = 1) {
    // Mix the seed so that small seeds (0, 1, 2…) give unrelated sequences; never zero.
    let x = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) | 0;
    x ^= x >>> 16;
    this.s = x === 0 ? 0x6d2b79f5 : x;
  }
  private step(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }
  next(): number {
    return this.step() / 4294967296;
  }
  nextInt(n: number): number {
    return n <= 1 ? 0 : this.step() % n;
  }
}

export const createRng = (seed = 1): Rng => new XorShift32(seed);
