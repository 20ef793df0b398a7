import { createRng, type Rng } from '../../core/prng.ts';
import { DAY_MS, EPOCH, iso, KIND, muid, slug } from './ids.ts';
import type { Audit, FieldOption, FieldType, FormField, Revision, UserRef, Widget, Workflow, WorkflowTask } from './types.ts';
import { FIELD_TYPES } from './types.ts';
import { FIELD_LABELS, OPTION_SETS, SUBTASKS, TABLE_COLUMNS, TASK_NAMES, WORKFLOW_NAMES } from './words.ts';

/** A template field with what its value generator needs (options, subtask items, table columns). */
export interface FieldSpec {
  field: FormField;
  required: boolean;
  hiddenByDefault: boolean;
  options: FieldOption[];
  /** Widget `config.items`: choices of Select/MultiChoice (same order as options) or subtasks of MultiSelect. */
  items: { id: string; name: string }[];
  columns: { id: string; name: string }[];
  config: Record<string, unknown>;
}

export interface Template {
  workflow: Workflow;
  tasks: WorkflowTask[];
  fields: FieldSpec[];
  revisions: Revision[];
  /** Widgets per template task id (the same for every revision: revisions differ only in status here). */
  widgets: Map<string, Widget[]>;
}

export const auditOf = (createdMs: number, createdBy: UserRef, updatedMs: number, updatedBy: UserRef): Audit =>
  ({ createdDate: iso(createdMs), createdBy, updatedDate: iso(updatedMs), updatedBy });

/**
 * Templates. Field types rotate across workflows so every type appears in several of them, and workflow 0
 * holds every type. Stop tasks, tasks hidden by default and approval tasks are spread across templates.
 */
export function buildTemplates(seed: number, count: number, pickUser: (rng: Rng) => UserRef): Template[] {
  const templates: Template[] = [];
  for (let w = 0; w < count; w += 1) {
    const rng = createRng(seed, KIND.workflow, w);
    const id = muid(seed, KIND.workflow, w);
    const baseName = WORKFLOW_NAMES[w % WORKFLOW_NAMES.length] as string;
    const name = w < WORKFLOW_NAMES.length ? baseName : `${baseName} v${Math.floor(w / WORKFLOW_NAMES.length) + 1}`;
    const createdMs = EPOCH + w * DAY_MS + rng.int(DAY_MS);
    const author = pickUser(rng);
    const audit = auditOf(createdMs, author, createdMs + 30 * DAY_MS + rng.int(DAY_MS), pickUser(rng));
    const workflow: Workflow = {
      id, name,
      ...(w % 4 === 1 ? {} : { description: `How we run "${name}" — owned by ${author.email}` }),
      audit,
      links: [{ name: 'app', href: `https://app.process.st/workflows/${id}`, rel: 'workflow', type: 'App' }],
    };
    const taskCount = rng.between(5, 8);
    const tasks: WorkflowTask[] = [];
    for (let t = 0; t < taskCount; t += 1) {
      tasks.push({
        id: muid(seed, KIND.task, w, t),
        workflowId: id,
        name: TASK_NAMES[(w * 3 + t) % TASK_NAMES.length] as string,
        orderTree: String(t + 1),
        stopTask: t === 2 && w % 3 === 0,
        hiddenByDefault: t === taskCount - 1 && w % 4 === 2,
        taskType: t === 3 && w % 2 === 0 ? 'Approval' : 'Standard',
      });
    }
    const types = w === 0 ? FIELD_TYPES : Array.from({ length: rng.between(8, 10) }, (_, k) => FIELD_TYPES[(w * 5 + k) % FIELD_TYPES.length] as FieldType);
    const keys = new Set<string>();
    const fields = types.map((fieldType, k) => buildField(seed, rng, { w, k, fieldType, tasks, keys, audit }));
    const revisionCount = 1 + (w % 3);
    const revisions: Revision[] = Array.from({ length: revisionCount }, (_, r) => ({
      id: muid(seed, KIND.revision, w, r), workflowId: id, version: r + 1, status: r === revisionCount - 1 ? 'Finished' : 'Revised',
    }));
    if (w % 5 === 4) revisions.push({ id: muid(seed, KIND.revision, w, revisionCount), workflowId: id, version: revisionCount + 1, status: 'Draft' });
    templates.push({ workflow, tasks, fields, revisions, widgets: widgetsOf(seed, w, tasks, fields) });
  }
  return templates;
}

