import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, createFakeClock, createTestClient } from '../test-client.ts';
import { startAffinitySandbox, type AffinitySandbox } from './index.ts';
import { checkAffinityContract } from './contract/index.ts';

describe('Affinity sandbox', () => {
  let sandbox: AffinitySandbox;
  let call: ReturnType<typeof createTestClient>;

  beforeAll(async () => {
    sandbox = await startAffinitySandbox({ seed: 3, size: 3000, limits: { perMinute: 0, monthly: 0 }, contract: checkAffinityContract });
    call = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
  });
  afterAll(() => sandbox.close());

  it('pages persons to the end with opaque tokens: every person exactly once', async () => {
    const ids: number[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { persons: { id: number }[]; next_page_token: string | null } } = await call('GET', `/persons?page_size=500${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
      expect(res.status).toBe(200);
      ids.push(...res.body.persons.map((p: { id: number }) => p.id));
      token = res.body.next_page_token;
      pages += 1;
    } while (token);
    expect(pages).toBe(Math.ceil(sandbox.account.counts.persons / 500));
    expect(new Set(ids).size).toBe(sandbox.account.counts.persons);
    const first = await call('GET', '/persons');
    expect(first.body.persons).toHaveLength(500);
  });

  it('refuses a page token whose other parameters changed, page_size over the max, and garbage tokens', async () => {
    const first = await call('GET', '/organizations?page_size=100');
    const token = first.body.next_page_token as string;
    expect((await call('GET', `/organizations?page_size=100&page_token=${token}`)).status).toBe(200);
    const changed = await call('GET', `/organizations?page_size=50&page_token=${token}`);
    expect(changed.status).toBe(422);
    expect(changed.body.errors[0].message).toBe('Invalid page_token variable');
    expect((await call('GET', `/persons?page_size=100&page_token=${token}`)).status).toBe(422);
    expect((await call('GET', '/persons?page_token=not-a-token')).status).toBe(422);
    const tooBig = await call('GET', '/persons?page_size=501');
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.errors[0].param).toBe('page_size');
  });

  it('requires the key: Basic with empty username or Bearer; anything else 401', async () => {
    expect((await createTestClient(sandbox.url)('GET', '/persons')).status).toBe(401);
    const wrong = await createTestClient(sandbox.url, basicAuth('nope'))('GET', '/persons');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0].message).toMatch(/Unauthorized/);
    expect((await createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`)('GET', '/auth/whoami')).status).toBe(200);
  });

  it('answers 404 for merged ids (the duplicate is deleted) and unknown ones; the merge is published by /v2/person-merges', async () => {
    const [merged] = sandbox.account.mergedIds('person');
    const res = await call('GET', `/persons/${merged}`);
    expect(res.status).toBe(404);
    const [mergedOrg] = sandbox.account.mergedIds('organization');
    expect((await call('GET', `/organizations/${mergedOrg}`)).status).toBe(404);
    expect((await call('GET', `/field-values?person_id=${merged}`)).status).toBe(404);
    expect((await call('GET', '/persons/999')).status).toBe(404);
    const merges = await createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`)('GET', '/v2/person-merges?limit=100');
    expect(merges.body.data).toContainEqual(expect.objectContaining({
      status: 'success', duplicatePersonId: merged, primaryPersonId: sandbox.account.mergedInto('person', merged as number),
    }));
  });

  it('v1 persons and organizations: listings carry only the documented base fields, the single GET adds associations', async () => {
    const index = Array.from({ length: 50 }, (_, i) => i).find((i) => sandbox.account.person(i).organization_ids.length > 0) as number;
    const person = sandbox.account.person(index);
    const listed = (await call('GET', `/persons?page_size=${index + 1}`)).body.persons[index];
    expect(Object.keys(listed).sort()).toEqual(['emails', 'first_name', 'id', 'last_name', 'primary_email', 'type']);
    const flagged = (await call('GET', `/persons?page_size=${index + 1}&with_opportunities=true&with_current_organizations=true`)).body.persons[index];
    expect(flagged.opportunity_ids).toEqual(person.opportunity_ids);
    expect(flagged.current_organization_ids).toEqual([person.organization_ids[0]]);
    expect(flagged.organization_ids).toBeUndefined();
    const single = (await call('GET', `/persons/${person.id}`)).body;
    expect(single.organization_ids).toEqual(person.organization_ids);
    expect(single.opportunity_ids).toBeUndefined();
    expect(single.list_entries).toEqual(person.list_entries.map(({ entity_type: _t, ...ref }) => ref));
    const org = (await call('GET', '/organizations?page_size=1')).body.organizations[0];
    expect(Object.keys(org).sort()).toEqual(['domain', 'domains', 'global', 'id', 'name']);
    const orgSingle = (await call('GET', `/organizations/${org.id}?with_opportunities=true`)).body;
    expect(orgSingle).toMatchObject({ person_ids: sandbox.account.organization(0).person_ids, opportunity_ids: sandbox.account.organization(0).opportunity_ids });
    expect(Array.isArray(orgSingle.list_entries)).toBe(true);
  });

  it('serves lists, list entries (bare array or paged) and fields', async () => {
    const lists = (await call('GET', '/lists')).body as { id: number; type: number; list_size: number }[];
    expect(lists.map((l) => l.type).sort()).toEqual([0, 0, 1, 1, 8, 8]);
    const list = lists[0] as { id: number; list_size: number };
    const detail = await call('GET', `/lists/${list.id}`);
    expect(detail.body.fields.length).toBeGreaterThan(0);
    expect(detail.body.fields.every((f: { list_id: number }) => f.list_id === list.id)).toBe(true);
    const bare = await call('GET', `/lists/${list.id}/list-entries`);
    expect(Array.isArray(bare.body)).toBe(true);
    expect(bare.body).toHaveLength(list.list_size);
    const paged = await call('GET', `/lists/${list.id}/list-entries?page_size=10`);
    expect(paged.body.list_entries).toHaveLength(10);
    expect(paged.body.list_entries[0]).toEqual(bare.body[0]);
    expect(paged.body.list_entries[0].entity_type).toBeUndefined();
    expect(typeof paged.body.next_page_token).toBe('string');
    expect(paged.body.list_entries[0].entity.id).toBe(paged.body.list_entries[0].entity_id);
    expect((await call('GET', '/fields')).body).toHaveLength(sandbox.account.fields.length);
    expect((await call('GET', '/persons/fields')).body.every((f: { list_id: null }) => f.list_id === null)).toBe(true);
  });

  it('field-values needs exactly one entity parameter', async () => {
    const person = sandbox.account.person(42);
    expect((await call('GET', '/field-values')).status).toBe(422);
    expect((await call('GET', `/field-values?person_id=${person.id}&organization_id=1`)).status).toBe(422);
    const values = await call('GET', `/field-values?person_id=${person.id}`);
    expect(values.body).toEqual(sandbox.account.fieldValues('person', person.id));
    const opp = sandbox.account.opportunity(0);
    const entryValues = await call('GET', `/field-values?list_entry_id=${opp.list_entries[0]?.id}`);
    expect(entryValues.body).toEqual((await call('GET', `/field-values?opportunity_id=${opp.id}`)).body);
  });

  it('lists notes of an entity and all notes, paged', async () => {
    const index = sandbox.account.notesOf('person', 5).length > 0 ? 5 : 6;
    const person = sandbox.account.person(index);
    const res = await call('GET', `/notes?person_id=${person.id}`);
    expect(res.body.notes.map((n: { id: number }) => n.id)).toEqual(sandbox.account.notesOf('person', index).map((n) => sandbox.account.note(n).id));
    expect(res.body.notes.every((n: { person_ids: number[] }) => n.person_ids.includes(person.id))).toBe(true);
    const all = await call('GET', '/notes?page_size=100');
    expect(all.body.notes).toHaveLength(100);
    expect((await call('GET', `/notes?person_id=${person.id}&organization_id=1`)).status).toBe(422);
  });

  it('answered everything above within the published schemas', () => {
    const contract = sandbox.contract?.snapshot();
    expect(contract?.recent).toEqual([]);
    expect(contract?.checked).toBeGreaterThan(10);
  });
});

describe('Affinity rate limits', () => {
  it('sends the headers on every response and answers 429 at the per-minute limit without counting it', async () => {
    const clock = createFakeClock();
    const sandbox = await startAffinitySandbox({ size: 100, limits: { perMinute: 5, monthly: 1000 }, now: clock.now });
    try {
      const call = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
      for (let i = 0; i < 5; i += 1) {
        const res = await call('GET', '/lists');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit-user')).toBe('5');
        expect(res.headers.get('x-ratelimit-limit-user-remaining')).toBe(String(4 - i));
        expect(res.headers.get('x-ratelimit-limit-user-reset')).toBe('60');
        expect(res.headers.get('x-ratelimit-limit-org')).toBe('1000');
        expect(res.headers.get('x-ratelimit-limit-org-remaining')).toBe(String(999 - i));
      }
      clock.advance(15_000);
      const refused = await call('GET', '/lists');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('45');
      expect(refused.headers.get('x-ratelimit-limit-user-remaining')).toBe('0');
      expect(refused.body.errors[0].message).toMatch(/rate limit/i);
      expect(sandbox.limiter.status(sandbox.apiKey).org_monthly.used).toBe(5);
      clock.advance(45_000);
      expect((await call('GET', '/lists')).status).toBe(200);
      expect(sandbox.stats.snapshot().rateLimited).toBe(1);
    } finally {
      await sandbox.close();
    }
  });

  it('/rate-limit and /auth/whoami do not use the monthly quota; the quota answers 429 when spent', async () => {
    const clock = createFakeClock();
    const sandbox = await startAffinitySandbox({ size: 100, limits: { perMinute: 0, monthly: 2 }, now: clock.now });
    try {
      const call = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
      expect((await call('GET', '/auth/whoami')).status).toBe(200);
      const rate = await call('GET', '/rate-limit');
      expect(rate.body.rate.org_monthly).toMatchObject({ limit: 2, remaining: 2, used: 0 });
      expect(rate.body.rate.api_key_per_minute.limit).toBe('unlimited');
      expect((await call('GET', '/lists')).status).toBe(200);
      expect((await call('GET', '/fields')).status).toBe(200);
      const over = await call('GET', '/lists');
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call('GET', '/rate-limit')).status).toBe(200);
      await call('POST', '/__sandbox/limits', { monthly: 0 });
      expect((await call('GET', '/lists')).status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});

describe('Affinity sandbox control plane', () => {
  it('injects faults in the v1 error format and reports the account', async () => {
    const sandbox = await startAffinitySandbox({ seed: 9, size: 500, poisonRate: 0.02, faults: { rate5xx: 1, statuses5xx: [503] } });
    try {
      const call = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
      const failed = await call('GET', '/lists');
      expect(failed.status).toBe(503);
      expect(failed.body.errors[0].message).toMatch(/unavailable/i);
      expect(failed.headers.get('x-ratelimit-limit-user')).toBe('900');
      await call('PUT', '/__sandbox/faults', { resetRate: 1 });
      await expect(call('GET', '/lists')).rejects.toThrow();
      await call('PUT', '/__sandbox/faults', {});
      expect((await call('GET', '/lists')).status).toBe(200);
      const summary = (await call('GET', '/__sandbox/summary')).body;
      expect(summary).toMatchObject({ seed: 9, size: 500, poisonRate: 0.02, counts: sandbox.account.counts });
      const poison = (await call('GET', '/__sandbox/poison-ids?kind=person')).body;
      expect(poison.person).toEqual(sandbox.account.poisonIds('person'));
      expect(poison.person.length).toBeGreaterThan(0);
      expect((await call('GET', '/__sandbox/poison-ids?kind=nope')).status).toBe(400);
      const merged = (await call('GET', '/__sandbox/merged')).body;
      expect(merged[0]).toMatchObject({ kind: 'person', id: sandbox.account.mergedIds('person')[0] });
      const stats = (await call('GET', '/__sandbox/stats')).body;
      expect(stats).toMatchObject({ requests: 3, injected5xx: 1, resets: 1 });
      await call('POST', '/__sandbox/reset');
      expect((await call('GET', '/__sandbox/stats')).body.requests).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});
