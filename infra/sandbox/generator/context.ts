import { hashInts } from '../core/prng.ts';
import { ID_BASE, ORPHAN_OFFSET, SALT, type AccountCounts } from './layout.ts';
import type { PoisonRule } from './poison.ts';
import type { Relations } from './relations.ts';
import type { AccountSchema } from './schema.ts';
import type { AccountTraits } from './traits.ts';

/** Everything a record builder needs; built once per account, read-only afterwards. */
export interface GeneratorContext {
  seed: number;
  counts: AccountCounts;
  traits: AccountTraits;
  relations: Relations;
  schema: AccountSchema;
  poison: PoisonRule;
  /** Internal team members (type 1 persons): creators and owners of lists, entries and notes. */
  internalPersonIds: number[];
}

export const personId = (i: number) => ID_BASE.person + i;
export const organizationId = (j: number) => ID_BASE.organization + j;
export const opportunityId = (m: number) => ID_BASE.opportunity + m;
export const noteId = (n: number) => ID_BASE.note + n;
export const listEntryId = (e: number) => ID_BASE.listEntry + e;
export const opportunityListEntryId = (m: number) => ID_BASE.opportunityListEntry + m;

/** An id that no record of the kind has, nor ever had. */
export const orphanId = (base: number, salt: number) => base + ORPHAN_OFFSET + (salt % 1_000_000);

/** Merged ids sit right after the live ids of a kind; each points at a live record. */
export function mergedTarget(ctx: GeneratorContext, kind: 'person' | 'organization', id: number): number | undefined {
  const base = kind === 'person' ? ID_BASE.person : ID_BASE.organization;
  const live = kind === 'person' ? ctx.counts.persons : ctx.counts.organizations;
  const merged = kind === 'person' ? ctx.counts.mergedPersons : ctx.counts.mergedOrganizations;
  const k = id - base - live;
  if (!Number.isInteger(k) || k < 0 || k >= merged) return undefined;
  return base + (hashInts(ctx.seed, SALT.merge, kind === 'person' ? 1 : 2, k) % live);
}

export function mergedIds(ctx: GeneratorContext, kind: 'person' | 'organization'): number[] {
  const base = kind === 'person' ? ID_BASE.person : ID_BASE.organization;
  const live = kind === 'person' ? ctx.counts.persons : ctx.counts.organizations;
  const merged = kind === 'person' ? ctx.counts.mergedPersons : ctx.counts.mergedOrganizations;
  return Array.from({ length: merged }, (_, k) => base + live + k);
}

/** Maps an id to its index when it belongs to a live record of the kind. */
export function indexOfId(base: number, count: number, id: number): number | undefined {
  const index = id - base;
  return Number.isInteger(index) && index >= 0 && index < count ? index : undefined;
}

export function creatorOf(ctx: GeneratorContext, salt: number): number {
  const ids = ctx.internalPersonIds;
  return ids.length === 0 ? 0 : (ids[salt % ids.length] as number);
}
