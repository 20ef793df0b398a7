import type { LeaseCandidate } from './namespace-leases.ts';
import type { WorkerView } from './namespace-manager.ts';

/** A tenant namespace whose workflows may need a Worker (workers/demand.ts). */
export interface DemandedNamespace {
  namespace: string;
  /** A job to run (pending, running, paused); false when only a finished job's retry window is open. */
  active: boolean;
}

/**
 * The namespaces this process would take leases on, best first: those the API just asked for, then
 * those with jobs to run, then those that only wait for retry signals; the demand's own order within
 * each tier (oldest job first). Namespaces it holds already are not candidates.
 */
export function leaseCandidates(demand: readonly DemandedNamespace[], urgent: ReadonlySet<string>, held: ReadonlySet<string>): LeaseCandidate[] {
  return demand
    .filter((d) => !held.has(d.namespace))
    .map((d) => ({ namespace: d.namespace, tier: urgent.has(d.namespace) ? 0 : d.active ? 1 : 2 }))
    .sort((a, b) => a.tier - b.tier);
}

export interface StopRules {
  /** Namespaces demanded in this round. */
  demanded: ReadonlySet<string>;
  /** Namespaces wait that no process serves, and this one is at its cap. */
  pressure: boolean;
  idleStopMs: number;
  yieldAfterMs: number;
}

/**
 * How much longer than `yieldAfterMs` a Worker that has not run any activity yet keeps its place: a
 * new Worker first replays its workflows, and on a loaded machine its first activity can take a while
 * (yielding before it would only start the next Worker, which would fare no better).
 */
export const FIRST_WORK_GRACE = 2;

/**
 * Whether a Worker with nothing in flight should stop. Without pressure, only once nobody has asked
 * for its namespace for `idleStopMs` (a Worker is cheap to keep and slow to start). Under pressure
 * its place is worth more to a waiting namespace: a Worker no job asks for goes at once, and one whose
 * jobs only wait (paused, a long retry backoff) goes after `yieldAfterMs` without an activity — its
 * workflow tasks then queue in Temporal until the namespace's turn comes again. The gap between two
 * activities of a running job is one workflow task, but on a saturated machine (load average 25 on 2
 * cores) that took over 15 s
 * (the namespaces benchmark): a shorter yield time only trades places back and forth, each new Worker
 * replaying its workflows first.
 */
export function shouldStop(view: WorkerView, rules: StopRules): boolean {
  if (!rules.pressure) return view.sinceDemandMs >= rules.idleStopMs;
  if (!rules.demanded.has(view.namespace)) return true;
  return view.worked ? view.quietMs >= rules.yieldAfterMs : view.ageMs >= rules.yieldAfterMs * FIRST_WORK_GRACE;
}
