/**
 * What the Process Street → Tallyfy demo checks against: the source re-read through the pair's own
 * Process Street connector (as the job read it), the Tallyfy organisation as the sandbox holds it
 * (its inspection endpoint), and the job's record log and report through Freight's API.
 */
import { createBudgetRegistry } from '../../../activities/connectors/budget/budget-registry.ts';
import { PS_OBJECTS, type PsObject, type PsRecord } from '../../../activities/pairs/process-street-tallyfy/contract.ts';
import { createPsClient } from '../../../activities/pairs/process-street-tallyfy/process-street/ps-client.ts';
import { createProcessStreetSource } from '../../../activities/pairs/process-street-tallyfy/process-street/ps-source.ts';
import type { OrganizationSnapshot } from '../../sandbox/tallyfy/inspect.ts';
import type { ApiClient } from '../api-client.ts';

export type TallyfySnapshot = OrganizationSnapshot;

/** Every source record per object kind, page by page through the connector (limits off: the check is not the job). */
export async function readSource(ps: { url: string; apiKey: string }): Promise<{ records: Map<PsObject, PsRecord[]>; skipped: number; calls: number }> {
  const client = createPsClient({ baseUrl: ps.url, apiKey: ps.apiKey, budgets: createBudgetRegistry(), requestsPerSec: 100_000 });
  const source = createProcessStreetSource({ client, concurrency: 8 });
  const records = new Map<PsObject, PsRecord[]>();
  let skipped = 0;
  for (const object of PS_OBJECTS) {
    const all: PsRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.readPage(object, cursor, { pageSize: 100 });
      all.push(...page.records);
      skipped += page.skipped.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
    records.set(object, all);
  }
  return { records, skipped, calls: client.stats().requests };
}

export async function readTallyfy(url: string): Promise<TallyfySnapshot> {
  return sandboxGet<TallyfySnapshot>(`${url}/__sandbox/organization`);
}

/** Accepted writes per kind (`GET /__sandbox/writes`). */
export async function readTallyfyWrites(url: string): Promise<Record<string, number>> {
  return sandboxGet<Record<string, number>>(`${url}/__sandbox/writes`);
}

/** The write kinds that create something: a re-run of a finished job must add none. */
export const CREATE_KINDS = ['usersInvited', 'usersCreated', 'groupsCreated', 'checklistsCreated', 'stepsCreated', 'capturesCreated', 'runsLaunched', 'comments', 'filesUploaded'];

async function sandboxGet<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}

export interface LogRow { object: string; sourceId: string; status: string; targetObject: string | null; targetId: string | null; degraded: string | null }

/** Every row of the job's record log (`GET /v1/jobs/{id}/records`). */
export async function recordLog(api: ApiClient, jobId: string): Promise<LogRow[]> {
  const out: LogRow[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { data: LogRow[]; nextCursor: string | null } = await api.get(`/v1/jobs/${jobId}/records?${query}`);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export interface JobReport {
  totals: { degraded: number };
  retries: { total: number; records: number; batches: number };
  degraded: Array<{ object: string; reason: string; count: number }>;
  failures: { topMessages: Array<{ message: string; kind: string; count: number }> };
}
