import type { AffinityAccount, Field, FieldValue, ListType } from '../../generator/index.ts';
import { AffinityApiError } from '../errors.ts';
import { listParam } from './cursor.ts';
import { companyData, personData } from './shapes.ts';

/**
 * v2 field metadata and inline field values (spec: FieldMetadata, Field, FieldValue and its 17 value
 * shapes). The generator's v1 fields become `field-<id>`; associations are fields too, as the spec's
 * "Nested Associations" section says: a person's companies (`companies`, company-multi), an opportunity's
 * persons and companies (`persons`, `companies` on its list entry), truncated at 100 like Affinity does.
 */
export type FieldType = 'enriched' | 'global' | 'list' | 'relationship-intelligence';

export interface FieldMeta {
  id: string;
  name: string;
  type: FieldType;
  enrichmentSource: 'affinity-data' | null;
  valueType: string;
}

/** One field of a record, resolved: its metadata and how to read its value from the record. */
export interface FieldSource {
  meta: FieldMeta;
  /** The value's `data` (null when unset; multi types give null rather than an empty array, as the spec says). */
  data: (ctx: ValueContext) => unknown;
}

export interface ValueContext {
  account: AffinityAccount;
  /** v1 values of the record: the entity's global ones, or the list entry's. */
  values: () => FieldValue[];
  entityIndex: number;
}

const NESTED_MAX = 100;
const COLORS = ['blue', 'green', 'red', 'orange', 'purple', 'pink', 'yellow', 'gray', 'teal', 'brown'];

function valueTypeOf(field: Field): string {
  const multi = field.allows_multiple;
  switch (field.value_type) {
    case 0: return multi ? 'person-multi' : 'person';
    case 1: return multi ? 'company-multi' : 'company';
    case 2: return multi ? 'dropdown-multi' : 'dropdown';
    case 3: return multi ? 'number-multi' : 'number';
    case 4: return 'datetime';
    case 5: return multi ? 'location-multi' : 'location';
    case 6: return 'text';
    case 7: return 'ranked-dropdown';
  }
}

/** One v1 value in its v2 form; undefined drops it (a reference to a record that does not exist). */
function convert(account: AffinityAccount, field: Field, value: FieldValue['value']): unknown {
  switch (field.value_type) {
    case 0: {
      const index = account.indexOf('person', value as number);
      return index === undefined ? undefined : personData(account, index);
    }
    case 1: {
      const index = account.indexOf('organization', value as number);
      return index === undefined ? undefined : companyData(account, index);
    }
    case 2: {
      const option = field.dropdown_options.find((o) => o.text === value);
      return option ? { dropdownOptionId: option.id, text: option.text } : undefined;
    }
    case 5: {
      const l = value as { street_address: string | null; city: string | null; state: string | null; country: string | null; continent: string | null };
      return { streetAddress: l.street_address, city: l.city, state: l.state, country: l.country, continent: l.continent };
    }
    case 7: {
      const o = value as { id: number; text: string; rank: number; color: number };
      return { dropdownOptionId: o.id, text: o.text, rank: o.rank, color: COLORS[o.color % COLORS.length] ?? null };
    }
    default:
      return value;
  }
}

function fieldSource(field: Field, type: FieldType): FieldSource {
  return {
    meta: { id: `field-${field.id}`, name: field.name, type, enrichmentSource: null, valueType: valueTypeOf(field) },
    data: ({ account, values }) => {
      const converted = values().filter((v) => v.field_id === field.id).map((v) => convert(account, field, v.value)).filter((v) => v !== undefined);
      if (field.allows_multiple) return converted.length === 0 ? null : converted.slice(0, NESTED_MAX);
      return converted[0] ?? null;
    },
  };
}

const many = (items: unknown[]) => (items.length === 0 ? null : items.slice(0, NESTED_MAX));

