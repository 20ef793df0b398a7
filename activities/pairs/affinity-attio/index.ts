import { AFFINITY_ATTIO } from '../../../shared/pairs/affinity-attio.ts';
import type { PairModule } from '../pair.ts';
import { checkAffinityConnection } from './affinity/affinity-check.ts';
import { createAffinityJobPlanner } from './affinity/job-call-plan.ts';
import { checkAttioConnection } from './attio/attio-check.ts';
import { resolveMappingConfig } from './mapping/mapping-config.ts';
import { reconcileAffinityAttio } from './reconcile.ts';
import { createAffinityAttioRuntime } from './runtime.ts';

/** Affinity → Attio behind the pair boundary (registry.ts lists it). */
export const affinityAttio: PairModule = {
  data: AFFINITY_ATTIO,
  createRuntime: createAffinityAttioRuntime,
  createPlanner: (deps) => createAffinityJobPlanner(deps),
  validateMapping: (overrides) => void resolveMappingConfig(overrides),
  checks: { affinity: checkAffinityConnection, attio: checkAttioConnection },
  reconcile: reconcileAffinityAttio,
};
