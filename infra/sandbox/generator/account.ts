import { hashString } from '../core/prng.ts';
import {
  indexOfId, listEntryId, mergedIds, mergedTarget, opportunityId, opportunityListEntryId, organizationId, personId,
  type GeneratorContext,
} from './context.ts';
import { fieldValuesFor, SCOPE } from './field-values.ts';
import { computeCounts, ID_BASE, type AccountCounts } from './layout.ts';
import { entityLists, listEntriesOf, type ListEntries } from './list-entries.ts';
import { buildNote } from './notes.ts';
import { buildOpportunity, opportunitySummary } from './opportunities.ts';
import { buildOrganization, organizationSummary } from './organizations.ts';
import { buildPerson, personSummary } from './persons.ts';
import { createPoisonRule, type PoisonKind } from './poison.ts';
import { createRelations } from './relations.ts';
import { buildSchema, FIELD_COUNT, LIST_COUNT } from './schema.ts';
import { createTraits } from './traits.ts';
import type { Field, FieldValue, List, ListEntry, Note, Opportunity, Organization, Person } from './types.ts';

export interface GenerateAccountOptions {
  /** Same seed and size → byte-identical account. Digit-only strings count as numbers; other strings are hashed. */
  seed: number | string;
  /** Approximate number of records across kinds (see SPLIT). */
  size: number;
  /** Share of persons, organizations, opportunities and notes marked poison (0 = none, the default). */
  poisonRate?: number;
  /**
   * Every person belongs to at least one organization (default false: about 1 in 23 has none). Lets a
   * verification count 100% of migrated people linked to the right company.
   */
  everyPersonHasCompany?: boolean;
}

export type RecordKind = 'person' | 'organization' | 'opportunity' | 'note';

/**
 * A generated Affinity v1 account. Nothing is materialised but the schema: every accessor computes its
 * record from (seed, kind, index), so a million-record account costs no memory and any page is O(page).
 */
export interface AffinityAccount {
  readonly seed: number;
  readonly size: number;
  readonly counts: AccountCounts;
  readonly poisonRate: number;
  readonly everyPersonHasCompany: boolean;
  readonly lists: readonly List[];
  readonly fields: readonly Field[];
  readonly personFields: readonly Field[];
  readonly organizationFields: readonly Field[];
  person(index: number): Person;
  organization(index: number): Organization;
  opportunity(index: number): Opportunity;
  note(index: number): Note;
  /** Bumped by every source change (mutations.ts); absent on a generated account, which never changes. Caches key on it. */
  revision?(): number;
  /** Index of a live record with this id, or undefined (unknown, orphaned or merged id). */
  indexOf(kind: RecordKind, id: number): number | undefined;
  /** For a merged person/organization id, the id it was merged into. */
  mergedInto(kind: 'person' | 'organization', id: number): number | undefined;
  mergedIds(kind: 'person' | 'organization'): number[];
  list(id: number): List | undefined;
  listEntries(listId: number): ListEntries | undefined;
  /** One list entry by id (person, organization or opportunity list), with its entity summary. */
  listEntry(id: number): ListEntry | undefined;
  /** Indexes of the organizations a person belongs to (the live part of `organization_ids`). */
  personOrganizationIndexes(index: number): number[];
  /** The person's current organization (v1 `current_organization_ids`): the first one it belongs to. */
  currentOrganizationIds(index: number): number[];
  opportunityPersonIndexes(index: number): number[];
  organizationPersonIndexes(index: number): number[];
  /** Whether note `index` is a reply (v1 `parent_id` set). */
  isReply(index: number): boolean;
  /** Indexes of the replies to note `index`. */
  repliesOf(index: number): number[];
  opportunityOrganizationIndexes(index: number): number[];
  /** Note indexes attached to a live entity (ascending); replies are attached to no entity. */
  notesOf(kind: 'person' | 'organization' | 'opportunity', index: number): number[];
  /** Field values of an entity (global + its list entries') or of one list entry; undefined when unknown. */
  fieldValues(kind: 'person' | 'organization' | 'opportunity' | 'list_entry', id: number): FieldValue[] | undefined;
  isPoison(kind: PoisonKind, index: number): boolean;
  /** Ids of the poison records of a kind, ascending. */
  poisonIds(kind: PoisonKind): number[];
}

const INTERNAL_TEAM_SIZE = 5;

