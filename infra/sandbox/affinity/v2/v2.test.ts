import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, createFakeClock, createTestClient, type LooseJson } from '../../test-client.ts';
import { startAffinitySandbox, type AffinitySandbox } from '../index.ts';
import { checkAffinityContract } from '../contract/index.ts';

type Call = ReturnType<typeof createTestClient>;

/** Follows `pagination.nextUrl` to the end; the URLs are absolute, as the spec's `format: uri` wants. */
async function readAll(call: Call, baseUrl: string, first: string): Promise<{ items: LooseJson[]; pages: number }> {
  const items: LooseJson[] = [];
  let path: string | null = first;
  let pages = 0;
  while (path) {
    const res: { status: number; body: LooseJson } = await call('GET', path);
    expect(res.status).toBe(200);
    items.push(...res.body.data);
    pages += 1;
    const next: string | null = res.body.pagination.nextUrl;
    if (next) expect(next.startsWith(baseUrl)).toBe(true);
    path = next ? next.slice(baseUrl.length) : null;
  }
  return { items, pages };
}

const companyIds = (fields: LooseJson[], id: string): number[] => (fields.find((f) => f.id === id)?.value.data ?? []).map((c: { id: number }) => c.id);

describe('Affinity v2 sandbox', () => {
  let sandbox: AffinitySandbox;
  let call: Call;

  beforeAll(async () => {
    sandbox = await startAffinitySandbox({ seed: 5, size: 1500, limits: { perMinute: 0, monthly: 0 }, contract: checkAffinityContract });
    call = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
  });
  afterAll(() => sandbox.close());

  it('pages companies and persons by cursor, 100 a page, every record once, with prevUrl back', async () => {
    for (const [path, count] of [['/v2/companies', sandbox.account.counts.organizations], ['/v2/persons', sandbox.account.counts.persons]] as const) {
      const { items, pages } = await readAll(call, sandbox.url, path);
      expect(pages).toBe(Math.ceil(count / 100));
      expect(new Set(items.map((i) => i.id)).size).toBe(count);
      expect(items[0].fields).toBeUndefined();
    }
    const first = await call('GET', '/v2/persons?limit=7');
    const second = await call('GET', first.body.pagination.nextUrl.slice(sandbox.url.length));
    expect(second.body.data).toHaveLength(7);
    expect(second.body.data[0].id).toBe(sandbox.account.person(7).id);
    expect((await call('GET', second.body.pagination.prevUrl.slice(sandbox.url.length))).body).toEqual(first.body);
  });

  it('gives a person its companies inline: the same organizations as v1 GET /persons/{id}', async () => {
    const { items } = await readAll(call, sandbox.url, '/v2/persons?fieldIds=companies');
    const v1 = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
    for (const index of [0, 3, 13, 23, 77, 150]) {
      const single = (await v1('GET', `/persons/${sandbox.account.person(index).id}`)).body;
      const live = single.organization_ids.filter((id: number) => sandbox.account.indexOf('organization', id) !== undefined);
      expect(companyIds(items[index].fields, 'companies')).toEqual(live);
    }
    expect(items.some((p) => p.fields[0].value.data === null)).toBe(true);
  });

  it('lists list entries with the entity and its fields inline; opportunity entries carry persons and companies', async () => {
    const lists = (await call('GET', '/v2/lists')).body.data as LooseJson[];
    expect(lists.map((l) => l.type).sort()).toEqual(['company', 'company', 'opportunity', 'opportunity', 'person', 'person']);
    const opportunityList = lists.find((l) => l.type === 'opportunity');
    const fieldIds = (await call('GET', `/v2/lists/${opportunityList.id}/fields`)).body.data.map((f: { id: string }) => f.id);
    expect(fieldIds).toEqual(expect.arrayContaining(['persons', 'companies']));
    const { items } = await readAll(call, sandbox.url, `/v2/lists/${opportunityList.id}/list-entries?fieldTypes=list`);
    expect(items).toHaveLength(sandbox.account.lists.find((l) => l.id === opportunityList.id)?.list_size as number);
    for (const entry of items.slice(0, 20)) {
      const opp = sandbox.account.opportunity((sandbox.account.indexOf('opportunity', entry.entity.id) as number));
      expect(entry).toMatchObject({ type: 'opportunity', listId: opportunityList.id, id: opp.list_entries[0]?.id });
      expect(companyIds(entry.entity.fields, 'companies')).toEqual(opp.organization_ids);
      const livePersons = opp.person_ids.filter((id) => sandbox.account.indexOf('person', id) !== undefined);
      expect(companyIds(entry.entity.fields, 'persons')).toEqual(livePersons);
    }
    const personList = lists.find((l) => l.type === 'person');
    const page = (await call('GET', `/v2/lists/${personList.id}/list-entries?limit=5&fieldIds=companies`)).body;
    expect(page.data[0].entity.fields.map((f: { id: string }) => f.id)).toEqual(['companies']);
    const one = await call('GET', `/v2/lists/${personList.id}/list-entries/${page.data[0].id}?fieldIds=companies`);
    expect(one.body).toEqual(page.data[0]);
  });

  it('serves notes without replies, replies under their parent, attachments with merged persons resolved to their primary', async () => {
    const { items } = await readAll(call, sandbox.url, '/v2/notes?limit=100');
    const replies = Array.from({ length: sandbox.account.counts.notes }, (_, n) => n).filter((n) => sandbox.account.isReply(n));
    expect(replies.length).toBeGreaterThan(0);
    expect(items).toHaveLength(sandbox.account.counts.notes - replies.length);
    const reply = sandbox.account.note(replies[0] as number);
    const listed = await call('GET', `/v2/notes/${reply.parent_id}/replies`);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: reply.id, type: 'user-reply', parent: { id: reply.parent_id } })]);
    expect(reply.person_ids).toEqual([]);
    const merged = Array.from({ length: sandbox.account.counts.notes }, (_, n) => sandbox.account.note(n))
      .find((n) => n.person_ids.some((id) => sandbox.account.mergedInto('person', id) !== undefined));
    expect(merged).toBeDefined();
    const attached = (await call('GET', `/v2/notes/${merged?.id}/attached-persons?limit=100`)).body.data.map((p: { id: number }) => p.id);
    const duplicate = merged?.person_ids.find((id) => sandbox.account.mergedInto('person', id) !== undefined) as number;
    expect(attached).toContain(sandbox.account.mergedInto('person', duplicate));
    expect(attached).not.toContain(duplicate);
  });

  it('answers errors in the v2 body: validation with param, not-found, authentication (Bearer only)', async () => {
    expect((await call('GET', '/v2/companies?limit=101')).body).toEqual({ errors: [{ code: 'validation', message: expect.any(String), param: 'limit' }] });
    expect((await call('GET', '/v2/persons?fieldIds=nope')).body.errors[0]).toMatchObject({ code: 'validation', param: 'fieldIds' });
    const missing = await call('GET', '/v2/companies/999');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe('not-found');
    const [merged] = sandbox.account.mergedIds('organization');
    expect((await call('GET', `/v2/companies/${merged}`)).status).toBe(404);
    const basic = await createTestClient(sandbox.url, basicAuth(sandbox.apiKey))('GET', '/v2/companies');
    expect(basic.status).toBe(401);
    expect(basic.body.errors[0].code).toBe('authentication');
  });

  it('filters merges by status or task id and refuses other filters', async () => {
    const all = (await call('GET', '/v2/company-merges')).body.data;
    expect(all).toHaveLength(sandbox.account.mergedIds('organization').length);
    expect((await call('GET', '/v2/company-merges?filter=status%3Dsuccess')).body.data).toEqual(all);
    expect((await call('GET', '/v2/company-merges?filter=status%3Dfailed')).body.data).toEqual([]);
    expect((await call('GET', `/v2/company-merges?filter=${encodeURIComponent(`taskId=${all[0].taskId}`)}`)).body.data).toEqual([all[0]]);
    expect((await call('GET', '/v2/company-merges?filter=name%3Dx')).status).toBe(400);
    expect((await createTestClient(sandbox.url, basicAuth(sandbox.apiKey))('GET', '/persons?term=kim')).status).toBe(422);
  });

  // Before the next test: its stats reset clears the contract counts too.
  it('answered everything above within the published schemas', () => {
    const contract = sandbox.contract?.snapshot();
    expect(contract?.recent).toEqual([]);
    expect(contract?.checked).toBeGreaterThan(10);
  });

  it('counts requests by version and endpoint at /__sandbox/requests', async () => {
    await call('POST', '/__sandbox/stats/reset');
    await call('GET', '/v2/companies?limit=1');
    await call('GET', '/v2/companies/100000000');
    await createTestClient(sandbox.url, basicAuth(sandbox.apiKey))('GET', '/persons?page_size=1');
    const counts = (await call('GET', '/__sandbox/requests')).body;
    expect(counts).toEqual({ total: 3, v1: 1, v2: 2, byEndpoint: { 'GET /v2/companies': 1, 'GET /v2/companies/:id': 1, 'GET /persons': 1 } });
    expect(sandbox.requests.snapshot().total).toBe(3);
  });
});

