import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAttioContract } from '../../../../infra/sandbox/attio/contract/index.ts';
import { startAttioSandbox, type AttioSandbox } from '../../../../infra/sandbox/attio/index.ts';
import { parseNoteMarker, noteMarker } from '../mapping/map-note.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { ConnectorError } from '../../../connectors/connector-error.ts';
import { createMemoryIdMap, type MemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import type { SchemaPlan, TargetConnector } from '../connector-types.ts';
import { createAttioClient } from './attio-client.ts';
import { createAttioTarget } from './attio-target.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';

/** Contract tests: the Attio target against the Attio sandbox. Limits are off except where a test sets them. */
let sb: AttioSandbox;
let idMap: MemoryIdMap;
let target: TargetConnector;

const PLAN: SchemaPlan = {
  objects: [
    { object: 'companies', attributes: [{ slug: 'affinity_id', title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: false }] },
    { object: 'people', attributes: [
      { slug: 'affinity_id', title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: false },
      { slug: 'affinity_field_2', title: 'Interests', type: 'select', isMultiselect: true, isUnique: false, options: ['Fintech', 'AI'] },
    ] },
    { object: 'deals', attributes: [{ slug: 'affinity_id', title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: true }], extraOptions: [{ attribute: 'stage', titles: ['Lead', 'Diligence'] }] },
  ],
  lists: [{ source: { kind: 'list', id: '1' }, slug: 'affinity_list_1', name: 'Founders', parentObject: 'people', attributes: [{ slug: 'affinity_entry_id', title: 'Affinity entry ID', type: 'text', isMultiselect: false, isUnique: false }] }],
};

const makeTarget = (token = sb.token) =>
  createAttioTarget({ client: createAttioClient({ baseUrl: sb.url, token, budgets: createBudgetRegistry() }), idMap, parseNoteMarker });

async function inspect<T>(path: string): Promise<T> {
  const res = await fetch(`${sb.url}/__sandbox/${path}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  // Every exchange is held to Attio's published schemas: the last test reads the outcome.
  sb = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 }, contract: checkAttioContract });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(async () => {
  sb.workspace.reset();
  sb.faults.replace({});
  idMap = createMemoryIdMap();
  target = makeTarget();
  await target.ensureSchema(PLAN);
});

describe('Attio target (contract)', () => {
  it('ensures the schema idempotently and finds a default owner', async () => {
    const again = await target.ensureSchema(PLAN);
    expect(again.created).toEqual([]);
    expect(again.lists.affinity_list_1).toBeDefined();
    expect(again.defaultActor?.email).toBe('owner@freight-sandbox.test');
    const summary = await inspect<{ customAttributes: Record<string, string[]> }>('summary');
    expect(summary.customAttributes.deals).toContain('affinity_id');
  });

  it('asserts companies on domains: a re-run updates, never duplicates', async () => {
    const write = { source: { kind: 'organization', id: '5' }, object: 'companies', matchingAttribute: 'domains', values: { affinity_id: '5', name: 'Acme', domains: [{ domain: 'acme.com' }] } };
    const first = await target.upsertRecord(write);
    const second = await target.upsertRecord({ ...write, values: { ...write.values, name: 'Acme Inc' } });
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', target: first.target });
    const records = await inspect<{ total: number }>('records/companies');
    expect(records.total).toBe(1);
  });

  it('skips records already in the id map when asked to (cheap resume), without a write', async () => {
    const skipping = createAttioTarget({ client: createAttioClient({ baseUrl: sb.url, token: sb.token, budgets: createBudgetRegistry() }), idMap, parseNoteMarker, onExisting: 'skip' });
    const write = { source: { kind: 'organization', id: '50' }, object: 'companies', matchingAttribute: 'domains', values: { affinity_id: '50', domains: [{ domain: 'skip.io' }] } };
    const first = await skipping.upsertRecord(write);
    sb.stats.reset();
    expect(await skipping.upsertRecord(write)).toMatchObject({ action: 'unchanged', target: first.target });
    expect(sb.stats.snapshot().requests).toBe(0);
  });

  it('keeps companies without domain idempotent through the id map, and recovers a lost id-map write', async () => {
    const write = { source: { kind: 'organization', id: '6' }, object: 'companies', matchingAttribute: 'domains', values: { affinity_id: '6', name: 'No Domain Ltd' } };
    const first = await target.upsertRecord(write);
    expect(first.action).toBe('created');
    expect((await target.upsertRecord(write)).target).toEqual(first.target);
    // Simulate a crash between create and id-map write: a fresh id map, the record already exists.
    idMap = createMemoryIdMap();
    const recovered = await makeTarget().upsertRecord(write);
    expect(recovered.target).toEqual(first.target);
    expect(recovered.warnings[0]).toMatch(/earlier attempt/);
    expect((await inspect<{ total: number }>('records/companies')).total).toBe(1);
  });

  it('gives a shared email to the first person only', async () => {
    const a = await target.upsertRecord({ source: { kind: 'person', id: '1' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '1', email_addresses: [{ email_address: 'x@a.com' }, { email_address: 'ada@a.com' }] } });
    const b = await target.upsertRecord({ source: { kind: 'person', id: '2' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '2', email_addresses: [{ email_address: 'x@a.com' }] } });
    expect(b.target.id).not.toBe(a.target.id);
    expect(b.warnings[0]).toMatch(/already belongs to person:1/);
    expect((await inspect<{ total: number }>('records/people')).total).toBe(2);
  });

  it('asserts deals on the unique affinity_id with stage and owner', async () => {
    const schema = await target.ensureSchema(PLAN);
    const write = { source: { kind: 'opportunity', id: '9' }, object: 'deals', matchingAttribute: 'affinity_id', values: { affinity_id: '9', name: 'Series A', stage: 'Diligence', owner: { referenced_actor_type: 'workspace-member', referenced_actor_id: schema.defaultActor?.id } } };
    const first = await target.upsertRecord(write);
    const second = await target.upsertRecord(write);
    expect(second.target).toEqual(first.target);
    expect((await inspect<{ total: number }>('records/deals')).total).toBe(1);
  });

  it('creates a note once, and adopts a note created before a crash instead of duplicating it', async () => {
    const person = await target.upsertRecord({ source: { kind: 'person', id: '3' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '3', email_addresses: [{ email_address: 'n@a.com' }] } });
    const note = { source: { kind: 'note', id: '77' }, parent: person.target, title: `Intro ${noteMarker(77)}`, format: 'plaintext' as const, content: 'hello', createdAt: '2020-02-29T12:00:00.000Z' };
    const first = await target.createNote(note);
    expect(first.action).toBe('created');
    expect((await target.createNote(note)).action).toBe('unchanged');
    idMap = createMemoryIdMap();
    const recovered = await makeTarget().createNote(note);
    expect(recovered).toMatchObject({ action: 'unchanged', target: first.target });
    const notes = await inspect<{ total: number; data: Array<{ created_at: string }> }>('notes');
    expect(notes.total).toBe(1);
    expect(notes.data[0]?.created_at).toBe('2020-02-29T12:00:00.000Z');
  });

  it('replaces a note the references pass rewrites with new content (Attio cannot edit notes), converging after a crash', async () => {
    const person = await target.upsertRecord({ source: { kind: 'person', id: '8' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '8', email_addresses: [{ email_address: 'r@a.com' }] } });
    const note = { source: { kind: 'note', id: '88' }, parent: person.target, title: `Call ${noteMarker(88)}`, format: 'plaintext' as const, content: 'met; deal 5 (not migrated)' };
    const first = await target.createNote(note);
    const notes = async () => (await inspect<{ data: Array<{ id: { note_id: string }; content_plaintext: string }> }>('notes')).data;
    // Same content: nothing replaced, nothing written.
    expect(await target.createNote(note, { rewrite: true })).toMatchObject({ action: 'unchanged', target: first.target });
    const resolved = { ...note, content: 'met; deal 5' };
    const replaced = await target.createNote(resolved, { rewrite: true });
    expect(replaced.action).toBe('updated');
    expect(replaced.target.id).not.toBe(first.target.id);
    expect((await notes()).map((n) => [n.id.note_id, n.content_plaintext])).toEqual([[replaced.target.id, 'met; deal 5']]);
    expect((await idMap.get([note.source])).get('note:88')).toEqual(replaced.target);
    expect((await target.createNote(resolved, { rewrite: true })).action).toBe('unchanged');

    // A crash after the new note was created, before the old one was deleted and the map moved:
    // the next attempt adopts the new note and removes the old one.
    const again = { ...resolved, content: 'met; deal 5; person 6' };
    const orphan = (await fetch(`${sb.url}/v2/notes`, {
      method: 'POST', headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { parent_object: 'people', parent_record_id: person.target.id, title: again.title, format: 'plaintext', content: again.content } }),
    }).then((r) => r.json())) as { data: { id: { note_id: string } } };
    const converged = await target.createNote(again, { rewrite: true });
    expect(converged).toMatchObject({ action: 'updated', target: { id: orphan.data.id.note_id } });
    expect((await notes()).map((n) => n.id.note_id)).toEqual([orphan.data.id.note_id]);
  });

  it('adds list entries keyed by the source entry: the same person twice gives two entries, re-runs none', async () => {
    const person = await target.upsertRecord({ source: { kind: 'person', id: '4' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '4', email_addresses: [{ email_address: 'e@a.com' }] } });
    const entry = (id: string) => ({ source: { kind: 'list_entry', id }, list: 'affinity_list_1', parent: person.target, values: { affinity_entry_id: id } });
    await target.addListEntry(entry('100'));
    await target.addListEntry(entry('101'));
    await target.addListEntry(entry('100'));
    idMap = createMemoryIdMap();
    await makeTarget().addListEntry(entry('101'));
    expect((await inspect<{ total: number }>('entries/affinity_list_1')).total).toBe(2);
  });

  it('answers a bad token with a non-retryable auth error', async () => {
    const error = await failureOf(makeTarget('nope').upsertRecord({ source: { kind: 'organization', id: '1' }, object: 'companies', matchingAttribute: 'domains', values: { domains: [{ domain: 'a.io' }] } }));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
  });

  it('reports a poison record as per-record validation and 5xx as transient', async () => {
    const poison = { source: { kind: 'organization', id: '8' }, object: 'companies', matchingAttribute: 'domains', values: { name: 'Bad __poison__', domains: [{ domain: 'bad.io' }] } };
    await expect(target.upsertRecord(poison)).rejects.toMatchObject({ kind: 'validation', status: 400, retryable: false, details: { type: 'invalid_request_error', code: 'value_not_found' } });
    sb.faults.update({ rate5xx: 1 });
    await expect(target.upsertRecord({ ...poison, values: { domains: [{ domain: 'ok.io' }] } })).rejects.toMatchObject({ kind: 'transient', retryable: true });
  });

  it('rejects a note over the size limit as validation', async () => {
    const person = await target.upsertRecord({ source: { kind: 'person', id: '5' }, object: 'people', matchingAttribute: 'email_addresses', values: { email_addresses: [{ email_address: 'big@a.com' }] } });
    const note = { source: { kind: 'note', id: '78' }, parent: person.target, title: `Big ${noteMarker(78)}`, format: 'plaintext' as const, content: 'x'.repeat(200 * 1024) };
    await expect(target.createNote(note)).rejects.toMatchObject({ kind: 'validation', status: 413 });
  });

  it('waits out 429s (Retry-After) and succeeds', async () => {
    sb.faults.update({ rate429: 0.3, seed: 3 });
    for (let i = 0; i < 10; i += 1) {
      await target.upsertRecord({ source: { kind: 'organization', id: String(100 + i) }, object: 'companies', matchingAttribute: 'domains', values: { domains: [{ domain: `c${i}.io` }] } });
    }
    expect((await inspect<{ total: number }>('records/companies')).total).toBe(10);
  });

  // Last in the file: it reads what the tests above sent and received.
  it('sent only request bodies and query parameters the spec defines, and got only answers within its schemas', () => {
    const report = sb.contract?.snapshot();
    expect(report?.recent, JSON.stringify(report?.recent, null, 2)).toEqual([]);
    expect(report?.checked).toBeGreaterThan(50);
  });
});
