import { createBudgetRegistry, type BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { mapWithConcurrency } from '../../../connectors/concurrency.ts';
import { createMemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { createAttioClient } from './attio-client.ts';
import { createAttioTarget } from './attio-target.ts';

export interface WriteBenchOptions {
  baseUrl: string;
  token: string;
  writes: number;
  /** Concurrent writers sharing the one budget of the token (like parallel batches of many jobs). */
  concurrency?: number;
  /** The limit the budget assumes (the sandbox's / Attio's writes per second). */
  writesPerSec?: number;
  /**
   * Independent connector instances ("jobs") writing with the same token, each with its own client,
   * all drawing on the one registry: what many concurrent jobs of a tenant do in one worker.
   */
  jobs?: number;
  /** The registry to draw on (default: a fresh one of this process); one with a store shares across processes. */
  budgets?: BudgetRegistry;
  /** Prefix of the written companies' domains, unique per run and writer process (default: the time). */
  runId?: string;
}

export interface WriteBenchResult {
  writes: number;
  seconds: number;
  writesPerSec: number;
  /** writesPerSec as a share of the limit. */
  utilisation: number;
  requests: number;
  rateLimited: number;
  /** 429 answers / all write requests sent. */
  rateLimitedRatio: number;
}

/**
 * Sends `writes` company asserts through the Attio target with `concurrency` writers sharing one
 * write budget, and reports the achieved rate and the share of calls answered 429. Used by the
 * budget test and scripts/bench-write-budget.ts.
 */
export async function runWriteBench(options: WriteBenchOptions): Promise<WriteBenchResult> {
  const limit = options.writesPerSec ?? 25;
  const budgets = options.budgets ?? createBudgetRegistry();
  const jobs = Array.from({ length: Math.max(1, options.jobs ?? 1) }, () => {
    const client = createAttioClient({ baseUrl: options.baseUrl, token: options.token, budgets, writesPerSec: limit });
    return { client, target: createAttioTarget({ client, idMap: createMemoryIdMap(), parseNoteMarker: () => null }) };
  });
  const runId = options.runId ?? Date.now().toString(36);
  const started = performance.now();
  await mapWithConcurrency(Array.from({ length: options.writes }, (_, i) => i), options.concurrency ?? 16, (i) =>
    (jobs[i % jobs.length] as (typeof jobs)[number]).target.upsertRecord({
      source: { kind: 'organization', id: `${runId}-${i}` },
      object: 'companies',
      matchingAttribute: 'domains',
      values: { name: `Bench ${i}`, domains: [{ domain: `bench-${runId}-${i}.example.com` }] },
    }));
  const seconds = (performance.now() - started) / 1000;
  const stats = jobs.map((j) => j.client.stats()).reduce((a, b) => ({ requests: a.requests + b.requests, rateLimited: a.rateLimited + b.rateLimited, failures: a.failures + b.failures }));
  const writesPerSec = options.writes / seconds;
  return {
    writes: options.writes,
    seconds,
    writesPerSec,
    utilisation: writesPerSec / limit,
    requests: stats.requests,
    rateLimited: stats.rateLimited,
    rateLimitedRatio: stats.requests === 0 ? 0 : stats.rateLimited / stats.requests,
  };
}
