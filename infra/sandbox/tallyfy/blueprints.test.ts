import { afterEach, describe, expect, it } from 'vitest';
import type { LooseJson } from '../test-client.ts';
import { blueprint, startHarness, type Harness } from './test-support.ts';

describe('Tallyfy sandbox templates, steps and form fields', () => {
  let h: Harness | undefined;
  afterEach(() => h?.sandbox.close());

  it('validates form fields: field_type from the enum only, required present, integer option and column ids', async () => {
    h = await startHarness();
    const { checklist, step } = await blueprint(h.api, []);
    const add = (body: Record<string, unknown>) => h!.api('POST', `/checklists/${checklist.id}/steps/${step.id}/captures`, body);
    const ok = await add({ label: 'Colour', field_type: 'dropdown', required: true, options: [{ id: 1, text: 'Red' }, { id: 2, text: 'Blue' }] });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ label: 'Colour', field_type: 'dropdown', required: true, step_id: step.id });
    expect(ok.body.data.id).toMatch(/^[0-9a-f]{32}$/);
    for (const type of ['number', 'url', 'checkbox', 'datetime', 'time']) {
      const refused = await add({ label: 'X', field_type: type, required: false });
      expect(refused.status).toBe(422);
      expect(refused.body.errors.field_type).toBeDefined();
    }
    const noRequired = await add({ label: 'X', field_type: 'text' });
    expect(noRequired.status).toBe(422);
    expect(noRequired.body.errors.required).toBeDefined();
    const stringId = await add({ label: 'X', field_type: 'multiselect', required: false, options: [{ id: '1', text: 'A' }] });
    expect(stringId.status).toBe(422);
    expect(stringId.body.errors['options.0.id']).toBeDefined();
    expect((await add({ label: 'T', field_type: 'table', required: false, columns: [{ id: 'a', label: 'A' }] })).status).toBe(422);
    expect((await add({ field_type: 'text', required: false })).body.errors.label).toBeDefined();
    const read = await h.api('GET', `/checklists/${checklist.id}?with=steps`);
    expect(read.body.data.steps.data[0].captures.map((c: LooseJson) => c.label)).toEqual(['Colour']);
    expect(read.body.data).toMatchObject({ steps_count: 1, prerun: [] });
    expect((await h.api('POST', '/checklists', { title: 'x', type: 'workflow' })).status).toBe(422);
  });

  it('freezes a template once a process is launched from it: steps, fields and kick-off form refused with 422', async () => {
    h = await startHarness();
    const { checklist, step } = await blueprint(h.api, [{ label: 'Name', field_type: 'text', required: false }]);
    // Before the launch every change is accepted.
    expect((await h.api('PUT', `/checklists/${checklist.id}/steps/${step.id}`, { title: 'Collect data' })).status).toBe(200);
    expect((await h.api('POST', '/runs', { checklist_id: checklist.id })).status).toBe(201);
    const newStep = await h.api('POST', `/checklists/${checklist.id}/steps`, { title: 'Late' });
    expect(newStep.status).toBe(422);
    expect(newStep.body).toMatchObject({ error: true, errors: { checklist_id: [expect.stringContaining('frozen')] } });
    expect((await h.api('PUT', `/checklists/${checklist.id}/steps/${step.id}`, { title: 'Renamed' })).status).toBe(422);
    expect((await h.api('POST', `/checklists/${checklist.id}/steps/${step.id}/captures`, { label: 'Late', field_type: 'text', required: false })).status).toBe(422);
    expect((await h.api('PUT', `/checklists/${checklist.id}`, { title: 'Onboarding', prerun: [] })).status).toBe(422);
    // The title alone may still change; the template kept its one step and field.
    expect((await h.api('PUT', `/checklists/${checklist.id}`, { title: 'Onboarding v2' })).status).toBe(200);
    const snapshot = h.sandbox.inspect().checklists[0] as LooseJson;
    expect(snapshot).toMatchObject({ title: 'Onboarding v2', frozen: true, runs_launched: 1, steps_count: 1 });
    expect(snapshot.steps.data[0]).toMatchObject({ title: 'Collect data' });
    expect(snapshot.steps.data[0].captures).toHaveLength(1);
  });
});
