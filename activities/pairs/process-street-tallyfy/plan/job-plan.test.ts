import { describe, expect, it } from 'vitest';
import { PS_OBJECTS } from '../contract.ts';
import { estimateTargetEta } from '../tallyfy/eta.ts';
import { planPsTallyfyJob, type PlanLimits } from './job-plan.ts';
import { documentedLimits } from './job-planner.ts';
import type { OrgCounts } from './org-counts.ts';

const counts: OrgCounts = {
  users: 40, groups: 6, workflows: 22, workflowTasks: 150, workflowFields: 300,
  runs: 1560, archivedRuns: 520, runTasks: 10_000, runTasksCompleted: 5_000, runTasksWithValues: 6_000, runValues: 15_000,
  comments: 1_100, attachments: 60, attachmentsOnCompletedTasks: 30, sampledRuns: 100,
  basis: { users: 'counted', groups: 'counted', workflows: 'counted', runs: 'counted', runTasks: 'estimated', comments: 'estimated', attachments: 'estimated' },
  calls: 500,
};
const limits: PlanLimits = documentedLimits();
const HOUR = 3_600_000;

describe('Process Street → Tallyfy job plan', () => {
  it('plans under the documented limits: 600/min, 120 comments/h, 30 invites/h at 90%, Process Street 10/s', () => {
    expect(limits).toEqual({ requestsPerMinute: 600, commentsPerHour: 120, invitesPerHour: 30, capCeiling: 0.9, psRequestsPerSec: 10 });
  });

  it('the comment cap sets the collaborative phase: 1,100 comments at 108/h', () => {
    const plan = planPsTallyfyJob(counts, ['comments'], limits);
    expect(plan.records).toEqual({ comments: 1_100 });
    expect(plan.eta.phases).toHaveLength(1);
    const [collab] = plan.eta.phases;
    expect(collab).toMatchObject({ phase: 'collaborative', objects: ['comments'], boundBy: 'comments', targetCalls: 3 * 1_100 });
    expect(collab?.ms).toBe(Math.round((1_100 * HOUR) / (120 * 0.9)));
    expect(plan.eta.totalMs).toBe(collab?.ms);
  });

  it('counts the source calls of a comments job: runs enumerated, one listing per run, plus prepare reading every workflow', () => {
    const plan = planPsTallyfyJob(counts, ['comments'], limits);
    const byEndpoint = Object.fromEntries(plan.lines.filter((l) => !l.basis.startsWith('prepare')).map((l) => [l.endpoint, l.calls]));
    expect(byEndpoint).toEqual({ 'GET /workflow-runs/list': 1560 / 20, 'GET /comments?workflowRunId': 1560 });
    const prepare = plan.lines.filter((l) => l.basis.startsWith('prepare'));
    expect(prepare.find((l) => l.endpoint === 'GET /workflows')?.calls).toBe(2);
    expect(prepare.find((l) => l.endpoint === 'GET /workflows/{id}/revisions')?.calls).toBe(22);
    expect(plan.total).toBe(plan.lines.reduce((s, l) => s + l.calls, 0));
    expect(plan.eta.phases[0]?.sourceCalls).toBe(plan.total);
  });

  it('target calls by endpoint add up to what estimateTargetEta counts, phase by phase', () => {
    const plan = planPsTallyfyJob(counts, PS_OBJECTS, limits);
    const eta = estimateTargetEta({
      members: 40, groups: 6, blueprints: 22, steps: 150, captures: 300, processes: 1560, archivedProcesses: 520,
      tasksWritten: 6_000, tasksCompleted: 5_000, comments: 1_100, files: 60, filesOnCompletedTasks: 30,
    }, limits);
    expect(plan.eta.targetTotal).toBe(eta.calls);
    expect(plan.eta.phases.map((p) => p.targetCalls)).toEqual(eta.phases.map((p) => p.calls));
    expect(plan.eta.targetLines.find((l) => l.endpoint === 'POST /tasks/{task}/comment')?.calls).toBe(1_100);
    expect(plan.eta.targetLines.find((l) => l.endpoint === 'POST /users/invite')?.calls).toBe(40);
    expect(plan.eta.phases.map((p) => p.phase)).toEqual(['foundation', 'templates', 'active', 'collaborative']);
    expect(plan.eta.totalMs).toBe(plan.eta.phases.reduce((s, p) => s + p.ms, 0));
    expect(plan.records).toEqual({ users: 40, groups: 6, workflows: 22, runs: 1560, comments: 1_100, attachments: 60 });
  });

  it('the active phase is bound by the source when Process Street reads more than Tallyfy writes', () => {
    // 1,560 runs: tasks, assignees per task and values read at 9.8/s vs 600/min on Tallyfy.
    const plan = planPsTallyfyJob(counts, ['runs'], limits);
    const [active] = plan.eta.phases;
    expect(active?.phase).toBe('active');
    const sourceMs = Math.round((active?.sourceCalls ?? 0) / ((10 * 0.98) / 1000));
    const targetMs = Math.round(((active?.targetCalls ?? 0) * 60_000) / (600 * 0.98));
    expect(active?.ms).toBe(Math.max(sourceMs, targetMs));
    expect(active?.boundBy).toBe(sourceMs > targetMs ? 'source' : 'requests');
    expect(active?.sourceCalls).toBeGreaterThan(10_000);
  });

  it('faster limits shorten the ETA in proportion (what a time-compressed benchmark relies on)', () => {
    const scaled = planPsTallyfyJob(counts, ['comments'], { ...limits, commentsPerHour: 120 * 60, requestsPerMinute: 600 * 60, psRequestsPerSec: 600 });
    const real = planPsTallyfyJob(counts, ['comments'], limits);
    expect(scaled.eta.totalMs).toBe(Math.round(real.eta.totalMs / 60));
  });

  it('says which counts were estimated', () => {
    const [first] = planPsTallyfyJob(counts, ['comments'], limits).assumptions;
    expect(first).toContain('comments estimated');
    expect(first).toContain('estimated from 100 of 1560 runs');
    expect(planPsTallyfyJob({ ...counts, sampledRuns: 1560, basis: { ...counts.basis, runTasks: 'counted', comments: 'counted', attachments: 'counted' } }, ['comments'], limits).assumptions[0]).not.toContain('estimated');
  });
});