/** A person's companies: the association v1 gives as `organization_ids` on GET /persons/{id}. */
const personCompanies = (type: FieldType): FieldSource => ({
  meta: { id: 'companies', name: 'Organizations', type, enrichmentSource: null, valueType: 'company-multi' },
  data: ({ account, entityIndex }) => many(account.personOrganizationIndexes(entityIndex).map((j) => companyData(account, j))),
});

const currentOrganization: FieldSource = {
  meta: { id: 'affinity-data-current-organization', name: 'Current Organization', type: 'enriched', enrichmentSource: 'affinity-data', valueType: 'company' },
  data: ({ account, entityIndex }) => {
    const j = account.personOrganizationIndexes(entityIndex)[0];
    return j === undefined ? null : companyData(account, j);
  },
};

const opportunityPersons: FieldSource = {
  meta: { id: 'persons', name: 'People', type: 'list', enrichmentSource: null, valueType: 'person-multi' },
  data: ({ account, entityIndex }) => many(account.opportunityPersonIndexes(entityIndex).map((i) => personData(account, i))),
};

const opportunityCompanies: FieldSource = {
  meta: { id: 'companies', name: 'Organizations', type: 'list', enrichmentSource: null, valueType: 'company-multi' },
  data: ({ account, entityIndex }) => many(account.opportunityOrganizationIndexes(entityIndex).map((j) => companyData(account, j))),
};

/**
 * Fields of GET /v2/persons and /v2/companies (and /fields of each): global and enriched. The spec's
 * person-list example types the `companies` association as `list`; on the person resource, which
 * "does not support list-specific field data", it is listed as `global` so that it can be selected.
 */
export function entityFields(account: AffinityAccount, kind: 'person' | 'organization'): FieldSource[] {
  if (kind === 'person') return [...account.personFields.map((f) => fieldSource(f, 'global')), personCompanies('global'), currentOrganization];
  return account.organizationFields.map((f) => fieldSource(f, 'global'));
}

/** Fields of a list (GET /v2/lists/{id}/fields and its list entries): the entity's, the list's own, and associations. */
export function listFields(account: AffinityAccount, listId: number, type: ListType): { entity: FieldSource[]; entry: FieldSource[] } {
  const own = account.fields.filter((f) => f.list_id === listId).map((f) => fieldSource(f, 'list'));
  if (type === 0) return { entity: [...entityFields(account, 'person').filter((s) => s.meta.id !== 'companies'), personCompanies('list')], entry: own };
  if (type === 1) return { entity: entityFields(account, 'organization'), entry: own };
  return { entity: [opportunityPersons, opportunityCompanies], entry: own };
}

const TYPES: readonly FieldType[] = ['enriched', 'global', 'list', 'relationship-intelligence'];

/**
 * The fields a request selects with `fieldIds` / `fieldTypes` (none: no field data, as the spec says).
 * Unknown ids or types answer 400 validation.
 */
export function selectFields(query: URLSearchParams, available: FieldSource[], allowedTypes: readonly FieldType[] = TYPES): FieldSource[] | undefined {
  const ids = listParam(query, 'fieldIds');
  const types = listParam(query, 'fieldTypes');
  if (ids.length === 0 && types.length === 0) return undefined;
  for (const t of types) if (!allowedTypes.includes(t as FieldType)) throw new AffinityApiError(400, `fieldTypes must be one of ${allowedTypes.join(', ')}`, 'fieldTypes');
  const known = new Set(available.map((s) => s.meta.id));
  for (const id of ids) if (!known.has(id)) throw new AffinityApiError(400, `Field ${id} not found`, 'fieldIds');
  return available.filter((s) => ids.includes(s.meta.id) || types.includes(s.meta.type));
}

export function renderFields(selected: FieldSource[], ctx: ValueContext): Record<string, unknown>[] {
  // The record's values are generated once, not once per selected field.
  let cached: FieldValue[] | undefined;
  const once: ValueContext = { ...ctx, values: () => (cached ??= ctx.values()) };
  return selected.map(({ meta, data }) => ({ id: meta.id, name: meta.name, type: meta.type, enrichmentSource: meta.enrichmentSource, value: { type: meta.valueType, data: data(once) } }));
}
