import { createAffinityClient } from '../connectors/affinity/affinity-client.ts';
import { createAffinitySource } from '../connectors/affinity/affinity-source.ts';
import { createBudgetRegistry } from '../connectors/budget/budget-registry.ts';
import { resolveMappingConfig } from '../mapping/index.ts';
import { readAttioSnapshot, type AttioSnapshot } from './attio-snapshot.ts';
import { verifyMigration, type VerificationReport } from './verify-migration.ts';

export interface SandboxPair {
  affinity: { url: string; apiKey: string };
  attio: { url: string; token: string };
}

/**
 * Verifies a migration between the two sandboxes: the Affinity side re-read through the source
 * connector and re-mapped, against what the Attio sandbox holds (its inspection endpoints).
 * `expectedAbsent` are `kind:id` keys the record log holds as failed or skipped.
 */
export async function verifySandboxPair(pair: SandboxPair, expectedAbsent: ReadonlySet<string>): Promise<{ report: VerificationReport; snapshot: AttioSnapshot }> {
  const lists = (await getJson<{ data: Array<{ api_slug: string }> }>(`${pair.attio.url}/__sandbox/lists`)).data.map((l) => l.api_slug);
  const snapshot = await readAttioSnapshot({ sandboxUrl: pair.attio.url, objects: ['companies', 'people', 'deals'], lists });
  const source = createAffinitySource({
    client: createAffinityClient({ baseUrl: pair.affinity.url, apiKey: pair.affinity.apiKey, budgets: createBudgetRegistry() }),
  });
  // The deal owner the mapping falls back to: the workspace's first member, as the schema step picks it.
  const members = await getJson<{ data: Array<{ id: { workspace_member_id: string } }> }>(`${pair.attio.url}/v2/workspace_members`, { authorization: `Bearer ${pair.attio.token}` });
  const report = await verifyMigration({
    source, snapshot, config: resolveMappingConfig(), now: new Date(),
    defaultActorId: members.data[0]?.id.workspace_member_id ?? null, expectedAbsent,
  });
  return { report, snapshot };
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
