import type { Actor } from '../auth/principal.ts';
import type { Sql, TransactionSql } from '../db/client.ts';
import { withAdminScope, withTenant } from '../db/scope.ts';
import { scopeActorName } from '../tenancy/audit.ts';
import { ownTenantOf } from '../tenancy/tenant-model.ts';
import { listWorkers, type WorkerStatus } from './worker-liveness.ts';

/** Throughput and health of one tenant's jobs. */
export interface TenantStats {
  tenantId: string;
  windowMinutes: number;
  /** Records of the batches that finished within the window, per minute of the window. */
  recordsPerMinuteWindow: number;
  /** Over every finished job: records processed ÷ minutes between the job's start and finish. */
  recordsPerMinuteCompletedJobs: number | null;
  records: { total: number; succeeded: number; failed: number; skipped: number; retrying: number };
  /** failed ÷ (succeeded + failed + skipped); 0 with no records. */
  failureRate: number;
  /** Extra attempts (attempts − 1, summed over records and batches) per job. */
  averageRetriesPerJob: number;
  /** Share of record attempts that were retries: Σ(attempts − 1) ÷ Σ attempts. */
  recordRetryRate: number;
  jobs: { total: number; byStatus: Record<string, number> };
  batchesInFlight: number;
}

export interface UsageReport {
  generatedAt: string;
  windowMinutes: number;
  tenants: Array<TenantStats & { slug: string; name: string }>;
  workers: WorkerStatus[];
}

interface StatsRow {
  tenant_id: string;
  jobs_total: number;
  jobs_by_status: Record<string, number> | null;
  records_total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  retrying: number;
  record_attempts: number;
  window_records: number;
  completed_records: number;
  completed_minutes: number;
  batch_retries: number;
  batches_in_flight: number;
}

const round = (n: number, digits = 4): number => Math.round(n * 10 ** digits) / 10 ** digits;

function toStats(row: StatsRow, windowMinutes: number): TenantStats {
  const finished = row.succeeded + row.failed + row.skipped;
  const recordRetries = Math.max(0, row.record_attempts - row.records_total);
  return {
    tenantId: row.tenant_id,
    windowMinutes,
    recordsPerMinuteWindow: round(row.window_records / windowMinutes, 2),
    recordsPerMinuteCompletedJobs: row.completed_minutes > 0 ? round(row.completed_records / row.completed_minutes, 2) : null,
    records: { total: row.records_total, succeeded: row.succeeded, failed: row.failed, skipped: row.skipped, retrying: row.retrying },
    failureRate: finished > 0 ? round(row.failed / finished) : 0,
    averageRetriesPerJob: row.jobs_total > 0 ? round((recordRetries + row.batch_retries) / row.jobs_total, 2) : 0,
    recordRetryRate: row.record_attempts > 0 ? round(recordRetries / row.record_attempts) : 0,
    jobs: { total: row.jobs_total, byStatus: row.jobs_by_status ?? {} },
    batchesInFlight: row.batches_in_flight,
  };
}

/**
 * One row per tenant visible in the transaction's scope (one under `withTenant`, all under the admin
 * scope). Aggregates per table first and joins the small results, so each big table is scanned once.
 */
