import type { IncomingHttpHeaders } from 'node:http';
import type { JsonReply } from '../../core/respond.ts';
import type { RouteParams } from '../../core/router.ts';
import { forbidden, invalid, resourceNotFound } from '../errors.ts';
import { isRecord } from '../format.ts';
import type { Organization } from '../organization.ts';
import type { OAuthClient, TokenStore } from '../tokens.ts';
import type { Checklist, Run, Task, User } from '../types.ts';

export interface RouteContext {
  org: Organization;
  params: RouteParams;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The JSON body as an object ({} when empty); anything else is a 422. */
  body(): Promise<Record<string, unknown>>;
  /** The member this request acts as (undefined for an app token or /oauth/token). */
  actor: User | undefined;
  /** This request's absolute URL (pagination links). */
  selfUrl: string;
  tokens: TokenStore;
  oauthClients: readonly OAuthClient[];
  /** The one password the password grant accepts for any member (sandbox-only). */
  password: string;
  /** Largest /file upload in bytes (100 MB). */
  fileLimitBytes: number;
}

export type TallyfyRoute = (ctx: RouteContext) => JsonReply | Promise<JsonReply>;

export async function objectBody(json: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const body = await json();
  if (body === undefined) return {};
  if (!isRecord(body)) throw invalid('body', 'The request body must be a JSON object.');
  return body;
}

export function requireChecklist(org: Organization, id: string | undefined): Checklist {
  const found = id === undefined ? undefined : org.checklists.get(id);
  if (!found) throw resourceNotFound('Checklist');
  return found;
}

export function requireRun(org: Organization, id: string | undefined): Run {
  const found = id === undefined ? undefined : org.runs.get(id);
  if (!found) throw resourceNotFound('Run');
  return found;
}

export function requireRunTask(org: Organization, run: Run, id: string | undefined): Task {
  const found = run.tasks.find((t) => t.id === id);
  if (!found) throw resourceNotFound('Task');
  return found;
}

/** The acting member; routes that need one refuse app tokens with 403 (inferred). */
export function actorOf(ctx: RouteContext): User {
  if (!ctx.actor) throw forbidden('This token does not act as a member of the organization.');
  return ctx.actor;
}
