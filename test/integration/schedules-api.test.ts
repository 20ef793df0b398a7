import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAdminScope } from '../../shared/db/scope.ts';
import type { DeltaScheduleClient } from '../../shared/schedules/schedule-workflows.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

// The schedule routes' refusals and the Temporal outage path (the acceptance, with real runs, is
// test/integration/engine/delta-schedule.test.ts): refused as delta jobs are refused, uniform body;
// Temporal down → 503 naming the saved schedule, repaired by repeating the request with its key.
let t: TestApp;
let f: TenantFixture;
let other: TenantFixture;
const created: string[] = [];

const down: DeltaScheduleClient = {
  create: () => Promise.reject(new Error('temporal down')),
  describe: () => Promise.reject(new Error('temporal down')),
  pause: () => Promise.reject(new Error('temporal down')),
  unpause: () => Promise.reject(new Error('temporal down')),
  remove: () => Promise.reject(new Error('temporal down')),
};

beforeAll(async () => {
  t = await createTestApp();
  [f, other] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
});

afterAll(async () => {
  for (const id of created) await t.call('DELETE', `/v1/schedules/${id}`, { token: f.engineer });
  // The rows stay after a delete (marked); they name the fixture's jobs, which cleanUpJobs removes.
  await withAdminScope(t.ctx.ownerSql, { actor: 'test', reason: 'clean up schedules', audit: false }, async (tx) => {
    await tx`delete from freight.delta_schedule_runs where tenant_id = ${f.tenant.id}`;
    await tx`delete from freight.delta_schedules where tenant_id = ${f.tenant.id}`;
  });
  await cleanUpJobs(t, [f, other]);
});

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('delta schedule routes', () => {
  it('refuses what a delta job refuses, a past endAt and a foreign job, with the uniform body', async () => {
    const running = await insertJob(t, f, { status: 'running' });
    const post = (token: string, body: unknown) => t.call('POST', '/v1/schedules', { token, body });
    const unfinished = await post(f.engineer, { follows: running, every: '6h' });
    expect(unfinished.status).toBe(422);
    expect(await code(unfinished)).toBe('delta_follows_unfinished');
    const done = await insertJob(t, f, { status: 'completed' });
    const past = await post(f.engineer, { follows: done, every: 'PT6H', endAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
    expect(await code(past)).toBe('schedule_end_passed');
    expect((await post(other.engineer, { follows: done, every: 3600 })).status).toBe(404);
    for (const every of [59, '59s', 'P1M', '6 hours']) {
      const bad = await post(f.engineer, { follows: done, every });
      expect(bad.status, String(every)).toBe(400);
      expect(await code(bad)).toBe('validation_failed');
    }
    expect((await post(f.viewer, { follows: done, every: '6h' })).status).toBe(403);
  });

  it('answers 503 naming the saved schedule when Temporal is down; the same request with its key repairs it', async () => {
    const done = await insertJob(t, f, { status: 'completed' });
    const broken = await createTestApp({ scheduleClient: down });
    const body = { follows: done, every: '6h', onConflict: 'take-source' };
    const headers = { 'idempotency-key': `outage-${done}` };
    const failed = await broken.call('POST', '/v1/schedules', { token: f.engineer, body, headers });
    expect(failed.status).toBe(503);
    const { error } = (await failed.json()) as { error: { code: string; details: { scheduleId: string } } };
    expect(error.code).toBe('dependency_unavailable');
    const id = error.details.scheduleId;
    created.push(id);
    const saved = await t.call('GET', `/v1/schedules/${id}`, { token: f.viewer });
    expect(await saved.json()).toMatchObject({ id, error: expect.stringContaining('Temporal'), temporal: null, onConflict: 'take-source' });

    const repaired = await t.call('POST', '/v1/schedules', { token: f.engineer, body, headers });
    expect(repaired.status).toBe(200);
    expect(await repaired.json()).toMatchObject({ id, error: null });
    const detail = (await (await t.call('GET', `/v1/schedules/${id}`, { token: f.viewer })).json()) as { temporal: { paused: boolean; nextActionTimes: string[] } | null };
    expect(detail.temporal?.paused).toBe(false);
    expect(detail.temporal?.nextActionTimes.length).toBeGreaterThan(0);
    const differs = await t.call('POST', '/v1/schedules', { token: f.engineer, body: { ...body, every: '12h' }, headers });
    expect(differs.status).toBe(409);

    const list = (await (await t.call('GET', '/v1/schedules', { token: f.viewer })).json()) as { data: { id: string }[] };
    expect(list.data.map((s) => s.id)).toContain(id);
    const foreign = (await (await t.call('GET', '/v1/schedules', { token: other.viewer })).json()) as { data: { id: string }[] };
    expect(foreign.data).toEqual([]);
    expect((await t.call('DELETE', `/v1/schedules/${id}`, { token: other.engineer })).status).toBe(404);
    expect((await broken.call('POST', `/v1/schedules/${id}/pause`, { token: f.engineer })).status).toBe(503);
  });
});
