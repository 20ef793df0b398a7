import type { JobCallPlanner } from '../../shared/jobs/call-plan.ts';
import type { PairModule, PairPlanDeps } from './pair.ts';
import { PAIR_MODULES } from './registry.ts';

/**
 * The job planner of every pair, dispatched by the job's pair id: a pair without a planner (or an
 * unknown id) plans nothing, and the job is created without a call plan.
 */
export function createPairPlanner(deps: PairPlanDeps, pairs: readonly PairModule[] = PAIR_MODULES): JobCallPlanner {
  const planners = new Map(pairs.flatMap((p) => (p.createPlanner ? [[p.data.id, p.createPlanner(deps)] as const] : [])));
  return async ({ pairId, ...input }) => planners.get(pairId)?.(input);
}

/** Checks a job's mapping overrides with its pair's own rules (a pair that declares none accepts any object). */
export function validatePairMapping(pairId: string, overrides: Record<string, unknown>, pairs: readonly PairModule[] = PAIR_MODULES): void {
  pairs.find((p) => p.data.id === pairId)?.validateMapping?.(overrides);
}
