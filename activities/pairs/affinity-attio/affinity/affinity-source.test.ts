import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffinitySandbox, type AffinitySandbox } from '../../../../infra/sandbox/affinity/index.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { ConnectorError } from '../../../connectors/connector-error.ts';
import { createAffinityClient } from './affinity-client.ts';
import { createAffinitySource, type AffinitySource } from './affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from './affinity-types.ts';
import { checkAffinityQuota, planAffinityCalls } from './quota-planner.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';

/** Contract tests: the Affinity source against the Affinity sandbox (same paths, auth, paging, limits). */
let sb: AffinitySandbox;

const source = (apiKey = sb.apiKey): AffinitySource =>
  createAffinitySource({ client: createAffinityClient({ baseUrl: sb.url, apiKey, budgets: createBudgetRegistry(), max429Retries: 5 }) });

async function readAll(src: AffinitySource, kind: AffinityObjectKind, pageSize: number): Promise<{ records: AffinityRecord[]; pages: number; cursors: string[] }> {
  const records: AffinityRecord[] = [];
  const cursors: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await src.readPage(kind, cursor, { pageSize });
    records.push(...page.records);
    pages += 1;
    cursor = page.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { records, pages, cursors };
}

beforeAll(async () => {
  sb = await startAffinitySandbox({ seed: 'contract', size: 600, limits: { perMinute: 0, monthly: 0 } });
});
afterAll(async () => {
  await sb?.close();
});

