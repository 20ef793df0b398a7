import type {
  AffinityFieldRawValue, AffinityFieldValue, AffinityListEntry, AffinityNote, AffinityOpportunity, AffinityOrganization, AffinityPerson,
} from './affinity-types.ts';
import { AFFINITY_LIST_TYPES, AFFINITY_NOTE_TYPES } from './affinity-types.ts';
import type { V2Company, V2Field, V2FieldValue, V2ListEntry, V2Location, V2Note, V2OpportunityWithFields, V2Person } from './affinity-v2-types.ts';

/** The enriched person field that names the person's current company (v2 `/persons/fields`). */
export const CURRENT_ORGANIZATION_FIELD = 'affinity-data-current-organization';
/** Opportunity list fields holding the deal's people and organizations (v2 `/lists/{id}/fields`). */
export const OPPORTUNITY_PERSONS_FIELD = 'persons';
export const OPPORTUNITY_COMPANIES_FIELD = 'companies';

/**
 * A custom field's v1 id from its v2 id. v2 names custom (global and list) fields `field-<n>`;
 * the other ids (`affinity-data-*`, `persons`, `last-email`, …) are Affinity's own columns, not
 * fields a customer defined, and are not migrated as attributes.
 */
export function customFieldId(v2Id: string): number | null {
  const m = /^field-(\d+)$/.exec(v2Id);
  return m?.[1] ? Number(m[1]) : null;
}

/** Ids a company / company-multi / person / person-multi value references. */
export function referencedIds(value: V2FieldValue | undefined): number[] {
  if (!value || value.data === null || value.data === undefined) return [];
  switch (value.type) {
    case 'company':
    case 'person':
      return [value.data.id];
    case 'company-multi':
    case 'person-multi':
      return value.data.map((d) => d.id);
    default:
      return [];
  }
}

function fieldById(fields: readonly V2Field[] | undefined, id: string): V2Field | undefined {
  return (fields ?? []).find((f) => f.id === id);
}

/** v2 location → v1 location keys (the mapping's vocabulary). */
function location(l: V2Location): AffinityFieldRawValue {
  return { street_address: l.streetAddress, city: l.city, state: l.state, country: l.country, continent: l.continent };
}

/** One v2 value → the raw values v1 would have listed (one per value of a multi-valued field). */
function rawValues(value: V2FieldValue): AffinityFieldRawValue[] {
  if (value.data === null || value.data === undefined) return [];
  switch (value.type) {
    case 'person':
    case 'company':
      return [value.data.id];
    case 'person-multi':
    case 'company-multi':
      return value.data.map((d) => d.id);
    case 'text':
    case 'filterable-text':
    case 'number':
    case 'datetime':
      return [value.data];
    case 'filterable-text-multi':
    case 'number-multi':
      return [...value.data];
    case 'location':
      return [location(value.data)];
    case 'location-multi':
      return value.data.map(location);
    case 'dropdown':
      return [{ id: value.data.dropdownOptionId, text: value.data.text }];
    case 'dropdown-multi':
      return value.data.map((d) => ({ id: d.dropdownOptionId, text: d.text }));
    case 'ranked-dropdown':
      return [{ id: value.data.dropdownOptionId, text: value.data.text, rank: value.data.rank }];
    default:
      // formula-number and interaction are computed by Affinity, not customer data.
      return [];
  }
}

/**
 * The custom field values of one entity or list entry. `listEntryId` is set for list fields (they
 * belong to the entry), null for global ones. Value ids are positions: v2 has no value ids, and a
 * stable order keeps the mapping's output identical across re-reads.
 */
export function fieldValuesOf(fields: readonly V2Field[] | undefined, entityId: number, listEntryId: number | null): AffinityFieldValue[] {
  const out: AffinityFieldValue[] = [];
  for (const field of fields ?? []) {
    const fieldId = customFieldId(field.id);
    if (fieldId === null || (field.type !== 'global' && field.type !== 'list')) continue;
    for (const value of rawValues(field.value)) {
      out.push({ id: out.length + 1, field_id: fieldId, list_entry_id: field.type === 'list' ? listEntryId : null, entity_id: entityId, value });
    }
  }
  return out;
}

export function organizationOf(c: V2Company): AffinityOrganization {
  return { id: c.id, name: c.name, domain: c.domain, domains: c.domains, global: c.isGlobal };
}

export function personOf(p: V2Person): AffinityPerson {
  return {
    id: p.id,
    type: p.type === 'internal' ? 1 : 0,
    first_name: p.firstName,
    last_name: p.lastName,
    primary_email: p.primaryEmailAddress,
    emails: p.emailAddresses,
    current_organization_ids: referencedIds(fieldById(p.fields, CURRENT_ORGANIZATION_FIELD)?.value),
  };
}

/** An opportunity from its (only) list entry: the entry's `persons` and `companies` fields are its associations. */
export function opportunityOf(o: V2OpportunityWithFields): AffinityOpportunity {
  return {
    id: o.id,
    name: o.name,
    list_id: o.listId,
    person_ids: referencedIds(fieldById(o.fields, OPPORTUNITY_PERSONS_FIELD)?.value),
    organization_ids: referencedIds(fieldById(o.fields, OPPORTUNITY_COMPANIES_FIELD)?.value),
  };
}

const ENTITY_TYPE = { person: AFFINITY_LIST_TYPES.person, company: AFFINITY_LIST_TYPES.organization, opportunity: AFFINITY_LIST_TYPES.opportunity } as const;

export function listEntryOf(e: V2ListEntry): AffinityListEntry {
  return { id: e.id, list_id: e.listId, creator_id: e.creatorId, entity_id: e.entity.id, entity_type: ENTITY_TYPE[e.type], created_at: e.createdAt };
}

/** Attached entity ids of a note, once complete (see `needsAttached`). */
export interface NoteLinks { person_ids: number[]; organization_ids: number[]; opportunity_ids: number[] }

/** The links a root note's previews carry; a preview holds at most 100, `totalCount` says how many there are. */
export function previewLinks(n: V2Note): { links: NoteLinks; incomplete: Array<keyof NoteLinks> } {
  const ids = <T extends { id: number }>(p: { data?: T[]; totalCount?: number } | undefined) => (p?.data ?? []).map((d) => d.id);
  const short = (p: { data?: unknown[]; totalCount?: number } | undefined) => (p?.totalCount ?? 0) > (p?.data?.length ?? 0);
  const incomplete: Array<keyof NoteLinks> = [];
  if (short(n.personsPreview)) incomplete.push('person_ids');
  if (short(n.companiesPreview)) incomplete.push('organization_ids');
  if (short(n.opportunitiesPreview)) incomplete.push('opportunity_ids');
  return { links: { person_ids: ids(n.personsPreview), organization_ids: ids(n.companiesPreview), opportunity_ids: ids(n.opportunitiesPreview) }, incomplete };
}

/**
 * A v2 note in the mapping's vocabulary. v2 bodies are HTML (`content.html`). A reply carries its
 * root's links: Affinity attaches replies through their parent only, and Attio needs a parent record.
 */
export function noteOf(n: V2Note, links: NoteLinks, parentId: number | null): AffinityNote {
  return {
    id: n.id,
    creator_id: n.creator.id,
    ...links,
    parent_id: parentId,
    content: n.content.html ?? '',
    type: AFFINITY_NOTE_TYPES.html,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
  };
}
