import type { JobPlanEta } from '../../../../shared/jobs/call-plan.ts';
import type { AffinityAccountCounts, CallPlanLine, PlannedObject } from '../affinity/quota-planner.ts';

/**
 * The Attio side of an Affinity → Attio plan: the calls each record costs (attio-records.ts,
 * attio-entries.ts, attio-notes.ts, attio-schema.ts) and the job's time under the workspace's limits.
 * Pure arithmetic over the source's counts.
 *
 * Calls per first-time write:
 *   organization / person with a domain / email: one assert (PUT …/records?matching_attribute=)
 *   without one: a query for our source id (closes the create → id-map crash window) + a create
 *   opportunity: one assert on the source-id attribute
 *   list entry: a query for our entry id + a create
 *   note: a create, and one read of the parent's notes (pages of 50) per parent, cached per process
 * plus the references pass (records written again once what they point at is migrated) and the
 * schema step. The shares below are allowances measured on generated accounts (bench `plan`): which
 * records point at records of a later kind, and how many notes share a parent, is only known while
 * reading.
 */
export interface AttioPlanLimits {
  writesPerSec: number;
  readsPerSec: number;
  affinityRequestsPerMin: number;
  /** Fraction of each limit the pacing uses (RateBudget's default ceiling). */
  ceiling?: number;
}

/**
 * Records written again by the references pass: those whose values point at records of a kind
 * migrated after them (organizations at persons, persons at opportunities through reference fields).
 * Measured on the demo account and the bench's (bench `plan`): 90% of organizations; 63–72% of persons
 * asserted on an email, 68–78% of those without one (patched by record id).
 */
export const REWRITE_SHARE: Partial<Record<PlannedObject, { asserted: number; patched: number }>> = {
  organizations: { asserted: 0.9, patched: 0.9 },
  persons: { asserted: 0.63, patched: 0.72 },
};
/**
 * Reads of a parent's notes per note: the note writer caches a parent's markers per job runtime, and
 * most notes of a batch have a parent of their own. Measured: 96% on the demo account.
 */
export const NOTE_PARENT_SHARE = 0.96;
/** The schema step: attribute, option and list reads and creates of a first run. Measured on the demo account (44 fields, 6 lists). */
export const SCHEMA_CALLS = 141;
/**
 * Time the job spends outside its paced calls, measured at the real limits (bench `plan` (b), batch
 * timings of a 2,200-record job): about 20 s from creation to the first batch (the workflow's start,
 * the schema step's reads and creates, the first source page), and about 4 s per object kind (the
 * last batches of a kind drain before the next kind's start; the pacing's slow start after a 429).
 * The references pass runs after the last kind: its writes are in the kinds' phases above, paced alike.
 */
export const FIXED_MS = 20_000;
export const PER_KIND_MS = 4_000;

const OBJECT_SLUG: Record<string, string> = { organizations: 'companies', persons: 'people', opportunities: 'deals' };

interface KindCalls {
  object: PlannedObject;
  lines: Array<CallPlanLine & { write: boolean }>;
}

/** The Attio calls of one object kind the job moves. */
function kindCalls(object: PlannedObject, counts: AffinityAccountCounts): KindCalls {
  const lines: KindCalls['lines'] = [];
  const add = (endpoint: string, calls: number, basis: string, write: boolean): void => {
    if (calls > 0) lines.push({ endpoint, calls, basis, write });
  };
  const records = (n: number, without: number, what: string, lacking: string): void => {
    const slug = OBJECT_SLUG[object] as string;
    const share = REWRITE_SHARE[object] ?? { asserted: 0, patched: 0 };
    const asserted = n - without;
    const reasserted = Math.round(asserted * share.asserted);
    add(`PUT /v2/objects/${slug}/records`, asserted + reasserted, `${asserted} ${what} asserted on ${lacking}, ${reasserted} again by the references pass (allowance ${Math.round(share.asserted * 100)}%)`, true);
    add(`POST /v2/objects/${slug}/records/query`, without, `${without} ${what} without ${lacking}: looked up by source id`, false);
    add(`POST /v2/objects/${slug}/records`, without, `${without} ${what} without ${lacking}: created`, true);
    add(`PATCH /v2/objects/${slug}/records/:id`, Math.round(without * share.patched), `the references pass on ${what} without ${lacking} (allowance ${Math.round(share.patched * 100)}%)`, true);
  };
  const entries = counts.lists.reduce((n, l) => n + l.size, 0);
  switch (object) {
    case 'organizations':
      records(counts.organizations, counts.organizationsWithoutDomain ?? 0, 'organizations', 'a domain');
      break;
    case 'persons':
      records(counts.persons, counts.personsWithoutEmail ?? 0, 'persons', 'an email');
      break;
    case 'opportunities': {
      const n = counts.lists.filter((l) => l.type === 8).reduce((s, l) => s + l.size, 0);
      add('PUT /v2/objects/deals/records', n, `${n} opportunities asserted on their source id`, true);
      break;
    }
    case 'lists':
      add('POST /v2/lists/:list/entries/query', entries, `${entries} entries looked up by entry id`, false);
      add('POST /v2/lists/:list/entries', entries, `${entries} entries created`, true);
      break;
    case 'notes':
      add('GET /v2/notes', Math.ceil(counts.notes * NOTE_PARENT_SHARE), `allowance: a read of the parent's notes for ${NOTE_PARENT_SHARE * 100}% of notes (cached per parent within a batch)`, false);
      add('POST /v2/notes', counts.notes, `${counts.notes} notes created`, true);
      break;
  }
  return { object, lines };
}

