import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { REPO_ROOT } from '../../../../infra/dev-stack/paths.ts';
import type { Role } from '../../../../shared/auth/principal.ts';
import { withTenant } from '../../../../shared/db/scope.ts';
import type { Tenant } from '../../../../shared/tenancy/tenant-model.ts';
import { createKey, createTenant, createTestApp, type TestApp, type TestAppOptions } from '../../support/app.ts';
import { cleanUpJobs, type TenantFixture } from '../../support/jobs.ts';
import { loadOperations, type Operation } from './operations.ts';

/** One tenant's credentials and one real object of every kind a path can name. */
export interface TenantSide {
  tenant: Tenant;
  engineer: string;
  viewer: string;
  /** Path-parameter values naming this tenant's own objects (tenantId, keyId, connectionId, jobId, batchId; plus targetConnectionId). */
  ids: Record<string, string>;
  /** The connection credentials stored for this tenant: must never come back out. */
  secrets: string[];
}

export interface SecurityWorld {
  t: TestApp;
  ops: Operation[];
  a: TenantSide;
  /** The "other" tenant: its names carry `marker`, which must never reach tenant A. */
  b: TenantSide;
  marker: string;
  token(side: TenantSide, role: Role): string;
  close(): Promise<void>;
}

/** Generous limits: the suite sends thousands of requests per tenant and is not testing the limiter here. */
export const NO_RATE_LIMIT = { rateLimit: { perMinute: 10_000_000, burst: 1_000_000 } };

/**
 * Two tenants on the real stack, each with engineer and viewer keys, a spare key, an Affinity and
 * an Attio connection (recognizable secret credentials), a job (its workflow started in the
 * tenant's namespace) and a batch row of that job. Tenant B's names carry a marker string.
 */
export async function createSecurityWorld(options: TestAppOptions = {}): Promise<SecurityWorld> {
  const t = await createTestApp({ ...options, config: { ...NO_RATE_LIMIT, ...options.config } });
  const marker = `mk${randomBytes(5).toString('hex')}leak`;
  const [a, b] = await Promise.all([createSide(t, `sa-${randomBytes(3).toString('hex')}`, 'plain'), createSide(t, `sb-${marker}`, marker)]);
  const ops = await loadOperations(t);
  return {
    t, ops, a, b, marker,
    token: (side, role) => (role === 'admin' ? t.adminKey : role === 'engineer' ? side.engineer : side.viewer),
    close: () => cleanUpJobs(t, [{ tenant: a.tenant } as TenantFixture, { tenant: b.tenant } as TenantFixture]),
  };
}

async function createSide(t: TestApp, slug: string, label: string): Promise<TenantSide> {
  const tenant = await createTenant(t, slug);
  const [engineer, viewer, spare] = await Promise.all([
    createKey(t, tenant.id, 'engineer'), createKey(t, tenant.id, 'viewer'), createKey(t, tenant.id, 'viewer'),
  ]);
  const secrets = [`sec-aff-${randomUUID()}`, `sec-att-${randomUUID()}`];
  const connect = async (type: 'affinity' | 'attio', secret: string): Promise<string> => {
    const res = await t.call('POST', '/v1/connections', {
      token: engineer.key, body: { name: `${label} ${type}`, type, baseUrl: `http://127.0.0.1:9/${type}`, credentials: { apiKey: secret } },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const affinityId = await connect('affinity', secrets[0] as string);
  const attioId = await connect('attio', secrets[1] as string);
  const job = await t.call('POST', '/v1/jobs', {
    token: engineer.key, body: { sourceConnectionId: affinityId, targetConnectionId: attioId, metadata: { label }, objects: ['persons'] },
  });
  expect(job.status, await job.clone().text()).toBe(201);
  const jobId = ((await job.json()) as { id: string }).id;
  const batchId = 'persons-000001';
  await withTenant(t.ctx.ownerSql, tenant.id, (tx) => tx`
    insert into freight.job_batches (tenant_id, job_id, id, object, seq, status) values (${tenant.id}, ${jobId}, ${batchId}, 'persons', 1, 'failed')`);
  return {
    tenant, engineer: engineer.key, viewer: viewer.key, secrets,
    ids: { tenantId: tenant.id, keyId: spare.id, connectionId: affinityId, targetConnectionId: attioId, jobId, batchId },
  };
}

/** Every id of a side, as strings that may not appear in another tenant's responses. */
export function sideIds(side: TenantSide): string[] {
  return Object.values(side.ids).filter((v) => v.length >= 20);
}

/**
 * Writes the app's captured log lines to test-artifacts/security-<name>-<pid>.log, where the
 * post-run secret scan of `npm test` reads them too; returns the text for the test's own checks.
 */
export function saveLogs(t: TestApp, name: string): string {
  const text = t.logs.join('');
  writeFileSync(path.join(REPO_ROOT, 'test-artifacts', `security-${name}-${process.pid}.log`), text);
  return text;
}

/**
 * The usual lifecycle of a file that needs nothing else: a world before the tests, closed after
 * them with its app log saved for the post-run secret scan. `set` hands the world to the file.
 */
export function useSecurityWorld(logName: string, set: (world: SecurityWorld) => void): void {
  let world: SecurityWorld | undefined;
  beforeAll(async () => {
    world = await createSecurityWorld();
    set(world);
  });
  afterAll(async () => {
    if (!world) return;
    await world.close();
    saveLogs(world.t, logName);
  });
}
