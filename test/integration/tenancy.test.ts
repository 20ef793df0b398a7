import { beforeAll, describe, expect, it } from 'vitest';
import { withAdminScope, withTenant } from '../../shared/db/scope.ts';
import { namespaceFor, SEARCH_ATTRIBUTES } from '../../shared/temporal.ts';
import { reconcileTenants } from '../../shared/tenancy/provision.ts';
import type { Tenant } from '../../shared/tenancy/tenant-model.ts';
import { createTestApp, errorBody, uniqueSlug, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});

async function expectNamespaceReady(t: TestApp, namespace: string, retentionDays: number): Promise<void> {
  const described = await t.ctx.temporal.workflowService.describeNamespace({ namespace });
  expect(described.namespaceInfo?.name).toBe(namespace);
  expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(retentionDays * 86_400);
  const attrs = await t.ctx.temporal.operatorService.listSearchAttributes({ namespace });
  for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(attrs.customAttributes).toHaveProperty(name);
}

/** Simulates a crash right after the row was inserted: provisioning, no namespace yet. */
async function insertStuckTenant(t: TestApp, slug: string, retentionDays = 2): Promise<string> {
  const namespace = namespaceFor(t.ctx.config.temporal.namespacePrefix, slug);
  const [row] = await withAdminScope(t.ctx.sql, { actor: 'test', reason: 'simulate interrupted creation', audit: false }, (tx) => tx<{ id: string }[]>`
    insert into freight.tenants (slug, name, namespace, status, retention_days)
    values (${slug}, ${`Tenant ${slug}`}, ${namespace}, 'provisioning', ${retentionDays}) returning id`);
  if (!row) throw new Error('insert failed');
  return row.id;
}

describe('tenant creation', () => {
  it('inserts the tenant, registers its namespace with search attributes, and marks it active', async () => {
    const slug = uniqueSlug('acme');
    const res = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Acme', retentionDays: 3 } });
    expect(res.status).toBe(201);
    const tenant = (await res.json()) as Tenant;
    expect(tenant).toMatchObject({ slug, name: 'Acme', status: 'active', retentionDays: 3, namespace: `freight-${slug}`, provisioningError: null });
    await expectNamespaceReady(t, tenant.namespace, 3);
  });

  it('repeats safely: same body answers 200 with the same tenant, different settings 409', async () => {
    const slug = uniqueSlug();
    const first = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Same' } });
    expect(first.status).toBe(201);
    const created = (await first.json()) as Tenant;
    expect(created.retentionDays).toBe(t.ctx.config.temporal.retentionDays);
    const again = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Same' } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: created.id, status: 'active' });

    const renamed = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Other name' } });
    expect(renamed.status).toBe(409);
    expect(await errorBody(renamed)).toMatchObject({ code: 'conflict', details: { existing: { id: created.id } } });
    const retention = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Same', retentionDays: 99 } });
    expect(retention.status).toBe(409);
  });

  it('converges after an interruption halfway (row inserted, namespace never registered)', async () => {
    const slug = uniqueSlug('half');
    const id = await insertStuckTenant(t, slug, 2);
    const res = await t.call('POST', '/v1/tenants', { body: { slug, name: `Tenant ${slug}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'active' });
    await expectNamespaceReady(t, `freight-${slug}`, 2);
  });

  it('answers 503 when Temporal fails, records why, and finishes on the next request', async () => {
    const down = await createTestApp({
      ensureNamespace: () => Promise.reject(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 })),
    });
    const slug = uniqueSlug('down');
    const res = await down.call('POST', '/v1/tenants', { body: { slug, name: 'Down' } });
    expect(res.status).toBe(503);
    expect(await errorBody(res)).toMatchObject({ code: 'dependency_unavailable', message: expect.stringMatching(/Temporal/) });

    const [row] = await withAdminScope(t.ctx.sql, { actor: 'test', reason: 'inspect', audit: false }, (tx) =>
      tx<{ id: string; status: string; provisioning_error: string | null }[]>`select id, status, provisioning_error from freight.tenants where slug = ${slug}`);
    expect(row).toMatchObject({ status: 'provisioning', provisioning_error: expect.stringMatching(/UNAVAILABLE/) });

    const retry = await t.call('POST', '/v1/tenants', { body: { slug, name: 'Down' } });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ id: row?.id, status: 'active', provisioningError: null });
  });

  it('reconcileTenants finishes tenants stuck in provisioning', async () => {
    const slug = uniqueSlug('stuck');
    const id = await insertStuckTenant(t, slug);
    const result = await reconcileTenants({ sql: t.ctx.sql, temporal: t.ctx.temporal, logger: t.ctx.logger });
    expect(result.failed.filter((f) => f.slug === slug)).toEqual([]);
    const [row] = await withTenant(t.ctx.sql, id, (tx) => tx<{ status: string }[]>`select status from freight.tenants where id = ${id}`);
    // Another test file may have reconciled it first; either way it is active now.
    expect(row?.status).toBe('active');
    await expectNamespaceReady(t, `freight-${slug}`, 2);
  });

  it('lists tenants for admins, page by page', async () => {
    const created = await Promise.all([1, 2, 3].map(async () => {
      const res = await t.call('POST', '/v1/tenants', { body: { slug: uniqueSlug('page'), name: 'Paged' } });
      return ((await res.json()) as Tenant).id;
    }));
    async function walk(limit: number, maxPages: number): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < maxPages; pages++) {
        const res: Response = await t.call('GET', `/v1/tenants?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { data: Tenant[]; nextCursor: string | null };
        expect(page.data.length).toBeLessThanOrEqual(limit);
        ids.push(...page.data.map((tenant) => tenant.id));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return ids;
    }
    const small = await walk(2, 4);
    expect(new Set(small).size).toBe(small.length);
    const all = await walk(500, 1_000);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, small.length)).toEqual(small);
    expect(all).toEqual(expect.arrayContaining(created));
    expect((await t.call('GET', '/v1/tenants?cursor=garbage')).status).toBe(400);
  });
});
