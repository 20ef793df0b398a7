import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestClient, type LooseJson } from '../../test-client.ts';
import { startAttioSandbox, type AttioSandbox } from '../index.ts';
import { JOURNAL_FILE, SNAPSHOT_FILE } from './format.ts';
import { StateFileError } from './load.ts';
import type { PersistOptions } from './persistence.ts';
import { readEverything, writeScenario } from './test-scenario.ts';

describe('Attio sandbox state folder', () => {
  let dir: string;
  const open: AttioSandbox[] = [];
  const start = async (state: Partial<PersistOptions> = {}) => {
    const sandbox = await startAttioSandbox({ limits: { readsPerSecond: 0, writesPerSecond: 0 }, state: { dir, fingerprint: { seed: '1', size: 100 }, ...state } });
    open.push(sandbox);
    return { sandbox, call: createTestClient(sandbox.url, `Bearer ${sandbox.token}`) };
  };
  const stop = async (sandbox: AttioSandbox) => {
    open.splice(open.indexOf(sandbox), 1);
    await sandbox.close();
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'attio-state-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restarted sandbox holds the same workspace: ids, values, relationships, order, schema, token actor', async () => {
    const first = await start();
    const written = await writeScenario(first.call);
    // Builds the equality index before the restart; the loaded workspace must build its own.
    expect((await first.call('POST', '/v2/objects/people/records/query', { filter: { affinity_id: 'p-2' } })).body.data).toHaveLength(1);
    const before = await readEverything(first.call);
    await stop(first.sandbox);

    const second = await start();
    expect(await readEverything(second.call)).toEqual(before);
    const byAffinityId = await second.call('POST', '/v2/objects/people/records/query', { filter: { affinity_id: 'p-2' } });
    expect(byAffinityId.body.data.map((r: LooseJson) => r.id.record_id)).toEqual([written.people[2]]);
    const bySource = await second.call('POST', '/v2/lists/pipeline/entries/query', { filter: { source_entry: 'e-1' } });
    expect(bySource.body.data.map((e: LooseJson) => e.id.entry_id)).toEqual([written.entries[1]]);

    // Unique indexes were rebuilt: an assert on a saved email updates, never duplicates.
    const asserted = await second.call('PUT', '/v2/objects/people/records?matching_attribute=email_addresses', { data: { values: { email_addresses: ['p3@acme.com'], affinity_id: 'p-3b' } } });
    expect(asserted.body.data.id.record_id).toBe(written.people[3]);
    expect((await second.call('POST', '/v2/objects/people/records', { data: { values: { email_addresses: ['p0@acme.com'] } } })).body.message).toMatch(/conflicts with/);
    expect((await second.call('POST', '/v2/objects/people/records/query', { filter: { affinity_id: 'p-3' } })).body.data).toEqual([]);

    const fresh = await second.call('POST', '/v2/objects/people/records', { data: { values: { email_addresses: ['new@acme.com'] } } });
    const freshId = fresh.body.data.id.record_id as string;
    expect([...written.people, ...written.companies]).not.toContain(freshId);
    const all = await second.call('POST', '/v2/objects/people/records/query', {});
    expect(all.body.data.map((r: LooseJson) => r.id.record_id)).toEqual([...written.people, freshId]);
    await stop(second.sandbox);

    const third = await start();
    expect((await third.call('POST', '/v2/objects/people/records/query', { filter: { affinity_id: 'p-3b' } })).body.data).toHaveLength(1);
    expect((await third.call('GET', `/v2/objects/people/records/${freshId}`)).status).toBe(200);
  });

  it('drops a half-written last journal line and appends after it', async () => {
    const first = await start();
    await writeScenario(first.call);
    const before = await readEverything(first.call);
    await stop(first.sandbox);
    appendFileSync(path.join(dir, JOURNAL_FILE), '{"t":"batch","rows":[{"k":"r","o":"peo');

    const second = await start();
    expect(await readEverything(second.call)).toEqual(before);
    const created = await second.call('POST', '/v2/objects/companies/records', { data: { values: { domains: ['initech.com'] } } });
    await stop(second.sandbox);
    const third = await start();
    expect((await third.call('GET', `/v2/objects/companies/records/${created.body.data.id.record_id}`)).status).toBe(200);
  });

  it('compacts the journal into a new snapshot once it grows, and a reset is saved at once', async () => {
    const first = await start({ compactBytes: 1 });
    await writeScenario(first.call);
    const before = await readEverything(first.call);
    await stop(first.sandbox);
    // How many flushes the writes took depends on timing; that the journal was folded into a newer
    // snapshot at least once does not (it outgrew the empty workspace's snapshot by the last flush).
    const compacted = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8').split('\n')[0] as string) as { generation: number };
    expect(compacted.generation).toBeGreaterThan(1);
    expect(readFileSync(path.join(dir, JOURNAL_FILE), 'utf8').length).toBeLessThan(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8').length * 2);

    const second = await start();
    expect(await readEverything(second.call)).toEqual(before);
    await second.call('POST', '/__sandbox/reset');
    const header = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8').split('\n')[0] as string) as { generation: number };
    const third = await start();
    expect((await third.call('GET', '/__sandbox/summary')).body).toMatchObject({ objects: { people: 0, companies: 0, deals: 0 }, lists: {}, notes: 0 });
    expect(header.generation).toBeGreaterThan(1);
  });

  it('ignores a journal of an older snapshot (a crash between writing the snapshot and starting its journal)', async () => {
    const first = await start();
    await writeScenario(first.call);
    const before = await readEverything(first.call);
    await stop(first.sandbox);
    await stop((await start({ compactBytes: 1 })).sandbox);
    const { generation } = JSON.parse(readFileSync(path.join(dir, SNAPSHOT_FILE), 'utf8').split('\n')[0] as string) as { generation: number };
    const people = (before['records/people'] as LooseJson).data.map((r: LooseJson) => ({ k: 'r', o: 'people', id: r.id.record_id }));
    writeFileSync(path.join(dir, JOURNAL_FILE), `${JSON.stringify({ t: 'header', format: 1, generation: generation - 1 })}\n${JSON.stringify({ t: 'batch', rows: [], notes: [], gone: people })}\n`);

    const second = await start();
    expect(await readEverything(second.call)).toEqual(before);
  });

  it('sets aside a state saved for another source account and starts empty; refuses a damaged snapshot', async () => {
    const first = await start();
    await writeScenario(first.call);
    await stop(first.sandbox);

    const other = await start({ fingerprint: { seed: '1', size: 200 } });
    expect((await other.call('GET', '/__sandbox/summary')).body).toMatchObject({ objects: { people: 0 }, notes: 0 });
    const aside = readdirSync(dir).filter((name) => name.startsWith('discarded-'));
    expect(aside).toHaveLength(1);
    expect(existsSync(path.join(dir, aside[0] as string, SNAPSHOT_FILE))).toBe(true);
    await stop(other.sandbox);

    const snapshot = path.join(dir, SNAPSHOT_FILE);
    const lines = readFileSync(snapshot, 'utf8').split('\n');
    writeFileSync(snapshot, `${lines.slice(0, 2).join('\n')}\n`);
    await expect(start({ fingerprint: { seed: '1', size: 200 } })).rejects.toThrow(StateFileError);
  });
});
