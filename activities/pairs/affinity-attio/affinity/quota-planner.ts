import { normalizeDomains, normalizeEmails } from '../mapping/normalize.ts';
import type { AffinityClient } from './affinity-client.ts';

/** What the plan needs to know about an account. */
export interface AffinityAccountCounts {
  organizations: number;
  persons: number;
  notes: number;
  /** Every list with its size (v1 `list_size`); opportunity lists hold one entry per opportunity. */
  lists: Array<{ id: number; type: number; size: number }>;
  /**
   * Persons without a usable email and organizations without a usable domain (the mapping's own
   * normalisation over the listings the count pages through anyway): Attio cannot assert them on a
   * unique attribute, so each costs a query and a create instead of one assert (the target's plan).
   */
  personsWithoutEmail?: number;
  organizationsWithoutDomain?: number;
  /**
   * Of `notes`, the replies, and the root notes that have any (one replies call each): known when the
   * count paged the v1 note listing, which holds replies with their `parent_id`. Absent: an allowance.
   */
  noteReplies?: number;
  notesWithReplies?: number;
}

/** The object groups a job moves (as in `JOB_OBJECTS`): `lists` = lists and their entries. */
export type PlannedObject = 'organizations' | 'persons' | 'opportunities' | 'lists' | 'notes';

export interface CallPlanLine {
  endpoint: string;
  calls: number;
  /** How the number was reached (pages of 100, an allowance, a fixed cost). */
  basis: string;
}

export interface AffinityCallPlan {
  /** Records the job will read, by object group. */
  records: Record<string, number>;
  lines: CallPlanLine[];
  /** Calls the job will spend (counting calls already spent are in `countingCalls`). */
  total: number;
  countingCalls: number;
  callsPerRecord: number | null;
  /** What the numbers take for granted (page size, the share of notes with replies). */
  assumptions: string[];
}

export const PAGE = 100;
/** Share of notes assumed to have replies until the read says otherwise. */
export const REPLY_SHARE = 0.05;
const OPPORTUNITY_LIST = 8;

const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

/**
 * Calls a job costs on the v2 read path: one per page of 100 for each kind it moves, list entries
 * paged per list (every list at least one page), an allowance for note replies (v2 lists replies
 * per note; which notes have any is only known while reading), and the v1 schema reads.
 */
export function planAffinityCalls(counts: AffinityAccountCounts, objects: readonly PlannedObject[], countingCalls = 0): AffinityCallPlan {
  const has = (o: PlannedObject) => objects.includes(o);
  const lines: CallPlanLine[] = [];
  const records: Record<string, number> = {};
  const oppLists = counts.lists.filter((l) => l.type === OPPORTUNITY_LIST);
  const listPages = (ls: typeof counts.lists) => ls.reduce((n, l) => n + pages(l.size), 0);
  const assumptions = ['pages of 100 records (v2 limit); list entries are paged per list, every list costs at least one page'];
  if (has('organizations')) {
    records.organizations = counts.organizations;
    lines.push({ endpoint: 'GET /v2/companies', calls: pages(counts.organizations), basis: `${counts.organizations} companies / ${PAGE}` });
  }
  if (has('persons')) {
    records.persons = counts.persons;
    lines.push({ endpoint: 'GET /v2/persons', calls: pages(counts.persons), basis: `${counts.persons} persons / ${PAGE}` });
  }
  if (has('opportunities')) {
    records.opportunities = oppLists.reduce((n, l) => n + l.size, 0);
    lines.push({ endpoint: 'GET /v2/lists/{id}/list-entries (opportunities)', calls: listPages(oppLists), basis: `${records.opportunities} opportunities on ${oppLists.length} opportunity lists / ${PAGE}` });
  }
  if (has('lists')) {
    records.listEntries = counts.lists.reduce((n, l) => n + l.size, 0);
    lines.push({ endpoint: 'GET /v2/lists/{id}/list-entries', calls: listPages(counts.lists), basis: `${records.listEntries} entries on ${counts.lists.length} lists / ${PAGE}` });
  }
  if (has('notes')) {
    records.notes = counts.notes;
    const roots = counts.notes - (counts.noteReplies ?? 0);
    lines.push({ endpoint: 'GET /v2/notes', calls: pages(roots), basis: `${roots} root notes / ${PAGE}` });
    if (counts.notesWithReplies !== undefined) {
      lines.push({ endpoint: 'GET /v2/notes/{id}/replies', calls: counts.notesWithReplies, basis: `${counts.notesWithReplies} notes with replies (${counts.noteReplies ?? 0} replies)` });
      assumptions.push('replies: one call per note that has any (counted); attached entities beyond a preview\'s 100 cost extra calls (rare)');
    } else {
      lines.push({ endpoint: 'GET /v2/notes/{id}/replies', calls: Math.ceil(counts.notes * REPLY_SHARE), basis: `allowance: ${REPLY_SHARE * 100}% of notes have replies` });
      assumptions.push(`replies: one call per note that has any, assumed ${REPLY_SHARE * 100}% of notes; attached entities beyond a preview's 100 cost extra calls (rare)`);
    }
  }
  lines.push({ endpoint: 'GET /persons/fields, /organizations/fields, /fields, /lists (v1)', calls: 4, basis: 'field schema and lists, once per job' });
  const total = lines.reduce((n, l) => n + l.calls, 0);
  const recordCount = Object.values(records).reduce((n, r) => n + r, 0);
  return { records, lines, total, countingCalls, callsPerRecord: recordCount > 0 ? Math.round((total / recordCount) * 10_000) / 10_000 : null, assumptions };
}

