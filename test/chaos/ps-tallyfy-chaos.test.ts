import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../../infra/dev-stack/run.ts';
import {
  asTenant, createJob, getJob, startWorkerProcess, testTaskQueue, TERMINAL, type EngineTenant, type JobView, type WorkerProcess,
} from '../helpers/engine.ts';
import { checkPsTallyfy } from '../helpers/ps-tallyfy-check.ts';
import { createPsTallyfyTenant, inspectTallyfy, PS_TALLYFY_WORKER_ENV, startPsTallyfySandboxes, type PsTallyfySandboxes } from '../helpers/ps-tallyfy.ts';

// Tallyfy has no upsert, external id or idempotency key: a write cut by a SIGKILL between Tallyfy's
// answer and the id-map put is found again only by the pair's look-ups (marker, email, unique name).
// Size 0.03: 12 users, 3 groups, 20 templates, 48 runs, 33 comments, 5 attachments (121 records);
// batches of 10 so every kill strands work in flight.
const QUEUE = testTaskQueue('chaos-ps-tallyfy');
const SIZE = 0.03;
/** Finished records at which to strike: among blueprints (past 15), runs (past 35), comments (past 83). */
const STRIKES = [25, 60, 95];

type JobDetail = JobView & { progress: { processed: number } };

const live = new Set<WorkerProcess>();
function spawnWorker(): WorkerProcess {
  const w = startWorkerProcess(QUEUE, PS_TALLYFY_WORKER_ENV);
  live.add(w);
  void w.exited.then(() => live.delete(w));
  return w;
}

async function pollJob(e: EngineTenant, id: string, done: (j: JobDetail) => boolean, timeoutMs: number): Promise<JobDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await getJob(e, id)) as JobDetail;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify({ status: job.status, progress: job.progress })}`);
    await sleep(100);
  }
}

describe('chaos: a Process Street → Tallyfy job', () => {
  let s: PsTallyfySandboxes | undefined;
  afterAll(async () => {
    await Promise.all([...live].map((w) => w.kill('SIGKILL')));
    await s?.close();
  });

  it('survives its worker SIGKILLed three times: completed, nothing duplicated in Tallyfy', { timeout: 240_000 }, async () => {
    s = await startPsTallyfySandboxes({ seed: 'chaos-ps-tallyfy', size: SIZE });
    const counts = s.ps.organization.counts;
    const records = counts.users + counts.groups + counts.workflows + counts.runs + counts.comments + counts.attachments;
    const e = await createPsTallyfyTenant(s, QUEUE);
    let worker = spawnWorker();
    const started = Date.now();
    const { id } = await createJob(e, { batchSize: 10, concurrency: 2 });

    const struck: number[] = [];
    for (const at of STRIKES) {
      struck.push((await pollJob(e, id, (j) => j.progress.processed >= at || TERMINAL.includes(j.status), 90_000)).progress.processed);
      await worker.kill('SIGKILL');
      worker = spawnWorker();
    }
    const job = await pollJob(e, id, (j) => TERMINAL.includes(j.status), 150_000);
    const seconds = Math.round((Date.now() - started) / 1000);

    expect(job.status, JSON.stringify(job.counts)).toBe('completed');
    // Every kill hit a running job.
    for (const n of struck) expect(n).toBeLessThan(records);

    const snapshot = await inspectTallyfy(s);
    const check = checkPsTallyfy(s.ps.organization, snapshot);
    for (const [kind, k] of Object.entries(check.kinds)) {
      expect(k.expected, kind).toBeGreaterThan(0);
      expect({ kind, found: k.found, missing: k.missing, duplicates: k.duplicates }).toEqual({ kind, found: k.expected, missing: [], duplicates: [] });
    }
    expect(check.mismatches).toEqual([]);
    // Whole-organisation counts too: nothing beyond the source's objects (an unmarked extra would escape the tally).
    const tf = snapshot.counts;
    expect({ members: tf.members, groups: tf.groups, checklists: tf.checklists, runs: tf.runs, comments: tf.comments })
      .toEqual({ members: check.kinds.members.expected + 1, groups: counts.groups, checklists: counts.workflows, runs: counts.runs, comments: counts.comments });

    const [log] = await asTenant(e, (sql) => sql<{ rows: number; distinct_rows: number; succeeded: number }[]>`
      select count(*)::int as rows, count(distinct (object, source_id))::int as distinct_rows,
             count(*) filter (where status = 'succeeded')::int as succeeded
      from freight.job_records where job_id = ${id}`);
    expect(log).toEqual({ rows: records, distinct_rows: records, succeeded: records });
    console.log(`ps → tallyfy chaos: SIGKILL at ${struck.join(', ')} of ${records} records; job ${seconds} s; unattached uploads ${check.orphanFiles}`);
  });
});
