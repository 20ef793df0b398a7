import type { TargetRef } from '../../activities/pairs/affinity-attio/connector-types.ts';
import type { VerificationReport } from '../../activities/pairs/affinity-attio/verification/verify-migration.ts';
import { verifySandboxPair } from '../../activities/pairs/affinity-attio/verification/verify-sandboxes.ts';
import type { ApiClient } from './api-client.ts';
import type { RunningSandbox } from './sandbox-process.ts';

/** Record-log object names (job objects) → the source kinds verification keys records by. */
const KIND_OF: Record<string, string> = {
  organizations: 'organization', persons: 'person', opportunities: 'opportunity', lists: 'list_entry', notes: 'note',
};

export interface DemoVerification {
  report: VerificationReport;
  seconds: number;
  /** Requests the verification itself sent (after the job: not part of the job's figures). */
  calls: { attio: number; affinity: number };
}

interface RecordRow { object: string; sourceId: string; targetObject: string | null; targetId: string | null }

/**
 * Verifies the job as a customer could against a real workspace: the Affinity sandbox re-read
 * through the source connector and re-mapped, against the Attio side read through Attio's public
 * API (records/entries queries, notes listing), with what Freight wrote taken from the job's own
 * record log (Freight's API). Records the job logged as failed or skipped count as absent on purpose.
 */
export async function verifyDemoJob(options: { sandbox: RunningSandbox; api: ApiClient; jobId: string }): Promise<DemoVerification> {
  const { sandbox } = options;
  const started = performance.now();
  // The re-read is not part of the migration: with real limits on, it would wait minutes for
  // Affinity's 900/min window and eat into the monthly quota. Lift them for the check.
  if (sandbox.settings.limits === 'real') await control(`${sandbox.affinity.url}/__sandbox/limits`, 'PATCH', { perMinute: 0, monthly: 0 });

  const expectedAbsent = new Set<string>();
  for (const status of ['failed', 'skipped']) for (const r of await recordLog(options.api, options.jobId, status)) expectedAbsent.add(`${KIND_OF[r.object] ?? r.object}:${r.sourceId}`);
  const written = new Map<string, TargetRef>();
  for (const r of await recordLog(options.api, options.jobId, 'succeeded')) {
    if (r.targetObject !== null && r.targetId !== null) written.set(`${KIND_OF[r.object] ?? r.object}:${r.sourceId}`, { object: r.targetObject, id: r.targetId });
  }
  const { report, calls } = await verifySandboxPair(
    { affinity: { url: sandbox.affinity.url, apiKey: sandbox.affinity.apiKey }, attio: { url: sandbox.attio.url, token: sandbox.attio.token } },
    expectedAbsent,
    { reader: 'public', written: { get: (keys) => Promise.resolve(pick(written, keys.map((k) => `${k.kind}:${k.id}`))) } },
  );
  return { report, seconds: (performance.now() - started) / 1000, calls };
}

function pick(map: ReadonlyMap<string, TargetRef>, keys: readonly string[]): Map<string, TargetRef> {
  const out = new Map<string, TargetRef>();
  for (const key of keys) {
    const hit = map.get(key);
    if (hit) out.set(key, hit);
  }
  return out;
}

/** Every row of the job's record log with the given status (`GET /v1/jobs/{id}/records`). */
async function recordLog(api: ApiClient, jobId: string, status: string): Promise<RecordRow[]> {
  const out: RecordRow[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `status=${status}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { data: RecordRow[]; nextCursor: string | null } = await api.get(`/v1/jobs/${jobId}/records?${query}`);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
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