async function statsRows(tx: TransactionSql, windowMinutes: number): Promise<StatsRow[]> {
  return tx<StatsRow[]>`
    with job_agg as (
      select tenant_id, count(*)::int as jobs_total, jsonb_object_agg(status, n) as jobs_by_status
      from (select tenant_id, status, count(*)::int as n from freight.jobs group by tenant_id, status) s
      group by tenant_id
    ), rec_agg as (
      select c.tenant_id,
        sum(c.records)::int as records_total,
        coalesce(sum(c.records) filter (where c.status = 'succeeded'), 0)::int as succeeded,
        coalesce(sum(c.records) filter (where c.status = 'failed'), 0)::int as failed,
        coalesce(sum(c.records) filter (where c.status = 'skipped'), 0)::int as skipped,
        coalesce(sum(c.records) filter (where c.status = 'retrying'), 0)::int as retrying,
        coalesce(sum(c.attempts), 0)::int as record_attempts
      from freight.job_record_counts c group by c.tenant_id
    ), window_agg as (
      -- Records of the batches that finished within the window (a batch's counters are its records'
      -- final outcomes), so the window needs no scan of the record log either.
      select tenant_id, coalesce(sum(succeeded + failed + skipped), 0)::int as window_records
      from freight.job_batches
      where finished_at >= now() - make_interval(mins => ${windowMinutes}) group by tenant_id
    ), done_agg as (
      select j.tenant_id,
        coalesce(sum(c.n), 0)::int as completed_records,
        coalesce(sum(extract(epoch from (j.finished_at - j.started_at)) / 60.0), 0)::float8 as completed_minutes
      from freight.jobs j
      join (select tenant_id, job_id, sum(records)::int as n from freight.job_record_counts group by tenant_id, job_id) c
        on c.tenant_id = j.tenant_id and c.job_id = j.id
      where j.finished_at is not null and j.started_at is not null and j.finished_at > j.started_at
      group by j.tenant_id
    ), batch_agg as (
      select tenant_id,
        coalesce(sum(greatest(attempts - 1, 0)), 0)::int as batch_retries,
        count(*) filter (where status in ('pending', 'running'))::int as batches_in_flight
      from freight.job_batches group by tenant_id
    )
    select t.id as tenant_id,
      coalesce(j.jobs_total, 0) as jobs_total, j.jobs_by_status,
      coalesce(r.records_total, 0) as records_total, coalesce(r.succeeded, 0) as succeeded, coalesce(r.failed, 0) as failed,
      coalesce(r.skipped, 0) as skipped, coalesce(r.retrying, 0) as retrying, coalesce(r.record_attempts, 0) as record_attempts,
      coalesce(w.window_records, 0) as window_records,
      coalesce(d.completed_records, 0) as completed_records, coalesce(d.completed_minutes, 0) as completed_minutes,
      coalesce(b.batch_retries, 0) as batch_retries, coalesce(b.batches_in_flight, 0) as batches_in_flight
    from freight.tenants t
    left join job_agg j on j.tenant_id = t.id
    left join rec_agg r on r.tenant_id = t.id
    left join window_agg w on w.tenant_id = t.id
    left join done_agg d on d.tenant_id = t.id
    left join batch_agg b on b.tenant_id = t.id
    order by t.created_at, t.id`;
}

/** `GET /v1/stats` and `GET /v1/admin/usage`: SQL over jobs, batches and the record log's totals. */
export function createStatsService(deps: { sql: Sql; liveWithinMs?: number }) {
  const { sql } = deps;

  async function forTenant(actor: Actor, windowMinutes = 60): Promise<TenantStats> {
    const tenantId = ownTenantOf(actor.principal);
    const [row] = await withTenant(sql, tenantId, (tx) => statsRows(tx, windowMinutes));
    if (!row) throw new Error(`tenant ${tenantId} has no row in its own scope`);
    return toStats(row, windowMinutes);
  }

  async function usage(actor: Actor, windowMinutes = 60): Promise<UsageReport> {
    const why = { actor: scopeActorName(actor), reason: 'usage report', requestId: actor.requestId ?? undefined };
    return withAdminScope(sql, why, async (tx) => {
      const rows = await statsRows(tx, windowMinutes);
      const names = await tx<{ id: string; slug: string; name: string }[]>`select id, slug, name from freight.tenants`;
      const byId = new Map(names.map((n) => [n.id, n]));
      return {
        generatedAt: new Date().toISOString(),
        windowMinutes,
        tenants: rows.map((row) => ({ ...toStats(row, windowMinutes), slug: byId.get(row.tenant_id)?.slug ?? '', name: byId.get(row.tenant_id)?.name ?? '' })),
        workers: await listWorkers(tx, deps.liveWithinMs),
      };
    });
  }

  return { forTenant, usage };
}

export type StatsService = ReturnType<typeof createStatsService>;
