import { PS_OBJECTS, type PsObject } from '../contract.ts';
import { PS_DEFAULT_REQUESTS_PER_SEC } from './ps-client.ts';
import { PS_PAGE } from './ps-pages.ts';

/** What a plan needs to know about an organisation (totals; missing sub-counts are estimated as noted). */
export interface PsPlanCounts {
  users?: number | null;
  groups?: number | null;
  workflows?: number | null;
  /** Template tasks and form fields over all workflows. */
  workflowTasks?: number | null;
  workflowFields?: number | null;
  /** Select/MultiChoice fields (one options call each). */
  choiceFields?: number | null;
  /** Template tasks with at least one form field (one widgets call each); default min(tasks, fields). */
  tasksWithFields?: number | null;
  runs?: number | null;
  /** Run tasks and form-field values over all runs. */
  runTasks?: number | null;
  runValues?: number | null;
  comments?: number | null;
  attachments?: number | null;
}

export interface JobCallPlanLine {
  object: PsObject;
  /** Method and path template, e.g. `GET /workflow-runs/{id}/tasks`. */
  endpoint: string;
  calls: number;
  basis: string;
}

export interface PsCallPlan {
  /** Records the job reads, by object. */
  records: Partial<Record<PsObject, number>>;
  lines: JobCallPlanLine[];
  total: number;
  /** Seconds the calls take at the per-key pace (inferred 10/s unless told). */
  seconds: number;
  assumptions: string[];
}

const pages = (n: number): number => Math.max(1, Math.ceil(n / PS_PAGE));
/** Pages of a per-parent listing, sub-items spread evenly: every parent costs at least one page. */
const perParent = (total: number, parents: number): number => (parents <= 0 ? 0 : parents * Math.max(1, Math.ceil(total / parents / PS_PAGE)));

/**
 * Calls a job costs per endpoint, as the source reads: a listing page of 20 = 1 call, plus the
 * per-record sub-reads (a workflow's tasks, fields, published revision, widgets per task with fields,
 * options per choice field, first attachments page; a run's tasks, values and one assignees call per
 * task; comments and attachments one listing per run, the runs enumerated again for each).
 */
export function planCalls(counts: PsPlanCounts, objects: readonly PsObject[] = PS_OBJECTS, requestsPerSec = PS_DEFAULT_REQUESTS_PER_SEC): PsCallPlan {
  const n = (v: number | null | undefined): number => Math.max(0, v ?? 0);
  const lines: JobCallPlanLine[] = [];
  const records: Partial<Record<PsObject, number>> = {};
  const add = (object: PsObject, endpoint: string, calls: number, basis: string): void => {
    lines.push({ object, endpoint, calls, basis });
  };
  const runs = n(counts.runs);
  if (objects.includes('users')) {
    records.users = n(counts.users);
    add('users', 'GET /users', pages(records.users), `${records.users} users / ${PS_PAGE}`);
  }
  if (objects.includes('groups')) {
    records.groups = n(counts.groups);
    add('groups', 'GET /api/scim/Groups', Math.ceil(records.groups / PS_PAGE) + 1, `${records.groups} groups / ${PS_PAGE}, plus the empty page that ends a SCIM listing`);
  }
  if (objects.includes('workflows')) {
    const w = (records.workflows = n(counts.workflows));
    const tasks = n(counts.workflowTasks);
    const fields = n(counts.workflowFields);
    add('workflows', 'GET /workflows', pages(w), `${w} workflows / ${PS_PAGE}`);
    add('workflows', 'GET /workflows/{id}/tasks', perParent(tasks, w), `${tasks} template tasks over ${w} workflows`);
    add('workflows', 'GET /workflows/{id}/form-fields', perParent(fields, w), `${fields} form fields over ${w} workflows`);
    add('workflows', 'GET /workflows/{id}/revisions', w, 'one per workflow (status=Finished)');
    const withFields = counts.tasksWithFields ?? Math.min(tasks, fields);
    add('workflows', 'GET /workflows/{id}/revisions/{rev}/tasks/{tid}/widgets', n(withFields), 'one page per template task with form fields');
    add('workflows', 'GET /workflows/{id}/form-fields/{fid}/options', n(counts.choiceFields), 'one page per Select/MultiChoice field');
    add('workflows', 'GET /attachments?workflowId', w, 'first page per workflow (hasAttachments)');
  }
  if (objects.includes('runs')) {
    records.runs = runs;
    const tasks = n(counts.runTasks);
    add('runs', 'GET /workflow-runs/list', pages(runs), `${runs} runs / ${PS_PAGE}`);
    add('runs', 'GET /workflow-runs/{id}/tasks', perParent(tasks, runs), `${tasks} run tasks over ${runs} runs`);
    add('runs', 'GET /workflow-runs/{id}/tasks/{tid}/assignees', tasks, 'one per run task (not paged)');
    add('runs', 'GET /workflow-runs/{id}/form-fields', perParent(n(counts.runValues), runs), `${n(counts.runValues)} values over ${runs} runs`);
  }
  for (const object of ['comments', 'attachments'] as const) {
    if (!objects.includes(object)) continue;
    records[object] = n(counts[object]);
    add(object, 'GET /workflow-runs/list', pages(runs), `${runs} runs / ${PS_PAGE}, enumerated for ${object}`);
    add(object, `GET /${object}?workflowRunId`, perParent(n(counts[object]), runs), `${n(counts[object])} ${object} over ${runs} runs, every run at least one page`);
  }
  const total = lines.reduce((sum, l) => sum + l.calls, 0);
  return {
    records, lines, total,
    seconds: Number.isFinite(requestsPerSec) && requestsPerSec > 0 ? Math.ceil(total / requestsPerSec) : 0,
    assumptions: [
      `pages of ${PS_PAGE} (documented for users, workflows, tasks; inferred for fields, values, comments, attachments, /workflow-runs/list)`,
      'sub-items spread evenly over their parents; a listing ends without an extra empty page (SCIM excepted)',
      `pace ${requestsPerSec}/s per key (inferred: Process Street publishes no limit)`,
    ],
  };
}
