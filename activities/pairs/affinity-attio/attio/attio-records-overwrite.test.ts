import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkAttioContract } from '../../../../infra/sandbox/attio/contract/index.ts';
import { startAttioSandbox, type AttioSandbox } from '../../../../infra/sandbox/attio/index.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createMemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { failureOf } from '../../../connectors/test-helpers.ts';
import { parseNoteMarker } from '../mapping/map-note.ts';
import type { RecordWrite, SchemaPlan, TargetConnector } from '../connector-types.ts';
import { createAttioClient } from './attio-client.ts';
import { imageOf, writtenSlugs } from './attio-images.ts';
import { createAttioTarget } from './attio-target.ts';

/**
 * Delta overwrite (issue 17 item 2) against the Attio sandbox: a first write merges into what the
 * workspace holds, a delta's write of a known record (`overwrite`) replaces multiselect values, so a
 * value removed at the source is removed in Attio, and its after-image is what Attio holds after.
 */
let sb: AttioSandbox;
let target: TargetConnector;

const PLAN: SchemaPlan = {
  objects: [{ object: 'people', attributes: [
    { slug: 'affinity_id', title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: false },
    { slug: 'affinity_field_2', title: 'Interests', type: 'select', isMultiselect: true, isUnique: false, options: ['Fintech', 'AI'] },
  ] }],
  lists: [],
};

const person = (emails: string[], interests: string[] = []): RecordWrite => ({
  source: { kind: 'person', id: '7' }, object: 'people', matchingAttribute: 'email_addresses',
  values: { affinity_id: '7', email_addresses: emails.map((email_address) => ({ email_address })), affinity_field_2: interests },
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: { data: { id: { record_id: string }; values: Record<string, unknown[]> } } }> {
  const res = await fetch(`${sb.url}${path}`, {
    method, headers: { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() as never };
}

const emailsOf = async (id: string) => ((await call('GET', `/v2/objects/people/records/${id}`)).body.data.values.email_addresses as { email_address: string }[])
  .map((e) => e.email_address).sort();

beforeAll(async () => {
  sb = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 }, contract: checkAttioContract });
});
afterAll(async () => {
  await sb?.close();
});
beforeEach(async () => {
  sb.workspace.reset();
  target = createAttioTarget({ client: createAttioClient({ baseUrl: sb.url, token: sb.token, budgets: createBudgetRegistry() }), idMap: createMemoryIdMap(), parseNoteMarker });
  await target.ensureSchema(PLAN);
});

describe('Attio record writes: merge on a first job, overwrite in a delta', () => {
  it('a first write keeps what the workspace held; a delta overwrite removes what the source removed, its image as Attio holds it', async () => {
    // The customer's own record before the job, with an email the source does not know.
    const own = (await call('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', { data: { values: { email_addresses: ['a@x.com', 'mine@x.com'] } } })).body.data.id.record_id;
    const first = await target.upsertRecord(person(['a@x.com', 'b@x.com'], ['Fintech', 'AI']));
    expect(first.target.id).toBe(own);
    expect(await emailsOf(own)).toEqual(['a@x.com', 'b@x.com', 'mine@x.com']);

    // Without overwrite (as before), a removed email stays.
    await target.upsertRecord(person(['a@x.com'], ['AI']));
    expect(await emailsOf(own)).toEqual(['a@x.com', 'b@x.com', 'mine@x.com']);

    const delta = await target.upsertRecord(person(['a@x.com'], ['AI']), { overwrite: true });
    expect(delta).toMatchObject({ action: 'updated', target: { object: 'people', id: own } });
    expect(await emailsOf(own)).toEqual(['a@x.com']);
    const now = (await call('GET', `/v2/objects/people/records/${own}`)).body.data.values;
    expect(delta.image).toEqual(imageOf(now, writtenSlugs(person(['a@x.com'], ['AI']).values)));
    expect((delta.image?.affinity_field_2 as { option: { title: string } }[]).map((o) => o.option.title)).toEqual(['AI']);
  });

  it('a known record deleted in the target: recreated by the assert as before, or the 404 a PATCH gives without an email', async () => {
    const first = await target.upsertRecord(person(['a@x.com']));
    expect((await call('DELETE', `/v2/objects/people/records/${first.target.id}`)).status).toBe(200);
    const again = await target.upsertRecord(person(['a@x.com']), { overwrite: true });
    expect(again.target.id).not.toBe(first.target.id);
    expect(again.warnings.join()).toMatch(/id map already pointed at/);

    const bare: RecordWrite = { source: { kind: 'person', id: '8' }, object: 'people', matchingAttribute: 'email_addresses', values: { affinity_id: '8' } };
    const made = await target.upsertRecord(bare);
    expect((await call('DELETE', `/v2/objects/people/records/${made.target.id}`)).status).toBe(200);
    expect((await failureOf(target.upsertRecord(bare, { overwrite: true }))).kind).toBe('not_found');
  });

  it('keeps the unique-value claims: an email another source person claimed first is left out, not taken', async () => {
    const other: RecordWrite = { ...person(['shared@x.com']), source: { kind: 'person', id: '9' }, values: { affinity_id: '9', email_addresses: [{ email_address: 'shared@x.com' }] } };
    await target.upsertRecord(other);
    const mine = await target.upsertRecord(person(['a@x.com']));
    const res = await target.upsertRecord(person(['a@x.com', 'shared@x.com']), { overwrite: true });
    expect(res.warnings.join()).toMatch(/shared@x.com" already belongs to person:9/);
    expect(await emailsOf(mine.target.id)).toEqual(['a@x.com']);
  });

  it('sent only what the spec defines and got only answers within its schemas', () => {
    const report = sb.contract?.snapshot();
    expect(report?.recent, JSON.stringify(report?.recent, null, 2)).toEqual([]);
    expect(report?.checked).toBeGreaterThan(10);
  });
});
