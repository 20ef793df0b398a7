import type { Sql, TransactionSql } from '../db/client.ts';
import { withAdminScope } from '../db/scope.ts';

/** A worker counts as live when its last heartbeat is this recent (it beats every ~10 s). */
export const WORKER_LIVE_WITHIN_MS = 30_000;

export interface WorkerStatus {
  workerId: string;
  hostname: string;
  pid: number;
  taskQueue: string;
  namespaces: string[];
  startedAt: string;
  lastSeenAt: string;
  stoppedAt: string | null;
  live: boolean;
}

export interface WorkerSummary {
  live: number;
  /** Most recent heartbeat of any worker, null when none ever beat. */
  lastSeenAt: string | null;
}

export interface HeartbeatRecord {
  workerId: string;
  hostname: string;
  pid: number;
  taskQueue: string;
  namespaces: string[];
  startedAt: Date;
}

interface WorkerRow {
  worker_id: string;
  hostname: string;
  pid: number;
  task_queue: string;
  namespaces: string[];
  started_at: Date;
  last_seen_at: Date;
  stopped_at: Date | null;
  live: boolean;
}

// Liveness is judged by the database clock on both sides (write and read), so clock skew between
// hosts cannot make a live worker look dead.
const SYSTEM_SCOPE = { actor: 'system:freight', reason: 'worker liveness', audit: false } as const;

/** Workers seen in the last day (older rows are history), newest first. Needs the admin scope. */
export async function listWorkers(tx: TransactionSql, liveWithinMs = WORKER_LIVE_WITHIN_MS): Promise<WorkerStatus[]> {
  const rows = await tx<WorkerRow[]>`
    select worker_id, hostname, pid, task_queue, namespaces, started_at, last_seen_at, stopped_at,
           (stopped_at is null and last_seen_at >= now() - make_interval(secs => ${liveWithinMs / 1000})) as live
    from freight.worker_heartbeats
    where last_seen_at >= now() - interval '1 day'
    order by last_seen_at desc limit 200`;
  return rows.map((r) => ({
    workerId: r.worker_id, hostname: r.hostname, pid: r.pid, taskQueue: r.task_queue, namespaces: r.namespaces,
    startedAt: r.started_at.toISOString(), lastSeenAt: r.last_seen_at.toISOString(), stoppedAt: r.stopped_at?.toISOString() ?? null, live: r.live,
  }));
}

/** Count of live workers and the latest heartbeat, for `/ready` and the metrics endpoint (not audited). */
export async function workerSummary(sql: Sql, liveWithinMs = WORKER_LIVE_WITHIN_MS): Promise<WorkerSummary> {
  const [row] = await withAdminScope(sql, SYSTEM_SCOPE, (tx) => tx<{ live: number; last_seen_at: Date | null }[]>`
    select count(*) filter (where stopped_at is null and last_seen_at >= now() - make_interval(secs => ${liveWithinMs / 1000}))::int as live,
           max(last_seen_at) as last_seen_at
    from freight.worker_heartbeats`);
  return { live: row?.live ?? 0, lastSeenAt: row?.last_seen_at?.toISOString() ?? null };
}

/** Records that the worker is alive (insert or refresh its row). */
export async function beat(sql: Sql, record: HeartbeatRecord): Promise<void> {
  await withAdminScope(sql, SYSTEM_SCOPE, (tx) => tx`
    insert into freight.worker_heartbeats (worker_id, hostname, pid, task_queue, namespaces, started_at, last_seen_at)
    values (${record.workerId}, ${record.hostname}, ${record.pid}, ${record.taskQueue}, ${tx.array(record.namespaces)}, ${record.startedAt}, now())
    on conflict (worker_id) do update set namespaces = excluded.namespaces, last_seen_at = now(), stopped_at = null`);
}

/** Marks the worker stopped on a clean shutdown, so it stops counting as live at once. */
export async function markStopped(sql: Sql, workerId: string): Promise<void> {
  await withAdminScope(sql, SYSTEM_SCOPE, (tx) => tx`
    update freight.worker_heartbeats set stopped_at = now(), last_seen_at = now() where worker_id = ${workerId}`);
}
