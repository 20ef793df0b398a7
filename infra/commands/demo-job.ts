import { sleep } from '../dev-stack/run.ts';
import type { ApiClient } from './api-client.ts';
import { isTerminal, renderProgress, type JobView } from './demo-format.ts';
import type { RunningSandbox } from './sandbox-process.ts';

/** Creates the two connections through the API, exactly as a user would, pointing at this run's sandboxes. */
export async function createDemoConnections(api: ApiClient, sandbox: RunningSandbox): Promise<{ sourceId: string; targetId: string }> {
  const stamp = new Date().toISOString().replace(/\..*$/, 'Z');
  const source = await api.post<{ id: string }>('/v1/connections', {
    name: `Demo Affinity sandbox ${stamp}`, type: 'affinity', baseUrl: sandbox.affinity.url, credentials: { apiKey: sandbox.affinity.apiKey },
  });
  const target = await api.post<{ id: string }>('/v1/connections', {
    name: `Demo Attio sandbox ${stamp}`, type: 'attio', baseUrl: sandbox.attio.url, credentials: { apiKey: sandbox.attio.token },
  });
  return { sourceId: source.id, targetId: target.id };
}

export async function createDemoJob(
  api: ApiClient,
  input: {
    sourceId: string; targetId: string; batchSize: number | undefined; concurrency: number | undefined; metadata: Record<string, unknown>;
    /** Another job over the same connections (a re-run) needs a key of its own; default `demo-<source id>`. */
    idempotencyKey?: string;
  },
): Promise<JobView> {
  const body = {
    sourceConnectionId: input.sourceId,
    targetConnectionId: input.targetId,
    ...(input.batchSize ? { batchSize: input.batchSize } : {}),
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    metadata: input.metadata,
  };
  // The key makes a retried POST (after a timeout) answer the same job instead of starting a second one.
  // Creation checks both connections and counts the source for the plan (run by run for Process
  // Street's comments): minutes on a large organisation, so this call gets more than the default.
  return api.post<JobView>('/v1/jobs', body, { 'idempotency-key': input.idempotencyKey ?? `demo-${input.sourceId}` }, JOB_CREATE_TIMEOUT_MS);
}

const JOB_CREATE_TIMEOUT_MS = 300_000;

export interface WatchOptions {
  api: ApiClient;
  jobId: string;
  expectedTotal: number;
  deadline: number;
  /** Gives up when no record reaches a final outcome for this long (a dead workflow, a stuck worker). */
  stallMs: number;
  /** Progress output (stderr under --json); a bar redrawn in place on a terminal, a line every few seconds otherwise. */
  out: NodeJS.WriteStream;
  intervalMs?: number;
  /** Set when Ctrl-C arrives: stop polling. */
  aborted: () => boolean;
}

export type WatchEnd = 'finished' | 'timeout' | 'stalled' | 'aborted';

/** Polls `GET /v1/jobs/{id}` until the job ends, the deadline passes, it stalls or the user interrupts. */
export async function watchJob(options: WatchOptions): Promise<{ job: JobView; end: WatchEnd }> {
  const { api, jobId, out } = options;
  const started = Date.now();
  const tty = out.isTTY === true;
  let lastPrinted = 0;
  let lastStatus = '';
  let lastProcessed = -1;
  let lastMove = Date.now();
  let failures = 0;
  let job = await api.get<JobView>(`/v1/jobs/${jobId}`);
  const end = (value: WatchEnd): { job: JobView; end: WatchEnd } => {
    if (tty) out.write('\n');
    return { job, end: value };
  };
  for (;;) {
    // Ctrl-C: the demo is already printing its clean-up; draw nothing more.
    if (options.aborted()) return { job, end: 'aborted' };
    const width = Math.max(10, Math.min(40, (out.columns ?? 100) - 90));
    const line = renderProgress(job, { width, expectedTotal: options.expectedTotal, elapsedSeconds: (Date.now() - started) / 1000 });
    if (tty) out.write(`\r\x1b[2K${line}`);
    else if (Date.now() - lastPrinted >= 5000 || job.status !== lastStatus || isTerminal(job.status)) {
      out.write(`${line}\n`);
      lastPrinted = Date.now();
    }
    lastStatus = job.status;
    const processed = job.progress?.processed ?? 0;
    if (processed !== lastProcessed) {
      lastProcessed = processed;
      lastMove = Date.now();
    }
    if (isTerminal(job.status)) return end('finished');
    if (Date.now() > options.deadline) return end('timeout');
    // A paused job is waiting for a person, not stalled.
    if (job.status !== 'paused' && Date.now() - lastMove > options.stallMs) return end('stalled');
    await sleep(options.intervalMs ?? 500);
    try {
      job = await api.get<JobView>(`/v1/jobs/${jobId}`);
      failures = 0;
    } catch (err) {
      // One slow answer should not end the demo; a dead API should.
      failures += 1;
      if (failures >= 10 || options.aborted()) throw err;
    }
  }
}

/**
 * Best effort: a job left running would resume against sandboxes that are gone. Waits a little
 * for the workflow to acknowledge, so the next start does not find it half-cancelled.
 */
export async function cancelJob(api: ApiClient, jobId: string, reason: string, waitMs = 10_000): Promise<string | undefined> {
  try {
    await api.post(`/v1/jobs/${jobId}/cancel`, { reason });
    const deadline = Date.now() + waitMs;
    for (;;) {
      const job = await api.get<JobView>(`/v1/jobs/${jobId}`);
      if (isTerminal(job.status) || Date.now() > deadline) return job.status;
      await sleep(300);
    }
  } catch {
    return undefined;
  }
}
