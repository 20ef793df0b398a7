import { describe, expect, it } from 'vitest';
import type { PsAttachment, PsComment } from '../contract.ts';
import { parseRunTaskTarget, runTaskTarget } from './keys.ts';
import { mapPsRecord } from './map-record.ts';
import { resolvePsMappingConfig } from './mapping-config.ts';
import { ann, bob, context, ghost, migrated, WORKFLOW } from './test-fixtures.ts';

describe('users → members', () => {
  it('normalises the email, splits the username, default role', () => {
    const out = mapPsRecord({ kind: 'users', id: 'u1', email: ' Zoe.Ng@Example.COM ', username: 'Zoë  van Ng' }, context());
    expect(out).toMatchObject({ status: 'ok', degraded: [], write: { kind: 'member', source: { kind: 'ps_user', id: 'u1' }, email: 'zoe.ng@example.com', firstName: 'Zoë', lastName: 'van Ng', role: 'standard' } });
  });

  it('names from the email without a username; one-word names get the configured last name; roles per email', () => {
    const config = resolvePsMappingConfig({ defaultRole: 'light', roles: { 'BOSS@example.com': 'admin' }, missingLastName: '(PS)' });
    expect(mapPsRecord({ kind: 'users', id: 'u2', email: 'jane.doe@example.com', username: null }, context(undefined, config))).toMatchObject({ write: { firstName: 'jane', lastName: 'doe', role: 'light' } });
    expect(mapPsRecord({ kind: 'users', id: 'u3', email: 'boss@example.com', username: 'Boss' }, context(undefined, config))).toMatchObject({ write: { firstName: 'Boss', lastName: '(PS)', role: 'admin' } });
  });

  it('an invalid email is a validation skip', () => {
    expect(mapPsRecord({ kind: 'users', id: 'u4', email: 'not-an-email', username: 'x' }, context())).toMatchObject({ status: 'skip', kind: 'validation' });
  });
});

describe('groups', () => {
  it('resolves members by id or email; unmigrated ones are listed unresolved', () => {
    const bobByEmailOnly = { id: 'scim-bob', email: 'BOB@example.com', username: null };
    const out = mapPsRecord({ kind: 'groups', id: 'g1', name: ' Ops ', members: [ann, bobByEmailOnly, ghost, ann] }, context());
    expect(out).toMatchObject({ status: 'ok', degraded: [], write: { kind: 'group', name: 'Ops', description: 'Migrated from Process Street [ps:g1]', memberIds: [11, 12] } });
    expect(out.status === 'ok' && out.unresolved).toEqual([{ kind: 'ps_user', id: ghost.id }, { kind: 'ps_user', id: 'email:ghost@example.com' }]);
    expect(mapPsRecord({ kind: 'groups', id: 'g2', name: ' ', members: [] }, context())).toMatchObject({ status: 'skip', kind: 'validation' });
  });

  it('without email matching, only PS ids resolve', () => {
    const config = resolvePsMappingConfig({ matchUsersByEmail: false });
    const out = mapPsRecord({ kind: 'groups', id: 'g1', name: 'Ops', members: [{ id: 'scim-bob', email: 'bob@example.com', username: null }] }, context(undefined, config));
    expect(out).toMatchObject({ write: { memberIds: [] }, unresolved: [{ kind: 'ps_user', id: 'scim-bob' }] });
  });
});

