import { AppError } from '../../shared/errors.ts';
import { checkResult, type ConnectionChecker } from '../../shared/connections/connection-check.ts';
import { CONNECTOR_NAMES, isConnectionType } from '../../shared/pairs/index.ts';
import { checkError, fail, type ConnectorCheck } from './connection-check.ts';
import type { PairModule, PairPlanDeps } from './pair.ts';
import { PAIR_MODULES } from './registry.ts';

/** Longest a whole check may take (every call of it): it runs inside an API request. */
export const CHECK_TIMEOUT_MS = 20_000;

/** Each connector type's check, from the pairs that bring one (the first pair listing a type wins). */
export function connectorChecks(pairs: readonly PairModule[] = PAIR_MODULES): ReadonlyMap<string, ConnectorCheck> {
  const checks = new Map<string, ConnectorCheck>();
  for (const pair of pairs) {
    for (const [type, check] of Object.entries(pair.checks ?? {})) if (check && !checks.has(type)) checks.set(type, check);
  }
  return checks;
}

/**
 * Checks a tenant's connection with its connector type's check. The connection is read tenant-scoped
 * (another tenant's or a deleted one: 404), its base URL checked again against the outbound policy,
 * and every call goes through the policy's dispatcher. What the check cannot establish (no answer,
 * an unexpected shape, a timeout) is an `error` item, never an exception: the caller gets a result.
 */
export function createConnectionChecker(
  deps: PairPlanDeps & { timeoutMs?: number }, pairs: readonly PairModule[] = PAIR_MODULES,
): ConnectionChecker {
  const checks = connectorChecks(pairs);
  const now = deps.now ?? Date.now;
  return async ({ tenantId, connectionId, objects }) => {
    const credentials = await deps.credentials(tenantId, connectionId);
    const base = { connectionId, type: credentials.type, checkedAt: new Date(now()).toISOString() };
    const name = isConnectionType(credentials.type) ? CONNECTOR_NAMES[credentials.type] : credentials.type;
    const admitted = deps.outbound.policy.checkBaseUrl(credentials.type, credentials.baseUrl);
    if (!('url' in admitted)) {
      return checkResult(base, [fail('reachable', `The outbound policy refuses the connection's base URL: ${admitted.problem}`,
        `Create the connection again with ${name}'s official API URL, or ask the operator to allow-list the host`)]);
    }
    const check = checks.get(credentials.type);
    if (!check) return checkResult(base, [checkError('reachable', `Freight has no connection check for ${name} connections`, null)]);
    const logger = deps.logger.child({ tenantId, connectionId, check: credentials.type });
    try {
      const out = await check({
        credentials, baseUrl: admitted.url, dispatcher: deps.outbound.dispatcher, budgets: deps.budgets, logger,
        signal: AbortSignal.timeout(deps.timeoutMs ?? CHECK_TIMEOUT_MS), ...(objects ? { objects } : {}),
      });
      return checkResult(base, out.checks, out.identity ?? null, out.quota ?? null);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The operator's log has the cause; the tenant gets Freight's own words only.
      logger.warn({ err: error }, 'connection check could not complete');
      return checkResult(base, [checkError('reachable', `The check of this ${name} connection could not complete`)]);
    }
  };
}
