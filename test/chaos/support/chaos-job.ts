import { verifySandboxPair } from '../../../activities/pairs/affinity-attio/verification/verify-sandboxes.ts';
import type { VerificationReport } from '../../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { Client } from '@temporalio/client';
import { readFile } from 'node:fs/promises';
import { sleep } from '../../../infra/dev-stack/run.ts';
import { jobWorkflowId } from '../../../workflows/migration-job/definitions.ts';
import { getTestContext } from '../../helpers/stack.ts';
import type { AffinitySandboxOptions, AttioSandboxOptions } from '../../../infra/sandbox/index.ts';
import {
  asTenant, createEngineTenant, createJob, recordKeys, startSandboxes, startWorkerProcess, testTaskQueue, TERMINAL,
  type EngineTenant, type JobView, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

/** What a fault gets to act with: the job's progress and the worker process (to kill and replace it). */
export interface FaultContext {
  /** Resolves once the record log holds at least `records` finished records (the moment to strike). */
  progressAtLeast(records: number, timeoutMs?: number): Promise<number>;
  killWorker(signal: NodeJS.Signals): Promise<void>;
  startWorker(): void;
  /**
   * SIGKILLs the worker while batches load, starts a new one at once, and answers how long after
   * the new worker was up (serving its task queue) every stranded batch was running again (its
   * next attempt started); a negative figure means they resumed as it came up.
   */
  killAndTimeResume(): Promise<{ afterReadyMs: number; afterKillMs: number }>;
  /** The job's sandboxes, to change their limits or faults mid-job. */
  sandboxes: Sandboxes;
}

export interface ChaosJobOptions {
  name: string;
  /** Sandbox account size (the generator's scale; records in the job are a multiple of it). */
  size: number;
  /** Sandbox settings beyond the account (limits, faults). */
  sandboxes?: { affinity?: Partial<AffinitySandboxOptions>; attio?: AttioSandboxOptions };
  /** Job request fields beyond the defaults (objects, batch size, concurrency). */
  job?: Record<string, unknown>;
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
  /** Activity attempts that timed out (heartbeat or otherwise), and the longest extract, from the same histories. */
  timedOutAttempts: number;
  longestExtractMs: number;
  /** The Attio sandbox's request counters at the end (injected 429s among them). */
  attioStats: { injected429: number; requests: number };
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
  const s = await startSandboxes({ seed: `chaos-${options.name}`, size: options.size, ...options.sandboxes?.affinity }, options.sandboxes?.attio);
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
  let engine: EngineTenant | undefined;
  let jobId: string | undefined;
  try {
    const e = await createEngineTenant(s, queue);
    engine = e;
    const { id } = await createJob(e, { batchSize: 100, concurrency: 4, ...options.job });
    jobId = id;
    const fault: FaultContext = {
      async progressAtLeast(records, timeoutMs = 90_000) {
        return (await pollJob(e, id, (j) => j.progress.processed >= records || TERMINAL.includes(j.status), timeoutMs)).progress.processed;
      },
      async killWorker(signal) {
        await worker?.kill(signal);
        worker = undefined;
      },
      startWorker() {
        worker ??= spawnWorker(queue);
      },
      sandboxes: s,
      async killAndTimeResume() {
        const running = async (): Promise<Map<string, number>> => new Map((await asTenant(e, (tx) => tx<{ id: string; attempts: number }[]>`
          select id, attempts from freight.job_batches where job_id = ${id} and status = 'running'`)).map((b) => [b.id, b.attempts]));
        let stranded = await running();
        // Strike while something loads: a kill between batches strands nothing and proves nothing.
        for (let waited = 0; stranded.size === 0 && waited < 30_000; waited += 100) {
          await sleep(100);
          stranded = await running();
        }
        if (stranded.size === 0) throw new Error('no batch was running to strand');
        await worker?.kill('SIGKILL');
        const killedAt = Date.now();
        const next = spawnWorker(queue);
        worker = next;
        const ready = next.ready();
        for (;;) {
          const now = await asTenant(e, (tx) => tx<{ id: string; attempts: number; status: string }[]>`
            select id, attempts, status from freight.job_batches where job_id = ${id} and id = any(${[...stranded.keys()]})`);
          if (now.every((b) => b.attempts > (stranded.get(b.id) ?? 0) || b.status !== 'running')) {
            const resumedAt = Date.now();
            return { afterReadyMs: resumedAt - (await ready), afterKillMs: resumedAt - killedAt };
          }
          if (Date.now() - killedAt > 90_000) throw new Error(`stranded batches not resumed 90 s after the kill: ${JSON.stringify(now)}`);
          await sleep(100);
        }
      },
    };
    const strikes = await options.fault(fault);
    fault.startWorker();
    const job = await pollJob(e, id, (j) => TERMINAL.includes(j.status), options.timeoutMs ?? 200_000);
    const durationMs = Date.now() - started;
    const { verification, attioIds, log } = await checkOutcome(s, e, id);
    const attio = s.attio.stats.snapshot();
    result = {
      job, strikes, verification, log, attioIds, durationMs, ...(await historyFigures(e.namespace, id)),
      attioStats: { injected429: attio.injected429, requests: attio.requests },
    };
  } catch (err) {
    // What was in flight when the scenario gave up: a stall that happens once in many runs is
    // diagnosed from this, not from a rerun (the stack and its Temporal history are gone by then).
    if (engine && jobId) console.error(await stallReport(engine, jobId, worker?.logFile, worker?.child.exitCode === null && worker.child.signalCode === null).catch((e: unknown) => `stall report failed: ${String(e)}`));
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
 * The job's batches that are not finished, and every running workflow of the tenant with its pending
 * activities (attempt, state, last heartbeat, last failure): where a stalled job is stuck.
 */
async function stallReport(e: EngineTenant, jobId: string, workerLog: string | undefined, workerAlive: boolean): Promise<string> {
  const batches = await asTenant(e, (tx) => tx`
    select id, status, attempts, record_count, error_kind, error_message, last_started_at
    from freight.job_batches where job_id = ${jobId} and status in ('pending', 'running') order by object, seq`);
  const client = new Client({ connection: (await getTestContext()).temporal, namespace: e.namespace });
  const workflows: unknown[] = [];
  for await (const run of client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
    const d = await client.workflow.getHandle(run.workflowId, run.runId).describe();
    workflows.push({
      id: run.workflowId, type: run.type, historyLength: d.historyLength,
      pendingActivities: (d.raw.pendingActivities ?? []).map((a) => ({
        type: a.activityType?.name, state: a.state, attempt: a.attempt,
        lastStarted: a.lastStartedTime?.seconds?.toString(), lastHeartbeat: a.lastHeartbeatTime?.seconds?.toString(),
        lastFailure: a.lastFailure?.message?.slice(0, 300),
      })),
    });
  }
  // The worker's last warnings and errors (a process that died says why here), each cut short.
  const lines = workerLog ? (await readFile(workerLog, 'utf8').catch(() => '')).split('\n') : [];
  const alarms = lines.filter((l) => /"level":"(warn|error|fatal)"/.test(l)).slice(-15).map((l) => l.slice(0, 400));
  const worker = { log: workerLog, alive: workerAlive, lastLines: lines.slice(-3).map((l) => l.slice(0, 300)), alarms };
  return `stall report for job ${jobId}:\n${JSON.stringify({ batches, workflows, worker }, null, 1)}`;
}

/**
 * From every run of the job's workflow: attempts beyond the first (Temporal writes each activity's
 * started event once, with the attempt that finished it), attempts that timed out, and the longest
 * extract from schedule to completion.
 */
async function historyFigures(namespace: string, jobId: string): Promise<{ retriedAttempts: number; timedOutAttempts: number; longestExtractMs: number }> {
  const client = new Client({ connection: (await getTestContext()).temporal, namespace });
  let retriedAttempts = 0;
  let timedOutAttempts = 0;
  let longestExtractMs = 0;
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  for await (const run of client.workflow.list({ query: `WorkflowId = '${jobWorkflowId(jobId)}'` })) {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const extracts = new Map<string, number>();
    for (const event of history.events ?? []) {
      if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retriedAttempts += 1;
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'extractBatch') extracts.set(String(event.eventId), ms(event.eventTime));
      const done = event.activityTaskCompletedEventAttributes;
      const from = done ? extracts.get(String(done.scheduledEventId)) : undefined;
      if (from !== undefined) longestExtractMs = Math.max(longestExtractMs, ms(event.eventTime) - from);
      // An attempt that timed out and was retried leaves no event of its own: the next attempt's
      // started event carries it as its last failure. One that was not retried has its own event.
      if (event.activityTaskTimedOutEventAttributes || event.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo) timedOutAttempts += 1;
    }
  }
  return { retriedAttempts, timedOutAttempts, longestExtractMs };
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
