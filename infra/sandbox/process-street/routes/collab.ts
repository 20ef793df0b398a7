import { InvalidQueryError, notFound } from '../errors.ts';
import type { Attachment } from '../generator/index.ts';
import { pageOf } from '../paging.ts';
import { bytesReply } from '../raw-replies.ts';
import { API_PREFIX, type ProcessStreetRouter, type RouteContext } from './context.ts';

/** Attachment bytes: behind a `links` entry of the same API (inferred; the reference documents no download URL). */
const renderAttachment = (ctx: RouteContext) => (a: Attachment) => ({
  ...a, links: [{ name: 'download', href: `${ctx.apiBase}/files/${a.id}/content`, rel: 'attachment', type: 'Api' }],
});

export function addCollaborationRoutes(router: ProcessStreetRouter): void {
  router
    // By workflowId, or by workflowRunId (+ taskId); one of them is required (inferred), newest first.
    .add('GET', `${API_PREFIX}/comments`, (ctx) => {
      const workflowId = ctx.query.get('workflowId');
      const runId = ctx.query.get('workflowRunId');
      const taskId = ctx.query.get('taskId');
      if ((workflowId === null && runId === null) || (taskId !== null && runId === null)) throw new InvalidQueryError('workflowRunId');
      const runIds = workflowId === null ? undefined : new Set(ctx.org.runs.filter((g) => g.run.workflowId === workflowId).map((g) => g.run.id));
      const comments = ctx.org.comments.filter((c) => (runIds === undefined || runIds.has(c.workflowRunId))
        && (runId === null || c.workflowRunId === runId) && (taskId === null || c.taskId === taskId));
      return pageOf(ctx, 'data', 'comments', comments);
    })
    // Any of workflowId / workflowRunId / taskId / createdById; at least one (inferred), newest first.
    .add('GET', `${API_PREFIX}/attachments`, (ctx) => {
      const filters = (['workflowId', 'workflowRunId', 'taskId'] as const).map((k) => [k, ctx.query.get(k)] as const);
      const createdById = ctx.query.get('createdById');
      if (filters.every(([, v]) => v === null) && createdById === null) throw new InvalidQueryError('workflowId');
      const attachments = ctx.org.attachments.filter((a) => filters.every(([k, v]) => v === null || a[k] === v) && (createdById === null || a.createdBy.id === createdById));
      return pageOf(ctx, 'data', 'attachments', attachments, renderAttachment(ctx));
    })
    // The bytes of an attachment or of a File/MultiFile/Document value (sandbox path; same key and limits as every call).
    .add('GET', `${API_PREFIX}/files/:fileId/content`, (ctx) => {
      const file = ctx.org.file(ctx.params.fileId ?? '');
      if (!file) throw notFound('File');
      return bytesReply(200, file.bytes, file.mimeType, { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}` });
    });
}
