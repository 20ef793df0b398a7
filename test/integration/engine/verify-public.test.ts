import { describe, expect, it } from 'vitest';
import { createAttioClient } from '../../../activities/pairs/affinity-attio/attio/attio-client.ts';
import { createBudgetRegistry } from '../../../activities/connectors/budget/budget-registry.ts';
import { createPgIdMap } from '../../../activities/connectors/id-map/pg-id-map.ts';
import type { VerificationReport } from '../../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { verifySandboxPair } from '../../../activities/pairs/affinity-attio/verification/verify-sandboxes.ts';
import {
  createEngineTenant, createJob, recordKeys, startSandboxes, startWorkerProcess, testTaskQueue, TERMINAL, waitForJob, type Sandboxes,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('verify-public');

/** Every difference verification can report, summed over kinds: 0 for a faithful target. */
function differences(report: VerificationReport): Record<string, number> {
  const sum = (key: 'missing' | 'duplicates' | 'unexpected' | 'mismatches'): number => Object.values(report.kinds).reduce((n, k) => n + k[key], 0);
  const links = Object.values(report.links);
  return {
    missing: sum('missing'), duplicates: sum('duplicates'), unexpected: sum('unexpected'), mismatches: sum('mismatches'),
    dangling: report.references.dangling, wrongLinks: links.reduce((n, l) => n + l.wrong, 0), missingLinks: links.reduce((n, l) => n + l.missing, 0),
  };
}

/**
 * One job over the sandboxes through a worker; then a verification of it through Attio's public API,
 * comparing what Freight's id map of the connection pair says the job wrote.
 */
async function migrateThenVerifier(s: Sandboxes): Promise<() => Promise<VerificationReport>> {
  const e = await createEngineTenant(s, QUEUE);
  const job = await createJob(e, { batchSize: 100, concurrency: 4 });
  const done = await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status));
  expect(done.status).toBe('completed');
  const pair = { affinity: { url: s.affinity.url, apiKey: s.affinity.apiKey }, attio: { url: s.attio.url, token: s.attio.token } };
  const written = createPgIdMap({ sql: e.t.ctx.sql, tenantId: e.tenantId, scope: `${e.sourceConnectionId}:${e.targetConnectionId}`, coalesce: false });
  const absent = await recordKeys(e, job.id, 'skipped');
  return async () => (await verifySandboxPair(pair, absent, { written })).report;
}

describe('verification through Attio\'s public API', () => {
  it('finds nothing after a job, then exactly the person a user re-pointed at another company; the customer\'s own records are only counted', async () => {
    const s = await startSandboxes({ seed: 'verify-public', size: 400 });
    const worker = startWorkerProcess(QUEUE);
    try {
      const verify = await migrateThenVerifier(s);

      const before = await verify();
      expect(differences(before), JSON.stringify(before.kinds)).toEqual({ missing: 0, duplicates: 0, unexpected: 0, mismatches: 0, dangling: 0, wrongLinks: 0, missingLinks: 0 });
      expect(before.ok).toBe(true);
      const companies = before.links['person.company'];
      expect(companies?.checked).toBeGreaterThan(20);
      expect(companies?.right).toBe(companies?.checked);

      // Afterwards, through the public API as a user of the workspace would: one person re-pointed
      // at another company, and one person of the customer's own (no Affinity id) created.
      const attio = createAttioClient({ baseUrl: s.attio.url, token: s.attio.token, budgets: createBudgetRegistry() });
      type Row = { id: { record_id: string }; values: Record<string, Array<{ target_record_id?: string; value?: unknown }>> };
      const people = (await attio.request<{ data: Row[] }>('POST', '/objects/people/records/query', { body: { limit: 500, offset: 0 } })).data;
      const linked = people.find((p) => p.values.company?.[0]?.target_record_id && p.values.affinity_id?.[0]?.value);
      const companyIds = (await attio.request<{ data: Row[] }>('POST', '/objects/companies/records/query', { body: { limit: 500, offset: 0 } })).data.map((c) => c.id.record_id);
      const other = companyIds.find((id) => id !== linked?.values.company?.[0]?.target_record_id);
      if (!linked || !other) throw new Error('the generated account has no person with a company');
      await attio.request('PATCH', `/objects/people/records/${linked.id.record_id}`, { body: { data: { values: { company: [{ target_object: 'companies', target_record_id: other }] } } } });
      await attio.request('POST', '/objects/people/records', { body: { data: { values: { name: [{ first_name: 'Own', last_name: 'Customer', full_name: 'Own Customer' }] } } } });

      const after = await verify();
      expect(after.ok).toBe(false);
      expect(differences(after)).toEqual({ missing: 0, duplicates: 0, unexpected: 0, mismatches: 1, dangling: 0, wrongLinks: 1, missingLinks: 0 });
      const sourceId = String(linked.values.affinity_id?.[0]?.value);
      expect(after.kinds.person?.examples).toEqual([expect.stringMatching(new RegExp(`^person:${sourceId} \\(${linked.id.record_id}\\): company: expected ref:\\S+ got ref:${other}$`))]);
      expect(after.links['person.company']).toMatchObject({ right: (companies?.right ?? 0) - 1, wrong: 1, missing: 0 });
      expect(after.kinds.person?.foreign).toBe((before.kinds.person?.foreign ?? 0) + 1);
    } finally {
      await worker.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });

  // The real Affinity listing carries no person's companies: the source must read them from a documented
  // field, or every person would arrive without one while each check of the listing stayed green.
  it('on an account where every person has a company, 100 % of migrated people reference the right one', async () => {
    const s = await startSandboxes({ seed: 'verify-companies', size: 600, everyPersonHasCompany: true });
    const worker = startWorkerProcess(QUEUE);
    try {
      const report = await (await migrateThenVerifier(s))();
      const companies = report.links['person.company'];
      console.info(`people → company: ${JSON.stringify(companies && { ...companies, examples: undefined })}`);
      expect(report.ok).toBe(true);
      expect(companies?.records).toBe(s.affinity.account.counts.persons);
      expect(companies).toMatchObject({ wrong: 0, missing: 0, sourceHasNone: 0, notMigrated: 0 });
      expect(companies?.right).toBe(companies?.records);
    } finally {
      await worker.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
