import { AppError } from '../../../../shared/errors.ts';
import type { JobCallPlan } from '../../../../shared/jobs/call-plan.ts';
import { PROCESS_STREET, TALLYFY } from '../../../../shared/pairs/process-street-tallyfy.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { limitsOf, type ConnectorLimits } from '../../limits.ts';
import { secretOf, type PairPlanDeps } from '../../pair.ts';
import { PS_OBJECTS, type PsObject } from '../contract.ts';
import { createPsClient } from '../process-street/ps-client.ts';
import { createProcessStreetSource } from '../process-street/ps-source.ts';
import { CAP_CEILING } from '../tallyfy/tallyfy-client.ts';
import { planPsTallyfyJob, type PlanLimits } from './job-plan.ts';
import { countOrganization } from './org-counts.ts';

export interface PsJobPlannerOptions {
  /** Limits to plan under; default the configured ones (deps.limits), else the documented ones (the pair data's defaults). */
  limits?: Partial<PlanLimits>;
  /** Most calls spent reading runs one by one while counting (default 400; beyond it, a sample). */
  perRunCalls?: number;
}

export type PsJobPlanner = (input: { tenantId: string; sourceConnectionId: string; objects: readonly string[] }) => Promise<JobCallPlan>;

/** The documented limits: Tallyfy's published numbers, Process Street's inferred pace (pair data). */
export function documentedLimits(): PlanLimits {
  const d = (limits: typeof TALLYFY.limits, name: string): number => limits?.[name]?.default ?? 0;
  return {
    requestsPerMinute: d(TALLYFY.limits, 'requestsPerMinute'), commentsPerHour: d(TALLYFY.limits, 'commentsPerHour'),
    invitesPerHour: d(TALLYFY.limits, 'invitesPerHour'), capCeiling: CAP_CEILING,
    psRequestsPerSec: d(PROCESS_STREET.limits, 'requestsPerSec'),
  };
}

/**
 * What the operator configured (FREIGHT_TALLYFY_*, FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC). Not
 * FREIGHT_TALLYFY_HOUR_MS: that only shortens the windows for a time-compressed sandbox, and the plan
 * speaks of real hours (a benchmark scales the ETA by it).
 */
function configuredLimits(limits: ConnectorLimits | undefined): Partial<PlanLimits> {
  if (!limits) return {};
  const tf = limitsOf(limits, 'tallyfy');
  const ps = limitsOf(limits, 'process-street');
  return {
    ...(tf.requestsPerMinute ? { requestsPerMinute: tf.requestsPerMinute } : {}),
    ...(tf.commentsPerHour ? { commentsPerHour: tf.commentsPerHour } : {}),
    ...(tf.invitesPerHour ? { invitesPerHour: tf.invitesPerHour } : {}),
    ...(ps.requestsPerSec ? { psRequestsPerSec: ps.requestsPerSec } : {}),
  };
}

/**
 * Plans a Process Street → Tallyfy job before it is created: counts the organisation (org-counts.ts),
 * then the calls on both sides and each phase's time under the real limits (job-plan.ts) — the
 * comment cap of 120/hour sets the collaborative phase's. Process Street has no quota to fit in, so a
 * made plan always fits; one that cannot be made (Process Street unreachable, key refused) comes back
 * with `fits: null` and the reason, and the job is not refused for it.
 */
export function createPsJobPlanner(deps: PairPlanDeps, options: PsJobPlannerOptions = {}): PsJobPlanner {
  const now = deps.now ?? Date.now;
  const limits = { ...documentedLimits(), ...configuredLimits(deps.limits), ...options.limits };
  return async ({ tenantId, sourceConnectionId, objects }) => {
    const base = { system: 'process-street', monthlyRemaining: null, monthlyLimit: null, monthlyResetSec: null, plannedAt: new Date(now()).toISOString() };
    const failed = (error: string): JobCallPlan => ({ ...base, records: {}, lines: [], total: 0, countingCalls: 0, callsPerRecord: null, assumptions: [], fits: null, warning: null, error });
    const planned = PS_OBJECTS.filter((o) => objects.includes(o)) as PsObject[];
    try {
      const connection = await deps.credentials(tenantId, sourceConnectionId);
      if (connection.type !== 'process-street') return failed('the source connection is not a Process Street connection');
      const checked = deps.outbound.policy.checkBaseUrl('process-street', connection.baseUrl);
      if (!('url' in checked)) return failed(`the connection's base URL is refused by the outbound policy: ${checked.problem}`);
      const client = createPsClient({
        baseUrl: checked.url, apiKey: secretOf(connection, 'apiKey'), budgets: deps.budgets, dispatcher: deps.outbound.dispatcher,
        logger: deps.logger.child({ tenantId, connectionId: sourceConnectionId }), requestsPerSec: limits.psRequestsPerSec, max429Retries: 2, timeoutMs: 15_000,
      });
      const source = createProcessStreetSource({ client });
      const counts = await countOrganization(client, planned, {
        groups: () => source.countObjects('groups'), ...(options.perRunCalls ? { perRunCalls: options.perRunCalls } : {}),
      });
      const plan = planPsTallyfyJob(counts, planned, limits);
      const records = Object.values(plan.records).reduce((s, n) => s + n, 0);
      return {
        ...base, records: plan.records, lines: plan.lines, total: plan.total, countingCalls: counts.calls,
        callsPerRecord: records > 0 ? Math.round((plan.total / records) * 100) / 100 : null,
        assumptions: [...plan.assumptions, 'Process Street publishes no quota: the plan always fits'],
        fits: true, warning: null, error: null, eta: plan.eta,
      };
    } catch (error) {
      // The connection itself (missing, another tenant's) answers as job creation would; anything
      // Process Street did only leaves the plan unmade: the job's first read will say it louder.
      if (error instanceof AppError) throw error;
      deps.logger.warn({ err: error, tenantId, connectionId: sourceConnectionId }, 'Process Street call plan could not be made');
      return failed(isConnectorError(error) ? error.message : 'Process Street answered in an unexpected shape');
    }
  };
}
