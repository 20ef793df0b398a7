import type { JobPlanEta } from '../../../../shared/jobs/call-plan.ts';
import { PS_PHASES, type PsObject } from '../contract.ts';
import { planCalls, type PsPlanCounts } from '../process-street/ps-call-plan.ts';
import { estimateTargetEta, type EtaCounts, type EtaLimits } from '../tallyfy/eta.ts';
import type { OrgCounts } from './org-counts.ts';

/** The limits a plan is computed under: Tallyfy's (eta.ts) and the Process Street key's pace. */
export interface PlanLimits extends EtaLimits {
  psRequestsPerSec: number;
  /** Fraction of the Process Street pace the client uses (RateBudget's default ceiling). */
  psCeiling?: number;
}

export interface PsTallyfyPlan {
  records: Record<string, number>;
  lines: Array<{ endpoint: string; calls: number; basis: string }>;
  total: number;
  eta: JobPlanEta;
  assumptions: string[];
}

type Line = { object: PsObject; endpoint: string; calls: number; basis: string };

/** The Process Street side: planCalls over the counts, plus what every job reads besides its objects. */
function sourceLines(c: OrgCounts, objects: readonly PsObject[], psRate: number): Line[] {
  const counts: PsPlanCounts = {
    users: c.users, groups: c.groups, workflows: c.workflows, workflowTasks: c.workflowTasks, workflowFields: c.workflowFields,
    runs: c.runs, runTasks: c.runTasks, runValues: c.runValues, comments: c.comments, attachments: c.attachments,
  };
  const lines: Line[] = planCalls(counts, objects, psRate).lines;
  // `prepare` reads every workflow with its sub-reads for every job (the mapping matches runs to templates).
  const first = objects[0] ?? 'users';
  if (!objects.includes('workflows')) {
    for (const l of planCalls(counts, ['workflows'], psRate).lines) lines.push({ ...l, object: first, basis: `prepare (every job): ${l.basis}` });
  }
  if (objects.includes('attachments') && c.attachments > 0) {
    // Inferred: the reference documents no download URL; the sandbox serves the attachment's `links` href.
    lines.push({ object: 'attachments', endpoint: 'GET {attachment download href}', calls: c.attachments, basis: `${c.attachments} attachments, one download each` });
  }
  return lines;
}

/** What Tallyfy is asked per phase, from the counts of the objects the job moves. */
function etaCounts(c: OrgCounts, objects: readonly PsObject[]): EtaCounts {
  const on = (o: PsObject, n: number): number => (objects.includes(o) ? n : 0);
  return {
    members: on('users', c.users), groups: on('groups', c.groups),
    blueprints: on('workflows', c.workflows), steps: on('workflows', c.workflowTasks), captures: on('workflows', c.workflowFields),
    processes: on('runs', c.runs), archivedProcesses: on('runs', c.archivedRuns),
    tasksWritten: on('runs', c.runTasksWithValues), tasksCompleted: on('runs', c.runTasksCompleted),
    comments: on('comments', c.comments), files: on('attachments', c.attachments), filesOnCompletedTasks: on('attachments', c.attachmentsOnCompletedTasks),
  };
}

/** Tallyfy calls by endpoint, the same sums as estimateTargetEta (eta.ts, callsPerWrite) spelled out. */
export function targetLines(e: EtaCounts): JobPlanEta['targetLines'] {
  const lines: JobPlanEta['targetLines'] = [
    { endpoint: 'GET /users?q', calls: e.members, basis: `${e.members} members looked up by email` },
    { endpoint: 'POST /users/invite', calls: e.members, basis: `${e.members} members invited (30/hour cap)` },
    { endpoint: 'GET /groups?q', calls: e.groups, basis: `${e.groups} groups looked up by name` },
    { endpoint: 'POST /groups', calls: e.groups, basis: `${e.groups} groups` },
    { endpoint: 'GET /checklists?q', calls: e.blueprints, basis: `${e.blueprints} blueprints looked up by marker` },
    { endpoint: 'POST /checklists', calls: e.blueprints, basis: `${e.blueprints} blueprints` },
    { endpoint: 'GET /checklists/{id}/steps', calls: e.blueprints, basis: 'one per blueprint' },
    { endpoint: 'POST /checklists/{id}/steps', calls: e.steps, basis: `${e.steps} template tasks` },
    { endpoint: 'POST /checklists/{id}/steps/{step}/captures', calls: e.captures, basis: `${e.captures} form fields` },
    { endpoint: 'GET /runs?q', calls: e.processes, basis: `${e.processes} processes looked up by marker` },
    { endpoint: 'POST /runs', calls: e.processes, basis: `${e.processes} processes launched` },
    { endpoint: 'GET /runs/{id}/tasks', calls: e.processes + e.comments + e.files, basis: 'one per process, comment and file' },
    { endpoint: 'PUT /runs/{id}/tasks/{task}', calls: e.tasksWritten + e.files, basis: `${e.tasksWritten} run tasks with values, ${e.files} file values` },
    { endpoint: 'POST /runs/{id}/completed-tasks', calls: e.tasksCompleted + e.filesOnCompletedTasks, basis: `${e.tasksCompleted} completed run tasks, ${e.filesOnCompletedTasks} re-completed after a file` },
    { endpoint: 'DELETE /runs/{id}', calls: e.archivedProcesses, basis: `${e.archivedProcesses} archived runs` },
    { endpoint: 'GET /runs/{id}/tasks/{task}?with=threads', calls: e.comments, basis: `${e.comments} comments looked up by marker` },
    { endpoint: 'POST /tasks/{task}/comment', calls: e.comments, basis: `${e.comments} comments (120/hour cap)` },
    { endpoint: 'GET /runs/{id}/tasks/{task}?with=form_fields', calls: e.files, basis: `${e.files} files` },
    { endpoint: 'POST /file', calls: e.files, basis: `${e.files} uploads` },
    { endpoint: 'DELETE /runs/{id}/completed-tasks/{task}', calls: e.filesOnCompletedTasks, basis: 'tasks reopened to attach a file' },
  ];
  return lines.filter((l) => l.calls > 0);
}

