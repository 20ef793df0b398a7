import type { Dispatcher } from 'undici';
import { AppError } from '../../../../shared/errors.ts';
import type { ConnectionCredentials } from '../../../../shared/connections/connection-model.ts';
import type { JobCallPlan } from '../../../../shared/jobs/call-plan.ts';
import type { Logger } from '../../../../shared/logger.ts';
import type { OutboundPolicy } from '../../../../shared/outbound/outbound-policy.ts';
import type { BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { limitsOf, type ConnectorLimits } from '../../limits.ts';
import { secretOf } from '../../pair.ts';
import { AFFINITY, ATTIO } from '../../../../shared/pairs/affinity-attio.ts';
import { planAttioTarget, type AttioPlanLimits } from '../attio/attio-call-plan.ts';
import { createAffinityClient } from './affinity-client.ts';
import { checkAffinityQuota, countAffinityAccount, planAffinityCalls, type AffinityCallPlan, type PlannedObject } from './quota-planner.ts';

export interface AffinityJobPlannerDeps {
  /** The source connection's base URL and key (tenant-scoped, decrypted). */
  credentials: (tenantId: string, connectionId: string) => Promise<ConnectionCredentials>;
  outbound: { policy: OutboundPolicy; dispatcher: Dispatcher };
  budgets: BudgetRegistry;
  logger: Logger;
  /** The configured connector limits: what the ETA assumes (the documented ones where unset). */
  limits?: ConnectorLimits;
  now?: () => number;
}

/** The limits the ETA is computed under: configured (FREIGHT_ATTIO_*, FREIGHT_AFFINITY_*), else documented. */
export function attioPlanLimits(limits: ConnectorLimits | undefined): AttioPlanLimits {
  const at = limitsOf(limits ?? {}, 'attio');
  const af = limitsOf(limits ?? {}, 'affinity');
  return {
    writesPerSec: at.writesPerSec ?? ATTIO.limits?.writesPerSec?.default ?? 25,
    readsPerSec: at.readsPerSec ?? ATTIO.limits?.readsPerSec?.default ?? 100,
    affinityRequestsPerMin: af.requestsPerMinute ?? AFFINITY.limits?.requestsPerMinute?.default ?? 900,
  };
}

/** The Affinity calls of each object kind (the plan's read lines, by endpoint). */
function sourceCallsByKind(plan: AffinityCallPlan): Partial<Record<PlannedObject, number>> {
  const sum = (test: (endpoint: string) => boolean): number => plan.lines.filter((l) => test(l.endpoint)).reduce((n, l) => n + l.calls, 0);
  return {
    organizations: sum((e) => e === 'GET /v2/companies'),
    persons: sum((e) => e === 'GET /v2/persons'),
    opportunities: sum((e) => e.endsWith('(opportunities)')),
    lists: sum((e) => e === 'GET /v2/lists/{id}/list-entries'),
    notes: sum((e) => e.startsWith('GET /v2/notes')),
  };
}

const PLANNED: readonly PlannedObject[] = ['organizations', 'persons', 'opportunities', 'lists', 'notes'];

/** The plan's record groups by the job's object kinds: the `lists` kind moves the entries of every list. */
const KIND_OF_GROUP: Record<string, PlannedObject> = { organizations: 'organizations', persons: 'persons', opportunities: 'opportunities', listEntries: 'lists', notes: 'notes' };

/** The plan's records keyed by the job's kinds (what the job's estimated total is refined against). */
export function recordsByObject(records: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, n] of Object.entries(records)) {
    const kind = KIND_OF_GROUP[group];
    if (kind) out[kind] = (out[kind] ?? 0) + n;
  }
  return out;
}

/**
 * Plans a job's Affinity calls before it is created: counts the account (what the job moves),
 * plans the v2 read, and compares it with the monthly quota left. A plan that cannot be made
 * (Affinity unreachable, connection refused) is returned with `fits: null` and the reason: the
 * job is not refused for it, its first read will say the same louder.
 */
/** Plans one job (the pair's planner: no pair id, always a plan). */
export type AffinityJobPlanner = (input: { tenantId: string; sourceConnectionId: string; objects: readonly string[] }) => Promise<JobCallPlan>;

export function createAffinityJobPlanner(deps: AffinityJobPlannerDeps): AffinityJobPlanner {
  const now = deps.now ?? Date.now;
  return async ({ tenantId, sourceConnectionId, objects }) => {
    const planned = PLANNED.filter((o) => objects.includes(o));
    const base: Omit<JobCallPlan, 'records' | 'lines' | 'total' | 'countingCalls' | 'callsPerRecord' | 'assumptions' | 'fits' | 'warning' | 'error'> = {
      system: 'affinity', monthlyRemaining: null, monthlyLimit: null, monthlyResetSec: null, plannedAt: new Date(now()).toISOString(),
    };
    const failed = (error: string): JobCallPlan => ({ ...base, records: {}, lines: [], total: 0, countingCalls: 0, callsPerRecord: null, assumptions: [], fits: null, warning: null, error });
    try {
      const connection = await deps.credentials(tenantId, sourceConnectionId);
      // Not an Affinity connection: job creation refuses it with its own message.
      if (connection.type !== 'affinity') return failed('the source connection is not an Affinity connection');
      const checked = deps.outbound.policy.checkBaseUrl('affinity', connection.baseUrl);
      if (!('url' in checked)) return failed(`the connection's base URL is refused by the outbound policy: ${checked.problem}`);
      const client = createAffinityClient({
        baseUrl: checked.url, apiKey: secretOf(connection, 'apiKey'), budgets: deps.budgets, dispatcher: deps.outbound.dispatcher,
        logger: deps.logger.child({ tenantId, connectionId: sourceConnectionId }), max429Retries: 2, timeoutMs: 15_000,
      });
      const { counts, calls } = await countAffinityAccount(client, planned);
      const check = await checkAffinityQuota(client, planAffinityCalls(counts, planned, calls));
      const target = planAttioTarget(counts, planned, sourceCallsByKind(check.plan), attioPlanLimits(deps.limits));
      return {
        ...base, ...check.plan, byObject: recordsByObject(check.plan.records), eta: target.eta,
        assumptions: [
          ...check.plan.assumptions,
          'counts: list sizes from GET /lists; persons, organizations and notes by paging the v1 listings (500 a call, in countingCalls), with how many lack an email or a domain and which notes are replies',
          ...target.assumptions,
        ],
        monthlyRemaining: check.monthlyRemaining, monthlyLimit: check.monthlyLimit, monthlyResetSec: check.monthlyResetSec,
        fits: check.fits, warning: check.warning, error: null,
      };
    } catch (error) {
      // The connection itself (missing, another tenant's) answers as job creation would; anything Affinity
      // did (refused, unreachable, an answer of an unexpected shape) only leaves the plan unmade.
      if (error instanceof AppError) throw error;
      deps.logger.warn({ err: error, tenantId, connectionId: sourceConnectionId }, 'Affinity call plan could not be made');
      return failed(isConnectorError(error) ? error.message : 'Affinity answered in an unexpected shape');
    }
  };
}
