import { Context } from '@temporalio/activity';
import { stringify } from 'csv-stringify/sync';
import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { csvOptions } from '../../shared/reports/csv-cells.ts';
import {
  countDifferences, differenceCsvRow, RECONCILIATION_CSV_COLUMNS, reconciliationKey, type Difference, type ReconciliationReport,
} from '../../shared/reconcile/reconcile-model.ts';
import { completeReconciliation, openReconciliation, setReconciliationStatus } from '../../shared/reconcile/reconcile-store.ts';
import { putObject, type S3Context } from '../../shared/s3.ts';
import type { ReconcileJobResult, ReconciliationTrigger } from '../../workflows/reconcile-job/definitions.ts';
import { createPgIdMap } from '../connectors/id-map/pg-id-map.ts';
import { activitySignal } from '../jobs/activity-signal.ts';
import type { JobRef } from '../jobs/contract.ts';
import { configFailure, toActivityFailure } from '../jobs/failures.ts';
import { withHeartbeatTimer } from '../jobs/heartbeat-timer.ts';
import type { JobConnectorFactory } from '../jobs/job-connectors.ts';
import type { JobStore } from '../jobs/job-store.ts';
import { skippedKeys, withLogReasons } from './record-reasons.ts';

export interface ReconcileActivityDeps {
  sql: Sql;
  s3: S3Context;
  store: JobStore;
  connectors: JobConnectorFactory;
  now?: () => Date;
}

/** The reconcileJob workflow's activities: its run row, the comparison, a failed run. */
export function createReconcileActivities(deps: ReconcileActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const scoped = <T>(ref: JobRef, fn: Parameters<typeof withTenant<T>>[2]): Promise<T> =>
    withTenant(deps.sql, ref.tenantId, fn, { signal: activitySignal() });

  async function openReconciliationRun(input: JobRef & { trigger: ReconciliationTrigger; workflowId: string }): Promise<{ seq: number }> {
    return scoped(input, async (tx) => {
      const row = await openReconciliation(tx, { ...input, status: 'running' });
      if (row.status === 'pending') await setReconciliationStatus(tx, input.jobId, row.seq, 'running');
      return { seq: row.seq };
    });
  }

  /**
   * Compares the job's source and target through its pair's `reconcile` hook, adds the record log's
   * reasons to missing records, and stores the report (JSON, and CSV with one row per difference) in
   * S3 beside the job's report. Heartbeats from a timer while the (paced) reads go on.
   */
  async function compareJob(input: JobRef & { seq: number }): Promise<Omit<ReconcileJobResult, 'seq'>> {
    const startedAt = now();
    const job = await deps.store.getJob(input);
    if (!job) throw configFailure(`job ${input.jobId} not found`);
    const { pair, deps: runtimeDeps } = await deps.connectors.forJob(job);
    if (!pair.reconcile) {
      await scoped(input, (tx) => setReconciliationStatus(tx, input.jobId, input.seq, 'not_supported', `${pair.data.displayName}: reconciliation is not supported yet`));
      return { status: 'not_supported', differences: null };
    }
    const reconcile = pair.reconcile.bind(pair);
    const skipped = await scoped(input, (tx) => skippedKeys(tx, input.jobId));
    const found: Difference[] = [];
    const result = await withHeartbeatTimer(Context.current(), undefined, async () => {
      try {
        return await reconcile({
          ...runtimeDeps,
          // Read fresh, not through the job's cached id map: a retry in another process may have written since.
          idMap: createPgIdMap({ sql: deps.sql, tenantId: job.tenant_id, scope: `${job.source_connection_id}:${job.target_connection_id}`, signal: activitySignal }),
          skipped,
          onDifference: (d) => void found.push(d),
        });
      } catch (err) {
        throw toActivityFailure(err);
      }
    });
    const [differences, trigger] = await scoped(input, async (tx) => {
      const [run] = await tx<{ trigger: ReconciliationTrigger }[]>`
        select trigger from freight.job_reconciliations where job_id = ${input.jobId} and seq = ${input.seq}`;
      return [await withLogReasons(tx, input.jobId, found), run?.trigger ?? 'manual'] as const;
    });
    const report: ReconciliationReport = {
      jobId: input.jobId, seq: input.seq, trigger, startedAt: startedAt.toISOString(), finishedAt: now().toISOString(),
      ...result, totals: countDifferences(differences), differences,
    };
    const jsonKey = reconciliationKey(input.tenantId, input.jobId, input.seq, 'json');
    const csvKey = reconciliationKey(input.tenantId, input.jobId, input.seq, 'csv');
    const metadata = { 'freight-job': input.jobId, 'freight-reconciliation': String(input.seq) };
    await putObject(deps.s3, { Key: jsonKey, Body: JSON.stringify(report), ContentType: 'application/json', Metadata: metadata });
    await putObject(deps.s3, {
      Key: csvKey, Body: stringify(differences.map(differenceCsvRow), csvOptions(RECONCILIATION_CSV_COLUMNS)), ContentType: 'text/csv; charset=utf-8',
      ContentDisposition: `attachment; filename="job-${input.jobId}-reconciliation-${input.seq}.csv"`, Metadata: metadata,
    });
    await scoped(input, (tx) => completeReconciliation(tx, { jobId: input.jobId, seq: input.seq, totals: report.totals, jsonKey, csvKey }));
    return { status: 'completed', differences: report.totals.differences };
  }

  async function failReconciliation(input: JobRef & { seq: number; error: string }): Promise<void> {
    await scoped(input, (tx) => setReconciliationStatus(tx, input.jobId, input.seq, 'failed', input.error.slice(0, 2000)));
  }

  return { openReconciliation: openReconciliationRun, compareJob, failReconciliation };
}
