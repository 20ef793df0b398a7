import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createJobStore } from '../../activities/jobs/job-store.ts';
import type { RecordOutcome } from '../../activities/jobs/job-store.ts';
import type { TransactionSql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from './support/jobs.ts';

// job_record_counts (migration 0040) is what job detail, progress events, /metrics and /v1/stats
// read instead of counting the record log: after any mix of bulk inserts, upserts that change
// status, concurrent flushes and deletes, it must equal a count of the log itself.
let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([tenantWithConnections(t), tenantWithConnections(t)]);
});

afterAll(async () => {
  await cleanUpJobs(t, [a, b]);
});

type Totals = Record<string, { records: number; attempts: number }>;

const counted = async (tx: TransactionSql, jobId: string): Promise<Totals> => {
  const rows = await tx<{ k: string; records: number; attempts: number }[]>`
    select object || '/' || status as k, count(*)::int as records, sum(attempts)::int as attempts
    from freight.job_records where job_id = ${jobId} group by 1`;
  return Object.fromEntries(rows.map((r) => [r.k, { records: r.records, attempts: r.attempts }]));
};

const kept = async (tx: TransactionSql, jobId: string): Promise<Totals> => {
  const rows = await tx<{ k: string; records: number; attempts: number }[]>`
    select object || '/' || status as k, records::int, attempts::int
    from freight.job_record_counts where job_id = ${jobId} and (records <> 0 or attempts <> 0)`;
  return Object.fromEntries(rows.map((r) => [r.k, { records: r.records, attempts: r.attempts }]));
};

const STATUSES = ['succeeded', 'failed', 'retrying', 'skipped'] as const;

const outcome = (object: string, sourceId: string, status: (typeof STATUSES)[number]): RecordOutcome => ({
  object, sourceId, batchId: `${object}-000000`, status, targetObject: status === 'succeeded' ? 'people' : null,
  targetId: status === 'succeeded' ? `t-${sourceId}` : null, action: status === 'succeeded' ? 'created' : null,
  errorKind: status === 'failed' ? 'validation' : null, errorMessage: status === 'failed' ? 'bad' : null, note: null,
});

describe('record-log totals', () => {
  it('equal a count of the log after bulk inserts and status-changing upserts', async () => {
    const jobId = await insertJob(t, a);
    const store = createJobStore(t.ctx.sql);
    const ref = { tenantId: a.tenant.id, jobId };
    await store.writeOutcomes(ref, Array.from({ length: 300 }, (_, i) => outcome(i < 200 ? 'persons' : 'organizations', String(i), STATUSES[i % 4] ?? 'succeeded')));
    // Half of them again with another status (ON CONFLICT DO UPDATE: the UPDATE trigger's rows), plus 50 new.
    await store.writeOutcomes(ref, Array.from({ length: 200 }, (_, i) => outcome(i + 150 < 200 ? 'persons' : 'organizations', String(i + 150), STATUSES[(i + 1) % 4] ?? 'failed')));
    await withTenant(t.ctx.sql, a.tenant.id, async (tx) => {
      const exact = await counted(tx, jobId);
      expect(Object.values(exact).reduce((n, v) => n + v.records, 0)).toBe(350);
      expect(await kept(tx, jobId)).toEqual(exact);
    });
  });

  it('stay exact under concurrent flushes with overlapping records (property run)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.record({ id: fc.integer({ min: 0, max: 40 }), status: fc.constantFrom(...STATUSES), object: fc.constantFrom('persons', 'notes') }), { minLength: 1, maxLength: 30 }), { minLength: 2, maxLength: 6 }),
      async (flushes) => {
        const jobId = await insertJob(t, a);
        const store = createJobStore(t.ctx.sql);
        const ref = { tenantId: a.tenant.id, jobId };
        // One flush never names a record twice (a chunk is a slice of distinct source rows); key order
        // keeps overlapping upserts from deadlocking on the log's own rows, which is not under test.
        await Promise.all(flushes.map((rows) => {
          const unique = new Map(rows.map((r) => [`${r.object}:${String(r.id).padStart(3, '0')}`, r]));
          const sorted = [...unique].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, r]) => r);
          return store.writeOutcomes(ref, sorted.map((r) => outcome(r.object, String(r.id).padStart(3, '0'), r.status)));
        }));
        await withTenant(t.ctx.sql, a.tenant.id, async (tx) => {
          expect(await kept(tx, jobId)).toEqual(await counted(tx, jobId));
        });
      },
    ), { numRuns: 15 });
  });

  it('follow deletes, and stay inside the tenant that owns them', async () => {
    const jobId = await insertJob(t, a);
    const store = createJobStore(t.ctx.sql);
    await store.writeOutcomes({ tenantId: a.tenant.id, jobId }, Array.from({ length: 30 }, (_, i) => outcome('persons', String(i), i < 10 ? 'failed' : 'succeeded')));
    await withTenant(t.ctx.ownerSql, a.tenant.id, (tx) => tx`delete from freight.job_records where job_id = ${jobId} and status = 'failed'`);
    await withTenant(t.ctx.sql, a.tenant.id, async (tx) => {
      expect(await kept(tx, jobId)).toEqual({ 'persons/succeeded': { records: 20, attempts: 20 } });
    });
    await withTenant(t.ctx.sql, b.tenant.id, async (tx) => {
      expect(await tx`select 1 from freight.job_record_counts where job_id = ${jobId}`).toHaveLength(0);
    });
  });

  it('are what GET /v1/jobs/{id} reports', async () => {
    const jobId = await insertJob(t, a);
    await createJobStore(t.ctx.sql).writeOutcomes({ tenantId: a.tenant.id, jobId }, Array.from({ length: 12 }, (_, i) => outcome('persons', String(i), i < 3 ? 'failed' : 'succeeded')));
    const res = await t.call('GET', `/v1/jobs/${jobId}`, { token: a.engineer });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: Record<string, Record<string, number>> };
    expect(body.counts.persons).toMatchObject({ succeeded: 9, failed: 3 });
  });
});
