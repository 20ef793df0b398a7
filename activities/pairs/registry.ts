import type { PairModule } from './pair.ts';
import { affinityAttio } from './affinity-attio/index.ts';
import { processStreetTallyfy } from './process-street-tallyfy/index.ts';

/** Every connector pair's runtime, one line each (a new pair adds its line here). */
export const PAIR_MODULES: readonly PairModule[] = [
  affinityAttio,
  processStreetTallyfy,
];

/** The pair that moves data between these connection types, if Freight has one. */
export function pairModuleFor(sourceType: string, targetType: string): PairModule | undefined {
  return PAIR_MODULES.find((m) => m.data.source === sourceType && m.data.target === targetType);
}

export function pairModuleById(id: string): PairModule | undefined {
  return PAIR_MODULES.find((m) => m.data.id === id);
}
