import { ConnectorError } from '../../../connectors/connector-error.ts';
import { firstCallProblem, pass, type ConnectorCheck } from '../../connection-check.ts';
import { secretOf } from '../../pair.ts';
import { createPsClient } from './ps-client.ts';
import { createProcessStreetSource } from './ps-source.ts';

/**
 * Process Street as a job source: `GET /testAuth` (the documented credential check) answers with the
 * key's label. The reference publishes no scopes (a key acts with its creator's permissions,
 * inferred), no quota and no rate-limit numbers, so there is no permission or quota check to make.
 */
export const checkProcessStreetConnection: ConnectorCheck = async (ctx) => {
  const source = createProcessStreetSource({
    client: createPsClient({
      baseUrl: ctx.baseUrl, apiKey: secretOf(ctx.credentials, 'apiKey'), budgets: ctx.budgets, dispatcher: ctx.dispatcher,
      logger: ctx.logger, max429Retries: 0, maxTransientRetries: 0, timeoutMs: 10_000,
    }),
  });
  const checked = await source.checkConnection({ signal: ctx.signal });
  if (!checked.ok) {
    const { kind, status, message } = checked.error;
    return { checks: firstCallProblem(new ConnectorError({ kind, message, ...(status === undefined ? {} : { status }) }), 'Process Street',
      'Create a new API key in Process Street (Settings → Integrations, as an admin) and a new connection with it') };
  }
  // The label is the tenant's own name for the key (set in Process Street), not a remote message.
  const identity = { account: { id: null, name: null, slug: null }, principal: checked.label };
  return {
    checks: [
      pass('reachable', 'Process Street answered'),
      pass('credentials', 'Process Street accepted the API key (GET /testAuth)'),
      pass('identity', `The key is labelled ${checked.label === null ? '(no label)' : `"${checked.label}"`}`),
    ],
    identity,
    quota: null,
  };
};
