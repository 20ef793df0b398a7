import { beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../shared/auth/api-key.ts';
import { withTenant } from '../../shared/db/scope.ts';
import type { Tenant } from '../../shared/tenancy/tenant-model.ts';
import { createKey, createTenant, createTestApp, type TestApp } from './support/app.ts';

// Row-level security checked directly in PostgreSQL as the app role, beneath the API.
let t: TestApp;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([createTenant(t), createTenant(t)]);
  await Promise.all([createKey(t, a.id, 'engineer'), createKey(t, b.id, 'engineer'), createKey(t, b.id, 'viewer')]);
});

describe('row-level security', () => {
  it("shows a tenant only its own rows, with no WHERE clause", async () => {
    await withTenant(t.ctx.sql, a.id, async (tx) => {
      const tenants = await tx<{ id: string }[]>`select id from freight.tenants`;
      expect(tenants.map((r) => r.id)).toEqual([a.id]);
      const keys = await tx<{ tenant_id: string }[]>`select tenant_id from freight.api_keys`;
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys.map((r) => r.tenant_id))).toEqual(new Set([a.id]));
      const audit = await tx<{ tenant_id: string }[]>`select tenant_id from freight.audit_events`;
      expect(audit.length).toBeGreaterThan(0);
      expect(new Set(audit.map((r) => r.tenant_id))).toEqual(new Set([a.id]));
    });
  });

  it("cannot update or delete another tenant's rows", async () => {
    await withTenant(t.ctx.sql, a.id, async (tx) => {
      expect((await tx`update freight.api_keys set name = 'hijacked' where tenant_id = ${b.id}`).count).toBe(0);
      expect((await tx`update freight.api_keys set revoked_at = now()`).count).toBeGreaterThan(0); // only A's
      expect((await tx`delete from freight.api_keys where tenant_id = ${b.id}`).count).toBe(0);
      expect((await tx`update freight.tenants set name = 'hijacked' where id = ${b.id}`).count).toBe(0);
      expect((await tx`delete from freight.tenants where id = ${b.id}`).count).toBe(0);
    });
    await withTenant(t.ctx.sql, b.id, async (tx) => {
      const keys = await tx<{ name: string; revoked_at: Date | null }[]>`select name, revoked_at from freight.api_keys`;
      expect(keys).toHaveLength(2);
      for (const key of keys) expect(key).toMatchObject({ revoked_at: null, name: expect.not.stringMatching(/hijacked/) });
    });
  });

  it("cannot insert rows carrying another tenant's id", async () => {
    const insertKey = withTenant(t.ctx.sql, a.id, (tx) => tx`
      insert into freight.api_keys (tenant_id, name, role, environment, prefix, secret_hash, created_by)
      values (${b.id}, 'planted', 'engineer', 'live', ${`frt_live_${Date.now().toString(36).slice(-8)}`}, ${hashApiKey('x')}, 'test')`);
    await expect(insertKey).rejects.toThrow(/row-level security/);
    const insertAudit = withTenant(t.ctx.sql, a.id, (tx) => tx`
      insert into freight.audit_events (tenant_id, actor_type, actor_id, actor_role, action) values (${b.id}, 'system', 'x', 'admin', 'forged')`);
    await expect(insertAudit).rejects.toThrow(/row-level security/);
    const moveKey = withTenant(t.ctx.sql, a.id, (tx) => tx`update freight.api_keys set tenant_id = ${b.id}`);
    await expect(moveKey).rejects.toThrow(/row-level security/);
  });

  it('shows nothing at all without a tenant in scope', async () => {
    expect(await t.ctx.sql`select id from freight.tenants`).toHaveLength(0);
    expect(await t.ctx.sql`select id from freight.api_keys`).toHaveLength(0);
    expect(await t.ctx.sql`select id from freight.audit_events`).toHaveLength(0);
  });

  it('runs the service as a role that owns no table and has no BYPASSRLS', async () => {
    const [role] = await t.ctx.sql<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await t.ctx.sql`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'freight' and pg_get_userbyid(c.relowner) = current_user`;
    expect(owned).toHaveLength(0);
  });
});
