import type { ConnectionCheckItem, ConnectionIdentity, ConnectionQuota } from '../../../../shared/connections/connection-check.ts';
import { checkError, fail, firstCallProblem, moves, pass, statusOf, warn, type ConnectorCheck } from '../../connection-check.ts';
import { secretOf } from '../../pair.ts';
import { createAffinityClient, type AffinityClient } from './affinity-client.ts';

/** `GET /auth/whoami` (v1 docs): the user, the Affinity instance (tenant) and the grant of the key. */
interface WhoAmI {
  tenant?: { id?: unknown; name?: unknown; subdomain?: unknown };
  user?: { email?: unknown };
}

/**
 * The in-product permissions the v2 read path needs (v2 spec: "Requires the … permission" on each
 * endpoint, 403 otherwise), probed with one `limit=1` page each. Affinity exposes no list of a key's
 * permissions (whoami's grant names only the key type), so a probe is the only way to know; each
 * costs one call of the monthly quota.
 */
const PERMISSION_PROBES = [
  { objects: ['organizations'], path: '/v2/companies', permission: 'Export All Organizations directory' },
  { objects: ['persons'], path: '/v2/persons', permission: 'Export All People directory' },
  { objects: ['opportunities', 'lists'], path: '/v2/opportunities', permission: 'Export data from Lists' },
] as const;

/** Below this share of the monthly pool left, the quota check warns (a plan says whether a job fits). */
const LOW_QUOTA_SHARE = 0.1;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Affinity as a job source: the key works (`/auth/whoami`, free of the monthly quota), its user has
 * the export permissions the read needs (probes), and how much of the account's monthly quota is
 * left (`/rate-limit`, also free).
 */
export const checkAffinityConnection: ConnectorCheck = async (ctx) => {
  const client = createAffinityClient({
    baseUrl: ctx.baseUrl, apiKey: secretOf(ctx.credentials, 'apiKey'), budgets: ctx.budgets, dispatcher: ctx.dispatcher,
    logger: ctx.logger, max429Retries: 0, timeoutMs: 10_000,
  });
  let who: WhoAmI;
  try {
    who = await client.get<WhoAmI>('/auth/whoami', [], ctx.signal);
  } catch (error) {
    return { checks: firstCallProblem(error, 'Affinity', 'Generate a new API key in Affinity (Settings → API) and create a new connection with it') };
  }
  const identity: ConnectionIdentity = {
    account: { id: str(who.tenant?.id), name: str(who.tenant?.name), slug: str(who.tenant?.subdomain) },
    principal: str(who.user?.email),
  };
  const checks: ConnectionCheckItem[] = [
    pass('reachable', 'Affinity answered'),
    pass('credentials', 'Affinity accepted the API key'),
    await permissions(client, ctx),
  ];
  const quota = await monthlyQuota(client, ctx.signal);
  checks.push(quota.item, pass('identity', `The key belongs to ${identity.principal ?? 'a user'} of the Affinity instance ${identity.account.slug ?? identity.account.name ?? identity.account.id ?? '(unnamed)'}`));
  return { checks, identity, quota: quota.quota };
};

async function permissions(client: AffinityClient, ctx: Parameters<ConnectorCheck>[0]): Promise<ConnectionCheckItem> {
  const probes = PERMISSION_PROBES.filter((p) => moves(ctx, ...p.objects));
  const missing: string[] = [];
  const unknown: string[] = [];
  for (const probe of probes) {
    try {
      await client.getV2(probe.path, [['limit', 1]], ctx.signal);
    } catch (error) {
      if (statusOf(error) === 403) missing.push(probe.permission);
      else unknown.push(probe.permission);
    }
  }
  if (missing.length > 0) {
    return fail('permissions', `The key's user lacks the Affinity permission(s) ${missing.map((m) => `"${m}"`).join(', ')}`,
      'Ask an Affinity admin to grant these permissions to the key\'s user (Settings → Roles), or use the key of a user who has them');
  }
  if (unknown.length > 0) return checkError('permissions', `Could not verify ${unknown.map((m) => `"${m}"`).join(', ')} (Affinity did not answer the probe)`);
  return pass('permissions', probes.length === 0 ? 'No export permission needed' : `The key's user has ${probes.map((p) => `"${p.permission}"`).join(', ')}`);
}

async function monthlyQuota(client: AffinityClient, signal: AbortSignal): Promise<{ item: ConnectionCheckItem; quota: ConnectionQuota | null }> {
  try {
    const { orgMonthly } = await client.rateLimit(signal);
    const quota: ConnectionQuota = { basis: 'Affinity calls left this month for the account', limit: orgMonthly.limit, remaining: orgMonthly.remaining, resetSeconds: orgMonthly.reset };
    if (orgMonthly.remaining === null) return { item: pass('quota', 'The account has no monthly call quota'), quota };
    const days = Math.ceil((orgMonthly.reset ?? 0) / 86_400);
    const low = orgMonthly.remaining <= 0 || (orgMonthly.limit !== null && orgMonthly.remaining < orgMonthly.limit * LOW_QUOTA_SHARE);
    // Never a fail: whether a job fits is the plan's call (it refuses one that does not, unless told to proceed).
    if (low) return { item: warn('quota', `Only ${orgMonthly.remaining} Affinity calls are left this month (resets in ${days} days)`, 'Plan the job before running it, or wait for the reset'), quota };
    return { item: pass('quota', `${orgMonthly.remaining} Affinity calls left this month (resets in ${days} days)`), quota };
  } catch {
    return { item: checkError('quota', 'Affinity did not report its rate limits (GET /rate-limit)'), quota: null };
  }
}
