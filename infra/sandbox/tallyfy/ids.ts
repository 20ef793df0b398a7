import { hashInts } from '../core/prng.ts';

/**
 * Ids as Tallyfy issues them: 32 lowercase hex characters for checklists, steps, captures, runs, tasks
 * (and, inferred, groups, comments and files); integers for users. Deterministic per seed and order of
 * creation, so two runs of a test see the same ids.
 */
export interface IdSource {
  hex(): string;
  userId(): number;
  reset(): void;
}

export function createIdSource(seed: number): IdSource {
  let counter = 0;
  let nextUser = 10_001;
  return {
    hex() {
      counter += 1;
      let out = '';
      for (let part = 0; part < 4; part += 1) out += hashInts(seed, counter, part).toString(16).padStart(8, '0');
      return out;
    },
    userId: () => nextUser++,
    reset() {
      counter = 0;
      nextUser = 10_001;
    },
  };
}
