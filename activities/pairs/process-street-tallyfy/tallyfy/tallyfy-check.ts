import type { ConnectionCheckItem } from '../../../../shared/connections/connection-check.ts';
import { fail, firstCallProblem, pass, statusOf, type ConnectorCheck } from '../../connection-check.ts';
import { tallyfyCredentials, tallyfyOrganization } from '../runtime.ts';
import { createTallyfyClient } from './tallyfy-client.ts';

/**
 * Tallyfy as a job target. The reference documents no "who am I" call: the organisation answering a
 * one-user page of its members (`GET /organizations/{org}/users?per_page=1`, as the target's own
 * checkConnection does) proves the token works in that organisation; 404 = no such organisation,
 * 403 = the token's user may not act in it. Tallyfy publishes per-user rate limits, no quota.
 */
export const checkTallyfyConnection: ConnectorCheck = async (ctx) => {
  const organizationId = tallyfyOrganization(ctx.credentials);
  const credentials = tallyfyCredentials(ctx.credentials);
  const client = createTallyfyClient({
    baseUrl: ctx.baseUrl, organizationId, credentials, budgets: ctx.budgets,
    dispatcher: ctx.dispatcher, logger: ctx.logger, max429Retries: 0, transientRetries: 0, timeoutMs: 10_000,
  });
  const identity = { account: { id: organizationId, name: null, slug: null }, principal: null };
  const reachable = pass('reachable', 'Tallyfy answered');
  let users: number | null;
  try {
    const body = await client.request<{ meta?: { pagination?: { total?: unknown } } }>('GET', '/users', { query: { per_page: 1 }, signal: ctx.signal });
    const total = body.meta?.pagination?.total;
    users = typeof total === 'number' ? total : null;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) {
      return { checks: [reachable, pass('credentials', 'Tallyfy accepted the token'), fail('identity', `Tallyfy has no organisation ${organizationId} for this token`, 'Correct the connection\'s organizationId setting (Tallyfy: Settings → Organization → Organization ID)')] };
    }
    if (status === 403 && credentials.kind === 'client_credentials') {
      // Reference (Auth): a client-credentials app token serves /applications/{org}/users only, not the organisation's API.
      return { checks: [reachable, pass('credentials', 'Tallyfy issued an application token for the client credentials'), fail('permissions',
        'Tallyfy refuses the organisation\'s API to an application token (client credentials): it only manages users through /applications',
        'Create the connection with a personal access token of an administrator (Settings → Integrations → REST API)')] };
    }
    if (status === 403) {
      return { checks: [reachable, pass('credentials', 'Tallyfy accepted the token'), fail('permissions', `The token's user may not act in organisation ${organizationId}`, 'Use a token of a member (administrator) of that organisation')] };
    }
    return { checks: firstCallProblem(error, 'Tallyfy', 'Create a new token in Tallyfy (Settings → Integrations → REST API) and a new connection with it') };
  }
  const checks: ConnectionCheckItem[] = [
    reachable,
    pass('credentials', 'Tallyfy accepted the token'),
    pass('identity', `The token acts in organisation ${organizationId}${users === null ? '' : ` (${users} members)`}`),
  ];
  return { checks, identity, quota: null };
};
