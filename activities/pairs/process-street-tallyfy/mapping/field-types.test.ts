import { describe, expect, it } from 'vitest';
import { PS_FIELD_TYPES } from '../contract.ts';
import { planField } from './field-types.ts';
import { DEFAULT_PS_MAPPING, resolvePsMappingConfig } from './mapping-config.ts';
import { field } from './test-fixtures.ts';

// Every published PS type, what it becomes, its validation, and whether something is lost by default.
const TABLE: Array<[string, string, string[], boolean]> = [
  ['Text', 'text', [], false],
  ['Textarea', 'textarea', [], false],
  ['Email', 'text', ['email'], false],
  ['Url', 'text', [], false],
  ['Number', 'text', ['numeric'], false],
  ['Date', 'date', [], false],
  ['Select', 'dropdown', [], false],
  ['MultiChoice', 'multiselect', [], false],
  ['MultiSelect', 'multiselect', [], true],
  ['Members', 'assignees_form', [], false],
  ['File', 'file', [], false],
  ['MultiFile', 'file', [], false],
  ['Table', 'table', [], false],
  ['Hidden', 'text', [], true],
  ['Document', 'text', [], true],
  ['Snippet', 'summary', [], true],
  ['SendRichEmail', 'summary', [], true],
];

describe('planField', () => {
  it('covers every published Process Street field type', () => {
    expect(TABLE.map(([t]) => t).sort()).toEqual([...PS_FIELD_TYPES].sort());
  });

  it.each(TABLE)('%s → %s %j (degraded: %s)', (fieldType, to, validation, lost) => {
    const plan = planField(field('f', 't', fieldType), 3, DEFAULT_PS_MAPPING);
    expect(plan.degraded.length > 0).toBe(lost);
    if (to === 'summary') {
      expect(plan).toMatchObject({ kind: 'summary', line: `Label f (Process Street ${fieldType} field)` });
      return;
    }
    expect(plan.kind).toBe('capture');
    if (plan.kind !== 'capture') return;
    expect(plan.capture).toMatchObject({ source: { kind: 'ps_template_field', id: 'f' }, label: 'Label f', fieldType: to, required: false, position: 3 });
    expect(plan.capture.validation ?? []).toEqual(validation);
  });

  it('never makes a capture required (Tallyfy would refuse to complete migrated tasks whose required field is empty): degraded instead', () => {
    const plan = planField(field('f', 't', 'Text', { required: true }), 0, DEFAULT_PS_MAPPING);
    expect(plan.kind === 'capture' && plan.capture.required).toBe(false);
    expect(plan.degraded).toEqual(['field "Label f": required in Process Street, optional in Tallyfy (completed runs hold it empty)']);
  });

  it('assigns integer option ids from PS order, the same every time', () => {
    const f = field('f', 't', 'Select', { options: [{ value: 'k9', label: 'Zed' }, { value: 'k1', label: ' ' }, { value: 'k5', label: 'Mid' }] });
    const a = planField(f, 0, DEFAULT_PS_MAPPING);
    const b = planField(structuredClone(f), 0, DEFAULT_PS_MAPPING);
    expect(a.kind === 'capture' && a.capture.options).toEqual([{ id: 1, text: 'Zed' }, { id: 2, text: 'k1' }, { id: 3, text: 'Mid' }]);
    expect(b).toEqual(a);
  });

  it('turns table column definitions into integer-id columns', () => {
    const plan = planField(field('f', 't', 'Table', { columns: [{ id: 'x', name: 'Item' }, { id: 'y', name: '' }] }), 0, DEFAULT_PS_MAPPING);
    expect(plan.kind === 'capture' && plan.capture.columns).toEqual([{ id: 1, label: 'Item' }, { id: 2, label: 'Column 2' }]);
  });

  it('reports what is lost: unknown type, units, hidden by default', () => {
    expect(planField(field('f', 't', 'SubChecklist'), 0, DEFAULT_PS_MAPPING).degraded).toEqual(['field "Label f": type SubChecklist is unknown to the mapping; mapped as text']);
    expect(planField(field('f', 't', 'Number', { config: { unit: 'kg' } }), 0, DEFAULT_PS_MAPPING).degraded).toEqual(['field "Label f": unit "kg" not carried']);
    expect(planField(field('f', 't', 'Text', { hiddenByDefault: true }), 0, DEFAULT_PS_MAPPING).degraded).toHaveLength(1);
  });

  it('applies overrides: skip Hidden, Email as Tallyfy email', () => {
    const config = resolvePsMappingConfig({ fieldTypes: { Hidden: 'skip', Email: 'email' } });
    const hidden = planField(field('f', 't', 'Hidden'), 0, config);
    expect(hidden).toMatchObject({ kind: 'skip', degraded: [] });
    expect(hidden.notes).toEqual(['field "Label f" (Hidden) skipped by the job\'s mapping']);
    const email = planField(field('f', 't', 'Email'), 0, config);
    expect(email.kind === 'capture' && email.capture.fieldType).toBe('email');
    expect(email.kind === 'capture' && email.capture.validation).toBeUndefined();
  });
});
