import { DEFAULT_PAIR_ID } from '../../shared/pairs/index.ts';

/**
 * The pairs `npm run demo -- --pair <id>` can run, one line each. Affinity → Attio's demo is the
 * flow of demo.ts itself (sandboxes, connections, job, verification); a new pair adds its id here
 * with its demo module when it brings one.
 */
export const DEMO_PAIRS: readonly string[] = [
  DEFAULT_PAIR_ID,
];
