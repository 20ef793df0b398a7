import { describe, expect, it } from 'vitest';
import { createAttioClient } from '../attio/attio-client.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createPublicAttioReader, readAllPages } from './attio-public-reader.ts';
import { entryRow, noteRow, recordRow, value, WORKSPACE_ID } from './spec-fixtures.ts';

interface Call { method: string; path: string; query: URLSearchParams; body: Record<string, unknown> | null }

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A workspace behind a fake fetch, answering as the spec documents: records/entries queries page by
 * `limit`/`offset` in the body, `GET /v2/notes` by query parameters (max 50), an unknown list 404s
 * with the spec's error body.
 */
function fakeWorkspace(data: { people: unknown[]; deals: unknown[]; entries: unknown[]; notes: unknown[] }) {
  const calls: Call[] = [];
  const slice = (rows: unknown[], limit: number, offset: number) => rows.slice(offset, offset + limit);
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    const method = init?.method ?? 'GET';
    calls.push({ method, path: url.pathname, query: url.searchParams, body });
    if (url.pathname === '/v2/self') return json(200, { active: true, workspace_id: WORKSPACE_ID });
    const limit = Number(body?.limit ?? url.searchParams.get('limit'));
    const offset = Number(body?.offset ?? url.searchParams.get('offset') ?? 0);
    if (url.pathname === '/v2/objects/people/records/query') return json(200, { data: slice(data.people, limit, offset) });
    if (url.pathname === '/v2/objects/deals/records/query') return json(200, { data: slice(data.deals, limit, offset) });
    if (url.pathname === '/v2/lists/pipeline/entries/query') return json(200, { data: slice(data.entries, limit, offset) });
    if (url.pathname === '/v2/notes') return json(200, { data: slice(data.notes, Math.min(limit, 50), offset) });
    return json(404, { status_code: 404, type: 'invalid_request_error', code: 'not_found', message: 'List with slug/ID "gone" not found.' });
  };
  return { calls, fetchFn };
}

const people = Array.from({ length: 7 }, (_, i) => recordRow('people', `p-${i}`, { name: [value.name(`P${i}`, 'X')] }));
const deals = Array.from({ length: 3 }, (_, i) => recordRow('deals', `d-${i}`, { name: [value.text(`Deal ${i}`)] }));
const entries = Array.from({ length: 4 }, (_, i) => entryRow('pipeline', `e-${i}`, { object: 'deals', id: `d-${i % 3}` }, {}));
const notes = Array.from({ length: 5 }, (_, i) => noteRow(`n-${i}`, { object: 'people', id: `p-${i}` }, `Note ${i}`, 'text'));

describe('readAllPages', () => {
  it('stops at the first page shorter than the limit (no total, no cursor in Attio pagination)', async () => {
    const offsets: number[] = [];
    const rows = await readAllPages(2, (offset) => {
      offsets.push(offset);
      return Promise.resolve([1, 2, 3, 4].slice(offset, offset + 2));
    });
    expect(rows).toEqual([1, 2, 3, 4]);
    // A full last page costs one more (empty) page: the only end marker the spec gives.
    expect(offsets).toEqual([0, 2, 4]);
  });
});

describe('createPublicAttioReader', () => {
  it('reads records and entries through the documented queries and notes through GET /v2/notes, page by page', async () => {
    const ws = fakeWorkspace({ people, deals, entries, notes });
    const budgets = createBudgetRegistry();
    const client = createAttioClient({ baseUrl: 'https://api.example', token: 't', budgets, fetch: ws.fetchFn });
    const read = createPublicAttioReader({ client, queryLimit: 3, notesLimit: 2 });
    const snapshot = await read({ objects: ['people', 'deals', 'vanished'], lists: ['pipeline', 'gone'] });

    expect(snapshot.records.get('people')?.map((r) => r.id.record_id)).toEqual(people.map((p) => p.id.record_id));
    expect(snapshot.records.get('deals')).toHaveLength(3);
    expect(snapshot.entries.get('pipeline')?.map((e) => e.id.entry_id)).toEqual(['e-0', 'e-1', 'e-2', 'e-3']);
    // An object or list the workspace lacks holds nothing (verification then reports its records missing).
    expect(snapshot.entries.get('gone')).toEqual([]);
    expect(snapshot.records.get('vanished')).toEqual([]);
    expect(snapshot.notes.map((n) => n.id.note_id)).toEqual(['n-0', 'n-1', 'n-2', 'n-3', 'n-4']);
    // Rows stay as the spec shapes them.
    expect(snapshot.notes[0]).toMatchObject({ parent_object: 'people', parent_record_id: 'p-0', content_markdown: 'text', tags: [] });

    const peopleQueries = ws.calls.filter((c) => c.path === '/v2/objects/people/records/query');
    expect(peopleQueries.map((c) => [c.method, c.body])).toEqual([['POST', { limit: 3, offset: 0 }], ['POST', { limit: 3, offset: 3 }], ['POST', { limit: 3, offset: 6 }]]);
    expect(ws.calls.filter((c) => c.path === '/v2/notes').map((c) => `${c.query.get('limit')}@${c.query.get('offset')}`)).toEqual(['2@0', '2@2', '2@4']);
    // Nothing but the documented endpoints (and /v2/self, the budget's workspace lookup).
    expect(new Set(ws.calls.map((c) => c.path))).toEqual(new Set([
      '/v2/self', '/v2/objects/people/records/query', '/v2/objects/deals/records/query', '/v2/objects/vanished/records/query',
      '/v2/lists/pipeline/entries/query', '/v2/lists/gone/entries/query', '/v2/notes',
    ]));
  });

  it('paces every call with the workspace read budget and the queries with the query score budget', async () => {
    const ws = fakeWorkspace({ people, deals: [], entries: [], notes: [] });
    const client = createAttioClient({ baseUrl: 'https://api.example', token: 't', budgets: createBudgetRegistry(), fetch: ws.fetchFn });
    await createPublicAttioReader({ client, queryLimit: 5 })({ objects: ['people'], lists: ['pipeline'] });
    // people: 2 pages, pipeline: 1 page, notes: 1 page.
    expect(client.budgets.read.stats().acquired).toBe(4);
    expect(client.budgets.query.stats().acquired).toBe(3);
    expect(client.budgets.write.stats().acquired).toBe(0);
  });

  it('uses the spec defaults: 500 per query page, 50 per notes page', async () => {
    const ws = fakeWorkspace({ people: [], deals: [], entries: [], notes: [] });
    const client = createAttioClient({ baseUrl: 'https://api.example', token: 't', budgets: createBudgetRegistry(), fetch: ws.fetchFn });
    await createPublicAttioReader({ client })({ objects: ['people'], lists: [] });
    expect(ws.calls.find((c) => c.path.endsWith('/records/query'))?.body).toEqual({ limit: 500, offset: 0 });
    expect(ws.calls.find((c) => c.path === '/v2/notes')?.query.get('limit')).toBe('50');
  });

  it('passes other errors on (classified by the client)', async () => {
    const client = createAttioClient({
      baseUrl: 'https://api.example', token: 't', budgets: createBudgetRegistry(), max429Retries: 0,
      fetch: (input) => Promise.resolve(String(input).endsWith('/v2/self')
        ? json(200, { active: true, workspace_id: WORKSPACE_ID })
        : json(403, { status_code: 403, type: 'auth_error', code: 'forbidden', message: 'Token lacks record_permission:read' })),
    });
    await expect(createPublicAttioReader({ client })({ objects: ['people'], lists: [] })).rejects.toMatchObject({ kind: 'auth', status: 403 });
  });
});
