import { isoZulu } from './format.ts';
import type { Organization } from './organization.ts';
import type { Asset, Capture, Checklist, Comment, Group, Run, Step, Task, User } from './types.ts';
import { renderValue } from './values.ts';

/** Wire shapes. Times are ISO Zulu; relations asked for with `with=` nest as `{data: [...]}`. */
const time = (ms: number | null) => (ms === null ? null : isoZulu(ms));

export function renderUser(org: Organization, user: User, withGroups = false) {
  const base = { id: user.id, email: user.email, first_name: user.first_name, last_name: user.last_name, full_name: `${user.first_name} ${user.last_name}`, role: user.role, status: user.status, created_at: time(user.created_at) };
  if (!withGroups) return base;
  const groups = [...org.groups.values()].filter((g) => g.members.includes(user.id)).map(renderGroup);
  return { ...base, groups: { data: groups } };
}

export function renderGroup(group: Group) {
  return { id: group.id, name: group.name, description: group.description, members: [...group.members], guests: [...group.guests], created_at: time(group.created_at) };
}

export function renderCapture(capture: Capture) {
  return {
    id: capture.id, step_id: capture.step_id, checklist_id: capture.checklist_id, alias: capture.alias, label: capture.label,
    field_type: capture.field_type, required: capture.required, options: capture.options.map((o) => ({ ...o })),
    columns: capture.columns.map((c) => ({ ...c })), position: capture.position, field_validation: [...capture.field_validation],
  };
}

export function renderStep(step: Step) {
  return {
    id: step.id, checklist_id: step.checklist_id, title: step.title, summary: step.summary, position: step.position, step_type: step.step_type,
    assignees: [...step.assignees], guests: [...step.guests], groups: [...step.groups], captures: step.captures.map(renderCapture),
  };
}

export function renderChecklist(checklist: Checklist, options: { item?: boolean; steps?: boolean } = {}) {
  const base = {
    id: checklist.id, title: checklist.title, summary: checklist.summary, type: checklist.type, status: checklist.status,
    owner_id: checklist.owner_id, steps_count: checklist.steps.length, created_at: time(checklist.created_at),
  };
  return {
    ...base,
    ...(options.item ? { prerun: checklist.prerun.map(renderCapture) } : {}),
    ...(options.steps ? { steps: { data: checklist.steps.map(renderStep) } } : {}),
  };
}

export function renderComment(comment: Comment) {
  return { id: comment.id, task_id: comment.task_id, run_id: comment.run_id, content: comment.content, label: comment.label, state: comment.state, author_id: comment.author_id, created_at: time(comment.created_at) };
}

/** A task's form fields: the step's captures with the task's values. */
export function taskFormFields(org: Organization, task: Task) {
  const step = findStep(org, task);
  return (step?.captures ?? []).map((c) => ({ ...renderCapture(c), task_id: task.id, value: renderValue(org, c, task.values.get(c.id)) }));
}

export function renderTask(org: Organization, task: Task, relations: Set<string> = new Set()) {
  const step = findStep(org, task);
  return {
    id: task.id, title: task.title, run_id: task.run_id, step_id: task.step_id, status: task.status, position: task.position,
    owners: { users: [...task.owners.users], guests: [...task.owners.guests], groups: [...task.owners.groups] },
    deadline: time(task.deadline), completed_at: time(task.completed_at), completer_id: task.completed_by, is_approved: task.is_approved,
    ...(relations.has('step') && step ? { step: { data: renderStep(step) } } : {}),
    ...(relations.has('form_fields') ? { form_fields: { data: taskFormFields(org, task) } } : {}),
    ...(relations.has('threads') ? { threads: { data: task.threads.map(renderComment) } } : {}),
  };
}

export function renderRun(org: Organization, run: Run, relations: Set<string> = new Set()) {
  const checklist = org.checklists.get(run.checklist_id);
  const prerun = Object.fromEntries((checklist?.prerun ?? []).filter((c) => run.prerun.has(c.id)).map((c) => [c.id, renderValue(org, c, run.prerun.get(c.id))]));
  return {
    id: run.id, checklist_id: run.checklist_id, name: run.name, summary: run.summary, status: run.status, prerun, owner_id: run.owner_id,
    created_at: time(run.created_at), completed_at: time(run.completed_at), due_date: time(run.due_date),
    ...(relations.has('tasks') ? { tasks: { data: run.tasks.map((t) => renderTask(org, t)) } } : {}),
    ...(relations.has('form_fields') ? { form_fields: { data: run.tasks.flatMap((t) => taskFormFields(org, t)) } } : {}),
  };
}

export function renderAsset(asset: Asset) {
  return { id: asset.id, filename: asset.filename, version: asset.version, subject: { ...asset.subject }, uploaded_from: asset.uploaded_from, step_id: asset.step_id, checklist_id: asset.checklist_id, size: asset.bytes.length, created_at: time(asset.created_at) };
}

export function findStep(org: Organization, task: Task): Step | undefined {
  const run = org.runs.get(task.run_id);
  return run ? org.checklists.get(run.checklist_id)?.steps.find((s) => s.id === task.step_id) : undefined;
}
