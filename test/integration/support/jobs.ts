import { randomUUID } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { expect } from 'vitest';
import { withTenant } from '../../../shared/db/scope.ts';
import type { Job } from '../../../shared/jobs/job-model.ts';
import type { Tenant } from '../../../shared/tenancy/tenant-model.ts';
import { jobWorkflowId } from '../../../workflows/migration-job/definitions.ts';
import { createKey, createTenant, type TestApp } from './app.ts';

/** A tenant with an engineer and a viewer key and one connection of each type. */
export interface TenantFixture {
  tenant: Tenant;
  engineer: string;
  viewer: string;
  affinityId: string;
  attioId: string;
}

export async function createConnection(t: TestApp, token: string, type: 'affinity' | 'attio', apiKey = `sk-${randomUUID()}`): Promise<{ id: string }> {
  const res = await t.call('POST', '/v1/connections', {
    token, body: { name: `${type} ${randomUUID().slice(0, 6)}`, type, baseUrl: `http://127.0.0.1:9/${type}`, credentials: { apiKey } },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string };
}

export async function tenantWithConnections(t: TestApp): Promise<TenantFixture> {
  const tenant = await createTenant(t);
  const [engineer, viewer] = await Promise.all([createKey(t, tenant.id, 'engineer'), createKey(t, tenant.id, 'viewer')]);
  const [affinity, attio] = await Promise.all([createConnection(t, engineer.key, 'affinity'), createConnection(t, engineer.key, 'attio')]);
  return { tenant, engineer: engineer.key, viewer: viewer.key, affinityId: affinity.id, attioId: attio.id };
}

export function jobBody(f: TenantFixture, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sourceConnectionId: f.affinityId, targetConnectionId: f.attioId, ...overrides };
}

export async function createJob(t: TestApp, f: TenantFixture, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Job> {
  const res = await t.call('POST', '/v1/jobs', { token: f.engineer, body: jobBody(f, overrides), headers });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Job;
}

export function temporalClient(t: TestApp, namespace: string): Client {
  return new Client({ connection: t.ctx.temporal, namespace });
}

/** Inserts a job row directly (no workflow), under the tenant's RLS scope. */
export async function insertJob(t: TestApp, f: TenantFixture, overrides: { status?: string; createdAt?: Date; startedAt?: Date | null; estimatedTotal?: number | null } = {}): Promise<string> {
  const id = randomUUID();
  await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`
    insert into freight.jobs (id, tenant_id, status, source_connection_id, target_connection_id, objects, batch_size, concurrency,
      retry_policy, namespace, workflow_id, created_by, created_at, started_at, estimated_total)
    values (${id}, ${f.tenant.id}, ${overrides.status ?? 'running'}, ${f.affinityId}, ${f.attioId}, ${tx.array(['organizations', 'persons'])}, 100, 4,
      ${tx.json({ maxAttempts: 5, initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60000, nonRetryable: [] })},
      ${f.tenant.namespace}, ${jobWorkflowId(id)}, 'test', ${overrides.createdAt ?? new Date()}, ${overrides.startedAt ?? null},
      ${overrides.estimatedTotal ?? null})`);
  return id;
}

export async function auditRows(t: TestApp, tenantId: string, targetId: string): Promise<{ action: string; actor_role: string; details: Record<string, unknown> }[]> {
  return withTenant(t.ctx.sql, tenantId, (tx) => tx<{ action: string; actor_role: string; details: Record<string, unknown> }[]>`
    select action, actor_role, details from freight.audit_events where target_id = ${targetId} order by id`);
}

/**
 * Terminates every workflow the tenants' jobs started and marks the jobs finished, so no worker
 * (of this suite or another) is ever asked to run them.
 */
/**
 * Ends the jobs a file left open. Runs in afterAll, also when beforeAll failed: then `t` or the
 * fixtures were never made, and this must not bury the set-up's error under one of its own.
 */
export async function cleanUpJobs(t: TestApp | undefined, fixtures: (TenantFixture | undefined)[]): Promise<void> {
  if (!t?.ctx) return;
  for (const f of fixtures) {
    if (!f) continue;
    const jobs = await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx<{ workflow_id: string }[]>`
      select workflow_id from freight.jobs where status in ('pending', 'running', 'paused')`);
    const client = temporalClient(t, f.tenant.namespace);
    for (const { workflow_id: workflowId } of jobs) {
      await client.workflow.getHandle(workflowId).terminate('test cleanup').catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    }
    await withTenant(t.ctx.ownerSql, f.tenant.id, (tx) => tx`
      update freight.jobs set status = 'cancelled', finished_at = now() where status in ('pending', 'running', 'paused')`);
  }
}
