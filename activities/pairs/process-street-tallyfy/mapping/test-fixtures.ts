/** Fixtures of this pair's mapping tests (not a test file), written from the reference's shapes. */
import { KEY, type PsRun, type PsRunTask, type PsTemplateField, type PsUserRef, type PsWorkflow, type TargetRef } from '../contract.ts';
import { runTaskTarget } from './keys.ts';
import { DEFAULT_PS_MAPPING, type PsMappingConfig } from './mapping-config.ts';
import type { PsMapContext } from './types.ts';

export const NOW = new Date('2026-06-01T12:00:00.000Z');

export const ann: PsUserRef = { id: 'uAnn000000000000000001', email: 'Ann@Example.com ', username: 'Ann Lee' };
export const bob: PsUserRef = { id: 'uBob000000000000000002', email: 'bob@example.com', username: 'bob' };
export const ghost: PsUserRef = { id: 'uGhost0000000000000003', email: 'ghost@example.com', username: null };

export function field(id: string, taskId: string, fieldType: string, extra: Partial<PsTemplateField> = {}): PsTemplateField {
  return { id, taskId, key: `key-${id}`, label: `Label ${id}`, fieldType, required: false, hiddenByDefault: false, options: [], columns: [], config: {}, ...extra };
}

const options = [{ value: 'opt-b', label: 'Beta' }, { value: 'opt-a', label: 'Alpha' }, { value: 'opt-c', label: 'Gamma, Delta' }];

/** A workflow with three tasks (the second an approval) and one field of each kind on them. */
export const WORKFLOW: PsWorkflow = {
  kind: 'workflows', id: 'wf1', name: ' Onboarding\u200B ', description: 'New hire\r\nchecklist', createdDate: '2024-01-02T03:04:05.000Z', createdBy: ann,
  tasks: [
    { id: 't1', name: 'Collect details', position: 0, taskType: 'Standard', stopTask: false, hiddenByDefault: false },
    { id: 't2', name: 'Manager approval', position: 1, taskType: 'Approval', stopTask: false, hiddenByDefault: false },
    { id: 't3', name: 'Set up laptop', position: 2, taskType: 'Standard', stopTask: false, hiddenByDefault: false },
  ],
  fields: [
    field('f-text', 't1', 'Text', { required: true }),
    field('f-select', 't1', 'Select', { options }),
    field('f-multi', 't1', 'MultiChoice', { options }),
    field('f-date', 't2', 'Date'),
    field('f-members', 't2', 'Members'),
    field('f-table', 't3', 'Table', { columns: [{ id: 'c1', name: 'Item' }, { id: 'c2', name: 'Serial' }] }),
    field('f-snippet', 't3', 'Snippet'),
  ],
  hasAttachments: false,
};

export function runTask(id: string, name: string, position: number, extra: Partial<PsRunTask> = {}): PsRunTask {
  return { id, name, position, status: 'NotCompleted', dueDate: null, completedDate: null, completedBy: null, hidden: false, stopped: false, assignees: [], ...extra };
}

export function run(extra: Partial<PsRun> = {}): PsRun {
  return {
    kind: 'runs', id: 'run1', name: 'Onboarding: Zoë', status: 'Active', workflowId: 'wf1', dueDate: '2026-07-01T00:00:00.000Z',
    createdDate: '2026-01-05T09:00:00.000Z', createdBy: ann,
    tasks: [runTask('rt1', 'Collect details', 0), runTask('rt2', 'Manager approval', 1), runTask('rt3', 'Set up laptop', 2)],
    values: [],
    ...extra,
  };
}

/**
 * Id map of a fully migrated foundation + templates: users by PS id (ints as Tallyfy has), the
 * workflow, its steps and captures; `drop` removes keys ("kind:id") to simulate what is not migrated.
 */
export function migrated(workflow: PsWorkflow = WORKFLOW, drop: string[] = []): Map<string, TargetRef> {
  const map = new Map<string, TargetRef>([
    [`${KEY.user}:${ann.id}`, { object: 'member', id: '11' }],
    [`${KEY.user}:${bob.id}`, { object: 'member', id: '12' }],
    // The runtime may answer email keys too (Tallyfy members found by email): Bob is known that way as well.
    [`${KEY.user}:email:bob@example.com`, { object: 'member', id: '12' }],
    [`${KEY.workflow}:${workflow.id}`, { object: 'checklist', id: 'chk-1' }],
  ]);
  for (const t of workflow.tasks) {
    map.set(`${KEY.templateTask}:${t.id}`, { object: 'step', id: `step-${t.id}` });
    map.set(`${KEY.templateField}:${t.id}:attachments`, { object: 'capture', id: `cap-att-${t.id}` });
  }
  for (const f of workflow.fields) map.set(`${KEY.templateField}:${f.id}`, { object: 'capture', id: `cap-${f.id}` });
  map.set(`${KEY.run}:run1`, { object: 'run', id: 'tf-run-1' });
  map.set(`${KEY.runTask}:rt2`, runTaskTarget('task-2', 'step-t2'));
  for (const k of drop) map.delete(k);
  return map;
}

export function context(map: Map<string, TargetRef> = migrated(), config: PsMappingConfig = DEFAULT_PS_MAPPING, workflows: PsWorkflow[] = [WORKFLOW]): PsMapContext {
  return {
    config, now: NOW,
    resolve: (key) => map.get(`${key.kind}:${key.id}`),
    template: (id) => workflows.find((w) => w.id === id),
  };
}
