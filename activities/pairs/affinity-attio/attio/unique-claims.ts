import type { IdMapEntry, IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { SourceKey } from '../connector-types.ts';

/**
 * Two source records may share a value of a unique target attribute (two Affinity persons with the
 * same email, two organizations with the same domain). Asserting both would merge them into one
 * target record. So before asserting, each record *claims* its unique values in the id map
 * (source_kind `claim:<object>.<attribute>`, source_id = the value, target = the claiming source
 * record): the first claimer keeps the value, later ones drop it and say so. Insert-if-absent
 * makes the claim race-free and stable across re-runs.
 */
export async function claimUniqueValues(idMap: IdMapStore, args: {
  object: string;
  attribute: string;
  source: SourceKey;
  /** Normalised values, e.g. lower-case emails. */
  values: readonly string[];
  jobId?: string;
}): Promise<{ kept: string[]; lost: Array<{ value: string; owner: string }> }> {
  if (args.values.length === 0) return { kept: [], lost: [] };
  const kind = `claim:${args.object}.${args.attribute}`;
  const owner = `${args.source.kind}:${args.source.id}`;
  const held = await idMap.put(claimEntries(args), args.jobId ? { jobId: args.jobId } : {});
  const kept: string[] = [];
  const lost: Array<{ value: string; owner: string }> = [];
  for (const value of args.values) {
    const holder = held.get(`${kind}:${value}`)?.id;
    if (holder === undefined || holder === owner) kept.push(value);
    else lost.push({ value, owner: holder });
  }
  return { kept, lost };
}

/** The id-map entries by which `source` claims `values` of `object.attribute`. */
export function claimEntries(args: { object: string; attribute: string; source: SourceKey; values: readonly string[] }): IdMapEntry[] {
  const kind = `claim:${args.object}.${args.attribute}`;
  const owner = `${args.source.kind}:${args.source.id}`;
  return args.values.map((value) => ({ source: { kind, id: value }, target: { object: 'claim', id: owner } }));
}

/** The value a unique multiselect item is indexed by (email_address, domain), lower-cased. */
export function uniqueValueOf(item: unknown): string | null {
  if (typeof item === 'string') return item.trim().toLowerCase();
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    const v = o.email_address ?? o.domain ?? o.value;
    if (typeof v === 'string') return v.trim().toLowerCase();
  }
  return null;
}
