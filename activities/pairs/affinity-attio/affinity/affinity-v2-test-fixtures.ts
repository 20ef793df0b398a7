/**
 * Hand-written Affinity v2 responses shaped as the published OpenAPI document's schemas and
 * examples (Company, Person, ListEntryWithEntity, notes.Note, Pagination, Errors), served by a
 * fake `fetch` for pure unit tests of the source. Not a sandbox: it answers only what the tests ask.
 */
import type { V2Company, V2ListEntry, V2MergeState, V2Note, V2Person } from './affinity-v2-types.ts';

export const ORIGIN = 'https://api.affinity.co';

export const companies: V2Company[] = [1, 2, 3].map((id) => ({
  id, name: `Company ${id}`, domain: `c${id}.example`, domains: [`c${id}.example`], isGlobal: false,
  fields: [
    { enrichmentSource: null, id: 'field-11', name: 'Tier', type: 'global', value: { type: 'dropdown', data: { dropdownOptionId: 7, text: 'Gold' } } },
    { enrichmentSource: null, id: 'field-12', name: 'Headcount', type: 'global', value: { type: 'number', data: id * 10 } },
  ],
}));

export const persons: V2Person[] = [10, 11, 12].map((id, i) => ({
  id, firstName: `First${id}`, lastName: `Last${id}`, primaryEmailAddress: `p${id}@c1.example`, emailAddresses: [`p${id}@c1.example`],
  type: i === 2 ? 'internal' : 'external',
  fields: [
    {
      enrichmentSource: 'affinity-data', id: 'affinity-data-current-organization', name: 'Current Organization', type: 'enriched',
      value: { type: 'company', data: { id: companies[i % companies.length]?.id ?? 1, name: 'x', domain: null } },
    },
    { enrichmentSource: 'affinity-data', id: 'affinity-data-location', name: 'Location', type: 'enriched', value: { type: 'location', data: { streetAddress: null, city: 'Paris', state: null, country: 'France', continent: 'Europe' } } },
    { enrichmentSource: null, id: 'field-21', name: 'Met at', type: 'global', value: { type: 'location-multi', data: [{ streetAddress: '1 Main Street', city: 'Lyon', state: null, country: 'France', continent: null }] } },
  ],
}));

export const lists = [
  { id: 100, type: 1, name: 'Companies', public: true, owner_id: 1, creator_id: 1, list_size: 2 },
  { id: 200, type: 8, name: 'Deals', public: true, owner_id: 1, creator_id: 1, list_size: 2 },
];

const created = '2024-01-02T03:04:05Z';
export const entries: Record<number, V2ListEntry[]> = {
  100: [
    { id: 1001, listId: 100, createdAt: created, creatorId: 1, type: 'company', entity: { ...(companies[0] as V2Company), fields: [{ enrichmentSource: null, id: 'field-31', name: 'Status', type: 'list', value: { type: 'ranked-dropdown', data: { dropdownOptionId: 3, text: 'Warm', rank: 1, color: null } } }] } },
    { id: 1002, listId: 100, createdAt: created, creatorId: null, type: 'company', entity: { ...(companies[1] as V2Company), fields: [] } },
  ],
  200: [
    {
      id: 2001, listId: 200, createdAt: created, creatorId: 1, type: 'opportunity',
      entity: {
        id: 500, name: 'Acme Upsell $10k', listId: 200,
        fields: [
          { enrichmentSource: null, id: 'persons', name: 'People', type: 'list', value: { type: 'person-multi', data: [{ id: 10, firstName: 'a', lastName: null, primaryEmailAddress: null, type: 'external' }, { id: 11, firstName: 'b', lastName: null, primaryEmailAddress: null, type: 'external' }] } },
          { enrichmentSource: null, id: 'companies', name: 'Organizations', type: 'list', value: { type: 'company-multi', data: [{ id: 2, name: 'Company 2', domain: 'c2.example' }] } },
          { enrichmentSource: null, id: 'field-41', name: 'Stage', type: 'list', value: { type: 'dropdown', data: { dropdownOptionId: 9, text: 'Won' } } },
          { enrichmentSource: null, id: 'last-email', name: 'Last Email', type: 'relationship-intelligence', value: { type: 'interaction', data: null } },
        ],
      },
    },
    { id: 2002, listId: 200, createdAt: created, creatorId: 1, type: 'opportunity', entity: { id: 501, name: 'Empty deal', listId: 200, fields: [] } },
  ],
};