function buildField(seed: number, rng: Rng, at: { w: number; k: number; fieldType: FieldType; tasks: WorkflowTask[]; keys: Set<string>; audit: Audit }): FieldSpec {
  const { w, k, fieldType, tasks, keys, audit } = at;
  const labels = FIELD_LABELS[fieldType] as readonly string[];
  const label = labels[(w + k) % labels.length] as string;
  let key = slug(label);
  for (let n = 2; keys.has(key); n += 1) key = `${slug(label)}-${n}`;
  keys.add(key);
  const task = tasks[k % tasks.length] as WorkflowTask;
  const field: FormField = { id: muid(seed, KIND.field, w, k), taskId: task.id, fieldType, key, label, dataSetLinked: fieldType === 'Select' && w % 7 === 3, audit };
  const itemId = (i: number) => muid(seed, KIND.item, w, k, i);
  let options: FieldOption[] = [];
  let items: { id: string; name: string }[] = [];
  let columns: { id: string; name: string }[] = [];
  let config: Record<string, unknown> = {};
  if (fieldType === 'Select' || fieldType === 'MultiChoice') {
    const names = OPTION_SETS[label] ?? ['Yes', 'No'];
    options = names.map((n) => ({ value: slug(n), label: n }));
    items = names.map((n, i) => ({ id: itemId(i), name: n }));
    config = { items };
  } else if (fieldType === 'MultiSelect') {
    items = SUBTASKS.slice(0, 3 + (w % 3)).map((n, i) => ({ id: itemId(i), name: n }));
    config = { items };
  } else if (fieldType === 'Table') {
    columns = TABLE_COLUMNS.slice(0, 2 + (w % 3)).map((n, i) => ({ id: muid(seed, KIND.column, w, k, i), name: n }));
    config = { columnDefs: columns };
  } else if (fieldType === 'Date') config = { timeOption: w % 2 === 0 ? 'Hidden' : 'Optional' };
  else if (fieldType === 'Number') config = { unit: label === 'Amount' ? 'EUR' : label === 'Hours spent' ? 'h' : '' };
  else if (fieldType === 'Hidden') config = { defaultValue: 'imported' };
  else if (fieldType === 'Snippet') config = { value: 'Follow the steps in the handbook, section {{form.customer-name}}.' };
  else if (fieldType === 'SendRichEmail') config = { to: ['{{form.contact-email}}'], subject: `About ${label}`, body: '<p>Hello,</p><p>Here is the update.</p>' };
  else if (fieldType === 'Text' || fieldType === 'Textarea') config = { placeholder: `Enter ${label.toLowerCase()}`, defaultValue: '' };
  return { field, required: rng.chance(0.4) && fieldType !== 'Snippet' && fieldType !== 'Hidden', hiddenByDefault: fieldType === 'Hidden', options, items, columns, config };
}

function widgetsOf(seed: number, w: number, tasks: WorkflowTask[], fields: FieldSpec[]): Map<string, Widget[]> {
  const widgets = new Map<string, Widget[]>(tasks.map((t) => [t.id, []]));
  // A content widget on the first task: what `type=FormField` filters out.
  const first = tasks[0] as WorkflowTask;
  widgets.get(first.id)?.push({ id: muid(seed, KIND.widget, w, 0), taskId: first.id, type: 'Text', required: false, hiddenByDefault: false, config: { content: '<p>Read this first.</p>' } });
  for (const spec of fields) {
    const { field } = spec;
    // The widget of a form field has the form field's id (inferred: the API addresses values by field id).
    widgets.get(field.taskId)?.push({
      id: field.id, taskId: field.taskId, type: 'FormField', fieldType: field.fieldType, key: field.key, label: field.label,
      required: spec.required, hiddenByDefault: spec.hiddenByDefault, config: spec.config,
    });
  }
  return widgets;
}
