import { afterEach, describe, expect, it } from 'vitest';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createPsClient } from '../process-street/ps-client.ts';
import { emptyOrg, fakeRun, fakeWorkflow } from '../process-street/ps-test-org.ts';
import { startFakePs, type FakeOrg, type FakePs } from '../process-street/ps-test-server.ts';
import { countOrganization, evenSample } from './org-counts.ts';

let ps: FakePs | undefined;
afterEach(async () => {
  await ps?.close();
  ps = undefined;
});

/** 45 runs of 4 tasks (2 completed), run i with i % 3 comments and one attachment on every fifth run. */
function org(): FakeOrg {
  const o = emptyOrg();
  o.users = Array.from({ length: 43 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com`, username: `U${i}` }));
  o.workflows = [fakeWorkflow('w1', 5, 6, 2), fakeWorkflow('w2', 3, 0, 0)];
  o.runs = Array.from({ length: 45 }, (_, i) => fakeRun(`r${i}`, 'w1', { tasks: 4, values: i % 2, comments: i % 3, attachments: i % 5 === 0 ? 1 : 0 }));
  for (const [i, r] of o.runs.entries()) if (i < 10) r.run.status = 'Archived';
  return o;
}

async function clientFor(o: FakeOrg) {
  ps = await startFakePs(o);
  return createPsClient({ baseUrl: ps.baseUrl, apiKey: ps.apiKey, budgets: createBudgetRegistry(), requestsPerSec: Infinity, transientBackoffMs: 5 });
}

describe('counting a Process Street organisation for the plan', () => {
  it('counts every run when it fits the budget: comments, attachments, tasks and values exactly', async () => {
    const client = await clientFor(org());
    const c = await countOrganization(client, ['users', 'workflows', 'runs', 'comments', 'attachments'], { perRunCalls: 1000 });
    expect(c).toMatchObject({
      users: 43, groups: 0, workflows: 2, workflowTasks: 8, workflowFields: 6, runs: 45, archivedRuns: 10, sampledRuns: 45,
      runTasks: 180, runTasksCompleted: 90, runValues: 22, runTasksWithValues: 22,
      comments: 15 * (0 + 1 + 2), attachments: 9, attachmentsOnCompletedTasks: 9,
    });
    expect(c.basis).toMatchObject({ users: 'counted', groups: 'not needed', comments: 'counted', attachments: 'counted', runTasks: 'counted' });
    // users 3 pages, workflows 1 + 2×2, runs 3 pages, 45 runs × (tasks, values, comments, attachments)
    expect(c.calls).toBe(3 + 5 + 3 + 45 * 4);
    expect(c.calls).toBe([...(ps as FakePs).calls.values()].reduce((s, n) => s + n, 0));
  });

  it('beyond the budget reads evenly spaced runs and extrapolates (and says so)', async () => {
    const client = await clientFor(org());
    const c = await countOrganization(client, ['comments'], { perRunCalls: 15 });
    expect(c.sampledRuns).toBe(15);
    expect(c.basis.comments).toBe('estimated');
    expect(ps?.calls.get('GET /comments?workflowRunId')).toBe(15);
    // Every third run of 45: indices 1, 4, 7, … have 1, 1, 1 … comments → 45 × mean.
    const picked = evenSample(45, 15).map((i) => i % 3);
    expect(c.comments).toBe(Math.round((picked.reduce((s, n) => s + n, 0) * 45) / 15));
    expect(c.runTasks).toBe(0);
    expect(c.basis.runTasks).toBe('not needed');
  });

  it('an attachments job reads run tasks only of runs with attachments (to know which are on completed tasks)', async () => {
    const client = await clientFor(org());
    const c = await countOrganization(client, ['attachments']);
    expect(ps?.calls.get('GET /workflow-runs/{id}/tasks')).toBe(9);
    expect(c).toMatchObject({ attachments: 9, attachmentsOnCompletedTasks: 9, runTasks: 0, sampledRuns: 45 });
    expect(c.basis).toMatchObject({ attachments: 'counted', runTasks: 'not needed' });
  });

  it('a comments job reads no users, groups, run tasks or values', async () => {
    const client = await clientFor(org());
    await countOrganization(client, ['comments']);
    expect([...(ps as FakePs).calls.keys()].sort()).toEqual(['GET /comments?workflowRunId', 'GET /workflow-runs/list', 'GET /workflows', 'GET /workflows/{id}/form-fields', 'GET /workflows/{id}/tasks']);
  });

  it('evenSample spreads the picks over the whole listing', () => {
    expect(evenSample(10, 20)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(evenSample(100, 4)).toEqual([12, 37, 62, 87]);
  });
});
