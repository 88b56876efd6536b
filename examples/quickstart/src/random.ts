/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) with the helpers the
 * scenario generator needs. The same seed always gives the same sequence.
 */
export interface Random {
  /** The seed this stream was created from (after normalization to uint32). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** A float in [lo, hi). */
  float(lo: number, hi: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One value of `[value, weight]` pairs, proportionally to the weights (>= 0, sum > 0). */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this stream's seed and `label`. */
  fork(label: string): Random;
}

/** 32-bit FNV-1a hash of a string, to derive seeds from labels. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a deterministic random stream. `seed` is any integer (normalized to uint32). */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const normalized = Math.trunc(seed) >>> 0;
  const init = splitmix32(normalized);
  let a = init();
  let b = init();
  let c = init();
  let d = init();

  const next = (): number => {
    // sfc32
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 mixes poorly for a few rounds.
  for (let i = 0; i < 12; i++) next();

  const int = (lo: number, hi: number): number => {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new Error(`int(lo, hi) needs integers with lo <= hi, got ${lo}, ${hi}`);
    }
    return lo + Math.floor(next() * (hi - lo + 1));
  };

  return {
    seed: normalized,
    next,
    int,
    float: (lo, hi) => lo + next() * (hi - lo),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick() from an empty array');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(pairs: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, w] of pairs) {
        if (!(w >= 0)) throw new Error(`weighted() weights must be >= 0, got ${w}`);
        total += w;
      }
      if (total <= 0) throw new Error('weighted() needs a positive total weight');
      let r = next() * total;
      for (const [value, w] of pairs) {
        r -= w;
        if (r < 0) return value;
      }
      // Rounding: fall back to the last pair with a positive weight.
      for (let i = pairs.length - 1; i >= 0; i--) {
        const pair = pairs[i]!;
        if (pair[1] > 0) return pair[0];
      }
      throw new Error('unreachable');
    },
    chance: (p) => next() < p,
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as T;
        out[i] = out[j] as T;
        out[j] = tmp;
      }
      return out;
    },
    fork: (label) => createRandom((normalized ^ hashString(label)) >>> 0),
  };
}
