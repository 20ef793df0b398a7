import { tenantKey } from '../s3.ts';

/** A job's objects all live under this prefix (batch archives under `batches/`, reports under `report/`). */
export function jobPrefix(tenantId: string, jobId: string): string {
  return `${tenantKey(tenantId, 'jobs', jobId)}/`;
}

export function reportKey(tenantId: string, jobId: string, file: 'report.json' | 'report.csv'): string {
  return tenantKey(tenantId, 'jobs', jobId, 'report', file);
}

export type ArtifactKind = 'batch_archive' | 'report_json' | 'report_csv';

/** What a key under a job's prefix is; undefined for objects that are not artifacts (extracted source pages). */
export function artifactKind(key: string): ArtifactKind | undefined {
  if (/\/batches\/[^/]+\/archive\.ndjson\.gz$/.test(key)) return 'batch_archive';
  if (key.endsWith('/report/report.json')) return 'report_json';
  if (key.endsWith('/report/report.csv')) return 'report_csv';
  return undefined;
}