describe('workflows → blueprints', () => {
  it('builds steps in order with captures, approval steps, summary lines for fields without equivalent', () => {
    const out = mapPsRecord(WORKFLOW, context());
    if (out.status !== 'ok' || out.write.kind !== 'blueprint') throw new Error('expected a blueprint');
    expect(out.write).toMatchObject({ source: { kind: 'ps_workflow', id: 'wf1' }, title: 'Onboarding [ps:wf1]', summary: 'New hire\nchecklist' });
    expect(out.write.steps.map((s) => [s.title, s.position, s.stepType, s.captures.map((c) => `${c.position}:${c.fieldType}`), s.summary])).toEqual([
      ['Collect details', 0, 'task', ['0:text', '1:dropdown', '2:multiselect'], ''],
      ['Manager approval', 1, 'approval', ['0:date', '1:assignees_form'], ''],
      ['Set up laptop', 2, 'task', ['0:table'], 'Label f-snippet (Process Street Snippet field)'],
    ]);
    expect(out.write.steps[0]?.captures[0]).toMatchObject({ source: { kind: 'ps_template_field', id: 'f-text' }, required: false });
    expect(out.degraded).toEqual([
      'field "Label f-text": required in Process Street, optional in Tallyfy (completed runs hold it empty)',
      'field "Label f-snippet": Snippet has no Tallyfy equivalent; described in the step summary, its behaviour is lost',
    ]);
  });

  it('adds an Attachments file capture per step when runs have attachments; stop tasks and odd types degrade', () => {
    const wf = { ...WORKFLOW, hasAttachments: true, fields: [], tasks: [{ ...WORKFLOW.tasks[0]!, stopTask: true, taskType: 'Code' }] };
    const out = mapPsRecord(wf, context());
    if (out.status !== 'ok' || out.write.kind !== 'blueprint') throw new Error('expected a blueprint');
    expect(out.write.steps[0]?.captures).toEqual([{ source: { kind: 'ps_template_field', id: 't1:attachments' }, label: 'Attachments', fieldType: 'file', required: false, position: 0 }]);
    expect(out.write.steps[0]?.stepType).toBe('task');
    expect(out.degraded).toHaveLength(2);
  });

  it('a workflow without tasks cannot become a launchable blueprint', () => {
    expect(mapPsRecord({ ...WORKFLOW, tasks: [] }, context())).toMatchObject({ status: 'skip', kind: 'validation' });
  });
});

const comment: PsComment = { kind: 'comments', id: 'c1', workflowRunId: 'run1', taskId: 'rt2', text: ' Looks good\r\nto me ', createdDate: '2026-01-08T08:00:00.000Z', createdBy: bob };

describe('comments', () => {
  it('posts on the run task\'s step with author, date and marker in the text (degraded)', () => {
    const out = mapPsRecord(comment, context(undefined, resolvePsMappingConfig({ commentPrefix: '[PS] ' })));
    expect(out).toMatchObject({
      status: 'ok',
      write: { kind: 'comment', source: { kind: 'ps_comment', id: 'c1' }, runId: 'tf-run-1', stepId: 'step-t2', content: '[PS] Looks good\nto me\n\n— bob, 2026-01-08T08:00:00.000Z [ps:c1]' },
      degraded: ['author and date carried in the text (Tallyfy posts as the migration user, at migration time)'],
    });
  });

  it('skips when the run or its task is not migrated', () => {
    expect(mapPsRecord(comment, context(migrated(undefined, ['ps_run:run1'])))).toMatchObject({ status: 'skip', kind: 'not_found' });
    expect(mapPsRecord({ ...comment, taskId: 'rt9' }, context())).toMatchObject({ status: 'skip', kind: 'not_found' });
  });
});

const attachment: PsAttachment = {
  kind: 'attachments', id: 'a1', workflowRunId: 'run1', taskId: 'rt2', workflowId: 'wf1', fileName: ' offer.pdf ', mimeType: 'application/pdf', size: 2048,
  createdDate: '2026-01-08T08:00:00.000Z', createdBy: ann, downloadUrl: 'https://public-api.process.st/files/a1',
};

describe('attachments', () => {
  it('goes into the Attachments capture of the run task\'s step', () => {
    expect(mapPsRecord(attachment, context())).toMatchObject({
      status: 'ok',
      write: { kind: 'file', runId: 'tf-run-1', stepId: 'step-t2', checklistId: 'chk-1', captureId: 'cap-att-t2', fileName: 'offer.pdf', size: 2048, downloadUrl: attachment.downloadUrl },
      degraded: ['upload date and uploader not preserved (Tallyfy stamps the migration user and time)'],
    });
  });

  it('refuses files Tallyfy cannot take or the source cannot serve; not_found when the capture is missing', () => {
    expect(mapPsRecord({ ...attachment, size: 101 * 1024 * 1024 }, context())).toMatchObject({ status: 'skip', kind: 'validation' });
    expect(mapPsRecord({ ...attachment, downloadUrl: null }, context())).toMatchObject({ status: 'skip', kind: 'validation' });
    expect(mapPsRecord(attachment, context(migrated(undefined, ['ps_template_field:t2:attachments'])))).toMatchObject({ status: 'skip', kind: 'not_found' });
  });
});

describe('run-task id-map entries', () => {
  it('round-trip the task and its step', () => {
    expect(parseRunTaskTarget(runTaskTarget('abc', 'def'))).toEqual({ taskId: 'abc', stepId: 'def' });
    expect(parseRunTaskTarget({ object: 'task', id: 'abc' })).toBeNull();
    expect(parseRunTaskTarget({ object: 'run', id: 'abc:def' })).toBeNull();
  });
});
