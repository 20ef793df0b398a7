import { createRng, type Rng } from '../../core/prng.ts';
import { refOf, type People } from './users.ts';
import { DAY_MS, EPOCH, iso, KIND, muid } from './ids.ts';
import type { FieldValue, RunStatus, RunTask, StoredFile, UserRef, WorkflowRun } from './types.ts';
import { valueFor } from './values.ts';
import { auditOf, type Template } from './workflows.ts';

export interface GeneratedRun {
  run: WorkflowRun;
  tasks: RunTask[];
  /** Assignees per run task id. */
  assignees: Map<string, UserRef[]>;
  values: FieldValue[];
  /** The run's template, and which template task each run task is (by position). */
  template: Template;
}

const HOUR_MS = 3_600_000;

/**
 * Workflow runs: `perStatus` in each listed status and `deleted` more, statuses shuffled over time so every
 * status spans the whole timeline. Run r is created after run r-1 (strictly later), which makes
 * "newest first" a total order. Messy cases: some runs predate the template's last task (the template
 * has an extra task), some keep an older name of a task, some completers have left the organisation.
 */
export function buildRuns(seed: number, templates: Template[], people: People, counts: { perStatus: number; deleted: number }, files: Map<string, StoredFile>): GeneratedRun[] {
  const rng = createRng(seed, KIND.run);
  const statuses: RunStatus[] = [
    ...Array<RunStatus>(counts.perStatus).fill('Active'), ...Array<RunStatus>(counts.perStatus).fill('Completed'),
    ...Array<RunStatus>(counts.perStatus).fill('Archived'), ...Array<RunStatus>(counts.deleted).fill('Deleted'),
  ];
  for (let i = statuses.length - 1; i > 0; i -= 1) {
    const j = rng.int(i + 1);
    [statuses[i], statuses[j]] = [statuses[j] as RunStatus, statuses[i] as RunStatus];
  }
  const members = people.users.map(refOf);
  const pick = (r: Rng) => r.pick(members);
  const start = EPOCH + 45 * DAY_MS;
  return statuses.map((status, r) => {
    const runRng = createRng(seed, KIND.run, r);
    const template = templates[runRng.int(templates.length)] as Template;
    const createdMs = start + r * HOUR_MS + runRng.int(HOUR_MS - 1);
    const creator = pick(runRng);
    const id = muid(seed, KIND.run, r);
    const run: WorkflowRun = {
      id,
      name: r % 19 === 7 ? `Ünïcödé — ${template.workflow.name} 🚀 #${r + 1}` : `${template.workflow.name} #${r + 1}`,
      status,
      workflowId: template.workflow.id,
      shared: r % 5 === 0,
      ...(runRng.chance(0.4) ? { dueDate: iso(createdMs + runRng.between(3, 40) * DAY_MS) } : {}),
      migrationStatus: r % 11 === 0 ? 'Complete' : 'Inactive',
      audit: auditOf(createdMs, creator, createdMs + runRng.int(20 * DAY_MS), pick(runRng)),
      links: [{ name: 'app', href: `https://app.process.st/runs/${id}`, rel: 'workflow-run', type: 'App' }],
    };
    // A run started before the template's last task was added has one task fewer than the template.
    const olderThanTemplate = r % 17 === 5 && template.tasks.length > 5;
    const templateTasks = olderThanTemplate ? template.tasks.slice(0, -1) : template.tasks;
    const doneCount = status === 'Completed' ? templateTasks.length : runRng.int(templateTasks.length + 1);
    const assignees = new Map<string, UserRef[]>();
    const tasks = templateTasks.map((tt, t): RunTask => {
      const completed = t < doneCount;
      const completedMs = createdMs + (t + 1) * DAY_MS + runRng.int(DAY_MS);
      const completer = r % 23 === 7 && t === 0 ? people.formerUser : pick(runRng);
      const taskId = muid(seed, KIND.runTask, r, t);
      assignees.set(taskId, members.filter(() => runRng.chance(0.04)).slice(0, 2));
      return {
        id: taskId,
        workflowRunId: id,
        // The run keeps the task's name from when it was created; the template renamed it since.
        name: r % 13 === 4 && t === 1 ? `${tt.name} (old name)` : tt.name,
        status: completed ? 'Completed' : 'NotCompleted',
        ...(runRng.chance(0.3) ? { dueDate: iso(createdMs + (t + 2) * DAY_MS) } : {}),
        ...(completed ? { completedDate: iso(completedMs), completedBy: completer } : {}),
        hidden: tt.hiddenByDefault && !completed,
        stopped: tt.stopTask && !completed,
        taskType: tt.taskType,
        updatedDate: iso(completed ? completedMs : createdMs),
        updatedBy: completed ? completer : creator,
      };
    });
    const runTaskOf = new Map(templateTasks.map((tt, t) => [tt.id, tasks[t] as RunTask]));
    const values: FieldValue[] = [];
    template.fields.forEach((spec, slot) => {
      const task = runTaskOf.get(spec.field.taskId);
      if (!task) return;
      const data = valueFor(spec, { seed, rng: runRng, run: r, slot, createdMs, members, formerUser: people.formerUser, files });
      const empty = data === null || data === '';
      const { field } = spec;
      values.push({
        id: field.id, workflowRunId: id, taskId: task.id, key: field.key, label: field.label, fieldType: field.fieldType, data,
        dataSetLinked: field.dataSetLinked,
        ...(empty ? {} : { updatedDate: iso(createdMs + DAY_MS), updatedBy: creator }),
      });
    });
    return { run, tasks, assignees, values, template };
  });
}
