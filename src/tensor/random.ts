/**
 * Seeded random numbers. Every random thing in tscnn (weight init, shuffling, dropout masks,
 * data generation) draws from an `Rng`; the module-level default is reset by `seed(n)`, so a
 * notebook that calls `seed(0)` at the top prints the same numbers on every rerun.
 *
 * Generator: mulberry32 (32-bit state, full period 2^32, passes gjrand/PractRand to 2^32 bytes),
 * small enough to read; normals by Box–Muller with the spare value cached.
 */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seedValue = 0) {
    this.state = seedValue >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Standard normal N(0, 1) by Box–Muller. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) would be -Infinity
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A new generator seeded from this one (independent streams for sub-tasks). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

let defaultRng = new Rng(0);

/** Reset the default generator: after `seed(n)` every random draw is reproducible. */
export function seed(n: number): void {
  if (!Number.isFinite(n)) throw new Error(`seed: n must be a finite number, got ${n}`);
  defaultRng = new Rng(n);
}

/** The module-level generator used when no `rng` is passed. */
export function getRng(): Rng {
  return defaultRng;
}
