import { reply } from '../../core/respond.ts';
import { InvalidQueryError, notFound } from '../errors.ts';
import { LISTED_RUN_STATUSES, type FieldValue, type WorkflowRun } from '../generator/index.ts';
import { enumParam, pageOf } from '../paging.ts';
import { API_PREFIX, requireRun, type ProcessStreetRouter, type RouteContext } from './context.ts';

/** The search answers at most this many runs, with no next link (reference "Pagination"). */
export const RUN_SEARCH_CAP = 200;

/**
 * File-like values carry a download `url` behind the same API key (inferred: the reference documents
 * no download URL; see README "Value shapes").
 */
function renderValue(ctx: RouteContext, value: FieldValue): FieldValue {
  const withUrl = (file: unknown) => (file && typeof file === 'object' && 'id' in file ? { ...file, url: `${ctx.apiBase}/files/${String(file.id)}/content` } : file);
  if (value.fieldType === 'File' || value.fieldType === 'Document') return { ...value, data: withUrl(value.data) };
  if (value.fieldType === 'MultiFile' && Array.isArray(value.data)) return { ...value, data: value.data.map(withUrl) };
  return value;
}

/** `fields[<fieldId>]=v` of the search: the value equals v (or, for list values, contains it). */
function matchesFields(ctx: RouteContext, runId: string): boolean {
  const wanted = [...ctx.query.entries()].flatMap(([k, v]) => {
    const m = /^fields\[(.+)\]$/.exec(k);
    return m ? [{ id: m[1] as string, v }] : [];
  });
  if (wanted.length === 0) return true;
  const values = ctx.org.run(runId)?.values ?? [];
  return wanted.every(({ id, v }) => values.some((val) => val.id === id && (Array.isArray(val.data) ? val.data.map(String).includes(v) : String(val.data) === v)));
}

export function addRunRoutes(router: ProcessStreetRouter): void {
  router
    // Every non-deleted run, newest first; `status` narrows to one listed status.
    .add('GET', `${API_PREFIX}/workflow-runs/list`, (ctx) => {
      const status = enumParam(ctx.query, 'status', LISTED_RUN_STATUSES);
      const workflowId = ctx.query.get('workflowId');
      const runs = ctx.org.listedRuns.filter((r) => (status === undefined || r.status === status) && (workflowId === null || r.workflowId === workflowId));
      return pageOf(ctx, 'data', 'workflow-runs', runs);
    })
    // The search: comma-listed statuses (default Active), the 200 most recently updated, never a next link.
    .add('GET', `${API_PREFIX}/workflow-runs`, (ctx) => {
      const statuses = (ctx.query.get('status') ?? 'Active').split(',').map((s) => s.trim());
      if (statuses.some((s) => !(LISTED_RUN_STATUSES as readonly string[]).includes(s))) throw new InvalidQueryError('status');
      const workflowId = ctx.query.get('workflowId');
      const name = ctx.query.get('name')?.toLowerCase();
      const found: WorkflowRun[] = ctx.org.listedRuns
        .filter((r) => statuses.includes(r.status) && (workflowId === null || r.workflowId === workflowId)
          && (name === undefined || r.name.toLowerCase().includes(name)) && matchesFields(ctx, r.id))
        .sort((a, b) => (a.audit.updatedDate < b.audit.updatedDate ? 1 : a.audit.updatedDate > b.audit.updatedDate ? -1 : 0))
        .slice(0, RUN_SEARCH_CAP);
      return reply(200, { workflowRuns: found });
    })
    .add('GET', `${API_PREFIX}/workflow-runs/:runId`, (ctx) => reply(200, requireRun(ctx).run))
    .add('GET', `${API_PREFIX}/workflow-runs/:runId/tasks`, (ctx) => pageOf(ctx, 'tasks', 'tasks', requireRun(ctx).tasks))
    // Not paged (reference: "not paged").
    .add('GET', `${API_PREFIX}/workflow-runs/:runId/tasks/:taskId/assignees`, (ctx) => {
      const assignees = requireRun(ctx).assignees.get(ctx.params.taskId ?? '');
      if (!assignees) throw notFound('Task');
      return reply(200, { assignees });
    })
    // Everyone assigned to any task of the run, once each.
    .add('GET', `${API_PREFIX}/workflow-runs/:runId/assignees`, (ctx) => {
      const seen = new Map<string, unknown>();
      for (const list of requireRun(ctx).assignees.values()) for (const u of list) seen.set(u.id, u);
      return pageOf(ctx, 'assignees', 'assignees', [...seen.values()]);
    })
    .add('GET', `${API_PREFIX}/workflow-runs/:runId/form-fields`, (ctx) => pageOf(ctx, 'fields', 'form-fields', requireRun(ctx).values, (v) => renderValue(ctx, v)))
    .add('GET', `${API_PREFIX}/workflow-runs/:runId/tasks/:taskId/form-fields`, (ctx) => {
      const run = requireRun(ctx);
      if (!run.tasks.some((t) => t.id === ctx.params.taskId)) throw notFound('Task');
      return pageOf(ctx, 'fields', 'form-fields', run.values.filter((v) => v.taskId === ctx.params.taskId), (v) => renderValue(ctx, v));
    });
}
