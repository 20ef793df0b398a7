import type { Actor } from '../auth/principal.ts';
import type { Sql } from '../db/client.ts';
import { withTenant } from '../db/scope.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { ownTenantOf, UUID_PATTERN } from '../tenancy/tenant-model.ts';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Context } from '../s3.ts';
import { listArtifacts, type Artifact } from './artifacts.ts';
import { REPORT_CSV_COLUMNS, reportCsvRows } from './report-csv.ts';
import { buildReport, type JobReport } from './report-model.ts';
import { readReportInputs } from './report-reader.ts';
import { streamRowsCsv, streamTenantCsv } from './csv-stream.ts';
import { createDiffService } from './diff-service.ts';

export const RECORD_CSV_COLUMNS = [
  'object', 'source_id', 'batch_id', 'status', 'target_object', 'target_id', 'action', 'error_kind', 'error_message', 'note',
  'degraded', 'attempts', 'first_attempt_at', 'last_attempt_at',
] as const;

export interface ReportServiceDeps {
  sql: Sql;
  s3: S3Context;
  presigner: S3Client;
  artifactUrlTtlSeconds: number;
  logger: Logger;
  now?: () => number;
}

/** Reports, CSV exports and artifacts of the caller's tenant's jobs (another tenant's job is a 404). */
export function createReportService(deps: ReportServiceDeps) {
  const now = (): Date => new Date(deps.now?.() ?? Date.now());

  const tenantOf = (actor: Actor, jobId: string): string => {
    const tenantId = ownTenantOf(actor.principal);
    if (!UUID_PATTERN.test(jobId)) throw new NotFoundError('Job');
    return tenantId;
  };

  async function report(actor: Actor, jobId: string): Promise<JobReport> {
    const inputs = await withTenant(deps.sql, tenantOf(actor, jobId), (tx) => readReportInputs(tx, jobId));
    if (!inputs) throw new NotFoundError('Job');
    return buildReport(inputs, now());
  }

  async function reportCsv(actor: Actor, jobId: string): Promise<ReadableStream<Uint8Array>> {
    return streamRowsCsv(REPORT_CSV_COLUMNS, reportCsvRows(await report(actor, jobId)));
  }

  /** The record log as CSV, ordered by (object, source id); 404 is decided before the first byte. */
  async function recordsCsv(actor: Actor, jobId: string): Promise<ReadableStream<Uint8Array>> {
    const tenantId = tenantOf(actor, jobId);
    const [job] = await withTenant(deps.sql, tenantId, (tx) => tx`select 1 from freight.jobs where id = ${jobId}`);
    if (!job) throw new NotFoundError('Job');
    return streamTenantCsv({
      sql: deps.sql, tenantId, columns: RECORD_CSV_COLUMNS, logger: deps.logger,
      query: (tx) => tx`
        select ${tx([...RECORD_CSV_COLUMNS])} from freight.job_records where job_id = ${jobId} order by object, source_id`,
    });
  }

  async function artifacts(actor: Actor, jobId: string): Promise<Artifact[]> {
    const tenantId = tenantOf(actor, jobId);
    const [job] = await withTenant(deps.sql, tenantId, (tx) => tx`select 1 from freight.jobs where id = ${jobId}`);
    if (!job) throw new NotFoundError('Job');
    return listArtifacts({ s3: deps.s3, presigner: deps.presigner, ttlSeconds: deps.artifactUrlTtlSeconds, ...(deps.now ? { now: deps.now } : {}) }, tenantId, jobId);
  }

  return { report, reportCsv, recordsCsv, artifacts, ...createDiffService(deps) };
}

export type ReportService = ReturnType<typeof createReportService>;
