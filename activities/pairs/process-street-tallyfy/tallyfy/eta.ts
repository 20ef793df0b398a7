/**
 * Pure arithmetic for the plan: the Tallyfy calls each write costs and the time the target phases
 * need under the limits. The comment cap (120/hour per organisation) dominates: 1,000 comments
 * take over eight hours whatever else the job does.
 */
export type TallyfyWriteKind = 'member' | 'group' | 'blueprint' | 'process' | 'comment' | 'file';

/** Sizes a write's cost depends on (averages per object in a plan). */
export interface WriteSizes {
  /** Blueprint: steps and captures (all steps together). */
  steps?: number;
  captures?: number;
  /** Process: tasks, of which written (taskdata/owners/deadline) and completed. */
  tasks?: number;
  tasksWritten?: number;
  tasksCompleted?: number;
  /** File: the task was completed already (reopen + complete again). */
  taskCompleted?: boolean;
}

/**
 * Tallyfy calls of one first-time write (a re-run costs the look-ups only). Pages of 100 are assumed
 * to hold a look-up's answer (one call).
 *   member: users?q + invite · group: groups?q + create
 *   blueprint: checklists?q + create + list steps (with captures) + one per step + one per capture
 *   process: runs?q + launch + list tasks + one PUT per written task + one per completion (+ archive, counted by the caller)
 *   comment: run tasks + task threads + post · file: run tasks + task fields + upload + taskdata (+ reopen, complete)
 */
export function callsPerWrite(kind: TallyfyWriteKind, sizes: WriteSizes = {}): number {
  switch (kind) {
    case 'member':
    case 'group':
      return 2;
    case 'blueprint':
      return 3 + (sizes.steps ?? 0) + (sizes.captures ?? 0);
    case 'process':
      return 3 + (sizes.tasksWritten ?? sizes.tasks ?? 0) + (sizes.tasksCompleted ?? 0);
    case 'comment':
      return 3;
    case 'file':
      return 4 + (sizes.taskCompleted ? 2 : 0);
  }
}

export interface EtaLimits {
  requestsPerMinute: number;
  commentsPerHour: number;
  invitesPerHour: number;
  /** Fraction of the request limit the pacing uses (RateBudget's default ceiling). */
  requestCeiling?: number;
  /** Fraction of the hourly caps the pacing uses (the client's CAP_CEILING). */
  capCeiling?: number;
}

export interface EtaCounts {
  members: number;
  groups: number;
  blueprints: number;
  /** Totals over all blueprints / processes (not averages). */
  steps: number;
  captures: number;
  processes: number;
  archivedProcesses: number;
  tasksWritten: number;
  tasksCompleted: number;
  comments: number;
  files: number;
  filesOnCompletedTasks: number;
}

export interface PhaseEta {
  phase: 'foundation' | 'templates' | 'active' | 'collaborative';
  calls: number;
  /** What sets the phase's time: the request rate or an hourly cap. */
  boundBy: 'requests' | 'invites' | 'comments';
  ms: number;
}

/** Time of each target phase and in total; each phase is bound by the slowest of its limits. */
export function estimateTargetEta(counts: EtaCounts, limits: EtaLimits): { phases: PhaseEta[]; totalMs: number; calls: number } {
  const perMs = (limits.requestsPerMinute * (limits.requestCeiling ?? 0.98)) / 60_000;
  const cap = limits.capCeiling ?? 0.9;
  const hourly = (n: number, perHour: number): number => (n === 0 ? 0 : (n * 3_600_000) / (perHour * cap));
  const phase = (name: PhaseEta['phase'], calls: number, capped?: { by: 'invites' | 'comments'; ms: number }): PhaseEta => {
    const byRequests = calls / perMs;
    return capped && capped.ms > byRequests ? { phase: name, calls, boundBy: capped.by, ms: Math.round(capped.ms) } : { phase: name, calls, boundBy: 'requests', ms: Math.round(byRequests) };
  };
  const phases = [
    phase('foundation', counts.members * callsPerWrite('member') + counts.groups * callsPerWrite('group'),
      { by: 'invites', ms: hourly(counts.members, limits.invitesPerHour) }),
    phase('templates', counts.blueprints * callsPerWrite('blueprint') + counts.steps + counts.captures),
    phase('active', counts.processes * callsPerWrite('process') + counts.tasksWritten + counts.tasksCompleted + counts.archivedProcesses),
    phase('collaborative', counts.comments * callsPerWrite('comment') + counts.files * callsPerWrite('file') + 2 * counts.filesOnCompletedTasks,
      { by: 'comments', ms: hourly(counts.comments, limits.commentsPerHour) }),
  ];
  return { phases, totalMs: phases.reduce((s, p) => s + p.ms, 0), calls: phases.reduce((s, p) => s + p.calls, 0) };
}
