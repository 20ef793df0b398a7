import type { Dispatcher } from 'undici';
import type { ConnectionCheckItem, ConnectionIdentity, ConnectionQuota, CheckName } from '../../shared/connections/connection-check.ts';
import type { ConnectionCredentials } from '../../shared/connections/connection-model.ts';
import { AUTH, OUTBOUND_REFUSED, QUOTA_EXCEEDED, RATE_LIMITED } from '../../shared/error-kinds.ts';
import type { Logger } from '../../shared/logger.ts';
import type { BudgetRegistry } from '../connectors/budget/budget-registry.ts';
import { isConnectorError } from '../connectors/connector-error.ts';

/**
 * What one connector type's check gets: the connection (decrypted), its base URL already admitted
 * by the outbound policy, the policy's dispatcher (every call re-checks the address), and a signal
 * that bounds the whole check.
 */
export interface ConnectorCheckContext {
  credentials: ConnectionCredentials;
  baseUrl: string;
  dispatcher: Dispatcher;
  budgets: BudgetRegistry;
  logger: Logger;
  signal: AbortSignal;
  /** The object kinds a job would move; absent = everything the connector type's pairs move. */
  objects?: readonly string[];
}

export interface ConnectorCheckOutcome {
  checks: ConnectionCheckItem[];
  identity?: ConnectionIdentity | null;
  quota?: ConnectionQuota | null;
}

/** One connector type's connection check (a PairModule lists them by connector type). */
export type ConnectorCheck = (ctx: ConnectorCheckContext) => Promise<ConnectorCheckOutcome>;

export const pass = (name: CheckName, message: string): ConnectionCheckItem => ({ name, status: 'pass', message, action: null });
export const fail = (name: CheckName, message: string, action: string): ConnectionCheckItem => ({ name, status: 'fail', message, action });
export const warn = (name: CheckName, message: string, action: string | null): ConnectionCheckItem => ({ name, status: 'warn', message, action });
export const checkError = (name: CheckName, message: string, action: string | null = 'Run the check again later'): ConnectionCheckItem =>
  ({ name, status: 'error', message, action });

/** True for the object kinds of `wanted` a job moves (all of them when the check is not for a job). */
export function moves(ctx: Pick<ConnectorCheckContext, 'objects'>, ...wanted: string[]): boolean {
  return ctx.objects === undefined || wanted.some((o) => ctx.objects?.includes(o));
}

/** The HTTP status of a failed call, if the API answered. */
export function statusOf(error: unknown): number | undefined {
  return isConnectorError(error) ? error.status : undefined;
}

/**
 * The reachable / credentials items of the first call of a check when it failed. Built from the
 * error's kind and status only: the API's own message (in the error) is never put in the result.
 */
export function firstCallProblem(error: unknown, system: string, credentialsAction: string): ConnectionCheckItem[] {
  if (!isConnectorError(error)) {
    return [checkError('reachable', `${system} answered in a shape Freight does not understand`)];
  }
  if (error.kind === OUTBOUND_REFUSED) {
    return [fail('reachable', `The outbound policy refused the call to ${system} (the host resolves to a non-public address, or the API redirected)`,
      `Point the connection at ${system}'s official API, or ask the operator to allow-list its host`)];
  }
  if (error.status === undefined) {
    return [checkError('reachable', `${system} did not answer (network error or timeout)`)];
  }
  const reachable = pass('reachable', `${system} answered`);
  if (error.kind === AUTH && error.status === 401) {
    return [reachable, fail('credentials', `${system} rejected the credentials (HTTP 401)`, credentialsAction)];
  }
  if (error.kind === AUTH) {
    return [reachable, fail('credentials', `${system} refused the credentials access (HTTP ${error.status})`, credentialsAction)];
  }
  if (error.kind === RATE_LIMITED || error.kind === QUOTA_EXCEEDED) {
    return [reachable, checkError('credentials', `${system} rate-limited the check (HTTP ${error.status}); the credentials were not verified`)];
  }
  return [reachable, checkError('credentials', `${system} answered HTTP ${error.status} (${error.kind}); the credentials were not verified`)];
}
