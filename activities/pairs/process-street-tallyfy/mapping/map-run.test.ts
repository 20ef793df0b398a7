import { describe, expect, it } from 'vitest';
import type { ProcessWrite } from '../contract.ts';
import { mapRun } from './map-run.ts';
import { resolvePsMappingConfig } from './mapping-config.ts';
import { ann, bob, context, ghost, migrated, run, runTask } from './test-fixtures.ts';
import type { PsMapOutcome } from './types.ts';

const ok = (out: PsMapOutcome<ProcessWrite>) => {
  expect(out.status).toBe('ok');
  if (out.status !== 'ok') throw new Error(out.reason);
  return out;
};
const START = 'start date and starter not preserved (Tallyfy cannot backdate); kept in the process summary';

describe('mapRun', () => {
  it('launches from the blueprint with every task on its step and values in Tallyfy shapes', () => {
    const out = ok(mapRun(run({
      tasks: [
        runTask('rt1', 'Collect details', 0, { assignees: [ann, bob], dueDate: '2026-02-01T17:00:00.000Z' }),
        runTask('rt2', 'Manager approval', 1),
        runTask('rt3', 'Set up laptop', 2),
      ],
      values: [
        { id: 'v1', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: 'Zoë' },
        { id: 'v2', taskId: 'rt1', key: 'key-f-select', label: 'Label f-select', fieldType: 'Select', data: 'opt-a' },
        { id: 'v3', taskId: 'rt1', key: 'key-f-multi', label: 'Label f-multi', fieldType: 'MultiChoice', data: ['opt-b', 'opt-c'] },
        { id: 'v4', taskId: 'rt2', key: 'key-f-date', label: 'Label f-date', fieldType: 'Date', data: '2026-03-01' },
        { id: 'v5', taskId: 'rt2', key: 'key-f-members', label: 'Label f-members', fieldType: 'Members', data: [{ id: bob.id, email: bob.email }] },
        { id: 'v6', taskId: 'rt3', key: 'key-f-table', label: 'Label f-table', fieldType: 'Table', data: [['Laptop', 'X1']] },
      ],
    }), context()));
    expect(out.write).toMatchObject({
      kind: 'process', source: { kind: 'ps_run', id: 'run1' }, checklistId: 'chk-1', name: 'Onboarding: Zoë [ps:run1]', status: 'active', dueDate: '2026-07-01T00:00:00.000Z',
    });
    expect(out.write.tasks).toEqual([
      { source: { kind: 'ps_run_task', id: 'rt1' }, stepId: 'step-t1', deadline: '2026-02-01T17:00:00.000Z', owners: [11, 12], complete: null,
        taskdata: { 'cap-f-text': 'Zoë', 'cap-f-select': { id: 2, text: 'Alpha' }, 'cap-f-multi': [{ id: 1, text: 'Beta', selected: true }, { id: 3, text: 'Gamma, Delta', selected: true }] } },
      { source: { kind: 'ps_run_task', id: 'rt2' }, stepId: 'step-t2', deadline: null, owners: [], complete: null,
        taskdata: { 'cap-f-date': '2026-03-01T00:00:00.000Z', 'cap-f-members': { users: [12], guests: [], groups: [] } } },
      { source: { kind: 'ps_run_task', id: 'rt3' }, stepId: 'step-t3', deadline: null, owners: [], complete: null, taskdata: { 'cap-f-table': ['Laptop', 'X1'] } },
    ]);
    expect(out.write.summary).toBe('Started in Process Street on 2026-01-05T09:00:00.000Z by Ann Lee.');
    // Only the start date is lost: everything else had a place.
    expect(out.degraded).toEqual([START]);
    expect(out.unresolved).toEqual([]);
    expect(out.warnings).toEqual([]);
  });

  it.each([['Active', 'active'], ['Completed', 'complete'], ['Archived', 'archived']] as const)('run status %s → %s', (status, expected) => {
    expect(ok(mapRun(run({ status }), context())).write.status).toBe(expected);
  });

  it('completes tasks as the original completer, or the migration user when unknown (degraded)', () => {
    const out = ok(mapRun(run({
      status: 'Completed',
      tasks: [
        runTask('rt1', 'Collect details', 0, { status: 'Completed', completedBy: ann, completedDate: '2026-01-06T10:00:00.000Z' }),
        runTask('rt2', 'Manager approval', 1, { status: 'Completed', completedBy: ghost, completedDate: '2026-01-07T10:00:00.000Z' }),
        runTask('rt3', 'Set up laptop', 2),
      ],
      values: [{ id: 'v1', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: 'Zoë' }],
    }), context()));
    expect(out.write.tasks.map((t) => t.complete)).toEqual([{ by: 11 }, { by: null }, null]);
    expect(out.degraded).toEqual([
      '"Manager approval": completer ghost@example.com is not migrated; completed as the migration user',
      START,
      '2 task completion date(s) not preserved (Tallyfy cannot backdate); kept in the process summary',
    ]);
    expect(out.write.summary.split('\n').slice(1)).toEqual([
      '"Collect details" completed on 2026-01-06T10:00:00.000Z by Ann Lee.',
      '"Manager approval" completed on 2026-01-07T10:00:00.000Z by ghost@example.com.',
    ]);
  });

  it('leaves open a completed task whose required field is empty (Tallyfy refuses that completion), degraded', () => {
    const out = ok(mapRun(run({
      tasks: [
        runTask('rt1', 'Collect details', 0, { status: 'Completed', completedBy: ann, completedDate: '2026-01-06T10:00:00.000Z' }),
        runTask('rt2', 'Manager approval', 1, { status: 'Completed', completedBy: ann, completedDate: '2026-01-07T10:00:00.000Z' }),
        runTask('rt3', 'Set up laptop', 2),
      ],
      values: [{ id: 'v1', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: '' }],
    }), context()));
    expect(out.write.tasks.map((t) => t.complete)).toEqual([null, { by: 11 }, null]);
    expect(out.degraded).toContain('completed task with an empty required field left open (Tallyfy refuses to complete it)');
  });

  it('renamed, extra and missing run tasks: values of the extra one go to the summary', () => {
    const out = ok(mapRun(run({
      tasks: [runTask('rt1', 'Collect details', 0), runTask('rtX', 'Approve (old)', 1), runTask('rt3', 'Set up laptop', 2), runTask('rt4', 'Ad-hoc call', 3)],
      values: [
        { id: 'v1', taskId: 'rt4', key: 'key-gone', label: 'Call notes', fieldType: 'Text', data: 'called HR' },
        { id: 'v2', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: 'ok' },
      ],
    }), context()));
    expect(out.write.tasks.map((t) => [t.source.id, t.stepId])).toEqual([['rt1', 'step-t1'], ['rtX', 'step-t2'], ['rt3', 'step-t3']]);
    expect(out.degraded).toEqual([
      'run task "Approve (old)" matched template task "Manager approval" by position; the run\'s task name is lost',
      'run task "Ad-hoc call" matches no template task; it and its values are kept in the process summary',
      'value of "Call notes" matches no field of the workflow; kept in the process summary',
      START,
    ]);
    expect(out.write.summary).toContain('Task "Ad-hoc call" (not completed)');
    expect(out.write.summary).toContain('Call notes: called HR');

    const missing = ok(mapRun(run({ tasks: [runTask('rt1', 'Collect details', 0), runTask('rt3', 'Set up laptop', 1)] }), context()));
    expect(missing.write.tasks.map((t) => t.stepId)).toEqual(['step-t1', 'step-t3']);
    expect(missing.warnings).toEqual(['template task "Manager approval" has no run task in Process Street (added after the run started?)']);
    expect(missing.degraded).toEqual([START]);
  });

  it('skips when the workflow is not migrated or its definition is missing', () => {
    expect(mapRun(run(), context(migrated(undefined, ['ps_workflow:wf1'])))).toMatchObject({ status: 'skip', kind: 'not_found', reason: 'workflow wf1 is not migrated' });
    const noTemplate = context(migrated(), undefined, []);
    expect(mapRun(run(), noTemplate)).toMatchObject({ status: 'skip', kind: 'not_found' });
  });

  it('reports unresolved steps, captures and people instead of guessing', () => {
    const ctx = context(migrated(undefined, ['ps_template_task:t3', 'ps_template_field:f-text']));
    const out = ok(mapRun(run({
      tasks: [runTask('rt1', 'Collect details', 0, { assignees: [ghost] }), runTask('rt2', 'Manager approval', 1), runTask('rt3', 'Set up laptop', 2)],
      values: [
        { id: 'v1', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: 'x' },
        // Its step is not migrated yet: the value waits with it (unresolved), it is not moved to the summary.
        { id: 'v2', taskId: 'rt3', key: 'key-f-table', label: 'Label f-table', fieldType: 'Table', data: [['a', 'b']] },
      ],
    }), ctx));
    expect(out.write.summary).not.toContain('Label f-table');
    expect(out.write.tasks.map((t) => t.source.id)).toEqual(['rt1', 'rt2']);
    expect(out.write.tasks[0]?.owners).toEqual([]);
    expect(out.write.tasks[0]?.taskdata).toEqual({});
    expect(out.unresolved).toEqual([
      { kind: 'ps_user', id: ghost.id }, { kind: 'ps_user', id: 'email:ghost@example.com' },
      { kind: 'ps_template_task', id: 't3' }, { kind: 'ps_template_field', id: 'f-text' },
    ]);
    expect(out.degraded).toEqual([START]);
  });

  it('applies overrides: run status map, skipped field types, tasks left open', () => {
    const config = resolvePsMappingConfig({ runStatus: { Archived: 'complete' }, taskState: { Completed: 'open' }, fieldTypes: { Text: 'skip' } });
    const out = ok(mapRun(run({
      status: 'Archived',
      tasks: [runTask('rt1', 'Collect details', 0, { status: 'Completed', completedBy: ann }), runTask('rt2', 'Manager approval', 1), runTask('rt3', 'Set up laptop', 2)],
      values: [{ id: 'v1', taskId: 'rt1', key: 'key-f-text', label: 'Label f-text', fieldType: 'Text', data: 'x' }],
    }), context(undefined, config)));
    expect(out.write.status).toBe('complete');
    expect(out.write.tasks[0]).toMatchObject({ complete: null, taskdata: {} });
    expect(out.degraded).toEqual([START]);
  });
});
