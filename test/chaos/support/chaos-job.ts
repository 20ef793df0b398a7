import { verifySandboxPair } from '../../../activities/verification/verify-sandboxes.ts';
import type { VerificationReport } from '../../../activities/verification/verify-migration.ts';
import { Client } from '@temporalio/client';
import { sleep } from '../../../infra/dev-stack/run.ts';
import { jobWorkflowId } from '../../../workflows/migration-job/definitions.ts';
import { getTestContext } from '../../helpers/stack.ts';
import {
  asTenant, createEngineTenant, createJob, recordKeys, startSandboxes, startWorkerProcess, testTaskQueue, TERMINAL,
  type EngineTenant, type JobView, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

/** What a fault gets to act with: the job's progress and the worker process (to kill and replace it). */
export interface FaultContext {
  /** Resolves once the record log holds at least `records` finished records (the moment to strike). */
  progressAtLeast(records: number): Promise<number>;
  killWorker(signal: NodeJS.Signals): Promise<void>;
  startWorker(): void;
}

export interface ChaosJobOptions {
  name: string;
  /** Sandbox account size (the generator's scale; records in the job are a multiple of it). */
  size: number;
  /** Injects the fault; returns the processed-record counts at which it struck (to prove it hit mid-job). */
  fault: (ctx: FaultContext) => Promise<number[]>;
  /**
   * The job must finish within this long after the fault (default 200 s). With the 90 s bound on each
   * wait for progress, this keeps the run inside the test's timeout, so the `finally` that kills the
   * worker and closes the sandboxes runs before vitest moves on: no process is left behind.
   */
  timeoutMs?: number;
}

export interface ChaosJobResult {
  job: JobView;
  /** Activity attempts beyond the first in the job's workflow histories (retries Temporal counted). */
  retriedAttempts: number;
  strikes: number[];
  /** Affinity vs Attio sandbox: every record exactly once, values equal, references resolved. */
  verification: VerificationReport;
  log: RecordLogCheck;
  /** Attio target ids in the sandbox (records, list entries, notes). */
  attioIds: number;
  durationMs: number;
}

export interface RecordLogCheck {
  rows: number;
  succeeded: number;
  /** Rows whose target id the Attio sandbox does not hold. */
  targetMissing: number;
  /** Target ids that more than one row of the log points to. */
  sharedTargets: number;
  withoutTarget: number;
}

interface JobDetail extends JobView {
  progress: { processed: number; estimatedTotal: number | null };
}

/** Worker processes of scenarios still running: a scenario that times out must not leave one behind. */
const live = new Set<WorkerProcess>();

/** Kills every worker process a scenario started and has not stopped (the test file's afterAll). */
export async function killLeftoverWorkers(): Promise<void> {
  await Promise.all([...live].map((w) => w.kill('SIGKILL')));
  live.clear();
}

function spawnWorker(queue: string): WorkerProcess {
  const worker = startWorkerProcess(queue);
  live.add(worker);
  void worker.exited.then(() => live.delete(worker));
  return worker;
}

/**
 * One real migration job (Affinity sandbox → Attio sandbox, through the production worker process)
 * with a fault injected by `options.fault` while it runs; then the job's outcome, the sandboxes and
 * the record log, for the test to assert on.
 */
export async function runChaosJob(options: ChaosJobOptions): Promise<ChaosJobResult> {
  const queue = testTaskQueue(`chaos-${options.name}`);
  const s = await startSandboxes({ seed: `chaos-${options.name}`, size: options.size });
  let worker: WorkerProcess | undefined = spawnWorker(queue);
  const started = Date.now();
  /** Stops the worker and the sandboxes; returns the error of a worker that would not stop on SIGTERM. */
  const cleanUp = async (): Promise<unknown> => {
    const stuck = await worker?.kill().then(() => undefined, (err: unknown) => err);
    await s.affinity.close();
    await s.attio.close();
    return stuck;
  };
  let result: ChaosJobResult;
  try {
    const e = await createEngineTenant(s, queue);
    const { id } = await createJob(e, { batchSize: 100, concurrency: 4 });
    const fault: FaultContext = {
      async progressAtLeast(records) {
        return (await pollJob(e, id, (j) => j.progress.processed >= records || TERMINAL.includes(j.status), 90_000)).progress.processed;
      },
      async killWorker(signal) {
        await worker?.kill(signal);
        worker = undefined;
      },
      startWorker() {
        worker ??= spawnWorker(queue);
      },
    };
    const strikes = await options.fault(fault);
    fault.startWorker();
    const job = await pollJob(e, id, (j) => TERMINAL.includes(j.status), options.timeoutMs ?? 200_000);
    const durationMs = Date.now() - started;
    const { verification, attioIds, log } = await checkOutcome(s, e, id);
    result = { job, strikes, verification, log, attioIds, durationMs, retriedAttempts: await retriedAttempts(e.namespace, id) };
  } catch (err) {
    // The scenario's own failure is the one to report; a worker stuck on top of it is logged.
    const stuck = await cleanUp();
    if (stuck) console.error(stuck);
    throw err;
  }
  // A worker that will not stop on SIGTERM fails the scenario (kill() has SIGKILLed it by then).
  const stuck = await cleanUp();
  if (stuck) throw stuck;
  return result;
}

/**
 * Attempts beyond the first of the job's activities, over every run of its workflow: Temporal
 * writes each activity's started event once, with the attempt that finished it.
 */
async function retriedAttempts(namespace: string, jobId: string): Promise<number> {
  const client = new Client({ connection: (await getTestContext()).temporal, namespace });
  let retried = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${jobWorkflowId(jobId)}'` })) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    for (const event of history.events ?? []) {
      if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retried += 1;
    }
  }
  return retried;
}

