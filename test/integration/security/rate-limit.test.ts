import { beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTenant, createTestApp, type TestApp } from '../support/app.ts';
import { expectError, send } from './support/http.ts';
import { saveLogs } from './support/world.ts';

// The per-tenant API budget on an app configured with a tiny one (burst 3, 6/min): the 4th request
// of a tenant in a burst is a 429 with Retry-After, while another tenant is not slowed at all.

const LIMIT = { perMinute: 6, burst: 3 };
let setup: TestApp;
let limited: TestApp;
let a: { engineer: string; viewer: string };
let b: { engineer: string };

beforeAll(async () => {
  // Fixtures through an app with the default budget (creating them takes admin requests too).
  setup = await createTestApp();
  const [ta, tb] = await Promise.all([createTenant(setup), createTenant(setup)]);
  const [ae, av, be] = await Promise.all([createKey(setup, ta.id, 'engineer'), createKey(setup, ta.id, 'viewer'), createKey(setup, tb.id, 'engineer')]);
  a = { engineer: ae.key, viewer: av.key };
  b = { engineer: be.key };
  limited = await createTestApp({ config: { rateLimit: LIMIT } });
});

describe('per-tenant API rate limit', () => {
  it('answers 429 with Retry-After once the tenant spent its burst, across all its keys', async () => {
    for (let i = 0; i < LIMIT.burst; i++) {
      const ok = await send(limited, 'GET', '/v1/me', { token: i % 2 ? a.viewer : a.engineer });
      expect(ok.status, ok.label).toBe(200);
    }
    for (const token of [a.engineer, a.viewer]) {
      for (const [method, path] of [['GET', '/v1/connections'], ['POST', '/v1/connections'], ['GET', '/v1/jobs']] as const) {
        const res = await send(limited, method, path, { token, ...(method === 'POST' ? { body: '{}' } : {}) });
        expectError(res, 429, 'rate_limited');
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter), res.label).toBe(true);
        expect(retryAfter, res.label).toBeGreaterThanOrEqual(1);
        expect(retryAfter, res.label).toBeLessThanOrEqual(60 / LIMIT.perMinute + 1);
      }
    }
  });

  it('does not limit another tenant, nor the admin, when one tenant is limited', async () => {
    expectError(await send(limited, 'GET', '/v1/me', { token: a.engineer }), 429, 'rate_limited');
    for (let i = 0; i < LIMIT.burst; i++) {
      const ok = await send(limited, 'GET', '/v1/me', { token: b.engineer });
      expect(ok.status, ok.label).toBe(200);
      expect(Number(ok.headers.get('ratelimit-remaining')), ok.label).toBe(LIMIT.burst - 1 - i);
    }
    expectError(await send(limited, 'GET', '/v1/me', { token: b.engineer }), 429, 'rate_limited');
    const admin = await send(limited, 'GET', '/v1/me', { token: limited.adminKey });
    expect(admin.status, admin.label).toBe(200);
  });

  it('rejects unauthenticated requests before the limiter: 401, not 429, and no budget spent', async () => {
    for (let i = 0; i < 10; i++) expectError(await send(limited, 'GET', '/v1/me', { token: 'frt_live_bogus' }), 401, 'unauthorized');
    saveLogs(limited, 'rate-limit');
  });
});