const creator = { id: 1, firstName: 'Jane', lastName: 'Doe', primaryEmailAddress: 'jane@acme.co', type: 'internal' };
export const notes: V2Note[] = [
  {
    id: 900, type: 'entities', content: { html: '<p>Intro call</p>' }, creator, createdAt: created, updatedAt: null,
    personsPreview: { data: [creator], totalCount: 101 }, companiesPreview: { data: [{ id: 1, name: 'Company 1', domain: null }], totalCount: 1 },
    opportunitiesPreview: { data: [], totalCount: 0 }, repliesCount: 1,
  },
  {
    id: 901, type: 'entities', content: { html: null }, creator, createdAt: created, updatedAt: created,
    personsPreview: { data: [{ ...creator, id: 11 }], totalCount: 1 }, companiesPreview: { data: [], totalCount: 0 }, opportunitiesPreview: { data: [{ id: 500 }], totalCount: 1 }, repliesCount: 0,
  },
];
export const replies: V2Note[] = [{ id: 950, type: 'user-reply', content: { html: 'Thanks' }, creator, createdAt: created, updatedAt: null, parent: { id: 900 } }];
export const attachedPersons = Array.from({ length: 101 }, (_, i) => ({ ...creator, id: 10_000 + i }));
export const personMerges: V2MergeState[] = [
  { id: 1, status: 'success', primaryPersonId: 10, duplicatePersonId: 77 },
  { id: 2, status: 'failed', primaryPersonId: 10, duplicatePersonId: 78 },
];

function paged(path: string, url: URL, all: unknown[], nextOrigin = ORIGIN): unknown {
  const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 100));
  const offset = Number(url.searchParams.get('cursor') ?? 0);
  const next = new URL(`${nextOrigin}${path}`);
  for (const [k, v] of url.searchParams) if (k !== 'cursor') next.searchParams.append(k, v);
  next.searchParams.set('cursor', String(offset + limit));
  return { data: all.slice(offset, offset + limit), pagination: { prevUrl: null, nextUrl: offset + limit < all.length ? next.toString() : null } };
}

export interface FakeAffinity {
  fetch: typeof fetch;
  calls: Array<{ path: string; query: string; authorization: string }>;
  /** Origin the fake writes into nextUrl (a hostile account could name another). */
  nextOrigin: string;
}

/** The fake v2 (and the few v1) routes the source reads. */
export function createFakeAffinity(): FakeAffinity {
  const fake: FakeAffinity = { calls: [], nextOrigin: ORIGIN, fetch: undefined as unknown as typeof fetch };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  fake.fetch = (async (input: string, init: RequestInit) => {
    const url = new URL(input);
    const path = url.pathname;
    fake.calls.push({ path, query: url.search, authorization: (init.headers as Record<string, string>).authorization ?? '' });
    const o = fake.nextOrigin;
    const listMatch = /^\/v2\/lists\/(\d+)\/list-entries$/.exec(path);
    if (path === '/v2/companies') return json(200, paged(path, url, companies, o));
    if (path === '/v2/persons') return json(200, paged(path, url, persons, o));
    if (listMatch) return json(200, paged(path, url, entries[Number(listMatch[1])] ?? [], o));
    if (path === '/v2/notes') return json(200, paged(path, url, notes, o));
    if (path === '/v2/notes/900/replies') return json(200, paged(path, url, replies, o));
    if (path === '/v2/notes/900/attached-persons') return json(200, paged(path, url, attachedPersons, o));
    if (path === '/v2/person-merges') return json(200, paged(path, url, personMerges, o));
    if (path === '/lists') return json(200, lists);
    if (/^\/v2\/persons\/\d+$/.test(path)) {
      const p = persons.find((x) => `/v2/persons/${x.id}` === path);
      return p ? json(200, p) : json(404, { errors: [{ code: 'not-found', message: 'Person not found' }] });
    }
    return json(404, { errors: [{ code: 'not-found', message: 'no such route' }] });
  }) as unknown as typeof fetch;
  return fake;
}
