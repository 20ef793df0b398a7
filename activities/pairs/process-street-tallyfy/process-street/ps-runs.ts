import type { PsRun, PsRunTask, PsRunValue, PsUserRef } from '../contract.ts';
import type { PsClient } from './ps-client.ts';
import { itemsOf, listAll, mapLimit } from './ps-pages.ts';
import { runTaskOf, runValueOf, userRefOf, type Converted } from './ps-records.ts';
import type { RawRun, RawRunTask, RawRunValue, RawUserRef } from './ps-types.ts';

const RUN_STATUSES: ReadonlySet<string> = new Set(['Active', 'Completed', 'Archived']);
const enc = encodeURIComponent;

/**
 * A run with its tasks (all pages, positions 0-based in listing order — run tasks carry no
 * template-task id, the mapping pairs them with template tasks by order and name), each task's
 * assignees (one unpaged call per task), and its form-field values (all pages). A malformed task or
 * value makes the whole run unreadable (skipped with the reason) rather than silently incomplete.
 */
export async function readRun(client: PsClient, raw: RawRun & { id: string }, concurrency: number, signal?: AbortSignal): Promise<Converted<PsRun>> {
  const id = raw.id;
  if (typeof raw.status !== 'string' || !RUN_STATUSES.has(raw.status)) return { ok: false, reason: `run ${id} has status ${String(raw.status).slice(0, 20)}` };
  if (typeof raw.workflowId !== 'string' || raw.workflowId === '') return { ok: false, reason: `run ${id} without workflowId` };
  const [rawTasks, rawValues] = await Promise.all([
    listAll<RawRunTask>(client, 'tasks', `/workflow-runs/${enc(id)}/tasks`, [], signal),
    listAll<RawRunValue>(client, 'fields', `/workflow-runs/${enc(id)}/form-fields`, [], signal),
  ]);
  const assignees = await mapLimit(rawTasks, concurrency, async (t): Promise<PsUserRef[]> => {
    if (typeof t.id !== 'string' || t.id === '') return [];
    const body = await client.get<unknown>(`/workflow-runs/${enc(id)}/tasks/${enc(t.id)}/assignees`, [], signal);
    return itemsOf<RawUserRef>(body, 'assignees').flatMap((a) => userRefOf(a) ?? []);
  });
  const tasks: PsRunTask[] = [];
  for (const [i, t] of rawTasks.entries()) {
    const task = runTaskOf(t, i, assignees[i] ?? []);
    if (!task.ok) return { ok: false, reason: `run ${id}: ${task.reason}` };
    tasks.push(task.value);
  }
  const values: PsRunValue[] = [];
  for (const v of rawValues) {
    const value = runValueOf(v);
    if (!value.ok) return { ok: false, reason: `run ${id}: ${value.reason}` };
    values.push(value.value);
  }
  return {
    ok: true,
    value: {
      kind: 'runs', id, name: typeof raw.name === 'string' ? raw.name : '', status: raw.status as PsRun['status'], workflowId: raw.workflowId,
      dueDate: typeof raw.dueDate === 'string' && raw.dueDate !== '' ? raw.dueDate : null,
      createdDate: raw.audit?.createdDate ?? '', createdBy: userRefOf(raw.audit?.createdBy),
      tasks, values,
    },
  };
}
