import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../../shared/auth/principal.ts';
import { signJwt } from '../support/app.ts';
import { expectError, send } from './support/http.ts';
import { fillPath, isSecured, pathParamNames, type Operation } from './support/operations.ts';
import { sampleValid } from './support/schema-values.ts';
import { useSecurityWorld, type SecurityWorld } from './support/world.ts';

// Tenant B's real objects (tenant, api key, connection, job, batch) addressed with tenant A's keys:
// every operation that takes such an id answers 404 — the same as for an id that does not exist —
// and nothing of tenant B changes.

let w: SecurityWorld;
useSecurityWorld('cross-tenant', (world) => { w = world; });

/** Operations a tenant role may call whose path names at least one object kind the world has. */
function tenantOpsWithIds(): { op: Operation; role: Role }[] {
  const out: { op: Operation; role: Role }[] = [];
  for (const op of w.ops.filter(isSecured)) {
    const names = pathParamNames(op);
    if (!names.some((n) => n in w.b.ids)) continue;
    for (const role of (['engineer', 'viewer'] as const).filter((r) => op.roles?.includes(r))) out.push({ op, role });
  }
  return out;
}

describe("another tenant's ids", () => {
  it('answer 404 on every operation, for every tenant role allowed to call it', async () => {
    const cases = tenantOpsWithIds();
    expect(cases.length).toBeGreaterThanOrEqual(12);
    for (const { op, role } of cases) {
      const path = fillPath(op, w.b.ids, () => randomUUID());
      const body = op.body ? JSON.stringify(sampleValid(op.body)) : undefined;
      const a = await send(w.t, op.method, path, { token: w.token(w.a, role), body });
      expectError(a, 404, 'not_found');
      for (const id of Object.values(w.b.ids)) if (!path.includes(encodeURIComponent(id))) expect(a.text, a.label).not.toContain(id);
      expect(a.text, a.label).not.toContain(w.marker);
    }
  });

  it("a JWT naming tenant A cannot reach tenant B's objects either", async () => {
    const token = await signJwt(w.t, { sub: 'sec-jwt', role: 'engineer', tenant_id: w.a.tenant.id });
    for (const path of [`/v1/connections/${w.b.ids.connectionId}`, `/v1/jobs/${w.b.ids.jobId}`, `/v1/tenants/${w.b.ids.tenantId}`]) {
      expectError(await send(w.t, 'GET', path, { token }), 404, 'not_found');
    }
  });

  it("left tenant B's objects untouched", async () => {
    const conn = await send(w.t, 'GET', `/v1/connections/${w.b.ids.connectionId}`, { token: w.b.engineer });
    expect(conn.status, conn.label).toBe(200);
    const job = await send(w.t, 'GET', `/v1/jobs/${w.b.ids.jobId}`, { token: w.b.engineer });
    expect(job.status, job.label).toBe(200);
    expect((JSON.parse(job.text) as { status: string }).status, job.label).not.toBe('cancelled');
    const keys = await send(w.t, 'GET', `/v1/tenants/${w.b.ids.tenantId}/api-keys`, { token: w.t.adminKey });
    const spare = (JSON.parse(keys.text) as { data: { id: string; revokedAt: string | null }[] }).data.find((k) => k.id === w.b.ids.keyId);
    expect(spare?.revokedAt, keys.label).toBeNull();
  });

  it('lists of tenant A never show tenant B', async () => {
    for (const op of w.ops.filter((o) => isSecured(o) && o.method === 'GET' && pathParamNames(o).length === 0)) {
      for (const role of (['engineer', 'viewer'] as const).filter((r) => op.roles?.includes(r))) {
        const a = await send(w.t, 'GET', op.path, { token: w.token(w.a, role) });
        expect(a.status, a.label).toBeLessThan(500);
        expect(a.text, a.label).not.toContain(w.marker);
        for (const id of Object.values(w.b.ids)) if (id.length > 20) expect(a.text, a.label).not.toContain(id);
      }
    }
  });
});
