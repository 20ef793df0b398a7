import { createRng } from '../core/prng.ts';
import { creatorOf, listEntryId, opportunityId, opportunityListEntryId, organizationId, personId, type GeneratorContext } from './context.ts';
import { SALT } from './layout.ts';
import { randomTimestamp } from './dates.ts';
import type { List, ListEntry, ListEntryRef } from './types.ts';

/** Person and organization lists in "list slot" order (persons' first), as relations index them. */
export function entityLists(ctx: GeneratorContext): List[] {
  return [...ctx.schema.listsByKind.person, ...ctx.schema.listsByKind.organization];
}

export function entryRef(ctx: GeneratorContext, e: number): ListEntryRef {
  const target = ctx.relations.entryTarget(e);
  const list = entityLists(ctx)[target.listSlot] as List;
  const rng = createRng(ctx.seed, SALT.listEntry, e);
  const isPerson = target.entityKind === 'person';
  return {
    id: listEntryId(e),
    list_id: list.id,
    creator_id: creatorOf(ctx, e),
    entity_id: isPerson ? personId(target.entityIndex) : organizationId(target.entityIndex),
    entity_type: isPerson ? 0 : 1,
    created_at: randomTimestamp(rng),
  };
}

export function opportunityEntryRef(ctx: GeneratorContext, m: number): ListEntryRef {
  const list = ctx.schema.listsByKind.opportunity[ctx.relations.opportunityListSlot(m)] as List;
  const rng = createRng(ctx.seed, SALT.opportunityListEntry, m);
  return {
    id: opportunityListEntryId(m),
    list_id: list.id,
    creator_id: creatorOf(ctx, m),
    entity_id: opportunityId(m),
    entity_type: 8,
    created_at: randomTimestamp(rng),
  };
}

export type Summaries = {
  person(i: number): Record<string, unknown>;
  organization(j: number): Record<string, unknown>;
  opportunity(m: number): Record<string, unknown>;
};

/** Entries of one list, addressed by position: the shape of GET /lists/{id}/list-entries. */
export interface ListEntries {
  size: number;
  at(position: number): ListEntry;
}

export function listEntriesOf(ctx: GeneratorContext, list: List, summaries: Summaries): ListEntries {
  const { relations } = ctx;
  if (list.type === 8) {
    const slot = ctx.schema.listsByKind.opportunity.indexOf(list);
    const L = ctx.schema.listsByKind.opportunity.length;
    return {
      size: relations.opportunityListSize(slot),
      at: (position) => {
        const m = slot + L * position;
        return { ...opportunityEntryRef(ctx, m), entity: summaries.opportunity(m) };
      },
    };
  }
  const slot = entityLists(ctx).indexOf(list);
  return {
    size: relations.entityListSize(slot),
    at: (position) => {
      const e = relations.entryIndex(slot, position);
      const ref = entryRef(ctx, e);
      const target = relations.entryTarget(e);
      const entity = target.entityKind === 'person' ? summaries.person(target.entityIndex) : summaries.organization(target.entityIndex);
      return { ...ref, entity };
    },
  };
}
