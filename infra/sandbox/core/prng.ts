/**
 * Seeded, counter-based randomness. Every generated value is a pure function of (seed, kind, index, …),
 * so record i of a kind can be produced without producing records 0…i-1 — pages are served lazily.
 */

/** Murmur3 32-bit finaliser: a cheap bijective mix with good avalanche. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers (each folded to 32 bits) into one 32-bit value. */
export function hashInts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold the high bits in too: ids and indexes can exceed 2^32.
    const low = part >>> 0;
    const high = Math.floor(part / 4294967296) >>> 0;
    h = mix32(h ^ low) + 0x6d2b79f5;
    h = mix32(h ^ high);
  }
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units; used to turn string seeds into integers. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** Mulberry32 stream seeded from the hashed parts. */
export function createRng(...parts: number[]): Rng {
  let state = hashInts(...parts);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
  };
}
