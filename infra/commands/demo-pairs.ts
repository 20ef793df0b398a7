import { DEFAULT_PAIR_ID } from '../../shared/pairs/index.ts';
import { PROCESS_STREET_TALLYFY } from '../../shared/pairs/process-street-tallyfy.ts';

/**
 * The pairs `npm run demo -- --pair <id>` can run, one line each; each has its demo module in demo/
 * (sandbox limits, connections, the checks after the job) behind the PairDemo interface.
 */
export const DEMO_PAIRS: readonly string[] = [
  DEFAULT_PAIR_ID,
  PROCESS_STREET_TALLYFY.id,
];
