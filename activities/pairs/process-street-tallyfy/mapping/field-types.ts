import { KEY, type CaptureSpec, type PsTemplateField } from '../contract.ts';
import { DEGRADED_FIELD_TYPES, fieldRule, type FieldRule, type PsMappingConfig } from './mapping-config.ts';
import { cleanText } from './text.ts';

/** What a template field becomes in its step: a capture, a line of the step summary, or nothing. */
export type FieldPlan =
  | { kind: 'capture'; capture: CaptureSpec; rule: FieldRule; notes: string[]; degraded: string[] }
  | { kind: 'summary'; line: string; rule: FieldRule; notes: string[]; degraded: string[] }
  | { kind: 'skip'; rule: FieldRule; notes: string[]; degraded: string[] };

const OPTION_TYPES = new Set(['dropdown', 'multiselect', 'radio']);

/**
 * Plans one PS form field per the config's type table. Option and column ids are integers assigned
 * from PS's order (1, 2, …): the same template always gives the same ids, and Tallyfy rejects string
 * option ids with 422 (reference: [MIG]). The run mapper re-plans the same field to convert values,
 * so both sides agree without storing the plan.
 */
export function planField(field: PsTemplateField, position: number, config: PsMappingConfig): FieldPlan {
  const { rule, known } = fieldRule(config, field.fieldType);
  const label = cleanText(field.label) || cleanText(field.key) || `${field.fieldType} field`;
  const notes: string[] = [];
  const degraded: string[] = [];
  if (!known) degraded.push(`field "${label}": type ${field.fieldType} is unknown to the mapping; mapped as ${rule.to}`);
  else if (DEGRADED_FIELD_TYPES.has(field.fieldType) && rule.to !== 'skip') {
    degraded.push(`field "${label}": ${field.fieldType} has no Tallyfy equivalent; ${rule.to === 'summary' ? 'described in the step summary' : `kept as ${rule.to}`}, its behaviour is lost`);
  }
  if (rule.to === 'skip') return { kind: 'skip', rule, notes: [`field "${label}" (${field.fieldType}) skipped by the job's mapping`], degraded };
  if (rule.to === 'summary') return { kind: 'summary', line: `${label} (Process Street ${field.fieldType} field)`, rule, notes, degraded };

  if (field.fieldType === 'MultiSelect' && rule.to === 'multiselect') degraded.push(`field "${label}": subtasks become a multiselect (checked = done); subtask behaviour is lost`);
  for (const lost of ['unit', 'min', 'max', 'minValue', 'maxValue'] as const) {
    const v = field.config[lost];
    if (v !== undefined && v !== null && v !== '') degraded.push(`field "${label}": ${lost} ${JSON.stringify(v)} not carried`);
  }
  if (field.hiddenByDefault) degraded.push(`field "${label}": hidden by default in Process Street (conditional logic not carried)`);
  // Tallyfy refuses to complete a task while a required field is empty (reference: completed-tasks), and
  // Process Street holds completed tasks with empty required fields (and file values are not in taskdata
  // at completion): a required capture would leave such runs unmigratable, so none is required.
  if (field.required) degraded.push(`field "${label}": required in Process Street, optional in Tallyfy (completed runs hold it empty)`);

  const capture: CaptureSpec = {
    source: { kind: KEY.templateField, id: field.id }, label, fieldType: rule.to, required: false, position,
  };
  if (rule.validation.length > 0) capture.validation = [...rule.validation];
  if (OPTION_TYPES.has(rule.to)) {
    capture.options = optionsOf(field).map(({ id, text }) => ({ id, text }));
    if (capture.options.length === 0) notes.push(`field "${label}" has no options`);
    else notes.push(`field "${label}": option keys replaced by ids 1..${capture.options.length} in Process Street order`);
  }
  if (rule.to === 'table') capture.columns = field.columns.map((c, i) => ({ id: i + 1, label: cleanText(c.name) || `Column ${i + 1}` }));
  return { kind: 'capture', capture, rule, notes, degraded };
}

/** Options with their deterministic integer ids; the text is the label (the key when the label is empty). */
export function optionsOf(field: Pick<PsTemplateField, 'options'>): Array<{ id: number; text: string; value: string }> {
  return field.options.map((o, i) => ({ id: i + 1, text: cleanText(o.label) || cleanText(o.value) || `Option ${i + 1}`, value: o.value }));
}
