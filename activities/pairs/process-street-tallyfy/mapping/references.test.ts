import { describe, expect, it } from 'vitest';
import type { PsRecord } from '../contract.ts';
import { referencedKeys, templatesNeeded, unresolvedNow } from './references.ts';
import { ann, context, ghost, migrated, run, runTask, WORKFLOW } from './test-fixtures.ts';

const k = (key: { kind: string; id: string }): string => `${key.kind}:${key.id}`;

const records: PsRecord[] = [
  { kind: 'users', id: 'u1', email: 'a@example.com', username: null },
  { kind: 'groups', id: 'g1', name: 'Ops', members: [ann] },
  WORKFLOW,
  run({
    tasks: [runTask('rt1', 'Collect details', 0, { assignees: [ghost], status: 'Completed', completedBy: ann })],
    values: [{ id: 'v', taskId: 'rt1', key: 'key-f-members', label: 'M', fieldType: 'Members', data: ['Carol@Example.com'] }],
  }),
  { kind: 'comments', id: 'c1', workflowRunId: 'run1', taskId: 'rt1', text: 'x', createdDate: '2026-01-01T00:00:00.000Z', createdBy: null },
];

describe('referencedKeys', () => {
  it('lists users for groups and runs, the workflow with its steps and captures for runs, run and task for comments', () => {
    const keys = referencedKeys(records, context()).map(k);
    expect(keys).toEqual([
      `ps_user:${ann.id}`, 'ps_user:email:ann@example.com',
      'ps_workflow:wf1', 'ps_template_task:t1', 'ps_template_task:t2', 'ps_template_task:t3',
      ...WORKFLOW.fields.map((f) => `ps_template_field:${f.id}`),
      `ps_user:${ghost.id}`, 'ps_user:email:ghost@example.com',
      'ps_user:email:carol@example.com',
      'ps_run:run1', 'ps_run_task:rt1',
    ]);
  });

  it('attachments need their run, workflow, run task, and every step with its Attachments capture', () => {
    const keys = referencedKeys([{ kind: 'attachments', id: 'a', workflowRunId: 'run1', taskId: 'rt2', workflowId: 'wf1', fileName: 'f', mimeType: 'x', size: 1, createdDate: '', createdBy: null, downloadUrl: 'u' }], context()).map(k);
    expect(keys).toEqual(['ps_run:run1', 'ps_workflow:wf1', 'ps_run_task:rt2', 'ps_template_task:t1', 'ps_template_field:t1:attachments', 'ps_template_task:t2', 'ps_template_field:t2:attachments', 'ps_template_task:t3', 'ps_template_field:t3:attachments']);
    expect(templatesNeeded(records)).toEqual(['wf1']);
  });
});

describe('unresolvedNow', () => {
  it('counts a person once whether known by id or email; nothing for users and workflows', () => {
    const ctx = context();
    expect(unresolvedNow(records[0]!, ctx)).toBe(0);
    expect(unresolvedNow(records[1]!, ctx)).toBe(0);
    expect(unresolvedNow(records[2]!, ctx)).toBe(0);
    // ghost (assignee) and carol (Members value) are not migrated; ann is.
    expect(unresolvedNow(records[3]!, ctx)).toBe(2);
    // rt1 has no run-task entry in the fixture map.
    expect(unresolvedNow(records[4]!, ctx)).toBe(1);
    expect(unresolvedNow(records[3]!, context(migrated(undefined, ['ps_workflow:wf1', 'ps_template_task:t1'])))).toBe(4);
  });
});