/**
 * Polls the job through the API until `done`; answers other than 200 (the API's PostgreSQL or
 * Temporal may be restarting) are waited out, bounded by the deadline.
 */
async function pollJob(e: EngineTenant, jobId: string, done: (job: JobDetail) => boolean, timeoutMs: number): Promise<JobDetail> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await e.t.call('GET', `/v1/jobs/${jobId}`, { token: e.key });
      if (res.status === 200) {
        const job = (await res.json()) as JobDetail;
        if (done(job)) return job;
        last = JSON.stringify({ status: job.status, progress: job.progress, batches: job.batches });
      } else {
        last = `${res.status} ${(await res.text()).slice(0, 300)}`;
      }
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not get there in ${timeoutMs} ms; last: ${last}`);
    await sleep(250);
  }
}

async function checkOutcome(s: Sandboxes, e: EngineTenant, jobId: string): Promise<{ verification: VerificationReport; attioIds: number; log: RecordLogCheck }> {
  const pair = { affinity: { url: s.affinity.url, apiKey: s.affinity.apiKey }, attio: { url: s.attio.url, token: s.attio.token } };
  const { report, snapshot } = await verifySandboxPair(pair, await recordKeys(e, jobId, 'skipped'));
  const ids = new Set<string>();
  for (const rows of snapshot.records.values()) for (const r of rows) ids.add(r.id.record_id);
  for (const rows of snapshot.entries.values()) for (const r of rows) ids.add(r.id.entry_id);
  for (const n of snapshot.notes) ids.add(n.id.note_id);
  const rows = await asTenant(e, (tx) => tx<{ status: string; target_id: string | null }[]>`
    select status, target_id from freight.job_records where job_id = ${jobId}`);
  const seen = new Map<string, number>();
  for (const r of rows) if (r.target_id) seen.set(r.target_id, (seen.get(r.target_id) ?? 0) + 1);
  return {
    verification: report,
    attioIds: ids.size,
    log: {
      rows: rows.length,
      succeeded: rows.filter((r) => r.status === 'succeeded').length,
      targetMissing: rows.filter((r) => r.target_id && !ids.has(r.target_id)).length,
      sharedTargets: [...seen.values()].filter((n) => n > 1).length,
      withoutTarget: rows.filter((r) => !r.target_id).length,
    },
  };
}

/** Source records the verification expects in the target (all kinds): what the record log must hold one row for each. */
export function expectedRecords(report: VerificationReport): number {
  return Object.values(report.kinds).reduce((sum, k) => sum + k.expected, 0);
}
