import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttioSandbox, type AttioSandbox } from '../../../../infra/sandbox/attio/index.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createAttioClient } from './attio-client.ts';

let sb: AttioSandbox;

beforeAll(async () => {
  sb = await startAttioSandbox({ tokens: ['token-of-tenant-a', 'token-of-tenant-b'], limits: { writesPerSecond: 0, readsPerSecond: 0 } });
});
afterAll(async () => {
  await sb?.close();
});

/** fetch that counts the calls per path. */
function countingFetch(counts: Map<string, number>): typeof fetch {
  return (input, init) => {
    const path = new URL(String(input)).pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    return fetch(input, init);
  };
}

describe('createAttioClient budgets', () => {
  it('are per workspace: two tokens of one workspace share them, each token asks /v2/self once per registry', async () => {
    const counts = new Map<string, number>();
    const registry = createBudgetRegistry();
    const make = (token: string) => createAttioClient({ baseUrl: sb.url, token, budgets: registry, fetch: countingFetch(counts) });
    const a1 = make('token-of-tenant-a');
    const a2 = make('token-of-tenant-a');
    const b = make('token-of-tenant-b');
    for (const client of [a1, a2, b, a1]) await client.request('GET', '/objects');
    await b.request('POST', '/objects/people/records', { body: { data: { values: { email_addresses: ['ada@example.com'] } } } });
    await a1.request('POST', '/objects/people/records', { body: { data: { values: { email_addresses: ['bob@example.com'] } } } });
    expect(counts.get('/v2/self')).toBe(2);
    expect(a1.budgets.read.name).toBe(b.budgets.read.name);
    expect(a1.budgets.write.name).toBe(b.budgets.write.name);
    expect(a1.budgets.write.name).not.toBe(a1.budgets.read.name);
    for (const name of [a1.budgets.write.name, b.budgets.read.name]) {
      expect(name).not.toContain('token');
      expect(name).not.toContain(sb.workspace.id);
    }
    // One budget object behind both clients: it saw both writes.
    expect(registry.all().find((x) => x.name === a1.budgets.write.name)?.stats().acquired).toBe(2);
  });

  it('charges records/entries queries a read and their estimated score', async () => {
    const registry = createBudgetRegistry();
    const client = createAttioClient({ baseUrl: sb.url, token: 'token-of-tenant-a', budgets: registry });
    await client.request('POST', '/objects/people/records/query', { body: { filter: { email_addresses: 'ada@example.com' }, limit: 1 } });
    await client.request('GET', '/objects');
    expect(client.budgets.read.stats().acquired).toBe(2);
    expect(client.budgets.query.stats().acquired).toBe(1);
    expect(client.budgets.write.stats().acquired).toBe(0);
  });

  it('a token the workspace does not know fails its call with the auth error', async () => {
    const client = createAttioClient({ baseUrl: sb.url, token: 'not-a-token', budgets: createBudgetRegistry(), max429Retries: 0 });
    await expect(client.request('GET', '/objects')).rejects.toMatchObject({ status: 401 });
  });
});