describe('Affinity v1 and v2 share one rate-limit pool', () => {
  it('counts both versions in the per-minute and monthly pools, with the documented headers on v2 too', async () => {
    const clock = createFakeClock();
    const sandbox = await startAffinitySandbox({ size: 100, limits: { perMinute: 4, monthly: 1000 }, now: clock.now });
    try {
      const v1 = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
      const v2 = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
      expect((await v1('GET', '/lists')).status).toBe(200);
      const second = await v2('GET', '/v2/lists');
      expect(second.headers.get('x-ratelimit-limit-user-remaining')).toBe('2');
      expect(second.headers.get('x-ratelimit-limit-org-remaining')).toBe('998');
      await v2('GET', '/v2/companies?limit=1');
      await v1('GET', '/lists');
      const refused = await v2('GET', '/v2/persons');
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].code).toBe('rate-limit');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await v1('GET', '/rate-limit')).status).toBe(429);
      clock.advance(60_000);
      const rate = (await v1('GET', '/rate-limit')).body.rate;
      expect(rate.org_monthly).toMatchObject({ limit: 1000, used: 4, remaining: 996 });
    } finally {
      await sandbox.close();
    }
  });
});

describe('Generator option everyPersonHasCompany', () => {
  it('links every person to an organization, the same in v1 and v2', async () => {
    const sandbox = await startAffinitySandbox({ seed: 2, size: 800, everyPersonHasCompany: true, limits: { perMinute: 0, monthly: 0 } });
    try {
      const call = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
      const { items } = await readAll(call, sandbox.url, '/v2/persons?fieldIds=companies');
      expect(items).toHaveLength(sandbox.account.counts.persons);
      items.forEach((p, i) => {
        const ids = companyIds(p.fields, 'companies');
        expect(ids.length).toBeGreaterThan(0);
        expect(ids).toEqual(sandbox.account.person(i).organization_ids.filter((id) => sandbox.account.indexOf('organization', id) !== undefined));
      });
      expect((await call('GET', '/__sandbox/summary')).body.everyPersonHasCompany).toBe(true);
    } finally {
      await sandbox.close();
    }
  });
});
