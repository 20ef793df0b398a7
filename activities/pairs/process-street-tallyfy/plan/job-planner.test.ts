import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../shared/errors.ts';
import { estimatedTotalOf } from '../../../../shared/jobs/call-plan.ts';
import { createLogger } from '../../../../shared/logger.ts';
import type { AllowedHost } from '../../../../shared/outbound/allow-list.ts';
import { createOutboundPolicy } from '../../../../shared/outbound/outbound-policy.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import type { PairPlanDeps } from '../../pair.ts';
import { processStreetTallyfy } from '../index.ts';
import { emptyOrg, fakeRun, fakeWorkflow } from '../process-street/ps-test-org.ts';
import { startFakePs, type FakePs } from '../process-street/ps-test-server.ts';
import { createPsJobPlanner } from './job-planner.ts';

const dispatcher = new Agent();
afterAll(() => dispatcher.close());
let ps: FakePs | undefined;
afterEach(async () => {
  await ps?.close();
  ps = undefined;
});

const logger = createLogger({ level: 'silent', name: 'test' });
const deps = (credentials: PairPlanDeps['credentials'], allowHosts: AllowedHost[] = []): PairPlanDeps => ({
  credentials, outbound: { policy: createOutboundPolicy({ allowHosts }), dispatcher }, budgets: createBudgetRegistry(), logger, now: () => Date.UTC(2026, 11, 3),
});
const input = (objects: string[]) => ({ tenantId: 't', sourceConnectionId: 'c', objects });

describe('Process Street → Tallyfy planner', () => {
  it('is the pair module\'s planner', () => {
    expect(processStreetTallyfy.createPlanner).toBeTypeOf('function');
  });

  it('plans a comments job from the organisation: counted comments, source calls, the ETA set by the comment cap', async () => {
    const org = emptyOrg();
    org.workflows = [fakeWorkflow('w1', 3, 3, 1)];
    org.runs = Array.from({ length: 30 }, (_, i) => fakeRun(`r${i}`, 'w1', { tasks: 3, comments: 2 }));
    ps = await startFakePs(org);
    const baseUrl = ps.baseUrl;
    const plan = await createPsJobPlanner(deps(async () => ({ type: 'process-street', baseUrl, apiKey: (ps as FakePs).apiKey }), [{ host: '127.0.0.1', port: '*' }]), {
      limits: { psRequestsPerSec: 1000 },
    })(input(['comments']));
    expect(plan).toMatchObject({ system: 'process-street', error: null, fits: true, records: { comments: 60 }, plannedAt: '2026-12-03T00:00:00.000Z' });
    expect(estimatedTotalOf(plan)).toBe(60);
    // The counting calls are what the fake answered: workflows 1 + tasks + fields, runs 2 pages, 30 comment listings.
    expect(plan.countingCalls).toBe(3 + 2 + 30);
    expect(plan.lines.find((l) => l.endpoint === 'GET /comments?workflowRunId')?.calls).toBe(30);
    expect(plan.eta?.phases).toEqual([expect.objectContaining({ phase: 'collaborative', boundBy: 'comments', targetCalls: 180, ms: Math.round((60 * 3_600_000) / 108) })]);
    expect(plan.eta?.limits).toMatchObject({ tallyfyCommentsPerHour: 120, processStreetRequestsPerSec: 1000 });
    expect(plan.assumptions[0]).toContain('comments counted');
  });

  it('plans under the configured limits (not the benchmark-only hour length): counting paced by them too', async () => {
    const org = emptyOrg();
    org.runs = Array.from({ length: 5 }, (_, i) => fakeRun(`r${i}`, 'w1', { comments: 4 }));
    ps = await startFakePs(org);
    const baseUrl = ps.baseUrl;
    const limits = { byType: { tallyfy: { commentsPerHour: 60, hourMs: 60_000 }, 'process-street': { requestsPerSec: 500 } } };
    const plan = await createPsJobPlanner({ ...deps(async () => ({ type: 'process-street', baseUrl, apiKey: (ps as FakePs).apiKey }), [{ host: '127.0.0.1', port: '*' }]), limits })(input(['comments']));
    expect(plan.eta?.limits).toMatchObject({ tallyfyCommentsPerHour: 60, processStreetRequestsPerSec: 500, tallyfyRequestsPerMinute: 600 });
    expect(plan.eta?.phases[0]?.ms).toBe(Math.round((20 * 3_600_000) / (60 * 0.9)));
  });

  it('lets a missing connection answer as job creation does; an unmade plan says why', async () => {
    await expect(createPsJobPlanner(deps(async () => { throw new NotFoundError('Source connection'); }))(input(['users']))).rejects.toBeInstanceOf(NotFoundError);
    const other = await createPsJobPlanner(deps(async () => ({ type: 'tallyfy', baseUrl: 'https://api.tallyfy.com', token: 't' })))(input(['users']));
    expect(other).toMatchObject({ fits: null, total: 0, error: 'the source connection is not a Process Street connection' });
    const refused = await createPsJobPlanner(deps(async () => ({ type: 'process-street', baseUrl: 'http://169.254.169.254/api/v1.1', apiKey: 'k' })))(input(['users']));
    expect(refused.error).toMatch(/refused by the outbound policy/);
  });

  it('a key Process Street refuses leaves the plan unmade (fits null), not the job refused', async () => {
    ps = await startFakePs(emptyOrg());
    const baseUrl = ps.baseUrl;
    const plan = await createPsJobPlanner(deps(async () => ({ type: 'process-street', baseUrl, apiKey: 'wrong-key' }), [{ host: '127.0.0.1', port: '*' }]))(input(['users']));
    expect(plan.fits).toBeNull();
    expect(plan.error).not.toBeNull();
    expect(plan.eta).toBeUndefined();
  });
});
