/**
 * End-to-end throughput of the migration engine, and of the plain "read → write → log" loop over the
 * same connectors, in one run against the same sandboxes (rate limits off):
 *
 *   npx tsx bench/engine-throughput.ts --size 20000 [--seed bench] [--batch-size 500] [--concurrency 4]
 *        [--write-concurrency 16] [--plain-concurrency 32] [--skip-plain] [--skip-engine] [--cpu-prof] [--keep-stack]
 *
 * What runs where: the `bench` dev stack (Temporal, PostgreSQL, MinIO; started here unless already up),
 * both sandboxes in a child process (`infra/sandbox/main.ts --no-limits`, so the load generator does
 * not share the worker's event loop), the production worker `workers/main.ts` in a child process, and
 * the API (tenant, key, connections, job) in this process. Then the worker is stopped, the Attio
 * sandbox is emptied and `runMigration` (scripts/plain-migrate) migrates the same account again.
 * Prints a table and writes bench/results.json; logs and profiles go to bench/out/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createApp } from '../api/app.ts';
import { createAffinityClient } from '../activities/connectors/affinity/affinity-client.ts';
import { createAffinitySource } from '../activities/connectors/affinity/affinity-source.ts';
import { createAttioClient } from '../activities/connectors/attio/attio-client.ts';
import { createAttioTarget } from '../activities/connectors/attio/attio-target.ts';
import { createBudgetRegistry } from '../activities/connectors/budget/budget-registry.ts';
import { createMemoryIdMap } from '../activities/connectors/id-map/memory-id-map.ts';
import { parseNoteMarker, resolveMappingConfig } from '../activities/mapping/index.ts';
import { REPO_ROOT } from '../infra/dev-stack/paths.ts';
import { downStack, upStack } from '../infra/dev-stack/stack.ts';
import { runMigration } from '../scripts/plain-migrate/run-migration.ts';
import { generateApiKey } from '../shared/auth/api-key.ts';
import { loadConfig } from '../shared/config.ts';
import { createSecretBox } from '../shared/crypto/secret-box.ts';
import { createSql } from '../shared/db/client.ts';
import { withAdminScope } from '../shared/db/scope.ts';
import { migrate, roleOfUrl } from '../shared/db/migrate.ts';
import { createLogger } from '../shared/logger.ts';
import { createS3 } from '../shared/s3.ts';
import { connectTemporal } from '../shared/temporal.ts';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    seed: { type: 'string', default: 'bench' },
    'batch-size': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'write-concurrency': { type: 'string' },
    'plain-concurrency': { type: 'string', default: '32' },
    'plain-page-size': { type: 'string', default: '500' },
    'skip-plain': { type: 'boolean', default: false },
    'skip-engine': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'keep-stack': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
  },
});

const OUT = path.join(REPO_ROOT, 'bench', 'out');
mkdirSync(OUT, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const log = (m: string): void => console.error(`[bench] ${m}`);
const children: ChildProcess[] = [];

interface SandboxInfo {
  affinityUrl: string;
  affinityKey: string;
  attioUrl: string;
  attioToken: string;
  counts: Record<string, number>;
}

/** Both sandboxes in their own process; resolves with their URLs once they log "sandboxes ready". */
function startSandboxProcess(): Promise<{ child: ChildProcess; info: SandboxInfo }> {
  const child = spawn(process.execPath, [
    '--import', 'tsx', path.join(REPO_ROOT, 'infra', 'sandbox', 'main.ts'),
    '--affinity-port', '0', '--attio-port', '0', '--size', args.size, '--seed', args.seed, '--no-limits', '--log-level', 'info',
  ], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const file = createWriteStream(path.join(OUT, `sandbox-${stamp}.log`));
  child.stderr?.pipe(file);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox process exited early (${code}); see bench/out/sandbox-${stamp}.log`)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      file.write(`${line}\n`);
      if (!line.includes('sandboxes ready')) return;
      const d = JSON.parse(line) as { affinityUrl: string; affinityBasicPassword: string; attioUrl: string; attioBearer: string; counts: Record<string, number> };
      resolve({ child, info: { affinityUrl: d.affinityUrl, affinityKey: d.affinityBasicPassword, attioUrl: d.attioUrl, attioToken: d.attioBearer, counts: d.counts } });
    });
  });
}

/** The production worker entrypoint; resolves once it logs "worker process ready". */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const profDir = path.join(OUT, `profile-${stamp}`);
  const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(REPO_ROOT, 'workers', 'main.ts')], {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const file = createWriteStream(path.join(OUT, `worker-${stamp}.log`));
  child.stderr?.pipe(file);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}); see bench/out/worker-${stamp}.log`)));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      file.write(`${line}\n`);
      if (line.includes('worker process ready')) resolve(child);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.removeAllListeners('exit');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** CPU seconds (user + system) a child has used so far; Linux only (null elsewhere). */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
