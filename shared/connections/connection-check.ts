/**
 * The result of checking one connection before anything is written (issue 16 item 1): can Freight
 * reach the API, does it accept the credentials, do they carry what a migration needs, how much of
 * the API's quota is left, and which account or workspace they open. Plain data shared by the API
 * (POST /v1/connections/{id}/test), job creation and the connector-type checks behind the pair boundary.
 */
import type { ConnectionType } from '../pairs/index.ts';

/**
 * - `pass`: checked and fine.
 * - `fail`: checked and wrong (rejected credentials, a missing scope or permission, a disabled
 *   object): a job would fail on it, so job creation refuses the connection.
 * - `warn`: checked, worth knowing, not fatal (little quota left, an optional scope missing).
 * - `error`: the check itself could not run (unreachable, timed out, rate limited, a 5xx, an answer
 *   of an unexpected shape). Job creation does not refuse a job for it: the job's first call will
 *   meet the same outage and retry it, and a passing outage must not block work.
 */
export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Stable names of the checks (clients branch on them; not every connector type runs every one). */
export const CHECK_NAMES = ['reachable', 'credentials', 'permissions', 'objects', 'quota', 'identity'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface ConnectionCheckItem {
  name: CheckName;
  status: CheckStatus;
  /** What was found, in Freight's own words: never a remote body or an API's own message. */
  message: string;
  /** What to do about it; null when there is nothing to do. */
  action: string | null;
}

/** Who the credentials are, as the API itself tells (no secret, no remote free text beyond names). */
export interface ConnectionIdentity {
  /** The account, workspace or organisation the credentials open. */
  account: { id: string | null; name: string | null; slug: string | null };
  /** The user or key behind the credentials, when the API names one. */
  principal: string | null;
}

export interface ConnectionQuota {
  /** What the numbers count ("Affinity monthly calls of the account", …). */
  basis: string;
  limit: number | null;
  remaining: number | null;
  /** Seconds until the pool resets; null when unknown. */
  resetSeconds: number | null;
}

export interface ConnectionCheckResult {
  connectionId: string;
  type: ConnectionType;
  /** True when every check passed or warned. */
  ok: boolean;
  /** The checks that failed (`fail` only): what refuses a job at creation. */
  failed: CheckName[];
  checks: ConnectionCheckItem[];
  identity: ConnectionIdentity | null;
  quota: ConnectionQuota | null;
  checkedAt: string;
}

/** Checks one connection of a tenant; `objects` narrows the checks to what a job moving them needs. */
export type ConnectionChecker = (input: { tenantId: string; connectionId: string; objects?: readonly string[] }) => Promise<ConnectionCheckResult>;

/** Assembles a result from its checks (`ok` and `failed` derived, so they never disagree with them). */
export function checkResult(
  base: { connectionId: string; type: ConnectionType; checkedAt: string },
  checks: ConnectionCheckItem[], identity: ConnectionIdentity | null = null, quota: ConnectionQuota | null = null,
): ConnectionCheckResult {
  const failed = checks.filter((c) => c.status === 'fail').map((c) => c.name);
  return { ...base, ok: checks.every((c) => c.status === 'pass' || c.status === 'warn'), failed: [...new Set(failed)], checks, identity, quota };
}
