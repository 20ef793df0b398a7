import { sourceKeyString } from '../../../connectors/id-map/id-map.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import { KEY, type ProcessTaskSpec, type ProcessWrite, type TallyfyWriteResult } from '../contract.ts';
import { item, known, pathId, remember, result, type TfRun, type TfTask, type WriteContext } from './tallyfy-shapes.ts';
import { runTaskTarget } from '../mapping/keys.ts';

/** Task owners in Tallyfy's assignee shape (inferred from the assignees_form value `{users, guests, groups}`). */
const owners = (ids: number[]): { users: number[]; guests: string[]; groups: string[] } => ({ users: ids, guests: [], groups: [] });

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Dates come back ISO Zulu and go in as `YYYY-MM-DD HH:MM:SS` (read as UTC here: inferred). */
function sameInstant(a: string | null | undefined, b: string): boolean {
  const ms = (d: string): number => Date.parse(/^\d{4}-\d\d-\d\d \d/.test(d) ? `${d.replace(' ', 'T')}Z` : d);
  return !!a && ms(a) === ms(b);
}

/** The run's tasks (without_pagination: a run has tens of tasks, one call). */
export async function runTasks(ctx: WriteContext, runId: string): Promise<TfTask[]> {
  const body = await ctx.client.request<{ data?: TfTask[] }>('GET', `/runs/${pathId(runId)}/tasks`, { query: { without_pagination: 'true' }, signal: ctx.signal });
  return body.data ?? [];
}

async function findRun(ctx: WriteContext, w: ProcessWrite): Promise<TfRun | undefined> {
  const match = (r: TfRun): boolean => r.name === w.name && r.checklist_id === w.checklistId;
  return (await ctx.client.listAll<TfRun>('/runs', { q: w.name, checklist_id: w.checklistId }, { signal: ctx.signal, until: match })).find(match);
}

/**
 * Process: id map → `GET /runs?q=<name with marker>&checklist_id` → `POST /runs` (launch, with each
 * task's deadline and owners). Then every task: its `KEY.runTask` entry, its values written BEFORE
 * completion (a completed task is read-only), completion when asked (status checked first: a second
 * completion errors), and archiving last. Nothing can be backdated: dates are reported as degraded.
 */
export async function writeProcess(ctx: WriteContext, w: ProcessWrite): Promise<TallyfyWriteResult> {
  const warnings: string[] = [];
  const degraded = ['created date not preserved (Tallyfy cannot backdate a launch)'];
  let runId = (await known(ctx, w.source))?.id;
  let created = false;
  if (!runId) {
    const found = await findRun(ctx, w);
    if (found) {
      runId = found.id;
      warnings.push('found the process from an earlier attempt; adopted it');
    } else {
      const tasks = Object.fromEntries(w.tasks.map((t) => [t.stepId, { ...(t.deadline ? { deadline: t.deadline } : {}), owners: owners(t.owners) }]));
      runId = item(await ctx.client.request<{ data: TfRun }>('POST', '/runs', {
        body: { checklist_id: w.checklistId, name: w.name, summary: w.summary, tasks }, signal: ctx.signal,
      })).id;
      created = true;
    }
    const ours = runId;
    runId = (await remember(ctx, w.source, { object: 'run', id: runId })).id;
    if (created && runId !== ours) {
      // A concurrent attempt won the id map: archive our copy (runs cannot be deleted, only archived) and go on with theirs.
      await ctx.client.request('DELETE', `/runs/${pathId(ours)}`, { signal: ctx.signal });
      warnings.push(`concurrent write won; archived duplicate process ${ours}`);
      created = false;
    }
  }

  const tasks = await runTasks(ctx, runId);
  const byStep = new Map(tasks.map((t) => [t.step_id, t]));
  const mapped = await ctx.idMap.get(w.tasks.map((t) => t.source));
  const toMap = w.tasks.flatMap((t) => {
    const task = byStep.get(t.stepId);
    // The step travels with the task id (runTaskTarget): comments and files are written to (run, step), and
    // only the run mapping knows which step a run task matched (mapping/keys.ts parses it back).
    return task && !mapped.has(sourceKeyString(t.source)) ? [{ source: t.source, target: runTaskTarget(task.id, t.stepId) }] : [];
  });
  if (toMap.length > 0) await ctx.idMap.put(toMap, ctx.jobId ? { jobId: ctx.jobId } : {});

  let changed = 0;
  for (const spec of w.tasks) {
    const task = byStep.get(spec.stepId);
    if (!task) {
      warnings.push(`no task of step ${spec.stepId} in the process (${KEY.runTask} ${spec.source.id} not migrated)`);
      continue;
    }
    changed += await writeTask(ctx, runId, task, spec, !created, degraded);
  }

  if (w.status === 'archived') {
    const run = item(await ctx.client.request<{ data: TfRun }>('GET', `/runs/${pathId(runId)}`, { signal: ctx.signal }));
    if (run.status !== 'archived') {
      await ctx.client.request('DELETE', `/runs/${pathId(runId)}`, { signal: ctx.signal });
      changed += 1;
    }
  }
  if (w.dueDate) degraded.push('process due date carried by its tasks\' deadlines only');
  return result({ object: 'run', id: runId }, created ? 'created' : changed > 0 ? 'updated' : 'unchanged', warnings, [...new Set(degraded)]);
}

/** One task: deadline/owners (when adopted, launch set them otherwise) and values, then completion. Returns the writes made. */
async function writeTask(ctx: WriteContext, runId: string, task: TfTask, spec: ProcessTaskSpec, adopted: boolean, degraded: string[]): Promise<number> {
  if (task.status === 'completed') {
    if (spec.complete) degraded.push('completion date not preserved (Tallyfy cannot backdate)');
    return 0;
  }
  let writes = 0;
  const body: Record<string, unknown> = {};
  const pending = Object.entries(spec.taskdata).filter(([k, v]) => !sameJson(task.taskdata?.[k], v));
  if (pending.length > 0) body.taskdata = Object.fromEntries(pending);
  if (adopted) {
    if (spec.deadline && !sameInstant(task.deadline, spec.deadline)) body.deadline = spec.deadline;
    if (!sameJson([...(task.owners?.users ?? [])].sort(), [...spec.owners].sort())) body.owners = owners(spec.owners);
  }
  if (Object.keys(body).length > 0) {
    await ctx.client.request('PUT', `/runs/${pathId(runId)}/tasks/${pathId(task.id)}`, { body, signal: ctx.signal });
    writes += 1;
  }
  if (!spec.complete) return writes;
  try {
    await ctx.client.request('POST', `/runs/${pathId(runId)}/completed-tasks`, {
      body: { task_id: task.id, ...(spec.complete.by !== null ? { override_user: spec.complete.by } : {}) }, signal: ctx.signal,
    });
  } catch (error) {
    // An answer lost after the completion went through: read the task again before failing the record.
    if (!isConnectorError(error) || error.status !== 422) throw error;
    const again = (await runTasks(ctx, runId)).find((t) => t.id === task.id);
    if (again?.status !== 'completed') throw error;
  }
  degraded.push('completion date not preserved (Tallyfy cannot backdate)');
  if (spec.complete.by === null) degraded.push('completed by the migrating user (the original completer was not migrated)');
  return writes + 1;
}
