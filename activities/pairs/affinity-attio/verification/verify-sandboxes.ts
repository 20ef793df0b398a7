import { createAffinityClient } from '../affinity/affinity-client.ts';
import { createAffinitySource } from '../affinity/affinity-source.ts';
import { createAttioClient, type AttioClient } from '../attio/attio-client.ts';
import type { AttioWorkspaceMember } from '../attio/attio-types.ts';
import { createBudgetRegistry, type BudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import type { IdMapStore } from '../connector-types.ts';
import { resolveMappingConfig } from '../mapping/index.ts';
import { createPublicAttioReader } from './attio-public-reader.ts';
import { createInspectionReader, type AttioSnapshot } from './attio-snapshot.ts';
import { verifyMigration, type VerificationReport } from './verify-migration.ts';

export interface SandboxPair {
  affinity: { url: string; apiKey: string };
  attio: { url: string; token: string };
}

export interface VerifyPairOptions {
  /**
   * How the Attio side is read. `public` (default): Attio's documented endpoints through the Attio
   * client, paced by the workspace's budgets — what a customer's real workspace answers. `inspection`:
   * the sandbox's own endpoints, for tests about the sandbox itself.
   */
  reader?: 'public' | 'inspection';
  /** Freight's id map of the pair (or the job's record log as one); see `VerifyOptions.written`. */
  written?: Pick<IdMapStore, 'get'>;
  /** Budgets shared with whatever else calls the same workspace in this process (default: a registry of its own). */
  budgets?: BudgetRegistry;
}

export interface PairVerification {
  report: VerificationReport;
  snapshot: AttioSnapshot;
  /** HTTP requests the verification sent to each API. */
  calls: { attio: number; affinity: number };
}

/**
 * Verifies a migration between two systems at the sandboxes' URLs: the Affinity side re-read
 * through the source connector and re-mapped, against the Attio side read through Attio's public
 * API (or the sandbox inspection endpoints when asked). `expectedAbsent` are `kind:id` keys the
 * record log holds as failed or skipped.
 */
export async function verifySandboxPair(pair: SandboxPair, expectedAbsent: ReadonlySet<string>, options: VerifyPairOptions = {}): Promise<PairVerification> {
  const budgets = options.budgets ?? createBudgetRegistry();
  const attio = createAttioClient({ baseUrl: pair.attio.url, token: pair.attio.token, budgets });
  const affinity = createAffinityClient({ baseUrl: pair.affinity.url, apiKey: pair.affinity.apiKey, budgets });
  const source = createAffinitySource({ client: affinity });
  const reader = options.reader === 'inspection' ? createInspectionReader({ sandboxUrl: pair.attio.url }) : createPublicAttioReader({ client: attio });
  // Kept for callers that look at the target rows themselves (tests count ids the record log names).
  let snapshot: AttioSnapshot = { records: new Map(), entries: new Map(), notes: [] };
  const report = await verifyMigration({
    source,
    target: async (want) => (snapshot = await reader(want)),
    config: resolveMappingConfig(),
    now: new Date(),
    defaultActorId: await defaultActor(attio),
    expectedAbsent,
    ...(options.written ? { written: options.written } : {}),
  });
  // What the check itself cost each API (its Attio reads count against the workspace's limits, its
  // Affinity reads against the monthly quota): a customer running it on a real account should know.
  return { report, snapshot, calls: { attio: attio.stats().requests, affinity: affinity.stats().requests } };
}

/** The deal owner the mapping falls back to: the workspace's first member, as the schema step picks it. */
export async function defaultActor(attio: AttioClient): Promise<string | null> {
  const members = await attio.request<{ data: AttioWorkspaceMember[] }>('GET', '/workspace_members');
  return members.data[0]?.id.workspace_member_id ?? null;
}
