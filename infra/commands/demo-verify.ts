import type { VerificationReport } from '../../activities/verification/verify-migration.ts';
import { verifySandboxPair } from '../../activities/verification/verify-sandboxes.ts';
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
  const { report, snapshot } = await verifySandboxPair(
    { affinity: { url: sandbox.affinity.url, apiKey: sandbox.affinity.apiKey }, attio: { url: sandbox.attio.url, token: sandbox.attio.token } },
    expectedAbsent,
  );
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

async function control(url: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res.json();
}