/** Machine-wide busy CPU seconds (all processes, ours and anyone else's); Linux only. */
function machineBusySeconds(): number | null {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return null;
  }
}
const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const delta = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);

const perMin = (records: number, seconds: number): number => Math.round((records / seconds) * 60);

// ---------------------------------------------------------------------------------------- setup
const stack = await upStack({ name: 'bench', log });
const stackEnv: Record<string, string> = {
  ...stack.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  FREIGHT_ADMIN_API_KEY: generateApiKey('test').plaintext,
  FREIGHT_ENCRYPTION_KEYS: `bench1:${randomBytes(32).toString('base64')}`,
};
const config = loadConfig(stackEnv);
{
  const owner = createSql({ url: config.db.migrationUrl, max: 1 });
  try {
    await migrate({ sql: owner, appRole: roleOfUrl(config.db.url), logger: createLogger({ level: 'warn', name: 'migrate' }) });
  } finally {
    await owner.end({ timeout: 5 });
  }
}
const sql = createSql({ url: config.db.url, max: 5 });
const temporal = await connectTemporal(config.temporal);
const s3 = createS3(config.s3);
const apiLogger = createLogger({ level: 'warn', name: 'bench-api' });
const app = createApp({ config, sql, temporal, s3, logger: apiLogger, secretBox: createSecretBox(config.encryptionKeys) });
const adminKey = config.auth.adminApiKey ?? '';
const call = async <T>(method: string, url: string, token: string, body?: unknown, expected = [200, 201]): Promise<T> => {
  const res = await app.request(url, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!expected.includes(res.status)) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

const { child: sandboxChild, info: sandboxes } = await startSandboxProcess();
const c = sandboxes.counts;
const total = (c.organizations ?? 0) + (c.persons ?? 0) + (c.opportunities ?? 0) + (c.notes ?? 0) + (c.listEntries ?? 0) + (c.opportunityListEntries ?? 0);
log(`sandboxes ready (${total} records): Affinity ${sandboxes.affinityUrl}, Attio ${sandboxes.attioUrl}`);

interface EngineResult {
  records: number;
  seconds: number;
  status: string;
  counts: Record<string, Record<string, number>>;
  batches: { object: string; n: number; avg_ms: number; p95_ms: number; max_attempts: number }[];
  jobId: string;
  cpu: { worker: number | null; sandbox: number | null; machine: number | null };
}

async function runEngine(): Promise<EngineResult> {
  const slug = `bench-${randomBytes(4).toString('hex')}`;
  const tenant = await call<{ id: string }>('POST', '/v1/tenants', adminKey, { slug, name: `Bench ${slug}` });
  const { key } = await call<{ key: string }>('POST', `/v1/tenants/${tenant.id}/api-keys`, adminKey, { role: 'engineer', name: 'bench' });
  const source = await call<{ id: string }>('POST', '/v1/connections', key, { name: 'affinity', type: 'affinity', baseUrl: sandboxes.affinityUrl, credentials: { apiKey: sandboxes.affinityKey } });
  const target = await call<{ id: string }>('POST', '/v1/connections', key, { name: 'attio', type: 'attio', baseUrl: sandboxes.attioUrl, credentials: { apiKey: sandboxes.attioToken } });

  const worker = await startWorker({
    ...stackEnv,
    // Rate limits are off in the sandboxes; Attio sends no limit headers, so the worker is told.
    FREIGHT_ATTIO_WRITES_PER_SEC: '1000000', FREIGHT_ATTIO_READS_PER_SEC: '1000000', FREIGHT_AFFINITY_REQUESTS_PER_MIN: '100000000',
    ...(args['write-concurrency'] ? { FREIGHT_WRITE_CONCURRENCY: args['write-concurrency'] } : {}),
  });
  log('worker ready; creating the job');
  try {
    const cpu0 = { worker: cpuSeconds(worker.pid), sandbox: cpuSeconds(sandboxChild.pid), machine: machineBusySeconds() };
    const started = performance.now();
    const job = await call<{ id: string }>('POST', '/v1/jobs', key, {
      sourceConnectionId: source.id, targetConnectionId: target.id, batchSize: Number(args['batch-size']), concurrency: Number(args.concurrency),
    });
    const deadline = Date.now() + Number(args.timeout) * 1000;
    let view: { status: string; counts: Record<string, Record<string, number>> };
    let lastReport = 0;
    for (;;) {
      view = await call('GET', `/v1/jobs/${job.id}`, key);
      if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(view.status)) break;
      if (Date.now() > deadline) throw new Error(`job ${job.id} did not finish in ${args.timeout} s: ${JSON.stringify(view)}`);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        const done = Object.values(view.counts ?? {}).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
        log(`  ${view.status}: ${done}/${total} records after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      worker: delta(cpu0.worker, cpuSeconds(worker.pid)), sandbox: delta(cpu0.sandbox, cpuSeconds(sandboxChild.pid)), machine: delta(cpu0.machine, machineBusySeconds()),
    };
    const records = Object.values(view.counts ?? {}).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    const batches = await withAdminScope(sql, { actor: 'bench', reason: 'benchmark batch timings', audit: false }, (tx) => tx<EngineResult['batches']>`
      select object, count(*)::int as n, round(avg(duration_ms))::int as avg_ms,
             round(percentile_cont(0.95) within group (order by duration_ms))::int as p95_ms, max(attempts)::int as max_attempts
      from freight.job_batches where job_id = ${job.id} and record_count > 0 group by object order by min(seq), object`);
    return { records, seconds, status: view.status, counts: view.counts, batches, jobId: job.id, cpu };
  } finally {
    await stopChild(worker);
  }
}

async function runPlain(): Promise<{ records: number; seconds: number; cpu: { loop: number | null; sandbox: number | null; machine: number | null } }> {
  const reset = await fetch(`${sandboxes.attioUrl}/__sandbox/reset`, { method: 'POST' });
  if (!reset.ok) throw new Error(`Attio reset: ${reset.status}`);
  const budgets = createBudgetRegistry();
  const mapping = resolveMappingConfig();
  const source = createAffinitySource({ client: createAffinityClient({ baseUrl: sandboxes.affinityUrl, apiKey: sandboxes.affinityKey, budgets }), fieldValueConcurrency: 32 });
  const client = createAttioClient({ baseUrl: sandboxes.attioUrl, token: sandboxes.attioToken, budgets, writesPerSec: Infinity, readsPerSec: Infinity });
  const target = createAttioTarget({ client, idMap: createMemoryIdMap(), parseNoteMarker, sourceIdAttribute: mapping.sourceIdAttribute, entryIdAttribute: mapping.list.entryIdAttribute });
  const recordLog = createWriteStream(path.join(OUT, `plain-records-${stamp}.jsonl`));
  let records = 0;
  const cpu0 = { loop: ownCpuSeconds(), sandbox: cpuSeconds(sandboxChild.pid), machine: machineBusySeconds() };
  const started = performance.now();
  await runMigration({
    run: 1, source, target, config: mapping, now: new Date(),
    pageSize: Number(args['plain-page-size']), concurrency: Number(args['plain-concurrency']),
    onRecord: (line) => {
      if (!line.notes?.includes('references pass')) records += 1;
      recordLog.write(`${JSON.stringify(line)}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = { loop: delta(cpu0.loop, ownCpuSeconds()), sandbox: delta(cpu0.sandbox, cpuSeconds(sandboxChild.pid)), machine: delta(cpu0.machine, machineBusySeconds()) };
  await new Promise((r) => recordLog.end(r));
  return { records, seconds, cpu };
}

let exitCode = 0;
try {
  const engine = args['skip-engine'] ? null : await runEngine();
  if (engine) log(`engine: ${engine.records} records in ${engine.seconds.toFixed(1)} s (${engine.status})`);
  const plain = args['skip-plain'] ? null : await runPlain();
  if (plain) log(`plain loop: ${plain.records} records in ${plain.seconds.toFixed(1)} s`);

  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`, node: process.version, loadavg_at_end: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  const throughput = engine ? perMin(engine.records, engine.seconds) : null;
  const plainRate = plain ? perMin(plain.records, plain.seconds) : null;
  const ratio = throughput !== null && plainRate ? Math.round((throughput / plainRate) * 1000) / 1000 : null;
  const results = {
    throughput_records_per_min: throughput,
    plain_loop_records_per_min: plainRate,
    ratio_vs_plain_loop: ratio,
    machine,
    run: {
      at: new Date().toISOString(), size: Number(args.size), seed: args.seed, account_records: total,
      batch_size: Number(args['batch-size']), concurrency: Number(args.concurrency), write_concurrency: args['write-concurrency'] ? Number(args['write-concurrency']) : 'worker default',
      plain_concurrency: Number(args['plain-concurrency']), plain_page_size: Number(args['plain-page-size']),
    },
    engine: engine ? { records: engine.records, seconds: Math.round(engine.seconds * 100) / 100, status: engine.status, job_id: engine.jobId, cpu_seconds: engine.cpu, batches: engine.batches } : null,
    plain: plain ? { records: plain.records, seconds: Math.round(plain.seconds * 100) / 100, cpu_seconds: plain.cpu } : null,
    bars: { throughput_records_per_min: 100_000, ratio_vs_plain_loop: 0.8 },
  };
  writeFileSync(path.join(REPO_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

  const rows: Array<[string, string]> = [
    ['machine', `${machine.cpus} × ${machine.model}, ${machine.memory_gb} GB`],
    ['account', `${total} records (size ${args.size}, seed ${args.seed})`],
    ['engine (Temporal, 1 worker)', engine ? `${engine.records} rec in ${engine.seconds.toFixed(1)} s = ${throughput?.toLocaleString('en')} rec/min (${engine.status})` : 'skipped'],
    ['plain loop', plain ? `${plain.records} rec in ${plain.seconds.toFixed(1)} s = ${plainRate?.toLocaleString('en')} rec/min` : 'skipped'],
    ['CPU s (engine run)', engine ? `worker ${engine.cpu.worker ?? '?'}, sandboxes ${engine.cpu.sandbox ?? '?'}, whole machine ${engine.cpu.machine ?? '?'} of ${(machine.cpus * engine.seconds).toFixed(0)}` : 'n/a'],
    ['CPU s (plain run)', plain ? `loop ${plain.cpu.loop ?? '?'}, sandboxes ${plain.cpu.sandbox ?? '?'}, whole machine ${plain.cpu.machine ?? '?'} of ${(machine.cpus * plain.seconds).toFixed(0)}` : 'n/a'],
    ['ratio engine / plain', ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}% (bar ≥ 80%)`],
    ['bar ≥ 100,000 rec/min', throughput === null ? 'n/a' : throughput >= 100_000 ? 'met' : 'NOT met'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
  if (engine) {
    console.log('\nbatches (last attempt): object, count, avg ms, p95 ms, max attempts');
    for (const b of engine.batches) console.log(`  ${b.object.padEnd(14)} ${String(b.n).padStart(4)} ${String(b.avg_ms).padStart(7)} ${String(b.p95_ms).padStart(7)} ${String(b.max_attempts).padStart(3)}`);
  }
  console.log('\nwrote bench/results.json');
  if (engine && engine.status !== 'completed') exitCode = 1;
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const child of children) await stopChild(child);
  await sql.end({ timeout: 5 });
  await temporal.close();
  s3.client.destroy();
  if (!args['keep-stack']) {
    const stopped = await downStack('bench', stack.started);
    if (stopped.length > 0) log(`stopped ${stopped.join(', ')}`);
  }
}
process.exit(exitCode);
