import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_FILTER_MARGIN_MS } from '../../../activities/jobs/delta/source-reads.ts';
import type { SourceReads } from '../../../shared/jobs/job-model.ts';
import { asTenant, createEngineTenant, createJob, sandboxControl, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob, type EngineTenant, type Sandboxes, type WorkerProcess } from '../../helpers/engine.ts';

// Issue 17 item 2, source-side change filters: a delta reads Affinity notes with the `updatedAt` /
// `createdAt` filter `GET /v2/notes` documents, from when the job it follows began reading notes
// (minus a margin): only the notes changed since are listed and expanded (attached entities,
// replies), and their absence from the read is not taken for a deletion.
const QUEUE = testTaskQueue('delta-notes');

let worker: WorkerProcess;
beforeAll(() => {
  worker = startWorkerProcess(QUEUE);
});
afterAll(async () => {
  await worker?.kill();
});

interface Summary {
  counts: { deletedAtSource: number };
  filteredReads: { object: string; since: string }[];
  deletedAtSource: { object: string; sourceId: string }[];
}

async function requests(s: Sandboxes): Promise<Record<string, number>> {
  return ((await (await fetch(`${s.affinity.url}/__sandbox/requests`)).json()) as { byEndpoint: Record<string, number> }).byEndpoint;
}

/** Waits for the job's newest reconciliation (each job starts one when it finishes; it reads the whole source too). */
async function reconciled(e: EngineTenant, jobId: string, seq: number): Promise<void> {
  await expect.poll(async () => {
    const res = await e.t.call('GET', `/v1/jobs/${jobId}/reconciliation?seq=${seq}`, { token: e.key });
    return res.status === 200 ? ((await res.json()) as { latest?: { status: string } | null }).latest?.status : String(res.status);
  }, { timeout: 120_000, interval: 500 }).toMatch(/^(completed|failed)$/);
}

/**
 * The Affinity calls of a delta by endpoint: what the sandbox counted while it ran and reconciled,
 * minus what a reconciliation alone costs (run again by hand, same source).
 */
async function deltaCalls(e: EngineTenant, s: Sandboxes, jobId: string): Promise<Record<string, number>> {
  await reconciled(e, jobId, 1);
  const all = await requests(s);
  await sandboxControl(`${s.affinity.url}/__sandbox/stats/reset`, 'POST');
  const res = await e.t.call('POST', `/v1/jobs/${jobId}/reconcile`, { token: e.key });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  await reconciled(e, jobId, 2);
  const reconcile = await requests(s);
  return Object.fromEntries(Object.entries(all).map(([k, n]) => [k, n - (reconcile[k] ?? 0)]).filter(([, n]) => n !== 0));
}

async function runDelta(e: EngineTenant, follows: string): Promise<string> {
  const job = await createJob(e, { mode: 'delta', follows, batchSize: 20 });
  expect((await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status))).status).toBe('completed');
  return job.id;
}

const notesLogged = (e: EngineTenant, jobId: string) => asTenant(e, (tx) => tx<{ source_id: string; action: string }[]>`
  select source_id, action from freight.job_records where job_id = ${jobId} and object = 'notes' order by source_id`);
const sourceReads = async (e: EngineTenant, jobId: string) =>
  (await asTenant(e, (tx) => tx<{ source_reads: SourceReads }[]>`select source_reads from freight.jobs where id = ${jobId}`))[0]!.source_reads;

