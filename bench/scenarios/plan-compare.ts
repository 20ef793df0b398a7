import type { JobCallPlan } from '../../shared/jobs/call-plan.ts';

/** One endpoint (or group) of a plan beside what a sandbox counted. */
export interface CallRow {
  side: 'affinity' | 'attio';
  endpoint: string;
  planned: number;
  counted: number;
  /** counted ÷ planned; null when nothing was planned. */
  ratio: number | null;
}

const V1_SCHEMA = 'v1 schema: /persons/fields, /organizations/fields, /fields, /lists';
const ATTIO_SCHEMA = 'schema: attributes, options, lists, workspace members, self';

/** The Affinity plan's endpoint as the sandbox names it (`{id}` → `:id`; opportunities and entries share one endpoint). */
function affinityKey(endpoint: string): string {
  if (endpoint.endsWith('(v1)')) return V1_SCHEMA;
  return endpoint.replace(/ \(opportunities\)$/, '').replace(/\{id\}/g, ':id');
}

/** A counted Affinity endpoint under the plan's name: every v1 call is the schema step's. */
function affinityCounted(endpoint: string): string {
  return endpoint.startsWith('GET /v2/') ? endpoint : V1_SCHEMA;
}

/** A counted Attio endpoint under the plan's name: the schema step's reads and creates as one group. */
function attioCounted(endpoint: string): string {
  if (/\/attributes|^GET \/v2\/lists$|^POST \/v2\/lists$|workspace_members|^GET \/v2\/self$|^GET \/v2\/objects/.test(endpoint) && !endpoint.includes('/records')) return ATTIO_SCHEMA;
  return endpoint;
}

function merge(rows: Map<string, { planned: number; counted: number }>, key: string, field: 'planned' | 'counted', n: number): void {
  const row = rows.get(key) ?? { planned: 0, counted: 0 };
  row[field] += n;
  rows.set(key, row);
}

/** The plan's calls per endpoint beside the sandboxes' counts (unplanned endpoints show with planned 0). */
export function compareCalls(plan: JobCallPlan | null, affinity: Record<string, number>, attio: Record<string, number>): CallRow[] {
  const aff = new Map<string, { planned: number; counted: number }>();
  for (const l of plan?.lines ?? []) merge(aff, affinityKey(l.endpoint), 'planned', l.calls);
  for (const [k, n] of Object.entries(affinity)) merge(aff, affinityCounted(k), 'counted', n);
  const att = new Map<string, { planned: number; counted: number }>();
  for (const l of plan?.eta?.targetLines ?? []) merge(att, l.endpoint.startsWith('schema:') ? ATTIO_SCHEMA : l.endpoint, 'planned', l.calls);
  for (const [k, n] of Object.entries(attio)) merge(att, attioCounted(k), 'counted', n);
  const rows = (side: CallRow['side'], m: Map<string, { planned: number; counted: number }>): CallRow[] =>
    [...m].map(([endpoint, r]) => ({ side, endpoint, ...r, ratio: r.planned > 0 ? Math.round((r.counted / r.planned) * 1000) / 1000 : null }));
  const total = (side: CallRow['side'], m: Map<string, { planned: number; counted: number }>): CallRow => {
    const planned = [...m.values()].reduce((s, r) => s + r.planned, 0);
    const counted = [...m.values()].reduce((s, r) => s + r.counted, 0);
    return { side, endpoint: 'TOTAL', planned, counted, ratio: planned > 0 ? Math.round((counted / planned) * 1000) / 1000 : null };
  };
  return [...rows('affinity', aff), total('affinity', aff), ...rows('attio', att), total('attio', att)];
}

export function formatComparison(rows: readonly CallRow[]): string {
  const head = `  ${'side'.padEnd(9)}${'endpoint'.padEnd(62)}${'planned'.padStart(9)}${'counted'.padStart(9)}${'ratio'.padStart(8)}`;
  return [head, ...rows.map((r) => `  ${r.side.padEnd(9)}${r.endpoint.slice(0, 60).padEnd(62)}${String(r.planned).padStart(9)}${String(r.counted).padStart(9)}${(r.ratio === null ? '-' : r.ratio.toFixed(3)).padStart(8)}`)].join('\n');
}