/**
 * The plan of a Process Street → Tallyfy job over the organisation's counts: source calls by
 * endpoint, Tallyfy calls by endpoint, and each phase's time — the slowest of the Tallyfy request
 * rate, its hourly caps (eta.ts) and the Process Street reads (the source and the target run side by
 * side within a phase: batches read while others write). Pure arithmetic.
 */
export function planPsTallyfyJob(c: OrgCounts, objects: readonly PsObject[], limits: PlanLimits): PsTallyfyPlan {
  const lines = sourceLines(c, objects, limits.psRequestsPerSec);
  const e = etaCounts(c, objects);
  const target = estimateTargetEta(e, limits);
  const psPerMs = (limits.psRequestsPerSec * (limits.psCeiling ?? 0.98)) / 1000;
  const phases = PS_PHASES.filter((p) => p.objects.some((o) => objects.includes(o))).map((p) => {
    const own = p.objects.filter((o) => objects.includes(o));
    const sourceCalls = lines.filter((l) => (own as readonly PsObject[]).includes(l.object)).reduce((s, l) => s + l.calls, 0);
    const t = target.phases.find((x) => x.phase === p.name);
    const targetMs = t?.ms ?? 0;
    const sourceMs = Math.round(sourceCalls / psPerMs);
    return {
      phase: p.name, objects: [...own], sourceCalls, targetCalls: t?.calls ?? 0,
      ...(sourceMs > targetMs ? { boundBy: 'source', ms: sourceMs } : { boundBy: t?.boundBy ?? 'requests', ms: targetMs }),
    };
  });
  const records: Record<string, number> = {};
  for (const o of objects) records[o] = { users: c.users, groups: c.groups, workflows: c.workflows, runs: c.runs, comments: c.comments, attachments: c.attachments }[o];
  const tLines = targetLines(e);
  const basis = (k: keyof OrgCounts['basis']): string => `${k} ${c.basis[k]}`;
  return {
    records, lines: lines.map(({ endpoint, calls, basis: b }) => ({ endpoint, calls, basis: b })), total: lines.reduce((s, l) => s + l.calls, 0),
    eta: {
      phases, totalMs: phases.reduce((s, p) => s + p.ms, 0), targetLines: tLines, targetTotal: tLines.reduce((s, l) => s + l.calls, 0),
      limits: {
        tallyfyRequestsPerMinute: limits.requestsPerMinute, tallyfyCommentsPerHour: limits.commentsPerHour, tallyfyInvitesPerHour: limits.invitesPerHour,
        processStreetRequestsPerSec: limits.psRequestsPerSec,
      },
    },
    assumptions: [
      `counts: ${(['users', 'groups', 'workflows', 'runs', 'runTasks', 'comments', 'attachments'] as const).map(basis).join(', ')}` +
        (c.sampledRuns < c.runs && c.sampledRuns > 0 ? ` (estimated from ${c.sampledRuns} of ${c.runs} runs, evenly spaced)` : ''),
      'Tallyfy paced at 98% of its request rate and 90% of its hourly caps (what the client does); a phase takes its slowest limit',
      'first-time writes: a re-run costs the look-ups only; a page of 100 holds each look-up',
      'blueprints of workflows with attachments get a file capture per step (not counted)',
      ...planCalls({}, [], limits.psRequestsPerSec).assumptions,
    ],
  };
}
