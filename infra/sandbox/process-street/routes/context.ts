import type { JsonReply } from '../../core/respond.ts';
import type { RouteParams, Router } from '../../core/router.ts';
import { notFound } from '../errors.ts';
import type { GeneratedRun, ProcessStreetOrganization, Template } from '../generator/index.ts';
import type { PageRequest } from '../paging.ts';

export const API_PREFIX = '/api/v1.1';
export const SCIM_PREFIX = '/api/scim';

export interface RouteContext extends PageRequest {
  org: ProcessStreetOrganization;
  params: RouteParams;
  principal: string;
  /** The label of each accepted key (GET /testAuth). */
  keyLabels: ReadonlyMap<string, string>;
  /** Absolute base of the v1.1 API as the client called it (for hrefs inside items). */
  apiBase: string;
}

export type ProcessStreetRoute = (ctx: RouteContext) => JsonReply;
export type ProcessStreetRouter = Router<ProcessStreetRoute>;

export function requireTemplate(ctx: RouteContext): Template {
  const template = ctx.org.template(ctx.params.workflowId ?? '');
  if (!template) throw notFound('Workflow');
  return template;
}

/** A run by id, deleted ones included (their status says Deleted; inferred: the API documents that status on runs). */
export function requireRun(ctx: RouteContext): GeneratedRun {
  const run = ctx.org.run(ctx.params.runId ?? '');
  if (!run) throw notFound('Workflow run');
  return run;
}
