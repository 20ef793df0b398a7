import { PROCESS_STREET_TALLYFY } from '../../../shared/pairs/process-street-tallyfy.ts';
import type { PairModule } from '../pair.ts';
import { resolvePsMappingConfig } from './mapping/mapping-config.ts';
import { checkProcessStreetConnection } from './process-street/ps-check.ts';
import { createPsJobPlanner } from './plan/job-planner.ts';
import { createProcessStreetTallyfyRuntime } from './runtime.ts';
import { checkTallyfyConnection } from './tallyfy/tallyfy-check.ts';

/** Process Street → Tallyfy behind the pair boundary (registry.ts lists it). */
export const processStreetTallyfy: PairModule = {
  data: PROCESS_STREET_TALLYFY,
  createRuntime: createProcessStreetTallyfyRuntime,
  createPlanner: (deps) => createPsJobPlanner(deps),
  validateMapping: (overrides) => void resolvePsMappingConfig(overrides),
  checks: { 'process-street': checkProcessStreetConnection, tallyfy: checkTallyfyConnection },
};
