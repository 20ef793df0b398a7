import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.ts';
import type { Sql } from '../shared/db/client.ts';
import { createLogger } from '../shared/logger.ts';
import type { S3Context } from '../shared/s3.ts';
import { createApp } from './app.ts';
import type { AppDeps } from './types.ts';

// These tests need no server: they stop before any query (public routes, authentication by the
// bootstrap key, validation). Everything touching PostgreSQL is in test/integration/.
const ADMIN_KEY = 'bootstrap-admin-key-for-unit-tests-only';
const config = loadConfig({ DATABASE_URL: 'postgres://app@127.0.0.1:1/none', FREIGHT_ADMIN_API_KEY: ADMIN_KEY, FREIGHT_BODY_LIMIT_BYTES: '1024' });

function fakeDeps(overrides: { s3Down?: boolean } = {}): AppDeps {
  const sql = (() => ({ execute: () => Promise.resolve([]) })) as unknown as Sql;
  const temporal = {
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
    workflowService: { getSystemInfo: () => Promise.resolve({}) },
  } as unknown as AppDeps['temporal'];
  const s3 = {
    bucket: 'freight',
    client: { send: () => (overrides.s3Down ? Promise.reject(Object.assign(new Error('no'), { name: 'NotFound' })) : Promise.resolve({})) },
  } as unknown as S3Context;
  return { config, sql, temporal, s3, logger: createLogger({ level: 'silent', name: 'test' }) };
}

const app = createApp(fakeDeps());
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const json = { ...admin, 'content-type': 'application/json' };

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown; requestId: string } };
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  return body.error;
}

describe('public routes', () => {
  it('answers /health without touching dependencies, with a request id', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    expect((await app.request('/health', { headers: { 'x-request-id': 'trace-123.abc' } })).headers.get('x-request-id')).toBe('trace-123.abc');
    const unsafe = await app.request('/health', { headers: { 'x-request-id': 'a b\u0007<script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports each dependency in /ready, 503 when one is down', async () => {
    const up = await app.request('/ready');
    expect(up.status).toBe(200);
    const body = (await up.json()) as { status: string; checks: Record<string, { status: string; latencyMs: number }> };
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(['postgres', 's3', 'temporal']);
    const down = await createApp(fakeDeps({ s3Down: true })).request('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not_ready', checks: { s3: { status: 'down', error: 'NotFound' }, postgres: { status: 'up' } } });
  });

  it('answers unknown routes with the uniform 404', async () => {
    const res = await app.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'not_found' });
  });

  it('answers a known path asked with a method it does not take with 405 and Allow, in the uniform body', async () => {
    const health = await app.request('/health', { method: 'POST' });
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect(await errorOf(health)).toMatchObject({ code: 'method_not_allowed', message: 'Method POST is not allowed here; allowed: GET, HEAD' });
    const jobs = await app.request('/v1/jobs', { method: 'PUT', headers: admin });
    expect(jobs.status).toBe(405);
    expect(jobs.headers.get('allow')).toBe('GET, HEAD, POST');
    const job = await app.request('/v1/jobs/0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', { method: 'PATCH', headers: admin });
    expect(job.status).toBe(405);
    expect(job.headers.get('allow')).toBe('GET, HEAD');
    // Unknown paths stay 404, and /v1 still authenticates first.
    expect((await app.request('/v1/nowhere', { method: 'PUT', headers: admin })).status).toBe(404);
    expect((await app.request('/v1/jobs', { method: 'PUT' })).status).toBe(401);
  });

  it('serves an OpenAPI 3.1 document where every /v1 operation is secured and lists its roles', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; 'x-roles'?: string[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'jwt']);
    const v1 = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(4);
    for (const [path, ops] of v1) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op['x-roles'], `${method} ${path}`).toEqual(expect.arrayContaining([expect.stringMatching(/admin|engineer|viewer/)]));
        expect(op.security, `${method} ${path}`).toHaveLength(2);
      }
    }
  });

  it('serves a self-contained docs page', async () => {
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe('authentication and input errors', () => {
  it('rejects missing, unknown and malformed credentials with 401', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'Bearer nonsense', 'Bearer frt_live_tooShort', 'Bearer a.b.c']) {
      const res = await app.request('/v1/me', { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect((await errorOf(res)).code).toBe('unauthorized');
    }
  });

  it('answers the bootstrap admin key from the environment', async () => {
    const res = await app.request('/v1/me', { headers: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ actorType: 'admin_env', actorId: 'bootstrap-admin-key', role: 'admin', tenantId: null, tenant: null });
  });

  it('maps malformed JSON, wrong types, unknown fields, bad media types and big bodies to 4xx', async () => {
    const post = (body: string, headers: Record<string, string> = json) => app.request('/v1/tenants', { method: 'POST', headers, body });
    let res = await post('{"slug": ');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_json');

    res = await post(JSON.stringify({ slug: 'ok', name: 42 }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ location: 'json', path: ['name'] })] });

    res = await post(JSON.stringify({ slug: 'ok', name: 'Ok', owner: 'me' }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ code: 'unrecognized_keys' })] });

    res = await post('slug=ok', { ...admin, 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('unsupported_media_type');

    res = await post(JSON.stringify({ slug: 'ok', name: 'x'.repeat(2_000) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');

    res = await app.request('/v1/tenants/not-a-uuid', { headers: admin });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).details).toEqual([expect.objectContaining({ location: 'param', path: ['tenantId'] })]);
  });
});
