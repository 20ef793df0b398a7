import { tenantKey } from '../s3.ts';

/** A job's objects all live under this prefix (batch archives under `batches/`, reports under `report/`). */
export function jobPrefix(tenantId: string, jobId: string): string {
  return `${tenantKey(tenantId, 'jobs', jobId)}/`;
}

export function reportKey(tenantId: string, jobId: string, file: 'report.json' | 'report.csv'): string {
  return tenantKey(tenantId, 'jobs', jobId, 'report', file);
}

export const ARTIFACT_KINDS = ['report_json', 'report_csv', 'reconciliation_json', 'reconciliation_csv', 'batch_archive'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** What a key under a job's prefix is; undefined for objects that are not artifacts (extracted source pages). */
export function artifactKind(key: string): ArtifactKind | undefined {
  if (/\/batches\/[^/]+\/archive\.ndjson\.gz$/.test(key)) return 'batch_archive';
  if (key.endsWith('/report/report.json')) return 'report_json';
  if (key.endsWith('/report/report.csv')) return 'report_csv';
  // One pair per reconciliation run (shared/reconcile/reconcile-model.ts reconciliationKey).
  if (/\/report\/reconciliation-\d+\.json$/.test(key)) return 'reconciliation_json';
  if (/\/report\/reconciliation-\d+\.csv$/.test(key)) return 'reconciliation_csv';
  return undefined;
}
