/** Builders of fake Process Street organisations for the source's tests (ps-test-server.ts serves them). */
import type { FakeOrg, FakeRun, FakeWorkflow } from './ps-test-server.ts';

const date = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();

export function fakeRun(id: string, workflowId: string, opts: { tasks?: number; values?: number; comments?: number; attachments?: number } = {}): FakeRun {
  const tasks = Array.from({ length: opts.tasks ?? 0 }, (_, i) => ({
    id: `${id}-t${i}`, name: `Task ${i}`, status: i % 2 === 0 ? 'Completed' : 'NotCompleted', completedBy: i % 2 === 0 ? { id: 'u1', email: 'a@example.com', username: 'Ann' } : null,
    completedDate: i % 2 === 0 ? date(i) : null, dueDate: null, hidden: false, stopped: false,
  }));
  return {
    run: { id, name: `Run ${id}`, status: 'Active', workflowId, audit: { createdDate: date(0), createdBy: { id: 'u1', email: 'a@example.com' } } },
    tasks,
    assignees: Object.fromEntries(tasks.map((t) => [t.id, [{ id: 'u2', email: 'b@example.com', username: 'Bob' }]])),
    values: Array.from({ length: opts.values ?? 0 }, (_, i) => ({ id: `${id}-v${i}`, taskId: `${id}-t0`, key: `field${i}`, label: `Field ${i}`, fieldType: 'Text', data: `value ${i}` })),
    comments: Array.from({ length: opts.comments ?? 0 }, (_, i) => ({ id: `${id}-c${i}`, workflowRunId: id, taskId: `${id}-t0`, text: `comment ${i}`, createdDate: date(i) })),
    attachments: Array.from({ length: opts.attachments ?? 0 }, (_, i) => ({
      id: `${id}-a${i}`, workflowRunId: id, workflowId, taskId: `${id}-t0`, fileName: `f${i}.pdf`, mimeType: 'application/pdf', size: 10, createdDate: date(i),
      links: [{ name: 'file', href: `/files/${id}-a${i}`, type: 'Api' }],
    })),
  };
}

/** A workflow of `tasks` tasks, `fields` fields on its first `taskWithFields` tasks (every third a Select), one Finished revision. */
export function fakeWorkflow(id: string, tasks: number, fields: number, tasksWithFields: number): FakeWorkflow {
  const taskList = Array.from({ length: tasks }, (_, i) => ({ id: `${id}-t${i}`, workflowId: id, name: `Step ${i}`, orderTree: String(i), stopTask: false, hiddenByDefault: false, taskType: 'Standard' }));
  const fieldList = Array.from({ length: fields }, (_, i) => ({
    id: `${id}-f${i}`, taskId: `${id}-t${i % tasksWithFields}`, key: `field${i}`, label: `Field ${i}`, fieldType: i % 3 === 0 ? 'Select' : 'Text',
  }));
  const widgets: Record<string, FakeWorkflow['widgets'][string][string]> = {};
  for (const f of fieldList) (widgets[f.taskId] ??= []).push({ id: f.id, taskId: f.taskId, type: 'FormField', fieldType: f.fieldType, key: f.key, label: f.label, required: true, config: {} });
  return {
    workflow: { id, name: `Workflow ${id}`, audit: { createdDate: date(0), createdBy: { id: 'u1', email: 'a@example.com' } } },
    tasks: taskList, fields: fieldList,
    revisions: [{ id: `${id}-rev1`, workflowId: id, version: 1, status: 'Finished' }],
    widgets: { [`${id}-rev1`]: widgets },
    options: Object.fromEntries(fieldList.filter((f) => f.fieldType === 'Select').map((f) => [f.id, [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }]])),
  };
}

export function emptyOrg(): FakeOrg {
  return { users: [], groups: [], workflows: [], runs: [] };
}