describe('delta passes read Affinity notes through the documented change filter', () => {
  it('lists and expands only the notes changed since the followed job, and reports deleted persons but not unread notes', { timeout: 300_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-delta-notes', size: 200 });
    try {
      const e = await createEngineTenant(s, QUEUE);
      const first = await createJob(e, { batchSize: 20 });
      expect((await waitForJob(e, first.id, (j) => TERMINAL.includes(j.status))).status).toBe('completed');
      const { account } = s.affinity;
      const written = new Set((await notesLogged(e, first.id)).map((r) => r.source_id));
      const roots = Array.from({ length: account.counts.notes }, (_, n) => n).filter((n) => !account.isReply(n) && written.has(String(account.note(n).id)));
      // Changed: three root notes without replies; so an unfiltered read would ask for the one reply thread there is, a filtered one for none.
      expect(roots.filter((n) => account.repliesOf(n).length > 0).length).toBeGreaterThan(0);
      const changed = roots.filter((n) => account.repliesOf(n).length === 0).slice(0, 3).map((n) => account.note(n).id);
      const persons = await asTenant(e, (tx) => tx<{ source_id: string }[]>`
        select source_id from freight.job_records where job_id = ${first.id} and object = 'persons' and status = 'succeeded' order by source_id`);
      // A person on no list and in no deal (the sandbox keeps a deleted person's list entries).
      const gone = persons.map((p) => Number(p.source_id)).find((id) => {
        const p = account.person(account.indexOf('person', id) as number);
        return p.list_entries.length === 0 && p.opportunity_ids.length === 0;
      })!;
      await reconciled(e, first.id, 1);
      await sandboxControl(`${s.affinity.url}/__sandbox/mutations`, 'POST', {
        change: changed.map((id) => ({ kind: 'note', id, content: `<p>Edited at the source ${id}</p>` })),
        delete: [{ kind: 'person', id: gone }],
      });
      await sandboxControl(`${s.affinity.url}/__sandbox/stats/reset`, 'POST');

      const delta = await runDelta(e, first.id);
      const calls = await deltaCalls(e, s, delta);
      // One filtered page (the full listing is three pages of 20), no replies or attached-entities calls for unchanged notes.
      expect(calls['GET /v2/notes'], JSON.stringify(calls)).toBe(1);
      expect(Object.keys(calls).filter((k) => k.startsWith('GET /v2/notes/')).map((k) => calls[k])).toEqual([]);
      const logged = await notesLogged(e, delta);
      expect(logged.map((r) => r.source_id)).toEqual(changed.map(String).sort());
      // Attio notes cannot be updated: changed notes are pending, never created again.
      expect(logged.every((r) => r.action === 'not_updated')).toBe(true);

      const reads = await sourceReads(e, delta);
      const firstStarted = Date.parse((await sourceReads(e, first.id)).notes!.startedAt);
      expect(Date.parse(reads.notes!.since!)).toBe(firstStarted - CHANGE_FILTER_MARGIN_MS);
      expect(reads.persons).toMatchObject({ since: null });
      const res = await e.t.call('GET', `/v1/jobs/${delta}/delta`, { token: e.key });
      const summary = (await res.json()) as Summary;
      expect(summary.filteredReads).toEqual([{ object: 'notes', since: reads.notes!.since }]);
      // The deleted person is reported; the notes the filtered read did not list are not.
      expect(summary.deletedAtSource).toEqual([{ object: 'persons', sourceId: String(gone), targetObject: expect.any(String), targetId: expect.any(String) }]);
      expect(summary.counts.deletedAtSource).toBe(1);

      // A delta of the delta filters from the delta's own start (the chain moves on).
      const next = await runDelta(e, delta);
      expect(Date.parse((await sourceReads(e, next)).notes!.since!)).toBe(Date.parse(reads.notes!.startedAt) - CHANGE_FILTER_MARGIN_MS);

      // `sourceFilter: off` reads every note again: each one the first job wrote is compared (unchanged), none filtered.
      const full = await createJob(e, { mode: 'delta', follows: next, batchSize: 20, sourceFilter: 'off' });
      const done = await waitForJob(e, full.id, (j) => TERMINAL.includes(j.status));
      expect(done.status).toBe('completed');
      expect((done as unknown as { sourceFilter: string }).sourceFilter).toBe('off');
      expect((await sourceReads(e, full.id)).notes).toMatchObject({ since: null });
      expect((await notesLogged(e, full.id)).map((r) => r.source_id)).toEqual([...written].sort());
      const unfiltered = (await (await e.t.call('GET', `/v1/jobs/${full.id}/delta`, { token: e.key })).json()) as Summary;
      expect(unfiltered.filteredReads).toEqual([]);
    } finally {
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
