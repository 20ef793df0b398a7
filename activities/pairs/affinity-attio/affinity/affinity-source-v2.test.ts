import { describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';
import { createAffinityClient } from './affinity-client.ts';
import { createAffinitySource, type AffinitySource } from './affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from './affinity-types.ts';
import { createFakeAffinity, ORIGIN, type FakeAffinity } from './affinity-v2-test-fixtures.ts';

/** The source against hand-written responses shaped as Affinity's v2 spec (pure unit test). */
function setup(): { fake: FakeAffinity; source: AffinitySource } {
  const fake = createFakeAffinity();
  const client = createAffinityClient({ baseUrl: ORIGIN, apiKey: 'key-123456', budgets: createBudgetRegistry(), fetch: fake.fetch });
  return { fake, source: createAffinitySource({ client }) };
}

async function readAll(source: AffinitySource, kind: AffinityObjectKind, pageSize?: number): Promise<{ records: AffinityRecord[]; cursors: string[] }> {
  const records: AffinityRecord[] = [];
  const cursors: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await source.readPage(kind, cursor, pageSize === undefined ? {} : { pageSize });
    records.push(...page.records);
    cursor = page.nextCursor;
    if (cursor) cursors.push(cursor);
  } while (cursor);
  return { records, cursors };
}

