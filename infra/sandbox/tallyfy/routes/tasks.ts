import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { invalid, resourceNotFound } from '../errors.ts';
import { parseDateIn } from '../format.ts';
import { paginate, withOf } from '../paging.ts';
import { findStep, renderCapture, renderTask, taskFormFields } from '../render.ts';
import type { Run, Task } from '../types.ts';
import { isEmptyValue } from '../values.ts';
import { actorOf, requireRun, requireRunTask, type TallyfyRoute } from './context.ts';
import { parseOwners, writeValues } from './runs.ts';

const RUN = '/organizations/:org/runs/:id';
const TASK_STATUSES = ['not-started', 'active', 'completed', 'auto-skipped'];

/** A run is complete when every task is (inferred: the reference lists the statuses, not the rule). */
function settleRun(run: Run, now: number): void {
  const done = run.tasks.every((t) => t.status === 'completed' || t.status === 'auto-skipped');
  if (run.status === 'archived') return;
  run.status = done ? 'complete' : 'active';
  run.completed_at = done ? (run.completed_at ?? now) : null;
}

const taskError = (why: string) => invalid('task_id', why);

/** Run tasks: read, write form values (taskdata), complete and reopen. */
export function addTaskRoutes(router: Router<TallyfyRoute>): void {
  router
    .add('GET', `${RUN}/tasks`, ({ org, params, query, selfUrl }) => {
      const run = requireRun(org, params.id);
      const status = query.get('status');
      if (status !== null && !TASK_STATUSES.includes(status)) throw invalid('status', `The selected status is invalid (${TASK_STATUSES.join(', ')}).`);
      const relations = withOf(query);
      const page = paginate(run.tasks.filter((t) => status === null || t.status === status), query, { defaultPerPage: 10, cap: 100, allowUnpaginated: true, selfUrl });
      return reply(200, { ...page, data: page.data.map((t) => renderTask(org, t, relations)) });
    })
    .add('GET', `${RUN}/tasks/:task`, ({ org, params, query }) => {
      const run = requireRun(org, params.id);
      return reply(200, { data: renderTask(org, requireRunTask(org, run, params.task), withOf(query)) });
    })
    .add('PUT', `${RUN}/tasks/:task`, async (ctx) => {
      const { org } = ctx;
      const run = requireRun(org, ctx.params.id);
      const task = requireRunTask(org, run, ctx.params.task);
      const body = await ctx.body();
      if (task.status === 'completed') throw taskError('A completed task cannot be changed; reopen it first.');
      const values = new Map(task.values);
      // Unknown keys (not a field of this task's step) are dropped silently: 200, nothing stored.
      writeValues(org, findStep(org, task)?.captures ?? [], body.taskdata, values, 'taskdata');
      const deadline = body.deadline === undefined ? task.deadline : body.deadline === null ? null : parseDateIn(body.deadline, 'deadline');
      const owners = body.owners === undefined ? task.owners : parseOwners(org, body.owners, 'owners');
      task.values = values;
      task.deadline = deadline;
      task.owners = owners;
      org.count('tasksUpdated');
      return reply(200, { data: renderTask(org, task, new Set(['form_fields'])) });
    })
    .add('GET', `${RUN}/form-fields`, ({ org, params }) => {
      const run = requireRun(org, params.id);
      const checklist = org.checklists.get(run.checklist_id);
      const koFields = (checklist?.prerun ?? []).map((c) => ({ ...renderCapture(c), value: run.prerun.get(c.id) ?? null }));
      return reply(200, { data: { form_fields: run.tasks.flatMap((t) => taskFormFields(org, t)), ko_form_fields: koFields } });
    })
    .add('POST', `${RUN}/completed-tasks`, async (ctx) => {
      const { org } = ctx;
      const run = requireRun(org, ctx.params.id);
      const body = await ctx.body();
      if (typeof body.task_id !== 'string') throw taskError('The task_id field is required.');
      const task = run.tasks.find((t) => t.id === body.task_id);
      if (!task) throw resourceNotFound('Task');
      if (task.status === 'completed') throw taskError('This task is already completed.');
      let completer = actorOf(ctx).id;
      if (body.override_user !== undefined && body.override_user !== null) {
        if (!Number.isInteger(body.override_user) || !org.users.has(body.override_user as number)) throw invalid('override_user', 'The selected override_user is invalid.');
        completer = body.override_user as number;
      }
      assertRequiredFilled(ctx.org, task);
      // completed_at in the body would be an unknown key: completion is stamped with the sandbox clock.
      task.status = 'completed';
      task.completed_at = org.now();
      task.completed_by = completer;
      task.is_approved = typeof body.is_approved === 'boolean' ? body.is_approved : null;
      settleRun(run, org.now());
      org.count('tasksCompleted');
      return reply(200, { data: renderTask(org, task) });
    })
    .add('DELETE', `${RUN}/completed-tasks/:task`, ({ org, params }) => {
      const run = requireRun(org, params.id);
      const task = requireRunTask(org, run, params.task);
      if (task.status !== 'completed') throw taskError('This task is not completed.');
      task.status = 'active';
      task.completed_at = null;
      task.completed_by = null;
      task.is_approved = null;
      settleRun(run, org.now());
      org.count('tasksReopened');
      return reply(200, { data: renderTask(org, task) });
    });
}

/** "errors if … a required field is empty" [DOC]: a 422 naming each empty required field (inferred shape). */
function assertRequiredFilled(org: Parameters<typeof isEmptyValue>[0], task: Task): void {
  const empty = (findStep(org, task)?.captures ?? []).filter((c) => c.required && isEmptyValue(org, c, task.values.get(c.id)));
  if (empty.length === 0) return;
  const error = invalid('taskdata', 'Required form fields are empty.');
  for (const c of empty) (error.errors as Record<string, string[]>)[`taskdata.${c.id}`] = [`${c.label} is required.`];
  throw error;
}

