import type { PsObject } from '../contract.ts';
import type { PsClient } from '../process-street/ps-client.ts';
import { listAll, mapLimit } from '../process-street/ps-pages.ts';
import type { RawRun, RawRunTask, RawRunValue, RawWorkflow } from '../process-street/ps-types.ts';

/** How a count was obtained: read whole, extrapolated from a sample of runs, or not needed by the job. */
export type CountBasis = 'counted' | 'estimated' | 'not needed';

/** What the plan knows of an organisation (totals over the whole organisation). */
export interface OrgCounts {
  users: number;
  groups: number;
  workflows: number;
  workflowTasks: number;
  workflowFields: number;
  runs: number;
  archivedRuns: number;
  runTasks: number;
  runTasksCompleted: number;
  /** Run tasks with at least one non-empty value (the target writes their values with one PUT each). */
  runTasksWithValues: number;
  runValues: number;
  comments: number;
  attachments: number;
  /** Attachments on completed run tasks (the target reopens and completes the task again). */
  attachmentsOnCompletedTasks: number;
  /** Runs whose tasks, values, comments or attachments were read (all runs when `sampledRuns === runs`). */
  sampledRuns: number;
  basis: Record<'users' | 'groups' | 'workflows' | 'runs' | 'runTasks' | 'comments' | 'attachments', CountBasis>;
  /** Source calls spent counting. */
  calls: number;
}

export interface CountOptions {
  /** Most calls spent reading runs one by one (tasks, values, comments, attachments); beyond, a sample (default 400). */
  perRunCalls?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

const empty = (v: unknown): boolean => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** `count` indices spread evenly over `0..n-1` (all of them when count ≥ n). */
export function evenSample(n: number, count: number): number[] {
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * n) / count));
}

/**
 * Counts an organisation for a job's plan. Listings give users, workflows and runs (with status);
 * SCIM's `totalResults` gives groups. Workflows' tasks and fields are read for every job (its
 * `prepare` reads them all). What no listing says — run tasks, values, comments, attachments — is
 * read run by run: every run while that fits in `perRunCalls`, else evenly spaced runs, extrapolated
 * (the basis says which). Process Street has no totals on its listings: counting is paging.
 */
export async function countOrganization(
  client: PsClient, objects: readonly PsObject[], options: CountOptions & { groups?: () => Promise<number | null> } = {},
): Promise<OrgCounts> {
  const { signal } = options;
  const concurrency = options.concurrency ?? 4;
  const before = client.stats().requests;
  const has = (o: PsObject): boolean => objects.includes(o);
  const needRuns = has('runs') || has('comments') || has('attachments');
  const basis: OrgCounts['basis'] = {
    users: has('users') ? 'counted' : 'not needed', groups: has('groups') ? 'counted' : 'not needed', workflows: 'counted',
    runs: needRuns ? 'counted' : 'not needed', runTasks: 'not needed', comments: 'not needed', attachments: 'not needed',
  };
  const users = has('users') ? (await listAll<unknown>(client, 'users', '/users', [], signal)).length : 0;
  const groups = has('groups') && options.groups ? ((await options.groups()) ?? 0) : 0;

  const workflows = await listAll<RawWorkflow>(client, 'workflows', '/workflows', [], signal);
  const sizes = await mapLimit(workflows, concurrency, async (w) => {
    const id = encodeURIComponent(w.id ?? '');
    const [tasks, fields] = [await listAll(client, 'tasks', `/workflows/${id}/tasks`, [], signal), await listAll(client, 'fields', `/workflows/${id}/form-fields`, [], signal)];
    return { tasks: tasks.length, fields: fields.length };
  });

  const runs = needRuns ? await listAll<RawRun>(client, 'data', '/workflow-runs/list', [], signal) : [];
  // Run tasks: all of them for runs; for attachments only on runs that have some (on a completed task, the target reopens it).
  const perRun = (has('runs') ? 2 : 0) + (has('comments') ? 1 : 0) + (has('attachments') ? 1 : 0);
  const budget = options.perRunCalls ?? 400;
  const picked = perRun === 0 ? [] : evenSample(runs.length, Math.max(1, Math.floor(budget / perRun)));
  const perRunBasis: CountBasis = picked.length >= runs.length ? 'counted' : 'estimated';
  if (has('runs')) basis.runTasks = perRunBasis;
  if (has('comments')) basis.comments = perRunBasis;
  if (has('attachments')) basis.attachments = perRunBasis;

  const read = await mapLimit(picked, concurrency, async (index) => {
    const id = encodeURIComponent((runs[index] as RawRun).id ?? '');
    const runId = (runs[index] as RawRun).id ?? '';
    const comments = has('comments') ? await listAll(client, 'data', '/comments', [['workflowRunId', runId]], signal) : [];
    const attachments = has('attachments') ? await listAll<{ taskId?: string }>(client, 'data', '/attachments', [['workflowRunId', runId]], signal) : [];
    const tasks = has('runs') || attachments.length > 0 ? await listAll<RawRunTask>(client, 'tasks', `/workflow-runs/${id}/tasks`, [], signal) : [];
    const values = has('runs') ? await listAll<RawRunValue>(client, 'fields', `/workflow-runs/${id}/form-fields`, [], signal) : [];
    const completed = new Set(tasks.filter((t) => t.status === 'Completed').map((t) => t.id));
    const filled = values.filter((v) => !empty(v.data));
    return {
      tasks: has('runs') ? tasks.length : 0, completed: has('runs') ? completed.size : 0, withValues: new Set(filled.map((v) => v.taskId)).size, values: values.length,
      comments: comments.length, attachments: attachments.length, onCompleted: attachments.filter((a) => completed.has(a.taskId)).length,
    };
  });
  // Extrapolated from the sample to every run (exact when every run was read).
  const scale = picked.length === 0 ? 0 : runs.length / picked.length;
  const total = (k: keyof (typeof read)[number]): number => Math.round(read.reduce((s, r) => s + r[k], 0) * scale);
  return {
    users, groups, workflows: workflows.length,
    workflowTasks: sizes.reduce((s, w) => s + w.tasks, 0), workflowFields: sizes.reduce((s, w) => s + w.fields, 0),
    runs: runs.length, archivedRuns: runs.filter((r) => r.status === 'Archived').length,
    runTasks: total('tasks'), runTasksCompleted: total('completed'), runTasksWithValues: total('withValues'), runValues: total('values'),
    comments: total('comments'), attachments: total('attachments'), attachmentsOnCompletedTasks: total('onCompleted'),
    sampledRuns: picked.length, basis, calls: client.stats().requests - before,
  };
}