describe('Affinity source on v2', () => {
  it('reads companies with their global field values inline, one call per page, Bearer auth, limit ≤ 100', async () => {
    const { fake, source } = setup();
    const { records, cursors } = await readAll(source, 'organizations', 2);
    expect(records.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(fake.calls.map((c) => c.path)).toEqual(['/v2/companies', '/v2/companies']);
    expect(fake.calls.every((c) => c.authorization === 'Bearer key-123456')).toBe(true);
    expect(fake.calls[0]?.query).toContain('limit=2');
    expect(fake.calls[0]?.query).toContain('fieldTypes=global');
    for (const c of cursors) expect(c.length).toBeLessThan(200);
    const first = records[0];
    expect(first?.kind === 'organization' && first.fieldValues).toEqual([
      { id: 1, field_id: 11, list_entry_id: null, entity_id: 1, value: { id: 7, text: 'Gold' } },
      { id: 2, field_id: 12, list_entry_id: null, entity_id: 1, value: 10 },
    ]);
    await source.readPage('organizations', null, { pageSize: 500 });
    expect(fake.calls.at(-1)?.query).toContain('limit=100');
  });

  it("reads a person's company from the documented current-organization field, and no enriched field as a custom value", async () => {
    const { source } = setup();
    const { records } = await readAll(source, 'persons');
    const people = records.flatMap((r) => (r.kind === 'person' ? [r] : []));
    expect(people.map((p) => p.data.current_organization_ids)).toEqual([[1], [2], [3]]);
    expect(people.map((p) => p.data.type)).toEqual([0, 0, 1]);
    expect(people[0]?.fieldValues).toEqual([
      { id: 1, field_id: 21, list_entry_id: null, entity_id: 10, value: { street_address: '1 Main Street', city: 'Lyon', state: null, country: 'France', continent: null } },
    ]);
  });

  it("reads opportunities from their list entries: people and organizations from the list's persons/companies fields", async () => {
    const { fake, source } = setup();
    const { records } = await readAll(source, 'opportunities');
    expect(fake.calls.map((c) => c.path)).toEqual(['/lists', '/v2/lists/200/list-entries']);
    const [deal, empty] = records;
    expect(deal).toMatchObject({ kind: 'opportunity', id: '500', data: { name: 'Acme Upsell $10k', list_id: 200, person_ids: [10, 11], organization_ids: [2] } });
    // Only the customer's own field (field-41) is a value; persons/companies/last-email are Affinity's columns.
    expect(deal?.kind === 'opportunity' && deal.fieldValues).toEqual([{ id: 1, field_id: 41, list_entry_id: 2001, entity_id: 500, value: { id: 9, text: 'Won' } }]);
    expect(empty).toMatchObject({ data: { person_ids: [], organization_ids: [] } });
  });

  it('walks every list for list entries, list after list, with list fields inline', async () => {
    const { source } = setup();
    const { records } = await readAll(source, 'list_entries', 1);
    expect(records.map((r) => r.id)).toEqual(['1001', '1002', '2001', '2002']);
    expect(records[0]).toMatchObject({ data: { list_id: 100, entity_id: 1, entity_type: 1 }, fieldValues: [{ field_id: 31, list_entry_id: 1001, value: { text: 'Warm', rank: 1 } }] });
    expect(records[2]).toMatchObject({ data: { list_id: 200, entity_id: 500, entity_type: 8 } });
  });

  it('reads notes with their attached entities (past the preview when it is short) and replies after their root', async () => {
    const { fake, source } = setup();
    const { records } = await readAll(source, 'notes');
    expect(records.map((r) => r.id)).toEqual(['900', '950', '901']);
    const [root, reply, other] = records.map((r) => (r.kind === 'note' ? r.data : null));
    expect(root?.person_ids).toHaveLength(101);
    expect(root).toMatchObject({ organization_ids: [1], opportunity_ids: [], parent_id: null, type: 2, content: '<p>Intro call</p>' });
    expect(reply).toMatchObject({ parent_id: 900, organization_ids: [1], content: 'Thanks' });
    expect(other).toMatchObject({ person_ids: [11], opportunity_ids: [500], content: '' });
    expect(fake.calls[0]?.query).toContain('includes=personsPreview');
    expect(fake.calls[0]?.query).toContain('includes=repliesCount');
    // One listing page, the attached persons of the one short preview (2 pages of 100), one replies page.
    expect(fake.calls).toHaveLength(4);
  });

  it('asks for the notes changed since an instant with the documented filter, on the first page only', async () => {
    const { fake, source } = setup();
    const since = new Date('2026-03-04T05:06:07.890Z');
    const first = await source.readPage('notes', null, { pageSize: 1, changedSince: since });
    const filter = new URLSearchParams(fake.calls[0]?.query).get('filter');
    // Whole seconds, rounded down; a note never edited has updatedAt null, so createdAt is asked too.
    expect(filter).toBe('createdAt>=2026-03-04T05:06:07Z|updatedAt>=2026-03-04T05:06:07Z');
    const calls = fake.calls.length;
    await source.readPage('notes', first.nextCursor, { pageSize: 1, changedSince: since });
    // A later page follows nextUrl as given (which carries the first request's filter), adding none.
    const later = fake.calls.slice(calls).filter((c) => c.path === '/v2/notes');
    expect(later.map((c) => new URLSearchParams(c.query).getAll('filter'))).toEqual([[filter]]);
    await source.readPage('persons', null, { changedSince: since });
    expect(new URLSearchParams(fake.calls.at(-1)?.query).has('filter')).toBe(false);
  });

  it('refuses a nextUrl that leaves the configured origin, before sending the key there', async () => {
    const { fake, source } = setup();
    fake.nextOrigin = 'https://evil.example';
    const first = await source.readPage('organizations', null, { pageSize: 1 });
    const error = await failureOf(source.readPage('organizations', first.nextCursor, { pageSize: 1 }));
    expect(error).toMatchObject({ kind: 'config', retryable: false });
    expect(fake.calls.every((c) => !c.path.includes('evil'))).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  it('reports a merged person from the documented merge records, a deleted one as not found', async () => {
    const { source } = setup();
    await expect(source.readRecord('person', '77')).rejects.toMatchObject({ kind: 'merged', retryable: false, details: { mergedId: '77', mergedInto: '10' } });
    // A failed merge did not merge anything.
    await expect(source.readRecord('person', '78')).rejects.toMatchObject({ kind: 'not_found', details: { code: 'not-found' } });
    await expect(source.readRecord('person', '10')).resolves.toMatchObject({ kind: 'person', data: { current_organization_ids: [1] } });
  });
});
