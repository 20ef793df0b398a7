import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createTestApp, type TestApp } from '../../../test/integration/support/app.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import type { Tenant } from '../../../shared/tenancy/tenant-model.ts';
import { createPgIdMap } from './pg-id-map.ts';

// The Postgres id map as the app role, under forced row-level security.
let t: TestApp;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([createTenant(t), createTenant(t)]);
});

describe('createPgIdMap', () => {
  it('puts and gets in bulk, insert-if-absent: the first writer wins and everyone converges', async () => {
    const map = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'pair-1' });
    const first = await map.put([
      { source: { kind: 'note', id: '1' }, target: { object: 'note', id: 'n-1' } },
      { source: { kind: 'note', id: '2' }, target: { object: 'note', id: 'n-2' } },
    ]);
    expect(first.get('note:1')).toEqual({ object: 'note', id: 'n-1' });
    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      map.put([{ source: { kind: 'note', id: '3' }, target: { object: 'note', id: `n-3-${i}` } }])));
    const winners = new Set(racing.map((r) => r.get('note:3')?.id));
    expect(winners.size).toBe(1);
    const again = await map.put([{ source: { kind: 'note', id: '1' }, target: { object: 'note', id: 'other' } }]);
    expect(again.get('note:1')?.id).toBe('n-1');
    const got = await map.get([{ kind: 'note', id: '1' }, { kind: 'note', id: '2' }, { kind: 'note', id: '404' }]);
    expect([...got.keys()].sort()).toEqual(['note:1', 'note:2']);
    expect(await map.get([])).toEqual(new Map());
  });

  it('keeps scopes and tenants apart', async () => {
    await createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'pair-2' }).put([{ source: { kind: 'person', id: '7' }, target: { object: 'people', id: 'p-a' } }]);
    expect((await createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'pair-3' }).get([{ kind: 'person', id: '7' }])).size).toBe(0);
    const other = createPgIdMap({ sql: t.ctx.sql, tenantId: b.id, scope: 'pair-2' });
    expect((await other.get([{ kind: 'person', id: '7' }])).size).toBe(0);
    await other.put([{ source: { kind: 'person', id: '7' }, target: { object: 'people', id: 'p-b' } }]);
    expect((await other.get([{ kind: 'person', id: '7' }])).get('person:7')?.id).toBe('p-b');
    // RLS: tenant A's transaction sees none of B's rows even without a WHERE clause.
    const rows = await withTenant(t.ctx.sql, a.id, (tx) => tx<{ tenant_id: string }[]>`select tenant_id from freight.id_map`);
    expect(new Set(rows.map((r) => r.tenant_id))).toEqual(new Set([a.id]));
  });

  it('handles a large batch in one round trip', async () => {
    const map = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'bulk' });
    const entries = Array.from({ length: 5000 }, (_, i) => ({ source: { kind: 'organization', id: String(i) }, target: { object: 'companies', id: `c-${i}` } }));
    expect((await map.put(entries)).size).toBe(5000);
    expect((await map.get(entries.map((e) => e.source))).size).toBe(5000);
  });

  it('replace is a compare-and-set: of two racing replacements of one target, exactly one wins', async () => {
    const map = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'replace' });
    const note = { kind: 'note', id: '5' };
    await map.put([{ source: note, target: { object: 'note', id: 'old' } }]);
    const racing = await Promise.all(['x', 'y'].map((id) => map.replace(note, { object: 'note', id: 'old' }, { object: 'note', id })));
    expect(racing[0]).toEqual(racing[1]);
    expect(['x', 'y']).toContain(racing[0]?.id);
    expect((await map.get([note])).get('note:5')).toEqual(racing[0]);
    expect(await map.replace({ kind: 'note', id: 'absent' }, { object: 'note', id: 'old' }, { object: 'note', id: 'z' })).toBeUndefined();
  });
});
