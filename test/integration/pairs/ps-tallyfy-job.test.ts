import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asTenant, createJob, startWorkerProcess, testTaskQueue, TERMINAL, waitForJob, type EngineTenant, type JobView, type WorkerProcess,
} from '../../helpers/engine.ts';
import {
  createPsTallyfyTenant, inspectTallyfy, PS_TALLYFY_WORKER_ENV, startPsTallyfySandboxes, tallyfyCreates, type PsTallyfySandboxes,
} from '../../helpers/ps-tallyfy.ts';
import { checkPsTallyfy, type PsTallyfyCheck } from '../../helpers/ps-tallyfy-check.ts';

// Process Street → Tallyfy through the whole engine: API → Temporal → the production worker process →
// both sandboxes (in this process), PostgreSQL and S3. A small generated organisation (size 0.01:
// 12 users, 3 groups, 20 templates with every field type, 18 runs in every status, 20 comments,
// 5 attachments) keeps the file around a minute per job on a busy 2-core machine.
const QUEUE = testTaskQueue('ps-tallyfy');
const SIZE = 0.01;

let worker: WorkerProcess;

beforeAll(() => {
  worker = startWorkerProcess(QUEUE, PS_TALLYFY_WORKER_ENV);
});

afterAll(async () => {
  await worker?.kill();
});

async function runJob(e: EngineTenant, body: Record<string, unknown> = {}): Promise<JobView> {
  const created = await createJob(e, { batchSize: 20, concurrency: 2, ...body });
  return waitForJob(e, created.id, (j) => TERMINAL.includes(j.status), 240_000);
}

/** Every source object exactly once in Tallyfy, values equal: the acceptance of a finished migration. */
function expectMigrated(check: PsTallyfyCheck, s: PsTallyfySandboxes): void {
  const counts = s.ps.organization.counts;
  const expected = { groups: counts.groups, blueprints: counts.workflows, processes: counts.runs, comments: counts.comments, files: counts.attachments };
  for (const [kind, n] of Object.entries(expected)) expect(check.kinds[kind as keyof typeof expected].expected, kind).toBe(n);
  for (const [kind, k] of Object.entries(check.kinds)) {
    expect(k.expected, kind).toBeGreaterThan(0);
    expect({ kind, found: k.found, missing: k.missing, duplicates: k.duplicates }).toEqual({ kind, found: k.expected, missing: [], duplicates: [] });
  }
  expect(check.mismatches).toEqual([]);
  // Each documented field type with a comparable value was seen at least once.
  for (const type of ['Text', 'Email', 'Date', 'Select', 'MultiChoice', 'Members', 'File', 'completion']) expect(check.valuesChecked[type], type).toBeGreaterThan(0);
  expect(check.orphanFiles).toBe(0);
}

describe('Process Street → Tallyfy through the engine', () => {
  let s: PsTallyfySandboxes;
  let e: EngineTenant;

  beforeAll(async () => {
    s = await startPsTallyfySandboxes({ seed: 'ps-e2e', size: SIZE });
    e = await createPsTallyfyTenant(s, QUEUE);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('migrates every object once with values equal, counts degraded records with reasons; a second job creates nothing', async () => {
    const job = await runJob(e);
    expect(job.status, JSON.stringify(job.counts)).toBe('completed');
    const total = Object.values(job.counts).reduce((n, c) => n + (c.succeeded ?? 0), 0);
    const counts = s.ps.organization.counts;
    expect(total).toBe(counts.users + counts.groups + counts.workflows + counts.runs + counts.comments + counts.attachments);

    const check = checkPsTallyfy(s.ps.organization, await inspectTallyfy(s));
    expectMigrated(check, s);
    console.log(`ps → tallyfy: ${JSON.stringify(Object.fromEntries(Object.entries(check.kinds).map(([k, v]) => [k, v.found])))}, values ${JSON.stringify(check.valuesChecked)}`);

    // Degraded records: counted in the report, each with its reasons; comments always are (authorship in the text).
    const res = await e.t.call('GET', `/v1/jobs/${job.id}/report`, { token: e.key });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { totals: { degraded: number }; degraded: Array<{ object: string; reason: string; count: number }> };
    const [log] = await asTenant(e, (sql) => sql<{ degraded: number; comments: number }[]>`
      select count(*) filter (where degraded is not null)::int as degraded,
             count(*) filter (where degraded is not null and object = 'comments')::int as comments
      from freight.job_records where job_id = ${job.id} and status = 'succeeded'`);
    expect(report.totals.degraded).toBe(log?.degraded);
    expect(log?.comments).toBe(counts.comments);
    // The breakdown lists the most frequent reasons only (a run's reasons name its own fields).
    expect(report.degraded.reduce((n, d) => n + d.count, 0)).toBeLessThanOrEqual(report.totals.degraded);
    expect(report.degraded.find((d) => d.object === 'comments')?.reason).toMatch(/author and date carried in the text/);
    expect(report.degraded.every((d) => d.reason.length > 0)).toBe(true);

    const before = await tallyfyCreates(s);
    const writesBefore = (await inspectTallyfy(s)).writes;
    const again = await runJob(e);
    expect(again.status, JSON.stringify(again.counts)).toBe('completed');
    expect(await tallyfyCreates(s) - before).toBe(0);
    // Nor changes anything: no task reopened, completed or updated again.
    expect((await inspectTallyfy(s)).writes).toEqual(writesBefore);
    expectMigrated(checkPsTallyfy(s.ps.organization, await inspectTallyfy(s)), s);
  });
});

describe('Process Street → Tallyfy by phases', () => {
  let s: PsTallyfySandboxes;
  let e: EngineTenant;

  beforeAll(async () => {
    s = await startPsTallyfySandboxes({ seed: 'ps-e2e-phases', size: SIZE });
    e = await createPsTallyfyTenant(s, QUEUE);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('foundation first, then the rest: the same migration', async () => {
    const foundation = await runJob(e, { phases: ['foundation'] });
    expect(foundation.status).toBe('completed');
    expect(Object.keys(foundation.counts).sort()).toEqual(['groups', 'users']);
    const after = await inspectTallyfy(s);
    expect(after.counts).toMatchObject({ groups: s.ps.organization.counts.groups, checklists: 0, runs: 0 });

    const rest = await runJob(e, { phases: ['templates', 'active', 'collaborative'] });
    expect(rest.status, JSON.stringify(rest.counts)).toBe('completed');
    expect(Object.keys(rest.counts).sort()).toEqual(['attachments', 'comments', 'runs', 'workflows']);
    expectMigrated(checkPsTallyfy(s.ps.organization, await inspectTallyfy(s)), s);
  });
});
