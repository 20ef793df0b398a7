import type { Sql } from '../db/client.ts';

/** Channel on which the API announces "this namespace needs a worker now" (job start, signal). */
export const DEMAND_CHANNEL = 'freight_worker_demand';

/**
 * Tells the worker process that `namespace` needs a Worker now (after a start, before a signal or
 * update), instead of waiting for its next demand poll. Sent outside any transaction: a NOTIFY in
 * a transaction is delivered only at commit, which would be after the signal it should precede.
 */
export async function notifyWorkerDemand(sql: Sql, namespace: string): Promise<void> {
  await sql`select pg_notify(${DEMAND_CHANNEL}, ${namespace})`;
}
