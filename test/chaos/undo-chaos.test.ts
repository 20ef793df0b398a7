import { afterAll, describe, expect, it } from 'vitest';
import {
  asTenant, createEngineTenant, createJob, getJob, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type WorkerProcess,
} from '../helpers/engine.ts';
import { attioSnapshot, seedAttioBefore } from '../helpers/attio-undo-snapshot.ts';

const live = new Set<WorkerProcess>();
afterAll(async () => {
  await Promise.all([...live].map((w) => w.kill('SIGKILL')));
});

function spawn(queue: string): WorkerProcess {
  const worker = startWorkerProcess(queue);
  live.add(worker);
  void worker.exited.then(() => live.delete(worker));
  return worker;
}

async function processed(e: Parameters<typeof getJob>[0], jobId: string): Promise<number> {
  return ((await getJob(e, jobId)) as unknown as { progress: { processed: number } }).progress.processed;
}

describe('chaos: an undo survives its worker being SIGKILLed', () => {
  it('SIGKILL twice during the undo: the same final Attio workspace as before the job', { timeout: 540_000 }, async () => {
    const queue = testTaskQueue('chaos-undo');
    const s = await startSandboxes({ seed: 'chaos-undo', size: 500 });
    let worker: WorkerProcess | undefined = spawn(queue);
    try {
      const e = await createEngineTenant(s, queue);
      await seedAttioBefore(s);
      const before = await attioSnapshot(s);
      const job = await createJob(e, { batchSize: 50, concurrency: 4 });
      expect((await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status))).status).toBe('completed');
      const [written] = await asTenant(e, (tx) => tx<{ n: number }[]>`select count(*)::int as n from freight.job_write_images where job_id = ${job.id}`);
      const total = written?.n ?? 0;
      expect(total).toBeGreaterThan(500);

      const res = await e.t.call('POST', `/v1/jobs/${job.id}/undo`, { token: e.key, body: {} });
      expect(res.status).toBe(201);
      const undo = (await res.json()) as { id: string };
      const strikes: number[] = [];
      for (const at of [100, 300]) {
        const deadline = Date.now() + 90_000;
        let done = await processed(e, undo.id);
        while (done < at && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          done = await processed(e, undo.id);
        }
        strikes.push(done);
        await worker?.kill('SIGKILL');
        worker = spawn(queue);
      }
      const finished = await waitForJob(e, undo.id, (j) => TERMINAL.includes(j.status), 300_000);
      expect(finished.status).toBe('completed');
      // Both kills hit while the undo was still running.
      for (const at of strikes) expect(at).toBeLessThan(total);
      expect(await attioSnapshot(s)).toEqual(before);
      // One log row per written record, none failed; a record deleted before a kill and met again is `absent`, not an error.
      const rows = await asTenant(e, (tx) => tx<{ status: string; n: number }[]>`
        select status, count(*)::int as n from freight.job_records where job_id = ${undo.id} group by status`);
      expect(rows).toEqual([{ status: 'succeeded', n: total }]);
    } finally {
      await worker?.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
