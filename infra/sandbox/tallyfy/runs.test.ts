import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type LooseJson } from '../test-client.ts';
import { blueprint, startHarness, type Harness } from './test-support.ts';

const FIELDS = [
  { label: 'Name', field_type: 'text', required: true },
  { label: 'Tags', field_type: 'multiselect', required: false, options: [{ id: 1, text: 'A' }, { id: 2, text: 'B' }] },
  { label: 'When', field_type: 'date', required: false },
  { label: 'Size', field_type: 'dropdown', required: false, options: [{ id: 7, text: 'Large' }] },
  { label: 'Grid', field_type: 'table', required: false, columns: [{ id: 1, label: 'Qty' }, { id: 2, label: 'Item' }] },
];

describe('Tallyfy sandbox processes and tasks', () => {
  let h: Harness | undefined;
  afterEach(() => h?.sandbox.close());

  it('launches a process from a template: one task per step, kick-off values kept, its own clock (no backdating)', async () => {
    const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 30, 0));
    h = await startHarness({ now: clock.now });
    const { checklist, step } = await blueprint(h.api, FIELDS, { prerun: [{ label: 'Client', field_type: 'text', required: true }] });
    const second = (await h.api('POST', `/checklists/${checklist.id}/steps`, { title: 'Review', step_type: 'approval', assignees: [h.sandbox.org.admin.id] })).body.data;
    const koField = (await h.api('GET', `/checklists/${checklist.id}`)).body.data.prerun[0];
    const launched = await h.api('POST', '/runs', {
      checklist_id: checklist.id, name: 'Acme onboarding', prerun: { [koField.id]: 'Acme', nonsense: 'dropped' },
      tasks: { [step.id]: { deadline: '2026-07-01 17:00:00' } }, created_at: '2020-01-01 00:00:00',
    });
    expect(launched.status).toBe(201);
    const run = launched.body.data;
    expect(run).toMatchObject({ checklist_id: checklist.id, name: 'Acme onboarding', status: 'active', created_at: '2026-06-01T09:30:00Z', prerun: { [koField.id]: 'Acme' } });
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.tasks.data.map((t: LooseJson) => [t.step_id, t.title, t.position, t.status])).toEqual([[step.id, 'Collect', 1, 'active'], [second.id, 'Review', 2, 'active']]);
    expect(run.tasks.data[0].deadline).toBe('2026-07-01T17:00:00Z');
    expect(run.tasks.data[1].owners.users).toEqual([h.sandbox.org.admin.id]);
    expect((await h.api('POST', '/runs', { checklist_id: 'f'.repeat(32) })).status).toBe(422);
    const listed = await h.api('GET', `/runs?checklist_id=${checklist.id}&status=active&with=tasks,form_fields`);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].tasks.data).toHaveLength(2);
    expect(listed.body.data[0].form_fields.data).toHaveLength(FIELDS.length);
    const tasks = await h.api('GET', `/runs/${run.id}/tasks?without_pagination=true&with=form_fields,threads`);
    expect(tasks.body.data[0].form_fields.data.map((f: LooseJson) => f.label)).toEqual(FIELDS.map((f) => f.label));
    expect(tasks.body.meta).toBeUndefined();
  });

  it('taskdata: values per field type, unknown keys dropped silently with 200, unselected multiselect options read empty', async () => {
    h = await startHarness();
    const { checklist, captures } = await blueprint(h.api, FIELDS);
    const [name, tags, when, size, grid] = captures as LooseJson[];
    const run = (await h.api('POST', '/runs', { checklist_id: checklist.id })).body.data;
    const task = run.tasks.data[0];
    const put = await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, {
      taskdata: {
        [name.id]: 'Widget', [tags.id]: [{ id: 1, text: 'A', selected: true }, { id: 2, text: 'B' }], [when.id]: '2026-03-04 05:06:07',
        [size.id]: { id: 7, text: 'Large' }, [grid.id]: ['3', 'bolts'], ['0'.repeat(32)]: 'nowhere', stray: 'x',
      },
    });
    expect(put.status).toBe(200);
    const values = Object.fromEntries(put.body.data.form_fields.data.map((f: LooseJson) => [f.label, f.value]));
    expect(values).toEqual({ Name: 'Widget', Tags: [{ id: 1, text: 'A', selected: true }], When: '2026-03-04T05:06:07Z', Size: { id: 7, text: 'Large' }, Grid: ['3', 'bolts'] });
    const stored = (h.sandbox.inspect().runs[0] as LooseJson).tasks[0].storedValues;
    expect(Object.keys(stored).sort()).toEqual([name.id, tags.id, when.id, size.id, grid.id].sort());
    expect(stored[tags.id]).toHaveLength(2);
    // Only unselected options: stored, read as nothing.
    await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [tags.id]: [{ id: 2, text: 'B' }] } });
    const fields = (await h.api('GET', `/runs/${run.id}/form-fields`)).body.data.form_fields;
    expect(fields.find((f: LooseJson) => f.id === tags.id).value).toEqual([]);
    // Wrong shapes are refused whole, nothing stored.
    for (const bad of [{ [grid.id]: ['only one'] }, { [size.id]: { id: 99, text: 'x' } }, { [name.id]: 'x'.repeat(201) }, { [when.id]: '04/03/2026' }]) {
      const refused = await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [name.id]: 'Changed', ...bad } });
      expect(refused.status).toBe(422);
      expect(Object.keys(refused.body.errors)[0]).toMatch(/^taskdata\./);
    }
    expect((await h.api('GET', `/runs/${run.id}/tasks/${task.id}?with=form_fields`)).body.data.form_fields.data[0].value).toBe('Widget');
  });

  it('completion: a required field empty is refused, a second completion is refused, a completed task is read-only until reopened', async () => {
    const clock = createFakeClock(Date.UTC(2026, 5, 1, 9, 0, 0));
    h = await startHarness({ now: clock.now });
    const { checklist, captures } = await blueprint(h.api, FIELDS);
    const member = (await h.api('POST', '/users/invite', { email: 'm@x.com', first_name: 'M', last_name: 'X', role: 'standard', message: 'hi' })).body.data;
    const run = (await h.api('POST', '/runs', { checklist_id: checklist.id })).body.data;
    const task = run.tasks.data[0];
    const complete = (body: Record<string, unknown> = {}) => h!.api('POST', `/runs/${run.id}/completed-tasks`, { task_id: task.id, ...body });
    const empty = await complete();
    expect(empty.status).toBe(422);
    expect(empty.body.errors[`taskdata.${captures[0].id}`]).toBeDefined();
    await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [captures[0].id]: 'Filled' } });
    clock.advance(60_000);
    const done = await complete({ override_user: member.id, completed_at: '2020-01-01 00:00:00' });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'completed', completer_id: member.id, completed_at: '2026-06-01T09:01:00Z' });
    const twice = await complete();
    expect(twice.status).toBe(422);
    expect(twice.body.errors.task_id).toBeDefined();
    expect((await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [captures[0].id]: 'Late' } })).status).toBe(422);
    // The run completes with its last task; reopening makes both active again.
    expect((await h.api('GET', `/runs/${run.id}`)).body.data.status).toBe('complete');
    expect((await h.api('DELETE', `/runs/${run.id}/completed-tasks/${task.id}`)).body.data.status).toBe('active');
    expect((await h.api('GET', `/runs/${run.id}`)).body.data).toMatchObject({ status: 'active', completed_at: null });
    expect((await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [captures[0].id]: 'Late' } })).status).toBe(200);
    expect((await complete({ override_user: 424242 })).status).toBe(422);
    expect(h.sandbox.inspect().writes).toMatchObject({ tasksCompleted: 1, tasksReopened: 1, runsLaunched: 1 });
  });

  it('files: multipart upload to /file, attached only by writing [asset] into a file field, bytes back from /file/{id}/dl', async () => {
    h = await startHarness({ fileLimitBytes: 1024 });
    const { checklist, step, captures } = await blueprint(h.api, [{ label: 'Contract', field_type: 'file', required: true }, { label: 'Note', field_type: 'text', required: false }]);
    const run = (await h.api('POST', '/runs', { checklist_id: checklist.id })).body.data;
    const task = run.tasks.data[0];
    const upload = async (bytes: Buffer, fields: Record<string, string>) => {
      const form = new FormData();
      form.set('name', new Blob([bytes], { type: 'application/pdf' }), 'contract.pdf');
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      const res = await fetch(`${h!.sandbox.url}/organizations/${h!.sandbox.organizationId}/file`, {
        method: 'POST', body: form, headers: { authorization: `Bearer ${h!.sandbox.token}`, 'x-tallyfy-client': 'APIClient', accept: 'application/json' },
      });
      return { status: res.status, body: (await res.json()) as LooseJson };
    };
    const target = { subject_type: 'Run', subject_id: run.id, uploaded_from: captures[0].id, step_id: step.id, checklist_id: checklist.id };
    const bytes = Buffer.from('%PDF-1.4 sandbox bytes');
    const asset = await upload(bytes, target);
    expect(asset.status).toBe(200);
    expect(asset.body.data).toMatchObject({ filename: 'contract.pdf', version: 1, subject: { type: 'Run', id: run.id } });
    expect((await upload(Buffer.alloc(2048), target)).status).toBe(422);
    expect((await upload(bytes, { ...target, uploaded_from: captures[1].id })).status).toBe(422);
    expect((await upload(bytes, { ...target, subject_id: 'nope' })).status).toBe(422);
    // Uploaded but not attached: the required file field is still empty.
    expect((await h.api('POST', `/runs/${run.id}/completed-tasks`, { task_id: task.id })).status).toBe(422);
    expect((await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [captures[0].id]: [{ id: 'f'.repeat(32) }] } })).status).toBe(422);
    const attached = await h.api('PUT', `/runs/${run.id}/tasks/${task.id}`, { taskdata: { [captures[0].id]: [asset.body.data] } });
    expect(attached.body.data.form_fields.data[0].value).toEqual([{ id: asset.body.data.id, filename: 'contract.pdf', version: 1 }]);
    expect((await h.api('POST', `/runs/${run.id}/completed-tasks`, { task_id: task.id })).status).toBe(200);
    const dl = await fetch(`${h.sandbox.goUrl}/organizations/${h.sandbox.organizationId}/file/${asset.body.data.id}/dl`, { headers: { authorization: `Bearer ${h.sandbox.token}`, 'x-tallyfy-client': 'APIClient' } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await dl.arrayBuffer())).toEqual(bytes);
    expect((await h.api('GET', `/file/${'0'.repeat(32)}/dl`)).body.code).toBe('RESOURCE_NOT_FOUND');
    expect(h.sandbox.inspect().files).toHaveLength(1);
  });
});
