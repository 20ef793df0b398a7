import { affinityAttioDemo } from './affinity-attio.ts';
import type { PairDemo } from './pair-demo.ts';
import { processStreetTallyfyDemo } from './process-street-tallyfy.ts';

/** The demo module of each pair id in DEMO_PAIRS (../demo-pairs.ts). */
const DEMOS: ReadonlyMap<string, PairDemo> = new Map([affinityAttioDemo, processStreetTallyfyDemo].map((d) => [d.id, d]));

export function pairDemo(id: string): PairDemo {
  const demo = DEMOS.get(id);
  if (!demo) throw new Error(`no demo module for pair "${id}"`);
  return demo;
}
