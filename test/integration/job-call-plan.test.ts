import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobCallPlan } from '../../shared/jobs/call-plan.ts';
import { createEngineTenant, startSandboxes, testTaskQueue, type EngineTenant, type Sandboxes } from '../helpers/engine.ts';

/**
 * The call plan on job creation, against the Affinity sandbox: counted from the account, compared
 * with GET /rate-limit, kept with the job; a job that cannot fit is refused unless told to go ahead.
 * No worker runs: the jobs stay pending.
 */
const QUEUE = testTaskQueue('call-plan');
let s: Sandboxes;
let e: EngineTenant;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'call-plan', size: 600 });
  e = await createEngineTenant(s, QUEUE);
});
afterAll(async () => {
  await s?.affinity.close();
  await s?.attio.close();
});

const create = (body: Record<string, unknown>) =>
  e.t.call('POST', '/v1/jobs', { token: e.key, body: { sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, objects: ['organizations', 'persons'], ...body } });

describe('job call plan', () => {
  it('plans pages of 100 per kind from the counted account, shows the plan on creation and in the detail', async () => {
    s.affinity.limiter.update({ monthly: 100_000 });
    s.affinity.limiter.reset();
    const res = await create({});
    expect(res.status, await res.clone().text()).toBe(201);
    const job = (await res.json()) as { id: string; callPlan: JobCallPlan };
    const { counts } = s.affinity.account;
    expect(job.callPlan).toMatchObject({
      system: 'affinity', fits: true, error: null,
      records: { organizations: counts.organizations, persons: counts.persons },
      // /lists, then one v1 page of 500 ids per kind.
      countingCalls: 1 + Math.ceil(counts.organizations / 500) + Math.ceil(counts.persons / 500),
    });
    expect(job.callPlan.total).toBe(Math.ceil(counts.organizations / 100) + Math.ceil(counts.persons / 100) + 4);
    // The connection check before the plan probes one v2 page per kind (its export permissions): 2 calls.
    expect(job.callPlan.monthlyRemaining).toBe(100_000 - 2 - job.callPlan.countingCalls);
    expect(job.callPlan.callsPerRecord).toBeLessThan(0.05);
    const detail = await e.t.call('GET', `/v1/jobs/${job.id}`, { token: e.key });
    expect(((await detail.json()) as { callPlan: JobCallPlan }).callPlan).toEqual(job.callPlan);
  });

  it('refuses a job that cannot fit the monthly quota left with 422, unless the request says to go ahead', async () => {
    s.affinity.limiter.update({ monthly: 10 });
    s.affinity.limiter.reset();
    try {
      const before = await e.t.call('GET', '/v1/jobs', { token: e.key });
      const jobsBefore = ((await before.json()) as { data: unknown[] }).data.length;
      const refused = await create({});
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { code: string; message: string; details: { callPlan: JobCallPlan } } };
      expect(body.error.code).toBe('quota_insufficient');
      expect(body.error.message).toMatch(/monthly quota.*proceedOverQuota/);
      expect(body.error.details.callPlan).toMatchObject({ fits: false });
      expect(body.error.details.callPlan.total).toBeGreaterThan(body.error.details.callPlan.monthlyRemaining ?? Infinity);
      const after = await e.t.call('GET', '/v1/jobs', { token: e.key });
      expect(((await after.json()) as { data: unknown[] }).data).toHaveLength(jobsBefore);

      s.affinity.limiter.reset();
      const forced = await create({ proceedOverQuota: true });
      expect(forced.status, await forced.clone().text()).toBe(201);
      expect(((await forced.json()) as { callPlan: JobCallPlan }).callPlan).toMatchObject({ fits: false });
    } finally {
      s.affinity.limiter.update({ monthly: 0 });
    }
  });
});
