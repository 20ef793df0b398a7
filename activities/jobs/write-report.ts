import { stringify } from 'csv-stringify/sync';
import type { Sql } from '../../shared/db/client.ts';
import { withTenant } from '../../shared/db/scope.ts';
import { csvOptions } from '../../shared/reports/csv-cells.ts';
import { REPORT_CSV_COLUMNS, reportCsvRows } from '../../shared/reports/report-csv.ts';
import { reportKey } from '../../shared/reports/report-keys.ts';
import { buildReport } from '../../shared/reports/report-model.ts';
import { readReportInputs } from '../../shared/reports/report-reader.ts';
import { readDeltaSummary, recordDeletedAtSource } from '../../shared/jobs/delta-summary.ts';
import type { JobRow } from '../../shared/jobs/job-model.ts';
import { putObject, type S3Context } from '../../shared/s3.ts';
import { activitySignal } from './activity-signal.ts';
import type { JobRef } from './contract.ts';
import { configFailure } from './failures.ts';

export interface WriteReportResult {
  status: string;
  jsonKey: string;
  csvKey: string;
}

/**
 * Writes the job's report (JSON and CSV) to S3 under the tenant prefix. Idempotent: the keys are
 * fixed per job, so a retried activity, or a later run after retries changed the outcome, overwrites.
 */
export function createWriteJobReport(deps: { sql: Sql; s3: S3Context }) {
  return async function writeJobReport(ref: JobRef): Promise<WriteReportResult> {
    const read = await withTenant(deps.sql, ref.tenantId, async (tx) => {
      // A delta that read the whole source lists what the source no longer has (see delta-summary.ts).
      const [job] = await tx<JobRow[]>`select * from freight.jobs where id = ${ref.jobId}`;
      if (job) await recordDeletedAtSource(tx, job);
      return { inputs: await readReportInputs(tx, ref.jobId), delta: job ? await readDeltaSummary(tx, job) : null };
    }, { signal: activitySignal() });
    const { inputs } = read;
    if (!inputs) throw configFailure(`job ${ref.jobId} not found`);
    const report = { ...buildReport(inputs, new Date()), ...(read.delta ? { delta: read.delta } : {}) };
    const jsonKey = reportKey(ref.tenantId, ref.jobId, 'report.json');
    const csvKey = reportKey(ref.tenantId, ref.jobId, 'report.csv');
    const metadata = { 'freight-job': ref.jobId, 'freight-status': report.status };
    await putObject(deps.s3, { Key: jsonKey, Body: JSON.stringify(report, null, 2), ContentType: 'application/json', Metadata: metadata });
    await putObject(deps.s3, {
      Key: csvKey, Body: stringify([...reportCsvRows(report)], csvOptions(REPORT_CSV_COLUMNS)), ContentType: 'text/csv; charset=utf-8',
      ContentDisposition: `attachment; filename="job-${ref.jobId}-report.csv"`, Metadata: metadata,
    });
    return { status: report.status, jsonKey, csvKey };
  };
}
