import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { invalid } from '../errors.ts';
import { isRecord, optionalString, parseDateIn } from '../format.ts';
import type { Organization } from '../organization.ts';
import { paginate, withOf } from '../paging.ts';
import { renderRun } from '../render.ts';
import type { Checklist, Owners, Run, Task } from '../types.ts';
import { acceptValue } from '../values.ts';
import { actorOf, requireRun, type TallyfyRoute } from './context.ts';

const ORG = '/organizations/:org';
const RUN_STATUSES = ['active', 'complete', 'archived'];

/**
 * Writes `values` into `into` for the keys that are fields of `fields`; every other key is dropped
 * without a word, as Tallyfy does with unknown `prerun` / `taskdata` keys (a silent 200).
 */
export function writeValues(org: Organization, fields: readonly { id: string }[], values: unknown, into: Map<string, unknown>, name: string): void {
  if (values === undefined || values === null) return;
  if (!isRecord(values)) throw invalid(name, `The ${name} must be an object of {field id: value}.`);
  const accepted = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) {
    const capture = fields.find((f) => f.id === key) ? org.captures.get(key) : undefined;
    if (capture) accepted.set(key, acceptValue(org, capture, value, `${name}.${key}`));
  }
  // All or nothing: one bad value refuses the whole write.
  for (const [key, value] of accepted) into.set(key, value);
}

export function parseOwners(org: Organization, value: unknown, field: string): Owners {
  if (!isRecord(value)) throw invalid(field, 'The owners must be {users, guests, groups}.');
  const users = value.users ?? [];
  const guests = value.guests ?? [];
  const groups = value.groups ?? [];
  if (!Array.isArray(users) || users.some((u) => !Number.isInteger(u) || !org.users.has(u as number))) throw invalid(`${field}.users`, 'The users must be ids of members.');
  if (!Array.isArray(guests) || guests.some((g) => typeof g !== 'string')) throw invalid(`${field}.guests`, 'The guests must be emails.');
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string' || !org.groups.has(g))) throw invalid(`${field}.groups`, 'The groups must be ids of groups.');
  return { users: users as number[], guests: guests as string[], groups: groups as string[] };
}

/** Launch: one task per step of the template, in step order; the template is frozen from now on. */
function launch(org: Organization, checklist: Checklist, body: Record<string, unknown>, ownerId: number): Run {
  const taskOptions = body.tasks === undefined || body.tasks === null ? {} : body.tasks;
  if (!isRecord(taskOptions)) throw invalid('tasks', 'The tasks must be an object of {step id: {deadline, owners}}.');
  const run: Run = {
    id: org.ids.hex(), checklist_id: checklist.id, name: optionalString(body, 'name') ?? checklist.title, summary: optionalString(body, 'summary') ?? '',
    status: 'active', owner_id: ownerId, prerun: new Map(), tasks: [], created_at: org.now(), completed_at: null,
    due_date: body.due_date === undefined || body.due_date === null ? null : parseDateIn(body.due_date, 'due_date'),
  };
  writeValues(org, checklist.prerun, body.prerun, run.prerun, 'prerun');
  run.tasks = checklist.steps.map((step, i): Task => {
    const options = taskOptions[step.id];
    const custom = isRecord(options) ? options : {};
    return {
      id: org.ids.hex(), run_id: run.id, step_id: step.id, title: step.title, status: 'active', position: i + 1,
      owners: custom.owners === undefined ? { users: [...step.assignees], guests: [...step.guests], groups: [...step.groups] } : parseOwners(org, custom.owners, `tasks.${step.id}.owners`),
      deadline: custom.deadline === undefined || custom.deadline === null ? null : parseDateIn(custom.deadline, `tasks.${step.id}.deadline`),
      completed_at: null, completed_by: null, is_approved: null, values: new Map(), threads: [],
    };
  });
  return run;
}

/** Processes (runs): launch from a template, list, read, rename, archive. */
export function addRunRoutes(router: Router<TallyfyRoute>): void {
  router
    .add('POST', `${ORG}/runs`, async (ctx) => {
      const { org } = ctx;
      const body = await ctx.body();
      const checklistId = body.checklist_id;
      if (typeof checklistId !== 'string' || checklistId === '') throw invalid('checklist_id', 'The checklist_id field is required.');
      const checklist = org.checklists.get(checklistId);
      if (!checklist) throw invalid('checklist_id', 'The selected checklist_id is invalid.');
      const ownerId = body.owner_id === undefined ? actorOf(ctx).id : body.owner_id;
      if (!Number.isInteger(ownerId) || !org.users.has(ownerId as number)) throw invalid('owner_id', 'The selected owner_id is invalid.');
      // created_at / started_at in the body are unknown keys: the sandbox stamps its own clock (no backdating).
      const run = launch(org, checklist, body, ownerId as number);
      org.runs.set(run.id, run);
      for (const task of run.tasks) org.tasks.set(task.id, task);
      checklist.runs += 1;
      org.count('runsLaunched');
      return reply(201, { data: renderRun(org, run, new Set(['tasks'])) });
    })
    .add('GET', `${ORG}/runs`, ({ org, query, selfUrl }) => {
      const q = (query.get('q') ?? '').toLowerCase();
      const status = query.get('status');
      if (status !== null && !RUN_STATUSES.includes(status)) throw invalid('status', `The selected status is invalid (${RUN_STATUSES.join(', ')}).`);
      const checklistId = query.get('checklist_id');
      const rows = [...org.runs.values()].filter((r) => (q === '' || r.name.toLowerCase().includes(q)) && (status === null || r.status === status) && (checklistId === null || r.checklist_id === checklistId));
      const relations = withOf(query);
      const page = paginate(rows, query, { defaultPerPage: 10, cap: 100, allowUnpaginated: true, selfUrl });
      return reply(200, { ...page, data: page.data.map((r) => renderRun(org, r, relations)) });
    })
    .add('GET', `${ORG}/runs/:id`, ({ org, params, query }) => reply(200, { data: renderRun(org, requireRun(org, params.id), withOf(query)) }))
    .add('PUT', `${ORG}/runs/:id`, async (ctx) => {
      const { org } = ctx;
      const run = requireRun(org, ctx.params.id);
      const body = await ctx.body();
      const checklist = org.checklists.get(run.checklist_id);
      const prerun = new Map(run.prerun);
      writeValues(org, checklist?.prerun ?? [], body.prerun, prerun, 'prerun');
      const dueDate = body.due_date === undefined ? run.due_date : body.due_date === null ? null : parseDateIn(body.due_date, 'due_date');
      run.name = optionalString(body, 'name') ?? run.name;
      run.summary = optionalString(body, 'summary') ?? run.summary;
      run.prerun = prerun;
      run.due_date = dueDate;
      org.count('runsUpdated');
      return reply(200, { data: renderRun(org, run) });
    })
    .add('DELETE', `${ORG}/runs/:id`, ({ org, params }) => {
      const run = requireRun(org, params.id);
      run.status = 'archived';
      org.count('runsArchived');
      return reply(200, { data: renderRun(org, run) });
    });
}
