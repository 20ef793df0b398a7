import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAttioSandbox, type AttioSandbox } from '../../../../infra/sandbox/attio/index.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createMemoryIdMap, type MemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { parseNoteMarker } from '../mapping/map-note.ts';
import type { RecordWrite, SchemaPlan } from '../connector-types.ts';
import { createAttioClient } from './attio-client.ts';
import { createAttioPreview } from './attio-preview.ts';
import { createAttioTarget } from './attio-target.ts';

/** The dry-run preview against the Attio sandbox: each class from a real target state, and never a write. */
let sb: AttioSandbox;
let idMap: MemoryIdMap;

const PLAN: SchemaPlan = {
  objects: [{ object: 'people', attributes: [
    { slug: 'affinity_id', title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: false },
    { slug: 'affinity_field_2', title: 'Interests', type: 'select', isMultiselect: false, isUnique: false, options: ['Fintech', 'AI'] },
  ] }],
  lists: [],
};

const client = () => createAttioClient({ baseUrl: sb.url, token: sb.token, budgets: createBudgetRegistry() });
const person = (id: string, email: string | null, last: string, extra: Record<string, unknown> = {}): RecordWrite => ({
  source: { kind: 'person', id }, object: 'people', matchingAttribute: 'email_addresses',
  values: {
    affinity_id: id, name: { first_name: 'Ada', last_name: last, full_name: `Ada ${last}` },
    ...(email ? { email_addresses: [{ email_address: email }] } : {}), ...extra,
  },
});
const writes = async () => ((await (await fetch(`${sb.url}/__sandbox/stats`)).json()) as { writes: number }).writes;

beforeAll(async () => {
  sb = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 } });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(async () => {
  sb.workspace.reset();
  idMap = createMemoryIdMap();
  const target = createAttioTarget({ client: client(), idMap, parseNoteMarker });
  await target.ensureSchema(PLAN);
  await target.upsertRecord(person('1', 'same@x.io', 'Same'));
  await target.upsertRecord(person('2', 'old@x.io', 'Old'));
  await target.upsertRecord(person('3', 'a@x.io', 'Two'));
  // Not through the writer (it would claim b@x.io for another source record): a second record a person's other email matches.
  await client().request('POST', '/objects/people/records', { body: { data: { values: { email_addresses: ['b@x.io'] } } } });
  await target.upsertRecord(person('4', null, 'NoEmail'));
  await client().request('POST', '/objects/people/records', { body: { data: { values: { email_addresses: ['clash@x.io'], affinity_id: ['6'] } } } });
});

describe('Attio dry-run preview', () => {
  it('classifies create / update (with changes) / unchanged / conflict / refused by reading only', async () => {
    const preview = createAttioPreview({ client: client(), idMap, sourceIdAttribute: 'affinity_id' });
    const before = await writes();
    expect(await preview.previewRecord(person('9', 'new@x.io', 'New'))).toEqual({ class: 'create' });
    expect(await preview.previewRecord(person('1', 'same@x.io', 'Same'))).toMatchObject({ class: 'unchanged' });
    const update = await preview.previewRecord(person('2', 'old@x.io', 'Newer'));
    expect(update).toMatchObject({ class: 'update', changes: [{ attribute: 'name', old: [['Ada', 'Old', 'Ada Old']], new: [['Ada', 'Newer', 'Ada Newer']] }] });
    // Two emails, each on its own target record: several matches.
    const both = person('3', 'a@x.io', 'Two');
    both.values.email_addresses = [{ email_address: 'a@x.io' }, { email_address: 'b@x.io' }];
    expect(await preview.previewRecord(both)).toMatchObject({ class: 'conflict', reason: expect.stringMatching(/several target records match/) });
    // The email belongs to a target record that carries another source record's id.
    expect(await preview.previewRecord(person('5', 'clash@x.io', 'Clash'))).toMatchObject({ class: 'conflict', reason: expect.stringMatching(/unique-value clash/) });
    // An email another source record claimed (through the writer) is left out: no match left, so a create.
    expect(await preview.previewRecord(person('5', 'same@x.io', 'Same'))).toMatchObject({ class: 'create', reason: expect.stringMatching(/already claimed/) });
    // Through the id map (no email): known → compared; a value of the wrong shape for its attribute → refused.
    expect(await preview.previewRecord(person('4', null, 'NoEmail'))).toMatchObject({ class: 'unchanged' });
    expect(await preview.previewRecord(person('8', 'm@x.io', 'Multi', { affinity_field_2: ['Fintech', 'AI'] })))
      .toMatchObject({ class: 'refused', reason: expect.stringMatching(/not multiselect/) });
    expect(await preview.previewRecord(person('7', 'n@x.io', 'Num', { affinity_id: 7 }))).toMatchObject({ class: 'refused', reason: expect.stringMatching(/must be a string/) });
    // A unique value another source record claimed is left out, as the writer would.
    await idMap.put([{ source: { kind: 'claim:people.email_addresses', id: 'b@x.io' }, target: { object: 'claim', id: 'person:33' } }]);
    expect(await preview.previewRecord(both)).toMatchObject({ class: 'unchanged', reason: expect.stringMatching(/already claimed/) });
    // A fresh target: deals have no affinity_id attribute yet (the schema step would create it), so nothing matches;
    // the owner a real run defaults to is read, and without one Attio's required owner refuses the create.
    const owner = await preview.defaultActorId();
    expect(owner).toEqual(expect.any(String));
    const deal = (values: Record<string, unknown>): RecordWrite => ({ source: { kind: 'opportunity', id: '1' }, object: 'deals', matchingAttribute: 'affinity_id', values: { affinity_id: '1', name: 'Deal', stage: 'Lead', ...values } });
    expect(await preview.previewRecord(deal({ owner: { referenced_actor_type: 'workspace-member', referenced_actor_id: owner } }))).toEqual({ class: 'create' });
    expect(await preview.previewRecord(deal({}))).toMatchObject({ class: 'refused', reason: expect.stringMatching(/required attribute "owner"/) });
    expect(await writes()).toBe(before);
  });
});
