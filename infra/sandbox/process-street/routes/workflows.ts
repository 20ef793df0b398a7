import { reply } from '../../core/respond.ts';
import { notFound } from '../errors.ts';
import { enumParam, pageOf } from '../paging.ts';
import { API_PREFIX, requireTemplate, type ProcessStreetRouter } from './context.ts';

const REVISION_STATUSES = ['Draft', 'Finished', 'Revised'] as const;
/** `type` of widgets: the reference names FormField; content widgets are the other kind the sandbox makes. */
const WIDGET_TYPES = ['FormField', 'Text'] as const;

export function addWorkflowRoutes(router: ProcessStreetRouter): void {
  router
    // Active templates only; `name` matches partially, case-insensitively.
    .add('GET', `${API_PREFIX}/workflows`, (ctx) => {
      const name = ctx.query.get('name')?.toLowerCase();
      const workflows = ctx.org.templates.map((t) => t.workflow).filter((w) => name === undefined || w.name.toLowerCase().includes(name));
      return pageOf(ctx, 'workflows', 'workflows', workflows);
    })
    .add('GET', `${API_PREFIX}/workflows/:workflowId`, (ctx) => reply(200, { data: requireTemplate(ctx).workflow }))
    .add('GET', `${API_PREFIX}/workflows/:workflowId/tasks`, (ctx) => pageOf(ctx, 'tasks', 'tasks', requireTemplate(ctx).tasks))
    // No `required` and no options here: those come from the revision's widgets and the options endpoint.
    .add('GET', `${API_PREFIX}/workflows/:workflowId/form-fields`, (ctx) => pageOf(ctx, 'fields', 'form-fields', requireTemplate(ctx).fields.map((f) => f.field)))
    .add('GET', `${API_PREFIX}/workflows/:workflowId/form-fields/:fieldId/options`, (ctx) => {
      const spec = requireTemplate(ctx).fields.find((f) => f.field.id === ctx.params.fieldId);
      if (!spec) throw notFound('Form field');
      return pageOf(ctx, 'options', 'options', spec.options);
    })
    // Not paged (the reference lists no `_` here).
    .add('GET', `${API_PREFIX}/workflows/:workflowId/revisions`, (ctx) => {
      const status = enumParam(ctx.query, 'status', REVISION_STATUSES);
      return reply(200, { data: requireTemplate(ctx).revisions.filter((r) => status === undefined || r.status === status) });
    })
    .add('GET', `${API_PREFIX}/workflows/:workflowId/revisions/:revisionId/tasks/:taskId/widgets`, (ctx) => {
      const template = requireTemplate(ctx);
      if (!template.revisions.some((r) => r.id === ctx.params.revisionId)) throw notFound('Revision');
      const widgets = template.widgets.get(ctx.params.taskId ?? '');
      if (!widgets) throw notFound('Task');
      const type = enumParam(ctx.query, 'type', WIDGET_TYPES);
      return pageOf(ctx, 'data', 'widgets', type === undefined ? widgets : widgets.filter((w) => w.type === type));
    });
}
