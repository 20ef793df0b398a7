import type { ApiClient } from '../api-client.ts';
import type { DemoArgs } from '../demo-args.ts';
import type { JobView } from '../demo-format.ts';
import type { SandboxSettings } from '../sandbox-options.ts';
import type { RunningSandbox } from '../sandbox-process.ts';

/** What the generic demo (demo.ts) hands a pair's demo module once its job has ended. */
export interface FinishedJobContext {
  args: DemoArgs;
  api: ApiClient;
  sandbox: RunningSandbox;
  /** The job as the API answered at its end. */
  job: JobView;
  /** Records with a final outcome, and the job's duration (its own timestamps). */
  processed: number;
  seconds: number;
  expectedTotal: number;
  baseUrl: string;
  /** A line for humans (stdout, or stderr under --json). */
  say: (line?: string) => void;
  /** Runs a step; on failure ends the demo saying which (see demo.ts). */
  step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  connections: { sourceId: string; targetId: string };
  /** Creates another job over the same connections (its own idempotency key) and watches it to its end. */
  runAgain: (idempotencyKey: string) => Promise<JobView>;
  /** The last lines of the worker's log (shown when the job did not complete). */
  workerTail: () => string;
}

export interface PairDemoResult {
  outcome: { ok: boolean; reason: string | null };
  /** The `--json` report, given the demo's total wall time. */
  report: (totalSeconds: number) => Record<string, unknown>;
}

/**
 * One pair's part of `npm run demo -- --pair <id>` (registered in demo-pairs.ts): which sandbox
 * limits it runs under, its two connections, the job to create, and what it checks once the job
 * has ended. Starting the stack, the tenant, watching the job and stopping everything are demo.ts's.
 */
export interface PairDemo {
  id: string;
  /** The sandbox limits of this demo: `--real-limits`, or the pair's fast default. */
  limits(realLimits: boolean): SandboxSettings['limits'];
  /** One line after start-up: where the pair's sandboxes are and what they hold. */
  describeSandbox(sandbox: RunningSandbox): string;
  /** What the source holds (the progress bar's total when the API does not know it yet). */
  expectedTotal(sandbox: RunningSandbox): number;
  createConnections(api: ApiClient, sandbox: RunningSandbox): Promise<{ sourceId: string; targetId: string }>;
  /** Prints the pair's statistics and verification; says whether the demo passed and what --json reports. */
  afterJob(ctx: FinishedJobContext): Promise<PairDemoResult>;
}
