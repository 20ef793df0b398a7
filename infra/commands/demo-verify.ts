import { createAffinityClient } from '../../activities/connectors/affinity/affinity-client.ts';
import { createAffinitySource } from '../../activities/connectors/affinity/affinity-source.ts';
import { createBudgetRegistry } from '../../activities/connectors/budget/budget-registry.ts';
import { resolveMappingConfig } from '../../activities/mapping/index.ts';
import { readAttioSnapshot } from '../../activities/verification/attio-snapshot.ts';
import { verifyMigration, type VerificationReport } from '../../activities/verification/verify-migration.ts';
import type { ApiClient } from './api-client.ts';
import type { RunningSandbox } from './sandbox-process.ts';

/** Record-log object names (job objects) → the source kinds verification keys records by. */
const KIND_OF: Record<string, string> = {
  organizations: 'organization', persons: 'person', opportunities: 'opportunity', lists: 'list_entry', notes: 'note',
};

export interface DemoVerification {
  report: VerificationReport;
  seconds: number;
  /** Attio-side totals, as the sandbox's inspection endpoints report them. */
  attio: { records: Record<string, number>; entries: number; notes: number };
}

/**
 * Verifies the job exactly as `scripts/plain-migrate.ts` does: the Affinity sandbox re-read through
 * the source connector and re-mapped, against the Attio sandbox read through its inspection
 * endpoints. Records the job logged as failed or skipped count as absent on purpose.
 */
export async function verifyDemoJob(options: { sandbox: RunningSandbox; api: ApiClient; jobId: string }): Promise<DemoVerification> {
  const { sandbox } = options;
  const started = performance.now();
  // The re-read is not part of the migration: with real limits on, it would wait minutes for
  // Affinity's 900/min window and eat into the monthly quota. Lift them for the check.
  if (sandbox.settings.limits === 'real') await control(`${sandbox.affinity.url}/__sandbox/limits`, 'PATCH', { perMinute: 0, monthly: 0 });

  const expectedAbsent = await loggedAbsent(options.api, options.jobId);
  const lists = ((await control(`${sandbox.attio.url}/__sandbox/lists`, 'GET')) as { data: Array<{ api_slug: string }> }).data.map((l) => l.api_slug);
  const snapshot = await readAttioSnapshot({ sandboxUrl: sandbox.attio.url, objects: ['companies', 'people', 'deals'], lists });
  const source = createAffinitySource({
    client: createAffinityClient({ baseUrl: sandbox.affinity.url, apiKey: sandbox.affinity.apiKey, budgets: createBudgetRegistry() }),
    fieldValueConcurrency: 32,
  });
  const report = await verifyMigration({
    source, snapshot, config: resolveMappingConfig(), now: new Date(),
    defaultActorId: await defaultActorId(sandbox), expectedAbsent,
  });
  return {
    report,
    seconds: (performance.now() - started) / 1000,
    attio: {
      records: Object.fromEntries([...snapshot.records].map(([object, rows]) => [object, rows.length])),
      entries: [...snapshot.entries.values()].reduce((n, rows) => n + rows.length, 0),
      notes: snapshot.notes.length,
    },
  };
}

/** `kind:id` of every record the job's record log holds as failed or skipped. */
async function loggedAbsent(api: ApiClient, jobId: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const status of ['failed', 'skipped']) {
    let cursor: string | null = null;
    do {
      const query: string = `status=${status}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { data: Array<{ object: string; sourceId: string }>; nextCursor: string | null } = await api.get(`/v1/jobs/${jobId}/records?${query}`);
      for (const r of page.data) out.add(`${KIND_OF[r.object] ?? r.object}:${r.sourceId}`);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return out;
}

/** The deal owner the mapping falls back to: the workspace's first member, as the target's schema step picks it. */
async function defaultActorId(sandbox: RunningSandbox): Promise<string | null> {
  const res = await fetch(`${sandbox.attio.url}/v2/workspace_members`, { headers: { authorization: `Bearer ${sandbox.attio.token}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`Attio sandbox /v2/workspace_members answered ${res.status}`);
  const body = (await res.json()) as { data: Array<{ id: { workspace_member_id: string } }> };
  return body.data[0]?.id.workspace_member_id ?? null;
}

async function control(url: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}
