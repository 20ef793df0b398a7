import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobEventListener, type JobEventListener } from '../../shared/job-events/job-event-listener.ts';
import { createLogger } from '../../shared/logger.ts';
import {
  asTenant, createEngineTenant, createJob, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../helpers/engine.ts';
import { getTestContext } from '../helpers/stack.ts';
import { createKey, createTestApp } from './support/app.ts';
import { sseReader, type SseEvent } from './support/sse.ts';

const QUEUE = testTaskQueue('events');

let sandboxes: Sandboxes;
let e: EngineTenant;
let viewer: string;
let worker: WorkerProcess | undefined;
let listener: JobEventListener;

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'events', size: 600 });
  e = await createEngineTenant(sandboxes, QUEUE);
  viewer = (await createKey(e.t, e.tenantId, 'viewer')).key;
  // Polls so rare that only NOTIFY can wake a stream in time: events arriving prove the LISTEN path.
  listener = createJobEventListener({ sql: (await getTestContext()).sql, logger: createLogger({ level: 'silent', name: 'events-test' }), pollMs: 60_000, idleMs: 60_000 });
});

afterAll(async () => {
  await worker?.kill();
  await listener.close();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

const dataOf = <T>(ev: SseEvent): T => JSON.parse(ev.data) as T;

describe('live job events (SSE)', () => {
  it('streams progress to 100 % and the final status during a real job; Last-Event-ID resumes exactly', { timeout: 300_000 }, async () => {
    const app = await createTestApp({ config: { ...e.t.ctx.config, temporal: { ...e.t.ctx.config.temporal, taskQueue: QUEUE } }, jobEvents: listener });
    const job = await createJob(e, { batchSize: 100, concurrency: 2 });

    // Connected before any worker polls the queue: everything after the snapshot arrives live.
    const first = await app.call('GET', `/v1/jobs/${job.id}/events`, { token: viewer });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const s1 = sseReader(first.body as ReadableStream<Uint8Array>);
    const snap = [await s1.next(), await s1.next()];
    expect(snap.map((s) => s?.event)).toEqual(['progress', 'status']);
    expect(dataOf<{ status: string }>(snap[1] as SseEvent).status).toMatch(/pending|running/);
    const startId = Number(snap[0]?.id);
    expect(Number.isInteger(startId)).toBe(true);

    worker = startWorkerProcess(QUEUE);
    const seen: SseEvent[] = [];
    while (seen.filter((s) => s.event === 'batch').length < 2) {
      const ev = await s1.next();
      if (!ev) throw new Error('stream ended early');
      seen.push(ev);
    }
    await s1.cancel();
    const lastId = seen.at(-1)?.id ?? '';
    const batch = dataOf<Record<string, unknown>>(seen.find((s) => s.event === 'batch') as SseEvent);
    expect(Object.keys(batch).sort()).toEqual(['attempt', 'batchId', 'failed', 'object', 'status', 'succeeded']);

    // Reconnect as EventSource would: snapshot without ids, then strictly the events after lastId.
    const second = await app.call('GET', `/v1/jobs/${job.id}/events`, { token: viewer, headers: { 'last-event-id': lastId } });
    expect(second.status).toBe(200);
    const s2 = sseReader(second.body as ReadableStream<Uint8Array>);
    const rest: SseEvent[] = [];
    for (let ev = await s2.next(); ev; ev = await s2.next()) rest.push(ev);
    expect(rest.slice(0, 2).map((r) => [r.event, r.id])).toEqual([['progress', undefined], ['status', undefined]]);
    const resumed = rest.slice(2);

    const finished = await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status), 10_000);
    expect(finished.status).toBe('completed');
    const last = resumed.at(-1) as SseEvent;
    expect([last.event, dataOf<{ status: string }>(last).status]).toEqual(['status', 'completed']);
    const progress = resumed.filter((r) => r.event === 'progress').map((r) => dataOf<{ processed: number; total: number; percent: number; perObject: object }>(r));
    const final = progress.at(-1);
    expect(final?.percent).toBe(100);
    const total = Object.values(finished.counts).reduce((n, c) => n + (c.succeeded ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0), 0);
    expect(final).toMatchObject({ processed: total, total });
    expect(progress.map((p) => p.processed)).toEqual([...progress.map((p) => p.processed)].sort((a, b) => a - b));

    // Nothing lost, nothing repeated: the two connections together are exactly the log after the snapshot.
    const ids = [...seen, ...resumed].map((s) => Number(s.id));
    expect(new Set(ids).size).toBe(ids.length);
    const logged = await asTenant(e, (tx) => tx<{ seq: string }[]>`select seq from freight.job_events where job_id = ${job.id} and seq > ${startId} order by seq`);
    expect(ids).toEqual(logged.map((r) => Number(r.seq)));
    // Every batch reported (the references pass reruns some, hence possibly several events per batch).
    const batches = await asTenant(e, (tx) => tx<{ id: string }[]>`select id from freight.job_batches where job_id = ${job.id} and status = 'succeeded' order by id`);
    const reported = new Set([...seen, ...resumed].filter((s) => s.event === 'batch').map((s) => dataOf<{ batchId: string }>(s).batchId));
    expect([...reported].sort()).toEqual(batches.map((b) => b.id));

    // A finished job: `?lastEventId=0` replays the whole log, then the stream ends by itself.
    const replay = await app.call('GET', `/v1/jobs/${job.id}/events?lastEventId=0`, { token: e.key });
    const s3 = sseReader(replay.body as ReadableStream<Uint8Array>);
    const all: SseEvent[] = [];
    for (let ev = await s3.next(); ev; ev = await s3.next()) all.push(ev);
    const everything = await asTenant(e, (tx) => tx<{ seq: string }[]>`select seq from freight.job_events where job_id = ${job.id} order by seq`);
    expect(all.slice(2).map((a) => Number(a.id))).toEqual(everything.map((r) => Number(r.seq)));
    // Ids are the job's own numbers, 1, 2, 3 …: they say nothing about other jobs or tenants.
    expect(all.slice(2).map((a) => Number(a.id))).toEqual(everything.map((_, i) => i + 1));
    expect(all.slice(2, 3).map((a) => [a.event, dataOf<{ status: string }>(a).status])).toEqual([['status', 'running']]);

    // The service role can append but never rewrite the log (a resumed stream trusts its ids).
    await expect(asTenant(e, (tx) => tx`update freight.job_events set data = '{}' where job_id = ${job.id}`)).rejects.toThrow(/permission denied/);
    await expect(asTenant(e, (tx) => tx`delete from freight.job_events where job_id = ${job.id}`)).rejects.toThrow(/permission denied/);
  });
});
