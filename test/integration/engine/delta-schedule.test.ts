import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asTenant, createEngineTenant, createJob, startSandboxes, startWorkerProcess, temporalCli, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type WorkerProcess,
} from '../../helpers/engine.ts';

// Issue 17 item 2, delta schedules, against the real stack: a Temporal Schedule every minute (the
// API's minimum) runs three deltas in a row, each following the previous one and writing only what
// changed at the source since (Affinity sandbox mutations between runs); `temporal schedule describe`
// shows the three actions; pausing through the API stops the next run. About 5 minutes (309 s measured): three real
// intervals and one more to see that a paused schedule does not run.
const QUEUE = testTaskQueue('schedule');

let worker: WorkerProcess;
beforeAll(() => {
  worker = startWorkerProcess(QUEUE);
});
afterAll(async () => {
  await worker?.kill();
});

interface Run { tickId: string; outcome: string; follows: string | null; job: { id: string; status: string; counts: Record<string, number> | null } | null }
interface Detail {
  id: string; paused: boolean; temporalScheduleId: string; namespace: string;
  temporal: { paused: boolean; recentActions: { workflowId: string }[]; actionsTaken: number; nextActionTimes: string[] } | null;
  runs: Run[];
}

async function detail(e: EngineTenant, id: string): Promise<Detail> {
  const res = await e.t.call('GET', `/v1/schedules/${id}`, { token: e.key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Detail;
}

/** Polls the schedule until it has created `n` deltas and the last of them finished. */
async function nthDelta(e: EngineTenant, id: string, n: number): Promise<Run[]> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const created = (await detail(e, id)).runs.filter((r) => r.outcome === 'created').reverse();
    const last = created[n - 1]?.job;
    if (last && TERMINAL.includes(last.status)) return created;
    if (Date.now() > deadline) throw new Error(`schedule ${id}: no finished delta #${n} in time: ${JSON.stringify(created)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What a job wrote (created or updated), as `object:id`. */
async function written(e: EngineTenant, jobId: string): Promise<string[]> {
  const rows = await asTenant(e, (tx) => tx<{ key: string }[]>`
    select object || ':' || source_id as key from freight.job_records
    where job_id = ${jobId} and status = 'succeeded' and action in ('created', 'updated', 'conflict_took_source') order by 1`);
  return rows.map((r) => r.key);
}

describe('delta schedules on Temporal Schedules (issue 17 item 2)', () => {
  it('runs three deltas in a row, each writing only what changed since the previous; pausing stops the next run', { timeout: 480_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-schedule', size: 60 });
    try {
      const e = await createEngineTenant(s, QUEUE);
      const first = await createJob(e, { batchSize: 50 });
      expect((await waitForJob(e, first.id, (j) => TERMINAL.includes(j.status))).status).toBe('completed');
      const persons = (await asTenant(e, (tx) => tx<{ source_id: string }[]>`
        select source_id from freight.job_records where job_id = ${first.id} and object = 'persons' and status = 'succeeded' order by source_id`))
        .map((p) => p.source_id);
      expect(persons.length).toBeGreaterThanOrEqual(9);
      /** Renames three persons at the source for round `r`; the keys a delta must write. */
      const mutate = async (r: number): Promise<string[]> => {
        const round = persons.slice(r * 3, r * 3 + 3);
        const res = await fetch(`${s.affinity.url}/__sandbox/mutations`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ change: round.map((id, i) => ({ kind: 'person', id: Number(id), firstName: `Round${r}n${i}` })) }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
        return round.map((id) => `persons:${id}`).sort();
      };

      // Refusals first (uniform body): under a minute is a schema violation; an unknown job a 404.
      const tooOften = await e.t.call('POST', '/v1/schedules', { token: e.key, body: { follows: first.id, every: 30 } });
      expect(tooOften.status).toBe(400);
      expect(await tooOften.json()).toMatchObject({ error: { code: 'validation_failed', requestId: expect.any(String) } });
      const unknown = await e.t.call('POST', '/v1/schedules', { token: e.key, body: { follows: '00000000-0000-4000-8000-000000000000', every: '1m' } });
      expect(unknown.status).toBe(404);

      const expected = [await mutate(0)];
      const endAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await e.t.call('POST', '/v1/schedules', { token: e.key, headers: { 'idempotency-key': `sched-${first.id}` }, body: { follows: first.id, every: '1m', endAt } });
      expect(created.status, await created.clone().text()).toBe(201);
      const schedule = (await created.json()) as { id: string; temporalScheduleId: string; everySeconds: number };
      expect(schedule.everySeconds).toBe(60);
      const again = await e.t.call('POST', '/v1/schedules', { token: e.key, headers: { 'idempotency-key': `sched-${first.id}` }, body: { follows: first.id, every: '1m', endAt } });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { id: string }).id).toBe(schedule.id);
      expect(await temporalCli(e, ['schedule', 'list'])).toContain(schedule.temporalScheduleId);

      const started = Date.now();
      let runs: Run[] = [];
      for (let n = 1; n <= 3; n += 1) {
        runs = await nthDelta(e, schedule.id, n);
        const delta = runs[n - 1];
        expect(delta?.job?.status).toBe('completed');
        // Each follows the previous (the first: the full job) and writes exactly the round's changes.
        expect(delta?.follows).toBe(n === 1 ? first.id : runs[n - 2]?.job?.id);
        expect(await written(e, delta?.job?.id ?? '')).toEqual(expected[n - 1]);
        expect(delta?.job?.counts).toMatchObject({ changed: 3, new: 0, failed: 0 });
        if (n < 3) expected.push(await mutate(n));
      }
      const threeRunsMs = Date.now() - started;

      // Three actions of this schedule in `temporal schedule describe`.
      const described = await temporalCli(e, ['schedule', 'describe', '--schedule-id', schedule.temporalScheduleId, '--output', 'json']);
      const actions = new Set(described.match(new RegExp(`${schedule.temporalScheduleId}-[0-9TZ:.-]+`, 'g')) ?? []);
      expect(actions.size, described).toBeGreaterThanOrEqual(3);
      for (const r of runs) expect(actions.has(r.tickId), r.tickId).toBe(true);

      // Paused through the API: Temporal says so, and no run starts at the next interval.
      const paused = await e.t.call('POST', `/v1/schedules/${schedule.id}/pause`, { token: e.key });
      expect(paused.status, await paused.clone().text()).toBe(200);
      const before = await detail(e, schedule.id);
      expect(before.paused).toBe(true);
      expect(before.temporal?.paused).toBe(true);
      expect(await temporalCli(e, ['schedule', 'describe', '--schedule-id', schedule.temporalScheduleId])).toMatch(/paused/i);
      // Past the next minute boundary (when it would have run) and a margin for a late tick.
      await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 10_000));
      const after = await detail(e, schedule.id);
      expect(after.temporal?.actionsTaken).toBe(before.temporal?.actionsTaken);
      expect(after.runs.length).toBe(before.runs.length);

      // Another tenant sees nothing; delete removes it from Temporal too.
      const other = await createEngineTenant(s, QUEUE);
      expect((await other.t.call('GET', `/v1/schedules/${schedule.id}`, { token: other.key })).status).toBe(404);
      expect((await other.t.call('POST', `/v1/schedules/${schedule.id}/pause`, { token: other.key })).status).toBe(404);
      expect((await e.t.call('DELETE', `/v1/schedules/${schedule.id}`, { token: e.key })).status).toBe(204);
      expect((await e.t.call('GET', `/v1/schedules/${schedule.id}`, { token: e.key })).status).toBe(404);
      expect(await temporalCli(e, ['schedule', 'list'])).not.toContain(schedule.temporalScheduleId);
      // For the report: how long three real intervals took here.
      e.t.ctx.logger.info({ threeRunsMs }, 'delta schedule: three runs');
    } finally {
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
