import { isIP } from 'node:net';

/** Why an address is not on the public internet, in words a tenant may read; `null` when it is public. */
export type NonPublicReason =
  | 'unspecified' | 'loopback' | 'private' | 'shared (CGNAT)' | 'link-local' | 'unique-local'
  | 'multicast' | 'reserved' | 'documentation' | 'benchmarking';

type Range4 = readonly [base: number, bits: number, reason: NonPublicReason];

const v4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/**
 * IPv4 ranges that are not globally reachable (IANA special-purpose registry). Link-local holds the
 * cloud metadata address 169.254.169.254; 0.0.0.0/8 reaches the local host on most systems.
 */
const RANGES_V4: readonly Range4[] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'shared (CGNAT)'],
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'],
  [v4(192, 0, 2, 0), 24, 'documentation'],
  [v4(192, 88, 99, 0), 24, 'reserved'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'benchmarking'],
  [v4(198, 51, 100, 0), 24, 'documentation'],
  [v4(203, 0, 113, 0), 24, 'documentation'],
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'],
];

function inRange(value: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const mask = (~0 << (32 - bits)) >>> 0;
  return ((value & mask) >>> 0) === base;
}

/** Dotted-quad IPv4 (the only form `net.isIP` accepts) → 32-bit number. */
function parseV4(address: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return v4(a, b, c, d);
}

function classifyV4(value: number): NonPublicReason | null {
  for (const [base, bits, reason] of RANGES_V4) if (inRange(value, base, bits)) return reason;
  return null;
}

/** IPv6 text (zone id, embedded IPv4 allowed) → eight 16-bit groups. */
function parseV6(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded?.[1]) {
    const n = parseV4(embedded[1]);
    text = `${text.slice(0, -embedded[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

const embeddedV4 = (hi: number, lo: number): number => ((hi << 16) | lo) >>> 0;

function classifyV6(g: number[]): NonPublicReason | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const upper80Zero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upper80Zero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (upper80Zero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) reaches the IPv4 address itself: judge that address.
  if (upper80Zero && g5 === 0xffff) return classifyV4(embeddedV4(g6, g7));
  // ::a.b.c.d (deprecated IPv4-compatible) and the rest of ::/8: nothing public lives there.
  if (g0 === 0) return 'reserved';
  // NAT64 (64:ff9b::/96) translates to the embedded IPv4 address; the local-use prefix is private.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(embeddedV4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  // 6to4 (2002::/16) tunnels to the IPv4 address in the next 32 bits.
  if (g0 === 0x2002) return classifyV4(embeddedV4(g1, g2));
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation';
  // 2001::/23 holds Teredo (2001::/32, tunnels to arbitrary IPv4 hosts) and other protocol assignments.
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 is allocated as global unicast.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

/**
 * Why `address` (a literal IPv4 or IPv6 address, as DNS returns it) is not a public internet address,
 * or null when it is. IPv4 in IPv6 (mapped, NAT64, 6to4) is judged by the IPv4 address it reaches.
 * Anything that is not an IP literal counts as `reserved`: callers only pass resolved addresses.
 */
export function nonPublicReason(address: string): NonPublicReason | null {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(text.replace(/%.*$/, ''));
  if (family === 4) return classifyV4(parseV4(text));
  if (family === 6) return classifyV6(parseV6(text));
  return 'reserved';
}