export function generateAffinityAccount(options: GenerateAccountOptions): AffinityAccount {
  const seed = typeof options.seed === 'number' ? options.seed >>> 0 : /^\d+$/.test(options.seed) ? Number(options.seed) >>> 0 : hashString(options.seed);
  const counts = computeCounts(options.size, LIST_COUNT, FIELD_COUNT);
  const everyPersonHasCompany = options.everyPersonHasCompany ?? false;
  const traits = createTraits(seed, counts, { everyPersonHasCompany });
  const internalPersonIds = Array.from({ length: Math.min(INTERNAL_TEAM_SIZE, counts.persons) }, (_, i) => personId(i));
  const poisonRate = options.poisonRate ?? 0;
  const poison = createPoisonRule(seed, poisonRate, { person: counts.persons, organization: counts.organizations, opportunity: counts.opportunities, note: counts.notes });

  // Relations need the number of lists per kind, the schema needs list sizes from relations: two steps.
  const listShape = buildSchema(seed, () => 0, internalPersonIds).listsByKind;
  const relations = createRelations(seed, counts, traits, {
    person: listShape.person.length, organization: listShape.organization.length, opportunity: listShape.opportunity.length,
  });
  const personLists = listShape.person.length;
  const schema = buildSchema(seed, (kind, position) => {
    if (kind === 'opportunity') return relations.opportunityListSize(position);
    return relations.entityListSize(kind === 'person' ? position : personLists + position);
  }, internalPersonIds);
  const ctx: GeneratorContext = { seed, counts, traits, relations, schema, poison, internalPersonIds };

  const summaries = {
    person: (i: number) => personSummary(ctx, i),
    organization: (j: number) => organizationSummary(ctx, j),
    opportunity: (m: number) => opportunitySummary(ctx, m),
  };
  const listById = new Map(schema.lists.map((l) => [l.id, l]));
  const entryLists = entityLists(ctx);
  const countOf: Record<RecordKind, number> = { person: counts.persons, organization: counts.organizations, opportunity: counts.opportunities, note: counts.notes };
  const baseOf: Record<RecordKind, number> = { person: ID_BASE.person, organization: ID_BASE.organization, opportunity: ID_BASE.opportunity, note: ID_BASE.note };

  const entryValues = (e: number): FieldValue[] => {
    const target = relations.entryTarget(e);
    const list = entryLists[target.listSlot] as List;
    const entityId = target.entityKind === 'person' ? personId(target.entityIndex) : organizationId(target.entityIndex);
    return fieldValuesFor(ctx, schema.listSlots.get(list.id) ?? [], { code: SCOPE.listEntry, index: e, entityId, listEntryId: listEntryId(e) });
  };
  const opportunityValues = (m: number): FieldValue[] => {
    const list = schema.listsByKind.opportunity[relations.opportunityListSlot(m)] as List;
    return fieldValuesFor(ctx, schema.listSlots.get(list.id) ?? [], { code: SCOPE.opportunityEntry, index: m, entityId: opportunityId(m), listEntryId: opportunityListEntryId(m) });
  };

  return {
    seed,
    size: options.size,
    counts,
    poisonRate,
    everyPersonHasCompany,
    lists: schema.lists,
    fields: schema.fields,
    personFields: schema.globalSlots.person.map((s) => s.field),
    organizationFields: schema.globalSlots.organization.map((s) => s.field),
    person: (i) => buildPerson(ctx, i),
    organization: (j) => buildOrganization(ctx, j),
    opportunity: (m) => buildOpportunity(ctx, m),
    note: (n) => buildNote(ctx, n),
    indexOf: (kind, id) => indexOfId(baseOf[kind], countOf[kind], id),
    mergedInto: (kind, id) => mergedTarget(ctx, kind, id),
    mergedIds: (kind) => mergedIds(ctx, kind),
    list: (id) => listById.get(id),
    listEntries: (id) => {
      const list = listById.get(id);
      return list ? listEntriesOf(ctx, list, summaries) : undefined;
    },
    personOrganizationIndexes: (i) => relations.personOrganizations(i),
    currentOrganizationIds: (i) => relations.personOrganizations(i).slice(0, 1).map((j) => ID_BASE.organization + j),
    opportunityPersonIndexes: (m) => relations.opportunityPersons(m),
    organizationPersonIndexes: (j) => relations.organizationPersons(j),
    isReply: (n) => relations.isReply(n),
    // A reply's parent is the note just before it (notes.ts), so note n has at most one reply: n + 1.
    repliesOf: (n) => (n + 1 < counts.notes && relations.isReply(n + 1) ? [n + 1] : []),
    opportunityOrganizationIndexes: (m) => relations.opportunityOrganizations(m),
    listEntry(id) {
      const e = indexOfId(ID_BASE.listEntry, counts.listEntries, id);
      if (e !== undefined) {
        const target = relations.entryTarget(e);
        return listEntriesOf(ctx, entryLists[target.listSlot] as List, summaries).at(target.position);
      }
      const m = indexOfId(ID_BASE.opportunityListEntry, counts.opportunities, id);
      if (m === undefined) return undefined;
      const oppLists = schema.listsByKind.opportunity;
      return listEntriesOf(ctx, oppLists[relations.opportunityListSlot(m)] as List, summaries).at(Math.floor(m / oppLists.length));
    },
    notesOf: (kind, index) => relations.notesOf(kind, index),
    fieldValues(kind, id) {
      if (kind === 'list_entry') {
        const e = indexOfId(ID_BASE.listEntry, counts.listEntries, id);
        if (e !== undefined) return entryValues(e);
        const m = indexOfId(ID_BASE.opportunityListEntry, counts.opportunities, id);
        return m === undefined ? undefined : opportunityValues(m);
      }
      const index = indexOfId(baseOf[kind], countOf[kind], id);
      if (index === undefined) return undefined;
      if (kind === 'opportunity') return opportunityValues(index);
      const slots = schema.globalSlots[kind];
      const global = fieldValuesFor(ctx, slots, { code: kind === 'person' ? SCOPE.person : SCOPE.organization, index, entityId: id, listEntryId: null });
      return [...global, ...relations.entityEntries(kind, index).flatMap(entryValues)];
    },
    isPoison: (kind, index) => poison.isPoison(kind, index),
    poisonIds: (kind) => poison.indexes(kind, countOf[kind]).map((i) => baseOf[kind] + i),
  };
}
