/**
 * How many records of each kind an account of a given size holds, and where each kind's ids live.
 * Ids are index + a per-kind base, so id ↔ index is arithmetic and kinds never share an id.
 */
export const ID_BASE = {
  organization: 100_000_000,
  person: 200_000_000,
  opportunity: 300_000_000,
  note: 400_000_000,
  listEntry: 500_000_000,
  opportunityListEntry: 600_000_000,
  list: 1_000,
  field: 2_000,
  dropdownOption: 5_000,
} as const;

/** Orphaned references point this far past a kind's base: never an existing nor a merged record. */
export const ORPHAN_OFFSET = 90_000_000;

/** Split of `size` across kinds; list entries (on person/org lists) take the remainder. */
export const SPLIT = { organizations: 0.15, persons: 0.4, opportunities: 0.1, notes: 0.25 } as const;

export interface AccountCounts {
  organizations: number;
  persons: number;
  opportunities: number;
  notes: number;
  /** Entries on person and organization lists. */
  listEntries: number;
  /** One per opportunity (every opportunity sits on exactly one opportunity list); not part of `size`. */
  opportunityListEntries: number;
  lists: number;
  fields: number;
  /** Ids that answer 422 "merged into" (not listed, not counted in `size`). */
  mergedPersons: number;
  mergedOrganizations: number;
  /** organizations + persons + opportunities + notes + listEntries (≈ size). */
  total: number;
}

export function computeCounts(size: number, lists: number, fields: number): AccountCounts {
  if (!Number.isInteger(size) || size < 0) throw new Error(`size must be a non-negative integer, got ${size}`);
  const min1 = (n: number) => (size > 0 ? Math.max(1, n) : 0);
  const organizations = min1(Math.round(size * SPLIT.organizations));
  const persons = min1(Math.round(size * SPLIT.persons));
  const opportunities = Math.round(size * SPLIT.opportunities);
  const notes = Math.round(size * SPLIT.notes);
  const listEntries = Math.max(0, size - organizations - persons - opportunities - notes);
  return {
    organizations,
    persons,
    opportunities,
    notes,
    listEntries,
    opportunityListEntries: opportunities,
    lists,
    fields,
    mergedPersons: persons > 0 ? Math.max(1, Math.floor(persons / 500)) : 0,
    mergedOrganizations: organizations > 0 ? Math.max(1, Math.floor(organizations / 500)) : 0,
    total: organizations + persons + opportunities + notes + listEntries,
  };
}

/** Hash salts, one per kind of decision, so streams never overlap. */
export const SALT = {
  organization: 11,
  person: 12,
  opportunity: 13,
  note: 14,
  listEntry: 15,
  opportunityListEntry: 16,
  fieldValue: 17,
  schema: 18,
  merge: 19,
  poison: 20,
  noteKind: 21,
  trait: 22,
  permutation: 23,
} as const;
