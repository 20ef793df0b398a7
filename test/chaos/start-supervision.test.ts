import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../infra/commands/api-client.ts';
import { createDemoConnections, createDemoJob } from '../../infra/commands/demo-job.ts';
import type { JobView } from '../../infra/commands/demo-format.ts';
import { ensureDemoTenant } from '../../infra/commands/demo-tenant.ts';
import { verifyDemoJob } from '../../infra/commands/demo-verify.ts';
import { startFreight, type RunningFreight } from '../../infra/commands/freight-processes.ts';
import { PG_FALLBACK_ROOT } from '../../infra/dev-stack/postgres.ts';
import { sleep } from '../../infra/dev-stack/run.ts';

/**
 * `npm start`'s supervision, as a user meets it: the whole stack (servers, API, worker, sandbox) in
 * a folder of its own, a job running, then `kill -9` of the worker. The API must stay up, the worker
 * be back within 10 s, the job complete with every record exactly once; then `kill -9` of the
 * sandbox: it comes back on its ports holding what it held (its state is persisted).
 */
let running: RunningFreight | undefined;
let dataDir: string | undefined;
let pgHome: string | undefined;
const savedDataDir = process.env.FREIGHT_DATA_DIR;

afterAll(async () => {
  await running?.stop();
  if (savedDataDir === undefined) delete process.env.FREIGHT_DATA_DIR;
  else process.env.FREIGHT_DATA_DIR = savedDataDir;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  // A cluster the server user could not keep in the 0700 temp folder lives in its own home (dev-stack/postgres.ts).
  if (pgHome?.startsWith(PG_FALLBACK_ROOT)) await rm(pgHome, { recursive: true, force: true });
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** What the Attio sandbox holds: workspace id, records per object, entries per list, notes. */
async function attioHeld(url: string): Promise<unknown> {
  const res = await fetch(`${url}/__sandbox/summary`);
  const summary = (await res.json()) as { workspace: unknown; objects: unknown; lists: unknown; notes: unknown };
  expect(summary.notes).toBeTypeOf('number');
  return { workspace: summary.workspace, objects: summary.objects, lists: summary.lists, notes: summary.notes };
}

/** Processes whose command line names `needle` (the stack's servers and the sandbox all name their data folder). */
async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').then((t) => t.replaceAll('\0', ' '), () => '');
    if (cmdline.includes(needle)) found.push(`${entry}: ${cmdline.slice(0, 160)}`);
  }
  return found;
}

describe('npm start supervises its processes', () => {
  it('a SIGKILLed worker is back within 10 s and its job completes exactly once; a SIGKILLed sandbox keeps its data', { timeout: 420_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'freight-supervised-'));
    // startFreight is npm start's own code; its stack goes to a folder of its own, not the developer's .freight/dev.
    process.env.FREIGHT_DATA_DIR = dataDir;
    const log: string[] = [];
    running = await startFreight({
      log: (m) => log.push(m),
      onCrash: 'restart',
      sandbox: { size: 1_000, seed: 'supervised', limits: 'off', ports: { affinity: 0, attio: 0, processStreet: 0, tallyfy: 0 }, stateDir: path.join(dataDir, 'sandbox-state') },
    });
    pgHome = running.stack.state.postgres ? path.dirname(running.stack.state.postgres.dataDir) : undefined;
    const sandbox = running.sandbox!;
    const admin = createApiClient(running.baseUrl, running.adminKey);
    const tenant = await ensureDemoTenant(admin, running.baseUrl, running.stack.dir);
    const api = createApiClient(running.baseUrl, tenant.apiKey);
    const connections = await createDemoConnections(api, sandbox);
    const job = await createDemoJob(api, { ...connections, batchSize: 50, concurrency: 2, metadata: { test: 'supervision' } });

    const processed = async (): Promise<JobView> => api.get<JobView>(`/v1/jobs/${job.id}`);
    await waitFor('job under way', async () => {
      const j = await processed();
      return (j.progress?.processed ?? 0) >= 150 ? j : undefined;
    }, 120_000);

    const worker = running.current('worker')!;
    const killedAt = Date.now();
    worker.child.kill('SIGKILL');
    // The API is untouched by the worker's death.
    expect((await fetch(`${running.baseUrl}/health`)).status).toBe(200);
    const back = await waitFor('worker restarted', () => {
      const now = running?.current('worker');
      return now && now !== worker && now.child.exitCode === null ? now : undefined;
    }, 10_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(back.child.pid).not.toBe(worker.child.pid);
    expect(log.join('\n')).toMatch(/worker exited unexpectedly \(SIGKILL\); restarting it/);

    const final = await waitFor('job finished', async () => {
      const j = await processed();
      return ['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    }, 300_000);
    expect(final.status, JSON.stringify(final)).toBe('completed');
    const verification = await verifyDemoJob({ sandbox, api, jobId: job.id });
    expect(verification.report.ok, JSON.stringify(verification.report.kinds)).toBe(true);
    for (const kind of Object.values(verification.report.kinds)) expect(kind).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, mismatches: 0 });

    // The sandbox, killed outright, comes back on the same ports with the same workspace.
    const held = await attioHeld(sandbox.attio.url);
    const sandboxProc = running.current('sandbox')!;
    sandboxProc.child.kill('SIGKILL');
    await waitFor('sandbox restarted', () => {
      const now = running?.current('sandbox');
      return now && now !== sandboxProc ? now : undefined;
    }, 20_000);
    await waitFor('sandbox answering', async () => (await fetch(`${sandbox.attio.url}/__sandbox/summary`).then((r) => r.ok, () => false)) || undefined, 60_000);
    expect(await attioHeld(sandbox.attio.url)).toEqual(held);
    const again = await verifyDemoJob({ sandbox, api, jobId: job.id });
    expect(again.report.ok).toBe(true);

    await running.stop();
    running = undefined;
    expect(await processesMentioning(dataDir)).toEqual([]);
  });
});
