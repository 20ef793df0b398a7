import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sleep } from '../dev-stack/run.ts';
import { ApiCallError, createApiClient, type ApiClient } from './api-client.ts';

interface Tenant {
  id: string;
  slug: string;
  namespace: string;
  status: 'provisioning' | 'active' | 'suspended';
  provisioningError: string | null;
}

export interface DemoTenant {
  tenantId: string;
  namespace: string;
  /** Engineer key of the demo tenant. */
  apiKey: string;
  keyCreated: boolean;
  /** Where the key is kept (owner-only), so it is not printed. */
  keyFile: string;
}

/** Same slug and name as `npm start` creates, so both commands share one tenant (POST is idempotent by slug). */
const DEMO_TENANT = { slug: 'demo', name: 'Demo tenant' };
const KEY_FILE = 'demo-key.json';

/**
 * The demo tenant and an engineer key for it. The key is kept in the dev stack's directory
 * (owner-only) and reused while the API still accepts it, so repeated demos do not pile up keys.
 */
export async function ensureDemoTenant(admin: ApiClient, baseUrl: string, stackDir: string): Promise<DemoTenant> {
  const tenant = await waitActive(admin, await createOrFind(admin));
  const keyFile = path.join(stackDir, KEY_FILE);
  const stored = await readFile(keyFile, 'utf8').then((t) => JSON.parse(t) as { tenantId: string; apiKey: string }).catch(() => undefined);
  if (stored?.tenantId === tenant.id && (await keyWorks(baseUrl, stored.apiKey, tenant.id))) {
    return { tenantId: tenant.id, namespace: tenant.namespace, apiKey: stored.apiKey, keyCreated: false, keyFile };
  }
  const created = await admin.post<{ key: string }>(`/v1/tenants/${tenant.id}/api-keys`, { name: 'npm run demo', role: 'engineer' });
  await writeFile(keyFile, JSON.stringify({ tenantId: tenant.id, apiKey: created.key }), { mode: 0o600 });
  return { tenantId: tenant.id, namespace: tenant.namespace, apiKey: created.key, keyCreated: true, keyFile };
}

async function createOrFind(admin: ApiClient): Promise<Tenant> {
  try {
    return await admin.post<Tenant>('/v1/tenants', DEMO_TENANT);
  } catch (err) {
    // 409: a "demo" tenant made by hand with another name; it is still the one to use.
    if (!(err instanceof ApiCallError) || err.status !== 409) throw err;
    const page = await admin.get<{ data: Tenant[] }>('/v1/tenants?limit=500');
    const found = page.data.find((t) => t.slug === DEMO_TENANT.slug);
    if (!found) throw err;
    return found;
  }
}

/** A new tenant's Temporal namespace is provisioned in the background; jobs need it. */
async function waitActive(admin: ApiClient, tenant: Tenant, timeoutMs = 60_000): Promise<Tenant> {
  const deadline = Date.now() + timeoutMs;
  let current = tenant;
  while (current.status === 'provisioning' && Date.now() < deadline) {
    await sleep(500);
    current = await admin.get<Tenant>(`/v1/tenants/${tenant.id}`);
  }
  if (current.status !== 'active') {
    throw new Error(`tenant "${current.slug}" is ${current.status}${current.provisioningError ? `: ${current.provisioningError}` : ''}`);
  }
  return current;
}

async function keyWorks(baseUrl: string, apiKey: string, tenantId: string): Promise<boolean> {
  try {
    const me = await createApiClient(baseUrl, apiKey, 10_000).get<{ role: string; tenantId: string | null }>('/v1/me');
    return me.role === 'engineer' && me.tenantId === tenantId;
  } catch {
    return false;
  }
}
