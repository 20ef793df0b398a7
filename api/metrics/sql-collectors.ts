import { Counter, Gauge, type Registry } from 'prom-client';
import type { Sql } from '../../shared/db/client.ts';
import { withAdminScope } from '../../shared/db/scope.ts';

interface Snapshot {
  jobs: Array<{ tenant: string; status: string; n: number }>;
  batches: Array<{ tenant: string; status: string; n: number }>;
  records: Array<{ tenant: string; object: string; status: string; n: number }>;
  workersLive: number;
}

const IN_FLIGHT_JOBS = ['pending', 'running', 'paused'];
const IN_FLIGHT_BATCHES = ['pending', 'running'];
// A scrape reads every family within milliseconds: one query set serves them all.
const SNAPSHOT_TTL_MS = 1_000;
const SCRAPE_SCOPE = { actor: 'system:metrics', reason: 'metrics scrape', audit: false } as const;

async function readSnapshot(sql: Sql): Promise<Snapshot> {
  return withAdminScope(sql, SCRAPE_SCOPE, async (tx) => {
    const jobs = await tx<Snapshot['jobs']>`
      select tenant_id::text as tenant, status, count(*)::int as n
      from freight.jobs where status = any(${IN_FLIGHT_JOBS}) group by tenant_id, status`;
    const batches = await tx<Snapshot['batches']>`
      select tenant_id::text as tenant, status, count(*)::int as n
      from freight.job_batches where status = any(${IN_FLIGHT_BATCHES}) group by tenant_id, status`;
    const records = await tx<Snapshot['records']>`
      select tenant_id::text as tenant, object, status, sum(records)::float8 as n
      from freight.job_record_counts group by tenant_id, object, status having sum(records) > 0`;
    const [workers] = await tx<{ n: number }[]>`
      select count(*)::int as n from freight.worker_heartbeats where stopped_at is null and last_seen_at >= now() - interval '30 seconds'`;
    return { jobs, batches, records, workersLive: workers?.n ?? 0 };
  });
}

/**
 * Families computed from PostgreSQL when Prometheus scrapes, labelled by tenant id: a scrape must not
 * list the platform's customers by name or slug (map ids to names with GET /v1/tenants as an admin). `freight_records_processed_total` is
 * derived from the record log (its trigger-kept totals, `job_record_counts`, so a scrape reads one
 * row per job, object and status instead of every record ever logged) rather than incremented by
 * workers: the log holds each record's final outcome exactly once, so the counter equals the jobs'
 * own counts even after worker crashes, retried batches (which would double-count an in-process
 * counter) or API restarts. It only grows
 * while the log does; retention deletes would show up as a counter reset, which PromQL's `rate()`
 * handles. Records still `retrying` move to their final status later, which is a small, honest dip.
 */
export function registerSqlCollectors(registry: Registry, sql: Sql): void {
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = (): Promise<Snapshot> => {
    const now = Date.now();
    if (!cached || now - cached.at > SNAPSHOT_TTL_MS) {
      const value = readSnapshot(sql);
      // A failed read is not cached: the next scrape tries again.
      value.catch(() => { cached = undefined; });
      cached = { at: now, value };
    }
    return cached.value;
  };

  new Gauge({
    name: 'freight_jobs_in_flight',
    help: 'Jobs not yet finished (pending, running, paused), by tenant id and status',
    labelNames: ['tenant', 'status'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s.jobs) this.set({ tenant: r.tenant, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'freight_batches_in_flight',
    help: 'Batches pending or running, by tenant id and status',
    labelNames: ['tenant', 'status'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s.batches) this.set({ tenant: r.tenant, status: r.status }, r.n);
    },
  });
  new Counter({
    name: 'freight_records_processed_total',
    help: 'Records in the record log by tenant id, object and latest status (computed from PostgreSQL at scrape time)',
    labelNames: ['tenant', 'object', 'status'] as const,
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      for (const r of s.records) this.inc({ tenant: r.tenant, object: r.object, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'freight_workers_live',
    help: 'Worker processes with a heartbeat in the last 30 s',
    registers: [registry],
    async collect() {
      this.set((await snapshot()).workersLive);
    },
  });
}
