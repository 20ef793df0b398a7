import { hashInts } from './prng.ts';

/**
 * A seeded bijection on [0, n): x → (a·x + b) mod n with gcd(a, n) = 1. Its inverse is computable,
 * which is what lets the generator answer "which list entries point at entity i" without a scan.
 */
export interface Permutation {
  readonly size: number;
  apply(x: number): number;
  invert(y: number): number;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** (a·b) mod n without losing precision when a·b exceeds 2^53. */
export function mulMod(a: number, b: number, n: number): number {
  const product = a * b;
  if (product < Number.MAX_SAFE_INTEGER) return product % n;
  return Number((BigInt(a) * BigInt(b)) % BigInt(n));
}

function modInverse(a: number, n: number): number {
  let [oldR, r] = [a, n];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % n) + n) % n;
}

export function createPermutation(size: number, ...seed: number[]): Permutation {
  if (size <= 1) return { size, apply: (x) => x, invert: (y) => y };
  let a = (hashInts(...seed, 1) % size) | 1;
  while (gcd(a, size) !== 1) a = (a + 2) % size || 1;
  const b = hashInts(...seed, 2) % size;
  const aInv = modInverse(a, size);
  return {
    size,
    apply: (x) => (mulMod(a, x, size) + b) % size,
    invert: (y) => mulMod(aInv, (y - b + size) % size, size),
  };
}
