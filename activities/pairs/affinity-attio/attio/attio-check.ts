import type { ConnectionCheckItem, ConnectionIdentity } from '../../../../shared/connections/connection-check.ts';
import { checkError, fail, firstCallProblem, moves, pass, warn, type ConnectorCheck, type ConnectorCheckContext } from '../../connection-check.ts';
import { secretOf } from '../../pair.ts';
import { createAttioClient, type AttioClient } from './attio-client.ts';

/** `GET /v2/self` (spec "Identify"): `{active: false}`, or the token with its scopes and workspace. */
interface AttioSelf {
  active?: unknown;
  scope?: unknown;
  workspace_id?: unknown;
  workspace_name?: unknown;
  workspace_slug?: unknown;
  authorized_by_workspace_member_id?: unknown;
}

/**
 * Scopes the migration's writes need (reference: "Scopes a migration needs"), by the object kinds
 * that need them. A `read-write` scope is what the spec's write operations list, so a `read` one fails.
 */
const REQUIRED_SCOPES: ReadonlyArray<{ scope: string; objects: readonly string[] }> = [
  { scope: 'record_permission:read-write', objects: ['organizations', 'persons', 'opportunities', 'lists', 'notes'] },
  { scope: 'object_configuration:read-write', objects: ['organizations', 'persons', 'opportunities'] },
  { scope: 'list_configuration:read-write', objects: ['lists'] },
  { scope: 'list_entry:read-write', objects: ['lists'] },
  { scope: 'note:read-write', objects: ['notes'] },
];

/**
 * Deal owners default to the first workspace member (`GET /v2/workspace_members`, which the spec
 * guards with `user_management:read`); without it the schema step goes on with no default owner.
 */
const OPTIONAL_SCOPE = { scope: 'user_management:read', objects: ['opportunities'] } as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Attio as a job target: the token is active, carries the scopes the writes need, opens which
 * workspace (`GET /v2/self`), and the workspace has the `deals` object enabled when opportunities
 * move (reference: deals "must be enabled by an admin"). Attio publishes rate limits, no quota.
 */
export const checkAttioConnection: ConnectorCheck = async (ctx) => {
  const client = createAttioClient({
    baseUrl: ctx.baseUrl, token: secretOf(ctx.credentials, 'apiKey'), budgets: ctx.budgets, dispatcher: ctx.dispatcher,
    logger: ctx.logger, max429Retries: 0, timeoutMs: 10_000,
  });
  const credentialsAction = 'Create a new access token in Attio (Workspace settings → Developers) and a new connection with it';
  let self: AttioSelf;
  try {
    self = await client.request<AttioSelf>('GET', '/self', { signal: ctx.signal });
  } catch (error) {
    return { checks: firstCallProblem(error, 'Attio', credentialsAction) };
  }
  if (self.active !== true) {
    return { checks: [pass('reachable', 'Attio answered'), fail('credentials', 'Attio reports the token as inactive (revoked or expired)', credentialsAction)] };
  }
  const granted = new Set(typeof self.scope === 'string' ? self.scope.split(/\s+/).filter((s) => s !== '') : []);
  const identity: ConnectionIdentity = {
    account: { id: str(self.workspace_id), name: str(self.workspace_name), slug: str(self.workspace_slug) },
    principal: str(self.authorized_by_workspace_member_id),
  };
  const checks: ConnectionCheckItem[] = [pass('reachable', 'Attio answered'), pass('credentials', 'Attio accepted the token'), scopes(granted, ctx)];
  if (moves(ctx, 'opportunities')) checks.push(await dealsObject(client, granted, ctx.signal));
  checks.push(pass('identity', `The token opens the Attio workspace ${identity.account.name ?? identity.account.slug ?? identity.account.id ?? '(unnamed)'}`));
  return { checks, identity, quota: null };
};

function scopes(granted: ReadonlySet<string>, ctx: Pick<ConnectorCheckContext, 'objects'>): ConnectionCheckItem {
  const needed = REQUIRED_SCOPES.filter((s) => moves(ctx, ...s.objects)).map((s) => s.scope);
  const missing = needed.filter((s) => !granted.has(s));
  if (missing.length > 0) {
    return fail('permissions', `The token lacks the Attio scope(s) ${missing.join(', ')}`,
      'Give the token these scopes in Attio (Workspace settings → Developers → the integration\'s scopes), or create one that has them');
  }
  if (moves(ctx, ...OPTIONAL_SCOPE.objects) && !granted.has(OPTIONAL_SCOPE.scope)) {
    return warn('permissions', `The token has the scopes a migration needs but not ${OPTIONAL_SCOPE.scope}: deals get no default owner`,
      `Add ${OPTIONAL_SCOPE.scope} to the token's scopes`);
  }
  return pass('permissions', `The token has ${needed.join(', ')}`);
}

/** Whether `deals` is among the workspace's objects (`GET /v2/objects`, `object_configuration:read`). */
async function dealsObject(client: AttioClient, granted: ReadonlySet<string>, signal: AbortSignal): Promise<ConnectionCheckItem> {
  if (!granted.has('object_configuration:read') && !granted.has('object_configuration:read-write')) {
    return checkError('objects', 'Cannot list the workspace\'s objects without object_configuration:read', 'Give the token the scopes above, then run the check again');
  }
  try {
    const body = await client.request<{ data?: Array<{ api_slug?: unknown }> }>('GET', '/objects', { signal });
    if ((body.data ?? []).some((o) => o.api_slug === 'deals')) return pass('objects', 'The deals object is enabled');
    return fail('objects', 'The deals object is not enabled in this workspace: opportunities cannot be migrated',
      'Ask an Attio admin to enable the Deals object (Workspace settings → Objects), or run the job without opportunities');
  } catch {
    return checkError('objects', 'Attio did not list the workspace\'s objects');
  }
}
