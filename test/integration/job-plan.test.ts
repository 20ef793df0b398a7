import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobPlan } from '../../shared/jobs/job-planning.ts';
import { createKey } from './support/app.ts';
import { createEngineTenant, startSandboxes, testTaskQueue, type EngineTenant, type Sandboxes } from '../helpers/engine.ts';

/**
 * POST /v1/plans against the Affinity and Attio sandboxes: the counts are the account's, nothing is
 * written to the target nor saved in Freight, the target's budget is shared with a job already aimed
 * at the workspace, and the request is validated as job creation validates it. No worker runs.
 */
const QUEUE = testTaskQueue('plans');
let s: Sandboxes;
let e: EngineTenant;
let other: EngineTenant;

beforeAll(async () => {
  s = await startSandboxes({ seed: 'plans', size: 400 });
  e = await createEngineTenant(s, QUEUE);
  other = await createEngineTenant(s, QUEUE);
});
afterAll(async () => {
  await s?.affinity.close();
  await s?.attio.close();
});

const body = (extra: Record<string, unknown> = {}) => ({ sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, ...extra });
const plan = (payload: unknown, token = e.key) => e.t.call('POST', '/v1/plans', { token, body: payload });
const jobCount = async (): Promise<number> => ((await (await e.t.call('GET', '/v1/jobs', { token: e.key })).json()) as { data: unknown[] }).data.length;
const attioSummary = async () => (await (await fetch(`${s.attio.url}/__sandbox/summary`)).json()) as { objects: Record<string, number>; lists: Record<string, number>; notes: number };

describe('POST /v1/plans', () => {
  it('counts every object kind as the source holds it, plans both sides and an ETA, and writes nothing', async () => {
    const jobsBefore = await jobCount();
    const summaryBefore = await attioSummary();
    s.attio.stats.reset();
    const res = await plan(body());
    expect(res.status, await res.clone().text()).toBe(200);
    const p = (await res.json()) as JobPlan;
    const c = s.affinity.account.counts;
    expect(p.counts).toEqual({
      organizations: c.organizations, persons: c.persons, opportunities: c.opportunities, notes: c.notes,
      // The lists kind moves the entries of every list, opportunity lists included.
      lists: c.listEntries + c.opportunityListEntries,
    });
    expect(p.objects).toEqual(['organizations', 'persons', 'opportunities', 'lists', 'notes']);
    expect(p.callPlan?.fits).toBe(true);
    expect(p.callPlan?.lines.map((l) => l.endpoint)).toContain('GET /v2/persons');
    const targetEndpoints = p.callPlan?.eta?.targetLines.map((l) => l.endpoint) ?? [];
    expect(targetEndpoints).toEqual(expect.arrayContaining(['PUT /v2/objects/people/records', 'POST /v2/notes', 'POST /v2/lists/:list/entries']));
    // At least every record once, at Attio's 25 writes/s.
    expect(p.callPlan?.eta?.targetWrites).toBeGreaterThanOrEqual(c.organizations + c.persons + c.opportunities + c.notes);
    expect(p.etaSeconds).toBeGreaterThanOrEqual(Math.floor((p.callPlan?.eta?.targetWrites ?? 0) / 25));
    expect(p.etaSeconds).toBe(p.aloneEtaSeconds);
    expect(p.checks).toMatchObject({ source: { ok: true }, target: { ok: true } });
    expect(p.warnings).toEqual([]);
    // Nothing saved, nothing written: the checks and the plan only read.
    expect(await jobCount()).toBe(jobsBefore);
    expect(await attioSummary()).toEqual(summaryBefore);
    expect(s.attio.stats.snapshot().writes).toBe(0);
  });

  it('is the plan job creation makes and keeps, and shares the workspace\'s budget with the jobs already aimed at it', async () => {
    const alone = (await (await plan(body({ objects: ['persons'] }))).json()) as JobPlan;
    const created = await e.t.call('POST', '/v1/jobs', { token: e.key, body: body({ objects: ['persons'] }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const job = (await created.json()) as { id: string; callPlan: JobPlan['callPlan'] };
    expect(job.callPlan?.records).toEqual(alone.callPlan?.records);
    expect(job.callPlan?.eta).toEqual(alone.callPlan?.eta);
    const detail = (await (await e.t.call('GET', `/v1/jobs/${job.id}`, { token: e.key })).json()) as { callPlan: unknown };
    expect(detail.callPlan).toEqual(job.callPlan);

    // The pending job has all its writes left: as many as this one needs, so this one takes about twice as long.
    const shared = (await (await plan(body({ objects: ['persons'] }))).json()) as JobPlan;
    expect(shared.callPlan?.share?.others).toEqual([expect.objectContaining({ jobId: job.id, status: 'pending', remainingRecords: s.affinity.account.counts.persons })]);
    expect(shared.callPlan?.share?.workspace).toMatch(/^attio:workspace:/);
    const paced = (shared.callPlan?.eta?.phases ?? []).reduce((n, ph) => n + ph.ms, 0);
    expect(shared.callPlan?.share?.sharedMs).toBe((shared.callPlan?.eta?.totalMs ?? 0) + paced);
    expect(shared.etaSeconds).toBeGreaterThan(shared.aloneEtaSeconds ?? Infinity);
    expect(shared.warnings.join(' ')).toMatch(/1 other job\(s\) aim at the same target workspace/);
  });

  it('answers 404 for another tenant\'s connection, 400 / 422 for bad input as job creation does, 403 for a viewer — uniform error bodies', async () => {
    const foreign = await plan(body({ sourceConnectionId: other.sourceConnectionId }));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'not_found', message: expect.any(String), requestId: expect.any(String) } });

    // Malformed (the document's schema refuses it): 400 validation_failed, as POST /v1/jobs answers the same body.
    for (const bad of [body({ objects: ['nope'] }), body({ batchSize: 0 }), { targetConnectionId: e.targetConnectionId }, body({ unknownField: 1 })]) {
      const res = await plan(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String), requestId: expect.any(String) } });
      const asJob = await e.t.call('POST', '/v1/jobs', { token: e.key, body: bad });
      expect(asJob.status, JSON.stringify(bad)).toBe(400);
    }
    // Well-formed, but not the Affinity → Attio pair's: refused as job creation refuses it.
    const otherPair = await plan(body({ phases: ['foundation'] }));
    expect(otherPair.status).toBe(422);
    expect(((await otherPair.json()) as { error: { code: string } }).error.code).toBe('not_in_pair');

    const { key: viewer } = await createKey(e.t, e.tenantId, 'viewer');
    expect((await plan(body(), viewer)).status).toBe(403);
  });
});
