/**
 * Throughput: one job through the sandboxes with every limit off, end to end (job created → job
 * terminal, records counted from the record log), then in the same run the plain "read → map →
 * write → log" loop (scripts/plain-migrate) over the same connectors and the same account.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { createAffinityClient } from '../../activities/pairs/affinity-attio/affinity/affinity-client.ts';
import { createAffinitySource } from '../../activities/pairs/affinity-attio/affinity/affinity-source.ts';
import { createAttioClient } from '../../activities/pairs/affinity-attio/attio/attio-client.ts';
import { createAttioTarget } from '../../activities/pairs/affinity-attio/attio/attio-target.ts';
import { createBudgetRegistry } from '../../activities/connectors/budget/budget-registry.ts';
import { createMemoryIdMap } from '../../activities/connectors/id-map/memory-id-map.ts';
import { parseNoteMarker, resolveMappingConfig } from '../../activities/pairs/affinity-attio/mapping/index.ts';
import { runMigration } from '../../scripts/plain-migrate/run-migration.ts';
import { createJob, createTenant, recordsDone, waitForJob, workerEnv, type BenchContext } from '../lib/context.ts';
import { stackDataDir } from '../../infra/dev-stack/paths.ts';
import { BENCH_STACK } from '../lib/context.ts';
import { cpuSeconds, OUT_DIR, serviceCpuSeconds, startSandboxes, startWorker, stopChild, type SandboxInfo, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

const perMin = (records: number, seconds: number): number => Math.round((records / seconds) * 60);

async function runPlain(sandboxes: SandboxInfo, concurrency: number, pageSize: number): Promise<{ records: number; seconds: number }> {
  const reset = await fetch(`${sandboxes.attioUrl}/__sandbox/reset`, { method: 'POST' });
  if (!reset.ok) throw new Error(`Attio reset: ${reset.status}`);
  const budgets = createBudgetRegistry();
  const mapping = resolveMappingConfig();
  const source = createAffinitySource({ client: createAffinityClient({ baseUrl: sandboxes.affinityUrl, apiKey: sandboxes.affinityKey, budgets }) });
  const client = createAttioClient({ baseUrl: sandboxes.attioUrl, token: sandboxes.attioToken, budgets, writesPerSec: Infinity, readsPerSec: Infinity });
  const target = createAttioTarget({ client, idMap: createMemoryIdMap(), parseNoteMarker, sourceIdAttribute: mapping.sourceIdAttribute, entryIdAttribute: mapping.list.entryIdAttribute });
  const recordLog = createWriteStream(path.join(OUT_DIR, 'plain-records.jsonl'));
  let records = 0;
  const started = performance.now();
  await runMigration({
    run: 1, source, target, config: mapping, now: new Date(), pageSize, concurrency,
    onRecord: (line) => {
      if (!line.notes?.includes('references pass')) records += 1;
      recordLog.write(`${JSON.stringify(line)}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => recordLog.end(r));
  return { records, seconds };
}

export async function runThroughput(ctx: BenchContext, o: ScenarioOptions): Promise<ScenarioResult> {
  const size = o.size ?? 100_000;
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    const started = await startSandboxes({ size, seed: o.seed, attioWritesPerSecond: null });
    sandbox = started.proc;
    const sandboxes = started.info;
    o.log(`throughput: account of ${sandboxes.total} records`);
    const tenant = await createTenant(ctx, sandboxes);
    worker = await startWorker(workerEnv(ctx, null), o.cpuProf);
    const stackDir = stackDataDir(BENCH_STACK);
    const cpu0 = { worker: cpuSeconds(worker.child.pid), sandbox: cpuSeconds(sandbox.child.pid), ...serviceCpuSeconds(stackDir) };
    const t0 = performance.now();
    const job = await createJob(ctx, tenant, { batchSize: o.batchSize, concurrency: o.concurrency });
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, total: sandboxes.total, log: o.log, pollMs: 100 });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = { worker: cpuSeconds(worker.child.pid), sandbox: cpuSeconds(sandbox.child.pid), ...serviceCpuSeconds(stackDir) };
    await stopChild(worker);
    worker = undefined;
    const records = recordsDone(view);
    const engineRate = perMin(records, seconds);
    o.log(`throughput: engine ${records} records in ${seconds.toFixed(1)} s = ${engineRate}/min (${view.status})`);
    const plainCpu0 = { loop: process.cpuUsage(), sandbox: cpuSeconds(sandbox.child.pid) };
    const plain = await runPlain(sandboxes, o.plainConcurrency, o.batchSize);
    const loopUsage = process.cpuUsage(plainCpu0.loop);
    const plainCpu = { loop: Math.round((loopUsage.user + loopUsage.system) / 1e5) / 10, sandbox: diff(plainCpu0.sandbox, cpuSeconds(sandbox.child.pid)) };
    const plainRate = perMin(plain.records, plain.seconds);
    o.log(`throughput: plain loop ${plain.records} records in ${plain.seconds.toFixed(1)} s = ${plainRate}/min`);
    return {
      metrics: {
        throughput_records_per_min: view.status === 'completed' ? engineRate : null,
        plain_loop_records_per_min: plainRate,
        ratio_vs_plain_loop: Math.round((engineRate / plainRate) * 1000) / 1000,
      },
      details: {
        account_records: sandboxes.total, engine: { job_id: job.id, status: view.status, records, seconds: Math.round(seconds * 10) / 10,
          cpu_seconds: {
            worker: diff(cpu0.worker, cpu.worker), sandbox: diff(cpu0.sandbox, cpu.sandbox), postgres: diff(cpu0.postgres, cpu.postgres),
            temporal: diff(cpu0.temporal, cpu.temporal), minio: diff(cpu0.minio, cpu.minio),
          } },
        plain: { records: plain.records, seconds: Math.round(plain.seconds * 10) / 10, concurrency: o.plainConcurrency, cpu_seconds: plainCpu },
        batch_size: o.batchSize, concurrency: o.concurrency,
      },
    };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);
