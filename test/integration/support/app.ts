import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { createApp } from '../../../api/app.ts';
import type { AppDeps } from '../../../api/types.ts';
import type { Config } from '../../../shared/config.ts';
import { createSecretBox, type SecretBox } from '../../../shared/crypto/secret-box.ts';
import { createLogger } from '../../../shared/logger.ts';
import type { Tenant } from '../../../shared/tenancy/tenant-model.ts';
import { getTestContext, type TestContext } from '../../helpers/stack.ts';

/** An app on the real stack whose log lines are captured in memory (to prove no secret is logged). */
export interface TestApp {
  ctx: TestContext;
  app: ReturnType<typeof createApp>;
  adminKey: string;
  logs: string[];
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  ensureNamespace?: AppDeps['ensureNamespace'];
  /** Default: a box over the test stack's FREIGHT_ENCRYPTION_KEYS; null: none (connections answer 503). */
  secretBox?: SecretBox | null;
  jobWorkflows?: AppDeps['jobWorkflows'];
  jobEvents?: AppDeps['jobEvents'];
  /** The app's outbound policy (default: from the config, i.e. the stack's allow-list). */
  outbound?: AppDeps['outbound'];
  /** Resolves webhook hosts at creation (default: the system resolver). */
  webhookLookup?: AppDeps['webhookLookup'];
  /** Job call plans (default: each pair's planner). */
  planCalls?: AppDeps['planCalls'];
  /** null: jobs are created without the connection check (tests of what the worker itself refuses). */
  checkConnection?: AppDeps['checkConnection'];
  /** Replaces the Temporal Schedules of delta schedules (outage tests). */
  scheduleClient?: AppDeps['scheduleClient'];
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ctx = await getTestContext();
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', name: 'freight-api-test', destination: { write: (line: string) => void logs.push(line) } });
  const config = { ...ctx.config, ...options.config };
  const secretBox = options.secretBox === null ? undefined : (options.secretBox ?? createSecretBox(ctx.config.encryptionKeys));
  const app = createApp({
    config, sql: ctx.sql, temporal: ctx.temporal, s3: ctx.s3, logger, ensureNamespace: options.ensureNamespace,
    secretBox, ...(options.jobWorkflows ? { jobWorkflows: options.jobWorkflows } : {}),
    ...(options.jobEvents ? { jobEvents: options.jobEvents } : {}),
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.webhookLookup ? { webhookLookup: options.webhookLookup } : {}),
    ...(options.planCalls ? { planCalls: options.planCalls } : {}),
    ...(options.checkConnection !== undefined ? { checkConnection: options.checkConnection } : {}),
    ...(options.scheduleClient ? { scheduleClient: options.scheduleClient } : {}),
  });
  const adminKey = ctx.config.auth.adminApiKey;
  if (!adminKey) throw new Error('the test stack sets FREIGHT_ADMIN_API_KEY');
  const call: TestApp['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? adminKey}`, ...o.headers };
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    return app.request(path, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  };
  return { ctx, app, adminKey, logs, call };
}

export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTenant(t: TestApp, slug = uniqueSlug()): Promise<Tenant> {
  const res = await t.call('POST', '/v1/tenants', { body: { slug, name: `Tenant ${slug}` } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Tenant;
}

export async function createKey(t: TestApp, tenantId: string, role: 'engineer' | 'viewer'): Promise<{ id: string; key: string; prefix: string }> {
  const res = await t.call('POST', `/v1/tenants/${tenantId}/api-keys`, { body: { role, name: `${role} key` } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string };
}

export function signJwt(t: TestApp, claims: JWTPayload, options: { secret?: string; audience?: string; expiresAt?: number } = {}): Promise<string> {
  const secret = options.secret ?? t.ctx.config.auth.jwtSecret;
  if (!secret) throw new Error('the test stack sets FREIGHT_JWT_SECRET');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(options.audience ?? t.ctx.config.auth.jwtAudience)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? '5m')
    .sign(new TextEncoder().encode(secret));
}

export async function errorBody(res: Response): Promise<{ code: string; message: string; details?: unknown; requestId: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown; requestId: string } };
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  return body.error;
}
