import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAffinityContract } from '../../../infra/sandbox/affinity/contract/index.ts';
import { checkAttioContract } from '../../../infra/sandbox/attio/contract/index.ts';
import {
  createEngineTenant, createJob, startSandboxes, startWorkerProcess, TERMINAL, testTaskQueue, waitForJob,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('contract');

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;

beforeAll(async () => {
  // Both sandboxes check every exchange with the connectors against the vendors' published schemas:
  // the connectors' requests (bodies, query parameters) and every response the sandbox sends, Affinity
  // v1 against its docs (a listing may carry nothing they do not promise), v2 and Attio against their
  // OpenAPI documents. The demo's account size; poison records and injected 429s / 5xx make the error
  // answers part of the run.
  sandboxes = await startSandboxes(
    { seed: 'contract', size: 5_000, poisonRate: 0.005, contract: checkAffinityContract, faults: { seed: 3, rate429: 0.01 } },
    { contract: checkAttioContract, faults: { seed: 7, rate429: 0.01, rate5xx: 0.005 } },
  );
  e = await createEngineTenant(sandboxes, QUEUE);
  worker = startWorkerProcess(QUEUE);
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('the vendors\' contracts over a whole migration', () => {
  it('a job through the sandboxes exchanges only requests and responses that fit Affinity\'s and Attio\'s published schemas', { timeout: 420_000 }, async () => {
    const created = await createJob(e, { batchSize: 200, concurrency: 4 });
    // The demo's size with every exchange schema-checked, 429s and 5xx: slower than a plain job, and
    // on a busy 2-core machine past the default 240 s wait (88% done at 240 s once, moving steadily).
    const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status), 400_000);
    expect(['completed', 'completed_with_errors']).toContain(job.status);

    const report = sandboxes.attio.contract?.snapshot();
    if (!report) throw new Error('the Attio sandbox was started without its contract checker');
    const stats = sandboxes.attio.stats.snapshot();
    // Printed so a run shows what was checked (and, on failure, the first violations in full).
    console.info(JSON.stringify({ checked: report.checked, violations: report.violations, byRoute: report.byRoute, byStatus: stats.byStatus }));
    expect(report.recent, JSON.stringify(report.recent, null, 2)).toEqual([]);
    expect(report.violations).toBe(0);
    expect(report.checked).toBe(stats.requests);
    expect(report.checked).toBeGreaterThan(5_000);
    // The error answers were there to be checked: poison (400), injected 429 and 5xx.
    expect(Object.keys(stats.byStatus)).toEqual(expect.arrayContaining(['200', '400', '429']));

    const affinity = sandboxes.affinity.contract?.snapshot();
    if (!affinity) throw new Error('the Affinity sandbox was started without its contract checker');
    const calls = sandboxes.affinity.requests.snapshot();
    console.info(JSON.stringify({ affinity: { checked: affinity.checked, violations: affinity.violations, byRoute: affinity.byRoute, v1: calls.v1, v2: calls.v2 } }));
    expect(affinity.recent, JSON.stringify(affinity.recent, null, 2)).toEqual([]);
    expect(affinity.violations).toBe(0);
    expect(affinity.checked).toBeGreaterThan(0);
    // The job reads through v2 wherever v2 has the data: a handful of v1 calls (lists, field schema).
    expect(calls.v2).toBeGreaterThan(calls.v1);
  });
});
