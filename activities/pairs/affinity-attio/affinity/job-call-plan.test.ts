import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../shared/errors.ts';
import { createLogger } from '../../../../shared/logger.ts';
import { createOutboundPolicy } from '../../../../shared/outbound/outbound-policy.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createAffinityJobPlanner, recordsByObject, type AffinityJobPlannerDeps } from './job-call-plan.ts';

const dispatcher = new Agent();
afterAll(() => dispatcher.close());

const logger = createLogger({ level: 'silent', name: 'test' });
const planner = (credentials: AffinityJobPlannerDeps['credentials']) => createAffinityJobPlanner({
  credentials, outbound: { policy: createOutboundPolicy({ allowHosts: [] }), dispatcher }, budgets: createBudgetRegistry(), logger, now: () => Date.UTC(2026, 11, 2),
});
const input = { tenantId: 't', sourceConnectionId: 'c', objects: ['persons'] };

describe('createAffinityJobPlanner', () => {
  it('lets a missing connection answer as job creation does', async () => {
    await expect(planner(async () => { throw new NotFoundError('Source connection'); })(input)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('returns an unmade plan (fits null, the reason) for a connection it must not or cannot call', async () => {
    const notAffinity = await planner(async () => ({ type: 'attio', baseUrl: 'https://api.attio.com', apiKey: 'k' }))(input);
    expect(notAffinity).toMatchObject({ fits: null, total: 0, error: 'the source connection is not an Affinity connection', plannedAt: '2026-12-02T00:00:00.000Z' });
    const refused = await planner(async () => ({ type: 'affinity', baseUrl: 'http://169.254.169.254/latest', apiKey: 'k' }))(input);
    expect(refused.fits).toBeNull();
    expect(refused.error).toMatch(/refused by the outbound policy/);
  });

  it('keys the plan\'s records by the job\'s object kinds (the lists kind moves every list\'s entries)', () => {
    expect(recordsByObject({ organizations: 750, persons: 2000, opportunities: 500, listEntries: 1000, notes: 1250 }))
      .toEqual({ organizations: 750, persons: 2000, opportunities: 500, lists: 1000, notes: 1250 });
  });
});
