import { describe, expect, it } from 'vitest';
import { callsPerWrite, estimateTargetEta, type EtaCounts } from './eta.ts';

const zero: EtaCounts = { members: 0, groups: 0, blueprints: 0, steps: 0, captures: 0, processes: 0, archivedProcesses: 0, tasksWritten: 0, tasksCompleted: 0, comments: 0, files: 0, filesOnCompletedTasks: 0 };
const limits = { requestsPerMinute: 600, commentsPerHour: 120, invitesPerHour: 30 };

describe('target ETA', () => {
  it('the comment cap dominates the collaborative phase: 1,000 comments ≈ 9.3 h at 90% of 120/h', () => {
    const eta = estimateTargetEta({ ...zero, comments: 1000, files: 50 }, limits);
    const collab = eta.phases.find((p) => p.phase === 'collaborative');
    expect(collab).toMatchObject({ boundBy: 'comments', calls: 1000 * 3 + 50 * 4 });
    expect(collab?.ms).toBe(Math.round((1000 * 3_600_000) / (120 * 0.9)));
  });

  it('phases without a cap are bound by 600 requests/min (at 98%)', () => {
    const eta = estimateTargetEta({ ...zero, blueprints: 20, steps: 200, captures: 400 }, limits);
    const templates = eta.phases.find((p) => p.phase === 'templates');
    expect(templates).toMatchObject({ boundBy: 'requests', calls: 20 * 3 + 600 });
    expect(templates?.ms).toBe(Math.round((660 * 60_000) / (600 * 0.98)));
    expect(eta.totalMs).toBe(templates?.ms);
  });

  it('invites cap the foundation phase when there are many members', () => {
    const foundation = estimateTargetEta({ ...zero, members: 60, groups: 5 }, limits).phases[0];
    expect(foundation).toMatchObject({ phase: 'foundation', boundBy: 'invites', ms: Math.round((60 * 3_600_000) / (30 * 0.9)) });
  });

  it('calls per write grow with the blueprint and process sizes', () => {
    expect(callsPerWrite('blueprint', { steps: 5, captures: 10 })).toBe(18);
    expect(callsPerWrite('process', { tasks: 5, tasksCompleted: 3 })).toBe(11);
    expect(callsPerWrite('file', { taskCompleted: true })).toBe(6);
  });
});
