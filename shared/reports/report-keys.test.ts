import { describe, expect, it } from 'vitest';
import { reconciliationKey } from '../reconcile/reconcile-model.ts';
import { artifactKind, jobPrefix, reportKey } from './report-keys.ts';

const tenant = '00000000-0000-4000-8000-000000000001';
const job = '00000000-0000-4000-8000-000000000002';

describe('artifactKind', () => {
  it('names reports, reconciliation files and batch archives by the keys their writers use', () => {
    expect(artifactKind(reportKey(tenant, job, 'report.json'))).toBe('report_json');
    expect(artifactKind(reportKey(tenant, job, 'report.csv'))).toBe('report_csv');
    expect(artifactKind(reconciliationKey(tenant, job, 3, 'json'))).toBe('reconciliation_json');
    expect(artifactKind(reconciliationKey(tenant, job, 12, 'csv'))).toBe('reconciliation_csv');
    expect(artifactKind(`${jobPrefix(tenant, job)}batches/organizations-000001/archive.ndjson.gz`)).toBe('batch_archive');
  });

  it('leaves out what is not an artifact (extracted source pages, images, anything else)', () => {
    expect(artifactKind(`${jobPrefix(tenant, job)}batches/organizations-000001/source-1-a1b2c3.ndjson.gz`)).toBeUndefined();
    expect(artifactKind(`${jobPrefix(tenant, job)}batches/organizations-000001/images/before-a1b2c3d4e5f6.ndjson.gz`)).toBeUndefined();
    expect(artifactKind(`${jobPrefix(tenant, job)}report/reconciliation-x.json`)).toBeUndefined();
    expect(artifactKind(`${jobPrefix(tenant, job)}report/notes.txt`)).toBeUndefined();
  });
});
