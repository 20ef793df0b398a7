import type { PsTemplateField, PsTemplateTask, PsWorkflow } from '../contract.ts';
import type { PsClient } from './ps-client.ts';
import { itemsOf, listAll, listPage, mapLimit } from './ps-pages.ts';
import { templateTaskOf, userRefOf, type Converted } from './ps-records.ts';
import type { RawOption, RawRevision, RawTemplateField, RawTemplateTask, RawWidget, RawWorkflow } from './ps-types.ts';

/** Field types whose options live behind `/form-fields/{id}/options`. */
const CHOICE_TYPES: ReadonlySet<string> = new Set(['Select', 'MultiChoice']);

const enc = encodeURIComponent;

/**
 * A workflow with what its blueprint needs: tasks and form fields (all pages), the published
 * (Finished, highest version) revision's FormField widgets of every task that has fields (for
 * `required`, `hiddenByDefault` and `config`: items, columnDefs, timeOption…), the options of
 * Select/MultiChoice fields, and whether any of its runs has attachments (first page of
 * `/attachments?workflowId=`). Widgets are matched to fields by id, else by `key` (both carry it).
 * Without a Finished revision nothing is required (the reference gives no other source for it).
 */
export async function readWorkflow(client: PsClient, raw: RawWorkflow & { id: string }, concurrency: number, signal?: AbortSignal): Promise<Converted<PsWorkflow>> {
  const id = raw.id;
  const [rawTasks, rawFields, revisionsBody, attachments] = await Promise.all([
    listAll<RawTemplateTask>(client, 'tasks', `/workflows/${enc(id)}/tasks`, [], signal),
    listAll<RawTemplateField>(client, 'fields', `/workflows/${enc(id)}/form-fields`, [], signal),
    client.get<unknown>(`/workflows/${enc(id)}/revisions`, [['status', 'Finished']], signal),
    listPage<unknown>(client, 'data', { path: '/attachments', query: [['workflowId', id]] }, signal),
  ]);
  const tasks: PsTemplateTask[] = [];
  for (const [i, t] of rawTasks.entries()) {
    const task = templateTaskOf(t, i);
    if (!task.ok) return { ok: false, reason: `workflow ${id}: ${task.reason}` };
    tasks.push(task.value);
  }
  const published = itemsOf<RawRevision>(revisionsBody, 'data')
    .filter((r) => r.status === 'Finished' && typeof r.id === 'string')
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0))[0];
  const taskIdsWithFields = [...new Set(rawFields.map((f) => f.taskId).filter((t): t is string => typeof t === 'string' && t !== ''))];
  const widgetLists = published?.id
    ? await mapLimit(taskIdsWithFields, concurrency, (tid) =>
      listAll<RawWidget>(client, 'data', `/workflows/${enc(id)}/revisions/${enc(published.id as string)}/tasks/${enc(tid)}/widgets`, [['type', 'FormField']], signal))
    : [];
  const widgets = widgetLists.flat();
  const widgetOf = (f: RawTemplateField): RawWidget | undefined => widgets.find((w) => w.id === f.id) ?? widgets.find((w) => w.key === f.key);
  const fields: PsTemplateField[] = [];
  for (const f of rawFields) {
    if (typeof f.id !== 'string' || f.id === '' || typeof f.key !== 'string') return { ok: false, reason: `workflow ${id}: form field without id or key` };
    fields.push(fieldOf(f as RawTemplateField & { id: string; key: string }, widgetOf(f)));
  }
  await mapLimit(fields.filter((f) => CHOICE_TYPES.has(f.fieldType)), concurrency, async (f) => {
    const options = await listAll<RawOption>(client, 'options', `/workflows/${enc(id)}/form-fields/${enc(f.id)}/options`, [], signal);
    const read = options.flatMap((o) => (typeof o.value === 'string' ? [{ value: o.value, label: typeof o.label === 'string' ? o.label : o.value }] : []));
    // The widget's items stand in when the options listing is empty.
    if (read.length > 0) f.options = read;
  });
  return {
    ok: true,
    value: {
      kind: 'workflows', id, name: typeof raw.name === 'string' ? raw.name : '', description: typeof raw.description === 'string' ? raw.description : null,
      createdDate: raw.audit?.createdDate ?? '', createdBy: userRefOf(raw.audit?.createdBy),
      tasks, fields, hasAttachments: attachments.items.length > 0,
    },
  };
}

function fieldOf(f: RawTemplateField & { id: string; key: string }, widget: RawWidget | undefined): PsTemplateField {
  const { items, columnDefs, ...config } = widget?.config ?? {};
  const named = (list: unknown): Array<{ id: string; name: string }> => (Array.isArray(list) ? list : [])
    .flatMap((x: { id?: unknown; name?: unknown } | null) => (typeof x?.id === 'string' ? [{ id: x.id, name: typeof x.name === 'string' ? x.name : x.id }] : []));
  return {
    id: f.id, taskId: f.taskId ?? '', key: f.key, label: f.label ?? f.key, fieldType: f.fieldType ?? 'Text',
    required: widget?.required === true, hiddenByDefault: widget?.hiddenByDefault === true,
    options: named(items).map((i) => ({ value: i.id, label: i.name })),
    columns: named(columnDefs),
    config,
  };
}
