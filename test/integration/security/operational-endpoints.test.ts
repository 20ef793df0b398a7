import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { expectError, send } from './support/http.ts';
import { useSecurityWorld, type SecurityWorld } from './support/world.ts';

// The operational endpoints reveal nothing across tenants: /metrics is closed in a production
// configuration without its token, and its labels carry tenant ids, never slugs or names.

let w: SecurityWorld;
useSecurityWorld('operational', (world) => {
  w = world;
});

describe('/metrics', () => {
  it('answers 401 (uniform body) in production without FREIGHT_METRICS_TOKEN, whoever asks', async () => {
    const prod = await createTestApp({ config: { env: 'production', metrics: { ...w.t.ctx.config.metrics, token: undefined } } });
    for (const token of [undefined, w.t.adminKey, w.a.engineer]) expectError(await send(prod, 'GET', '/metrics', { token }), 401, 'unauthorized');
  });

  it('labels tenants by id: no slug or name of any tenant in a scrape', async () => {
    const a = await send(w.t, 'GET', '/metrics');
    expect(a.status).toBe(200);
    expect(a.text).toContain(w.b.tenant.id);
    expect(a.text).not.toContain(w.marker);
    expect(a.text).not.toContain(w.a.tenant.slug);
  });
});