export interface AttioTargetPlan {
  eta: JobPlanEta;
  assumptions: string[];
}

/**
 * Attio calls by endpoint and the job's time: object kinds run one after another, each as long as
 * the slowest of its Attio writes, its Attio reads and its Affinity reads at the paced rates (they
 * overlap: batches read while others write), plus the fixed and per-kind overhead above.
 * `sourceCalls` = the Affinity calls of each kind (its read lines).
 */
export function planAttioTarget(
  counts: AffinityAccountCounts, objects: readonly PlannedObject[], sourceCalls: Partial<Record<PlannedObject, number>>, limits: AttioPlanLimits,
): AttioTargetPlan {
  const ceiling = limits.ceiling ?? 0.98;
  const kinds = objects.map((o) => kindCalls(o, counts));
  const perMs = { write: (limits.writesPerSec * ceiling) / 1000, read: (limits.readsPerSec * ceiling) / 1000, source: (limits.affinityRequestsPerMin * ceiling) / 60_000 };
  const phases = kinds.map((k) => {
    const writes = k.lines.filter((l) => l.write).reduce((s, l) => s + l.calls, 0);
    const reads = k.lines.filter((l) => !l.write).reduce((s, l) => s + l.calls, 0);
    const src = sourceCalls[k.object] ?? 0;
    const bounds = [['writes', writes / perMs.write], ['reads', reads / perMs.read], ['source', src / perMs.source]] as const;
    const [boundBy, ms] = bounds.reduce((a, b) => (b[1] > a[1] ? b : a));
    return { phase: k.object, objects: [k.object as string], sourceCalls: src, targetCalls: writes + reads, targetWrites: writes, boundBy, ms: Math.round(ms) + PER_KIND_MS };
  });
  const schema = { endpoint: 'schema: GET|POST /v2/objects/:object/attributes…, /v2/lists, /v2/workspace_members', calls: SCHEMA_CALLS, basis: 'allowance: attributes, options and lists of a first run (a re-run reads them only)' };
  const targetLines = [...kinds.flatMap((k) => k.lines.map(({ write: _w, ...l }) => l)), schema];
  return {
    eta: {
      phases: phases.map(({ targetWrites: _t, ...p }) => p),
      totalMs: FIXED_MS + phases.reduce((s, p) => s + p.ms, 0),
      targetLines,
      targetTotal: targetLines.reduce((s, l) => s + l.calls, 0),
      targetWrites: phases.reduce((s, p) => s + p.targetWrites, 0),
      limits: { attioWritesPerSec: limits.writesPerSec, attioReadsPerSec: limits.readsPerSec, affinityRequestsPerMin: limits.affinityRequestsPerMin },
    },
    assumptions: [
      `Attio paced at ${ceiling * 100}% of its limits (what the client does); object kinds run one after another, each as long as its slowest limit, plus ${FIXED_MS / 1000} s for the job and ${PER_KIND_MS / 1000} s per kind`,
      `references pass: about ${Math.round((REWRITE_SHARE.organizations?.asserted ?? 0) * 100)}% of organizations and ${Math.round((REWRITE_SHARE.persons?.asserted ?? 0) * 100)}% of persons written again (measured on generated accounts); notes: a parent read for ${NOTE_PARENT_SHARE * 100}%`,
      'Attio object slugs companies, people, deals (mapping overrides that rename them do not change the counts); first-time writes (a re-run costs the same calls, asserts and patches instead of creates)',
    ],
  };
}
