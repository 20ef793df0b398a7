import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createTestApp, type TestApp } from '../../../test/integration/support/app.ts';
import { withTenant } from '../../../shared/db/scope.ts';
import type { Tenant } from '../../../shared/tenancy/tenant-model.ts';
import { createPgIdMap } from './pg-id-map.ts';

// Coalescing: many concurrent callers, few transactions, each caller answered as if alone.
let t: TestApp;
let a: Tenant;
beforeAll(async () => {
  t = await createTestApp();
  a = await createTenant(t);
});

/** Counts the transactions the pool starts while `fn` runs. */
async function countingBegins<T>(fn: (sql: TestApp['ctx']['sql']) => Promise<T>): Promise<{ result: T; begins: number }> {
  const sql = t.ctx.sql;
  let begins = 0;
  const counted = new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'begin') {
        return (...args: unknown[]) => {
          begins += 1;
          return (target.begin as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const result = await fn(counted);
  return { result, begins };
}

describe('createPgIdMap coalescing', () => {
  it('answers 200 concurrent puts and gets with a handful of transactions, each caller its own keys', async () => {
    const { result, begins } = await countingBegins(async (sql) => {
      const map = createPgIdMap({ sql, tenantId: a.id, scope: 'coalesce-1' });
      const puts = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        map.put([{ source: { kind: 'note', id: String(i) }, target: { object: 'note', id: `n-${i}` } }])));
      const gets = await Promise.all(Array.from({ length: 200 }, (_, i) => map.get([{ kind: 'note', id: String(i) }, { kind: 'note', id: `missing-${i}` }])));
      return { puts, gets };
    });
    expect(begins).toBeLessThanOrEqual(8);
    result.puts.forEach((held, i) => expect([...held]).toEqual([[`note:${i}`, { object: 'note', id: `n-${i}` }]]));
    result.gets.forEach((held, i) => expect([...held]).toEqual([[`note:${i}`, { object: 'note', id: `n-${i}` }]]));
  });

  it('lets the first of several concurrent claimers of one key win, and tells every one of them', async () => {
    const map = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'coalesce-2' });
    const racing = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      map.put([{ source: { kind: 'claim:people.email_addresses', id: 'same@example.com' }, target: { object: 'claim', id: `person:${i}` } }], { jobId: undefined })));
    const holders = new Set(racing.map((r) => r.get('claim:people.email_addresses:same@example.com')?.id));
    expect(holders).toEqual(new Set(['person:0']));
    const rows = await withTenant(t.ctx.sql, a.id, (tx) => tx<{ n: number }[]>`
      select count(*)::int as n from freight.id_map where tenant_id = ${a.id} and scope = 'coalesce-2'`);
    expect(rows[0]?.n).toBe(1);
  });

  it('two id maps (two worker processes) putting overlapping keys in opposite orders converge without deadlock', async () => {
    const one = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'coalesce-3' });
    const two = createPgIdMap({ sql: t.ctx.sql, tenantId: a.id, scope: 'coalesce-3' });
    const keys = Array.from({ length: 300 }, (_, i) => String(i));
    const [x, y] = await Promise.all([
      one.put(keys.map((k) => ({ source: { kind: 'person', id: k }, target: { object: 'people', id: `one-${k}` } }))),
      two.put([...keys].reverse().map((k) => ({ source: { kind: 'person', id: k }, target: { object: 'people', id: `two-${k}` } }))),
    ]);
    for (const k of keys) expect(x.get(`person:${k}`)).toEqual(y.get(`person:${k}`));
  });
});