describe('Affinity source (contract)', () => {
  it('pages every kind to the end with unchanged params and small cursors', async () => {
    const src = source();
    const { counts } = sb.account;
    const persons = await readAll(src, 'persons', 37);
    expect(persons.records).toHaveLength(counts.persons);
    expect(new Set(persons.records.map((r) => r.id)).size).toBe(counts.persons);
    expect(persons.pages).toBe(Math.ceil(counts.persons / 37));
    for (const c of persons.cursors) expect(c.length).toBeLessThan(200);
    expect((await readAll(src, 'organizations', 100)).records).toHaveLength(counts.organizations);
    expect((await readAll(src, 'opportunities', 100)).records).toHaveLength(counts.opportunities);
    // v2 lists root notes; each root's replies follow it.
    expect((await readAll(src, 'notes', 64)).records).toHaveLength(counts.notes);
    const entries = await readAll(src, 'list_entries', 25);
    expect(entries.records).toHaveLength(counts.listEntries + counts.opportunityListEntries);
    expect((await readAll(src, 'lists', 500)).records).toHaveLength(counts.lists);
  });

  it('reads every association from documented fields: person → company, deal → people and company', async () => {
    const persons = await readAll(source(), 'persons', 100);
    const withCompany = persons.records.filter((r) => r.kind === 'person' && (r.data.current_organization_ids ?? []).length > 0);
    expect(withCompany.length).toBeGreaterThan(persons.records.length / 2);
    const deals = await readAll(source(), 'opportunities', 100);
    expect(deals.records.every((r) => r.kind === 'opportunity' && (r.data.person_ids ?? []).length > 0)).toBe(true);
  });

  it('on an account where every person has a company, every person and deal carries the generator\'s links', async () => {
    const full = await startAffinitySandbox({ seed: 'links', size: 600, everyPersonHasCompany: true, limits: { perMinute: 0, monthly: 0 } });
    try {
      const src = createAffinitySource({ client: createAffinityClient({ baseUrl: full.url, apiKey: full.apiKey, budgets: createBudgetRegistry() }) });
      const { account } = full;
      const persons = (await readAll(src, 'persons', 100)).records;
      expect(persons).toHaveLength(account.counts.persons);
      for (const r of persons) {
        if (r.kind !== 'person') throw new Error(r.kind);
        const index = account.indexOf('person', r.data.id) as number;
        const orgIds = account.personOrganizationIndexes(index).map((j) => account.organization(j).id);
        expect(orgIds.length).toBeGreaterThan(0);
        // The current organization (documented enriched field) is one of the person's organizations.
        expect(r.data.current_organization_ids).toEqual(account.currentOrganizationIds(index));
        expect(orgIds).toContain(r.data.current_organization_ids?.[0]);
      }
      const deals = (await readAll(src, 'opportunities', 100)).records;
      expect(deals).toHaveLength(account.counts.opportunities);
      for (const r of deals) {
        if (r.kind !== 'opportunity') throw new Error(r.kind);
        const index = account.indexOf('opportunity', r.data.id) as number;
        expect([...(r.data.person_ids ?? [])].sort()).toEqual(account.opportunityPersonIndexes(index).map((i) => account.person(i).id).sort());
        expect(r.data.organization_ids).toEqual(account.opportunityOrganizationIndexes(index).map((j) => account.organization(j).id));
      }
    } finally {
      await full.close();
    }
  });

  it('reads a batch larger than a v2 page as whole pages of 100, never more than asked', async () => {
    const src = source();
    const big = await src.readPage('persons', null, { pageSize: 250 });
    expect(big.records).toHaveLength(200);
    const rest = await src.readPage('persons', big.nextCursor, { pageSize: 250 });
    expect(rest.records[0]?.id).toBe(String(Number(big.records[199]?.id) + 1));
  });

  it('spends one call per page of 100 (no per-record calls)', async () => {
    sb.stats.reset();
    const src = source();
    const persons = await readAll(src, 'persons', 100);
    const organizations = await readAll(src, 'organizations', 100);
    const { requests } = sb.stats.snapshot();
    expect(requests).toBe(persons.pages + organizations.pages);
  });

  it('attaches field values to entities and list entries', async () => {
    const page = await source().readPage('organizations', null, { pageSize: 20 });
    const withValues = page.records.filter((r) => 'fieldValues' in r && r.fieldValues.length > 0);
    expect(withValues.length).toBeGreaterThan(0);
    const entries = await source().readPage('list_entries', null, { pageSize: 10 });
    for (const r of entries.records) if (r.kind === 'list_entry') for (const v of r.fieldValues) expect(v.list_entry_id).toBe(r.data.id);
  });

  it('reads the field schema: global fields by entity, list fields by list', async () => {
    const schema = await source().readFieldSchema();
    expect(schema.fields.every((f) => f.list_id === null && (f.entity_type === 0 || f.entity_type === 1))).toBe(true);
    expect(schema.lists).toHaveLength(sb.account.counts.lists);
    expect(schema.lists.every((l) => (l.fields ?? []).every((f) => f.list_id === l.id))).toBe(true);
  });

  it('resumes from a cursor taken mid-walk (the page size stays the one of the first page)', async () => {
    const src = source();
    const first = await src.readPage('persons', null, { pageSize: 50 });
    const again = await source().readPage('persons', first.nextCursor, { pageSize: 100 });
    expect(again.records[0]?.id).toBe(String(Number(first.records[49]?.id) + 1));
    expect(again.records).toHaveLength(50);
  });

  it('answers a bad key with a non-retryable auth error', async () => {
    const error = await failureOf(source('wrong-key').readPage('persons', null));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(error.message).not.toContain('wrong-key');
  });

  it('waits out 429s as Retry-After says, then succeeds', async () => {
    sb.faults.update({ rate429: 0.5, seed: 7 });
    sb.stats.reset();
    try {
      const src = source(sb.apiKey);
      const started = Date.now();
      const all = await readAll(src, 'persons', 100);
      expect(all.records).toHaveLength(sb.account.counts.persons);
      const { injected429 } = sb.stats.snapshot();
      expect(injected429).toBeGreaterThan(0);
      // Each injected 429 says Retry-After: 1; the shared budget holds every caller that long.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      sb.faults.update({ rate429: 0 });
    }
  });

  it('reports 5xx as retryable transient', async () => {
    sb.faults.update({ rate5xx: 1 });
    try {
      const error = await failureOf(source().readPage('persons', null));
      expect(error).toMatchObject({ kind: 'transient', retryable: true });
      expect(error.status).toBeGreaterThanOrEqual(500);
    } finally {
      sb.faults.update({ rate5xx: 0 });
    }
  });

  it('reports a merged entity as merged, with the surviving id from the merge records', async () => {
    const mergedId = sb.account.mergedIds('person')[0];
    expect(mergedId).toBeDefined();
    const error = await failureOf(source().readRecord('person', String(mergedId)));
    expect(error).toMatchObject({ kind: 'merged', retryable: false, details: { mergedId: String(mergedId), mergedInto: String(sb.account.mergedInto('person', mergedId as number)) } });
  });

  it('checks the monthly quota and stops with quota_exceeded when it is spent', async () => {
    sb.limiter.update({ monthly: 3 });
    sb.limiter.reset();
    try {
      const client = createAffinityClient({ baseUrl: sb.url, apiKey: sb.apiKey, budgets: createBudgetRegistry() });
      const plan = planAffinityCalls({ organizations: 10, persons: 10, notes: 0, lists: [] }, ['organizations', 'persons']);
      const check = await checkAffinityQuota(client, plan);
      expect(check).toMatchObject({ fits: false, monthlyRemaining: 3 });
      expect(check.warning).toMatch(/monthly quota/);
      const src = createAffinitySource({ client });
      for (let i = 0; i < 3; i += 1) await src.readPage('persons', null, { pageSize: 1 });
      await expect(src.readPage('persons', null, { pageSize: 1 })).rejects.toMatchObject({ kind: 'quota_exceeded', retryable: false });
    } finally {
      sb.limiter.update({ monthly: 0 });
    }
  });
});
