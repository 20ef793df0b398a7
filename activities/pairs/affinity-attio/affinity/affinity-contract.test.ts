import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAffinityContract } from '../../../../infra/sandbox/affinity/contract/index.ts';
import { startAffinitySandbox, type AffinitySandbox } from '../../../../infra/sandbox/affinity/index.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createAffinityClient } from './affinity-client.ts';
import { createAffinitySource } from './affinity-source.ts';
import type { AffinityObjectKind } from './affinity-types.ts';
import { checkAffinityQuota, countAffinityAccount, planAffinityCalls } from './quota-planner.ts';

/**
 * Every request the source and the call plan send, and every answer they get, held to Affinity's
 * published schemas (the sandbox's contract checker: v2 from the OpenAPI document, v1 from the docs).
 */
let sb: AffinitySandbox;

beforeAll(async () => {
  sb = await startAffinitySandbox({ seed: 'source-contract', size: 1500, limits: { perMinute: 0, monthly: 0 }, contract: checkAffinityContract });
});
afterAll(async () => {
  await sb?.close();
});

describe('Affinity source against the published contract', () => {
  it('reads every kind, a merged record and the call plan with 0 exchanges outside the schemas', async () => {
    const client = createAffinityClient({ baseUrl: sb.url, apiKey: sb.apiKey, budgets: createBudgetRegistry() });
    const source = createAffinitySource({ client });
    await source.readFieldSchema();
    for (const kind of ['organizations', 'persons', 'opportunities', 'lists', 'list_entries', 'notes'] as AffinityObjectKind[]) {
      let cursor: string | null = null;
      do cursor = (await source.readPage(kind, cursor, { pageSize: 100 })).nextCursor;
      while (cursor);
    }
    const merged = sb.account.mergedIds('person')[0];
    await expect(source.readRecord('person', String(merged))).rejects.toMatchObject({ kind: 'merged' });
    await source.readRecord('opportunity', String(sb.account.opportunity(0).id));
    const objects = ['organizations', 'persons', 'opportunities', 'lists', 'notes'] as const;
    const { counts, calls } = await countAffinityAccount(client, objects);
    await checkAffinityQuota(client, planAffinityCalls(counts, objects, calls));
    // The sandbox refuses what the spec does not allow (limit > 100, unknown fieldTypes…) with a 4xx that is itself
    // within the contract: every answer but the merged person's 404 must be a 200.
    expect(sb.stats.snapshot().byStatus).toEqual({ 200: expect.any(Number), 404: 1 });
    const snapshot = sb.contract?.snapshot();
    expect(snapshot?.checked).toBeGreaterThan(30);
    expect(snapshot?.violations, JSON.stringify(snapshot?.recent.slice(0, 3))).toBe(0);
  });
});
