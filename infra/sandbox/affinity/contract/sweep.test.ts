import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, createTestClient, type LooseJson } from '../../test-client.ts';
import { startAffinitySandbox, type AffinitySandbox } from '../index.ts';
import { checkAffinityContract } from './index.ts';
import { OPERATIONS } from './operations.ts';

/**
 * Every route the sandbox serves, against the published schemas, through the sandbox's own contract
 * hook (the pipeline checks each exchange as sent): all pages of every collection, each field selection
 * and flag, the errors. A generated account holds every messy case; 0 violations is the bar.
 */
describe('Affinity sandbox against the published schemas', () => {
  let sandbox: AffinitySandbox;
  let v1: ReturnType<typeof createTestClient>;
  let v2: ReturnType<typeof createTestClient>;
  const visited = new Set<string>();
  let sent = 0;

  beforeAll(async () => {
    sandbox = await startAffinitySandbox({ seed: 11, size: 2000, poisonRate: 0.01, contract: checkAffinityContract, limits: { perMinute: 0, monthly: 0 } });
    v1 = createTestClient(sandbox.url, basicAuth(sandbox.apiKey));
    v2 = createTestClient(sandbox.url, `Bearer ${sandbox.apiKey}`);
  });
  afterAll(() => sandbox.close());

  /** GETs `path` (v2: following nextUrl to the end; v1: following next_page_token) and records the route it exercised. */
  async function walk(route: string, path: string, status = 200): Promise<LooseJson[]> {
    visited.add(route);
    const isV2 = path.startsWith('/v2/');
    const call = isV2 ? v2 : v1;
    const bodies: LooseJson[] = [];
    let next: string | null = path;
    while (next) {
      const res: { status: number; body: LooseJson } = await call('GET', next);
      sent += 1;
      expect(res.status, `${next}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(status);
      bodies.push(res.body);
      if (status !== 200) break;
      if (isV2) next = res.body?.pagination?.nextUrl ? String(res.body.pagination.nextUrl).slice(sandbox.url.length) : null;
      else {
        const token: string | null | undefined = Array.isArray(res.body) ? null : res.body?.next_page_token;
        next = token ? `${path}${path.includes('?') ? '&' : '?'}page_token=${encodeURIComponent(token)}` : null;
      }
    }
    return bodies;
  }

  it('answers every operation within its schema, errors included', async () => {
    const a = sandbox.account;
    const person = a.person(3).id;
    const company = a.organization(3).id;
    const opportunity = a.opportunity(3).id;
    const reply = Array.from({ length: a.counts.notes }, (_, n) => n).find((n) => a.isReply(n)) as number;
    const note = a.note(reply - 1).id;

    await walk('/v2/auth/whoami', '/v2/auth/whoami');
    for (const [route, path] of [['/v2/companies', 'companies'], ['/v2/persons', 'persons']] as const) {
      await walk(route, `/v2/${path}`);
      await walk(route, `/v2/${path}?fieldTypes=global&fieldTypes=enriched&fieldTypes=relationship-intelligence`);
      await walk(`${route}/fields`, `/v2/${path}/fields`);
    }
    await walk('/v2/companies', `/v2/companies?ids=${company}&ids=${company + 1}&fieldIds=field-2014`);
    await walk('/v2/companies/{companyId}', `/v2/companies/${company}?fieldTypes=global`);
    await walk('/v2/persons/{personId}', `/v2/persons/${person}?fieldIds=companies&fieldIds=affinity-data-current-organization`);
    await walk('/v2/opportunities', '/v2/opportunities?limit=37');
    await walk('/v2/opportunities/{opportunityId}', `/v2/opportunities/${opportunity}`);
    for (const [route, path] of [['/v2/companies/{companyId}/notes', `companies/${company}`], ['/v2/persons/{personId}/notes', `persons/${person}`],
      ['/v2/opportunities/{opportunityId}/notes', `opportunities/${opportunity}`]] as const) {
      await walk(route, `/v2/${path}/notes?totalCount=true`);
    }
    await walk('/v2/lists', '/v2/lists');
    const onList = (kind: 'person' | 'organization') => Array.from({ length: 200 }, (_, i) => (kind === 'person' ? a.person(i) : a.organization(i))).find((e) => e.list_entries.length > 0)?.id;
    for (const [segment, entity] of [['persons', onList('person')], ['companies', onList('organization')]] as const) {
      const param = segment === 'persons' ? '{personId}' : '{companyId}';
      const [entries] = await walk(`/v2/${segment}/${param}/list-entries`, `/v2/${segment}/${entity}/list-entries`);
      expect(entries.data.length).toBeGreaterThan(0);
      await walk(`/v2/${segment}/${param}/lists`, `/v2/${segment}/${entity}/lists`);
    }
    for (const list of a.lists) {
      await walk('/v2/lists/{listId}', `/v2/lists/${list.id}`);
      await walk('/v2/lists/{listId}/fields', `/v2/lists/${list.id}/fields`);
      await walk('/v2/lists/{listId}/list-entries', `/v2/lists/${list.id}/list-entries`);
      const [first] = await walk('/v2/lists/{listId}/list-entries', `/v2/lists/${list.id}/list-entries?fieldTypes=list&fieldTypes=global&fieldTypes=enriched`);
      const entry = first.data[0];
      if (entry) await walk('/v2/lists/{listId}/list-entries/{listEntryId}', `/v2/lists/${list.id}/list-entries/${entry.id}?fieldTypes=list`);
      if (entry) await walk('/lists/{list_id}/list-entries/{list_entry_id}', `/lists/${list.id}/list-entries/${entry.id}`);
      await walk('/lists/{list_id}', `/lists/${list.id}`);
      await walk('/lists/{list_id}/list-entries', `/lists/${list.id}/list-entries`);
      await walk('/lists/{list_id}/list-entries', `/lists/${list.id}/list-entries?page_size=100`);
    }
    await walk('/v2/notes', '/v2/notes?limit=100&totalCount=true&includes=personsPreview&includes=companiesPreview&includes=opportunitiesPreview&includes=repliesCount');
    await walk('/v2/notes', '/v2/notes?limit=0');
    await walk('/v2/notes/{noteId}', `/v2/notes/${note}?includes=repliesCount`);
    await walk('/v2/notes/{noteId}', `/v2/notes/${a.note(reply).id}`);
    for (const kind of ['persons', 'companies', 'opportunities']) await walk(`/v2/notes/{noteId}/attached-${kind}`, `/v2/notes/${note}/attached-${kind}?totalCount=true`);
    await walk('/v2/notes/{noteId}/replies', `/v2/notes/${note}/replies`);
    for (const kind of ['person', 'company']) {
      await walk(`/v2/${kind}-merges`, `/v2/${kind}-merges`);
      await walk(`/v2/${kind}-merges/{mergeId}`, `/v2/${kind}-merges/1`);
    }

    await walk('/persons', '/persons');
    await walk('/persons', '/persons?with_opportunities=true&with_current_organizations=true&page_size=250');
    await walk('/persons/fields', '/persons/fields');
    await walk('/persons/{person_id}', `/persons/${person}?with_opportunities=true&with_current_organizations=true`);
    await walk('/organizations', '/organizations?with_opportunities=true');
    await walk('/organizations/fields', '/organizations/fields');
    await walk('/organizations/{organization_id}', `/organizations/${company}`);
    await walk('/opportunities', '/opportunities?page_size=100');
    await walk('/opportunities/{opportunity_id}', `/opportunities/${opportunity}`);
    await walk('/lists', '/lists');
    await walk('/fields', '/fields');
    await walk('/fields', `/fields?list_id=${a.lists[0]?.id}`);
    for (const param of [`person_id=${person}`, `organization_id=${company}`, `opportunity_id=${opportunity}`, `list_entry_id=${a.opportunity(3).list_entries[0]?.id}`]) {
      await walk('/field-values', `/field-values?${param}`);
    }
    await walk('/notes', '/notes');
    await walk('/notes', `/notes?person_id=${person}`);
    await walk('/notes/{note_id}', `/notes/${a.note(reply).id}`);
    await walk('/rate-limit', '/rate-limit');
    await walk('/auth/whoami', '/auth/whoami');

    // Errors: unknown and merged ids, bad parameters, missing credentials, faults.
    await walk('/v2/persons/{personId}', `/v2/persons/${a.mergedIds('person')[0]}`, 404);
    await walk('/v2/companies', '/v2/companies?limit=101', 400);
    // A filter on a property the endpoint does not document (it documents id, creator.id, createdAt, updatedAt).
    await walk('/v2/notes', `/v2/notes?filter=${encodeURIComponent('content=x')}`, 400);
    await walk('/v2/notes', `/v2/notes?filter=${encodeURIComponent('updatedAt>=2020-01-01T00:00:00Z|createdAt>=2020-01-01T00:00:00Z')}`, 200);
    await walk('/persons/{person_id}', `/persons/${a.mergedIds('person')[0]}`, 404);
    await walk('/persons', '/persons?page_size=501', 422);
    await walk('/field-values', '/field-values', 422);
    expect((await createTestClient(sandbox.url)('GET', '/v2/lists')).status).toBe(401);
    expect((await createTestClient(sandbox.url)('GET', '/lists')).status).toBe(401);
    sent += 2;
    await v1('PUT', '/__sandbox/faults', { rate5xx: 1, statuses5xx: [500, 503] });
    await walk('/lists', '/lists', 500);
    await walk('/v2/lists', '/v2/lists', 500);
    await v1('PUT', '/__sandbox/faults', { rate429: 1 });
    await walk('/v2/lists', '/v2/lists', 429);
    await walk('/lists', '/lists', 429);
    await v1('PUT', '/__sandbox/faults', {});

    const contract = (await v1('GET', '/__sandbox/contract')).body;
    expect(contract.recent, JSON.stringify(contract.recent.slice(0, 5), null, 1)).toEqual([]);
    expect(contract.violations).toBe(0);
    // Every API exchange was checked (the /__sandbox calls are not API exchanges).
    expect(contract.checked).toBe(sent);
    expect(OPERATIONS.map((op) => op.route).filter((route) => !visited.has(route))).toEqual([]);
  });
});