/**
 * Counts what a plan needs, as cheaply as Affinity allows: lists with sizes (`GET /lists`, one
 * call; opportunity and list entry counts follow), persons, organizations and notes by paging the v1
 * listings at their largest page (500 a call; neither version publishes a count of persons or
 * organizations, and v2's note totalCount leaves replies out). Only the kinds the job moves are counted.
 */
export async function countAffinityAccount(client: AffinityClient, objects: readonly PlannedObject[], signal?: AbortSignal): Promise<{ counts: AffinityAccountCounts; calls: number }> {
  let calls = 0;
  /** Pages a v1 listing through: how many items, and how many `lacks` says cannot be asserted in Attio. */
  const pageThrough = async (path: string, key: string, lacks: (item: Record<string, unknown>) => boolean): Promise<[number, number]> => {
    let n = 0;
    let lacking = 0;
    let token: string | null = null;
    do {
      const body: Record<string, unknown> = await client.get<Record<string, unknown>>(path, [['page_size', 500], ['page_token', token]], signal);
      calls += 1;
      const items = Array.isArray(body[key]) ? (body[key] as Array<Record<string, unknown>>) : [];
      n += items.length;
      lacking += items.filter((i) => typeof i === 'object' && i !== null && lacks(i)).length;
      token = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : null;
    } while (token);
    return [n, lacking];
  };
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const lists = await client.get<Array<{ id: number; type: number; list_size?: number }>>('/lists', [], signal);
  calls += 1;
  const [organizations, organizationsWithoutDomain] = objects.includes('organizations')
    ? await pageThrough('/organizations', 'organizations', (o) => normalizeDomains(str(o.domain), strings(o.domains)).domains.length === 0) : [0, 0];
  const [persons, personsWithoutEmail] = objects.includes('persons')
    ? await pageThrough('/persons', 'persons', (p) => normalizeEmails(str(p.primary_email), strings(p.emails)).emails.length === 0) : [0, 0];
  // Every note with its parent_id (v2's totalCount counts root notes only; the job logs replies too).
  const parents = new Set<unknown>();
  const [notes, noteReplies] = objects.includes('notes')
    ? await pageThrough('/notes', 'notes', (n) => {
      if (n.parent_id === null || n.parent_id === undefined) return false;
      parents.add(n.parent_id);
      return true;
    }) : [0, 0];
  const noteCounts = objects.includes('notes') ? { noteReplies, notesWithReplies: parents.size } : {};
  return {
    counts: { organizations, persons, notes, lists: lists.map((l) => ({ id: l.id, type: l.type, size: l.list_size ?? 0 })), personsWithoutEmail, organizationsWithoutDomain, ...noteCounts },
    calls,
  };
}

export interface QuotaCheck {
  plan: AffinityCallPlan;
  /** null = unlimited (Enterprise) or not reported. */
  monthlyRemaining: number | null;
  monthlyLimit: number | null;
  monthlyResetSec: number | null;
  fits: boolean;
  warning: string | null;
}

/** Compares a plan with the monthly quota left (`GET /rate-limit`, which Affinity does not count). */
export async function checkAffinityQuota(client: AffinityClient, plan: AffinityCallPlan, signal?: AbortSignal): Promise<QuotaCheck> {
  const report = await client.rateLimit(signal);
  const remaining = report.orgMonthly.remaining;
  const fits = remaining === null || plan.total <= remaining;
  return {
    plan,
    monthlyRemaining: remaining,
    monthlyLimit: report.orgMonthly.limit,
    monthlyResetSec: report.orgMonthly.reset,
    fits,
    warning: fits
      ? null
      : `this job needs about ${plan.total} Affinity calls but only ${remaining} remain in the monthly quota (resets in ${Math.ceil((report.orgMonthly.reset ?? 0) / 86_400)} days); reads would stop with quota_exceeded`,
  };
}
