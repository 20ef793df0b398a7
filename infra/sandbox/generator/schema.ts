import { createRng } from '../core/prng.ts';
import { ID_BASE, SALT } from './layout.ts';
import type { DropdownOption, EntityKind, Field, List, ListType, ValueType } from './types.ts';
import { LIST_NAMES } from './words.ts';

/**
 * The account's lists and fields: small, so they are built eagerly. Every value_type 0–7 appears, both as
 * global (list_id null) and list-specific fields, with single and multi-valued variants.
 */
interface FieldSpec {
  name: string;
  valueType: ValueType;
  multiple: boolean;
  options?: readonly string[];
}

const PERSON_FIELDS: FieldSpec[] = [
  { name: 'Job Title', valueType: 6, multiple: false },
  { name: 'Seniority', valueType: 2, multiple: false, options: ['Junior', 'Mid', 'Senior', 'Executive'] },
  { name: 'Interests', valueType: 2, multiple: true, options: ['Fintech', 'Climate', 'AI', 'Health', 'Crypto', 'SaaS'] },
  { name: 'Home Location', valueType: 5, multiple: false },
  { name: 'Birthday', valueType: 4, multiple: false },
  { name: 'Score', valueType: 3, multiple: false },
  { name: 'Introduced By', valueType: 0, multiple: false },
  { name: 'Current Company', valueType: 1, multiple: false },
];

const ORGANIZATION_FIELDS: FieldSpec[] = [
  { name: 'Industry', valueType: 2, multiple: true, options: ['Software', 'Hardware', 'Biotech', 'Retail', 'Finance', 'Energy'] },
  { name: 'Employees', valueType: 3, multiple: false },
  { name: 'Headquarters', valueType: 5, multiple: false },
  { name: 'Founded', valueType: 4, multiple: false },
  { name: 'Description', valueType: 6, multiple: false },
  { name: 'Investors', valueType: 1, multiple: true },
  { name: 'Key Contacts', valueType: 0, multiple: true },
  { name: 'Tier', valueType: 7, multiple: false, options: ['Tier 1', 'Tier 2', 'Tier 3'] },
];

const LIST_FIELDS: Record<EntityKind, FieldSpec[]> = {
  person: [
    { name: 'Priority', valueType: 7, multiple: false, options: ['High', 'Medium', 'Low'] },
    { name: 'Relationship Owner', valueType: 0, multiple: false },
    { name: 'Notes Summary', valueType: 6, multiple: false },
  ],
  organization: [
    { name: 'Status', valueType: 7, multiple: false, options: ['New', 'Contacted', 'Qualified', 'Passed'] },
    { name: 'Owners', valueType: 0, multiple: true },
    { name: 'Next Step', valueType: 6, multiple: false },
    { name: 'Last Contacted', valueType: 4, multiple: false },
  ],
  opportunity: [
    { name: 'Stage', valueType: 7, multiple: false, options: ['Lead', 'Diligence', 'Term Sheet', 'Closed Won', 'Closed Lost'] },
    { name: 'Amount', valueType: 3, multiple: false },
    { name: 'Close Date', valueType: 4, multiple: false },
    { name: 'Deal Lead', valueType: 0, multiple: false },
    { name: 'Target Company', valueType: 1, multiple: false },
    { name: 'Source', valueType: 2, multiple: false, options: ['Inbound', 'Referral', 'Event', 'Outbound'] },
    { name: 'Region', valueType: 5, multiple: false },
  ],
};

const LIST_TYPE: Record<EntityKind, ListType> = { person: 0, organization: 1, opportunity: 8 };

/** A field together with what it applies to, for generating values. */
export interface FieldSlot {
  field: Field;
  entity: EntityKind;
  /** Position among the fields of the same scope; part of field value ids. */
  slot: number;
}

export interface AccountSchema {
  lists: List[];
  listsByKind: Record<EntityKind, List[]>;
  fields: Field[];
  globalSlots: Record<'person' | 'organization', FieldSlot[]>;
  /** list id → its list-specific field slots. */
  listSlots: Map<number, FieldSlot[]>;
}

export function buildSchema(seed: number, listSizes: (kind: EntityKind, position: number) => number, ownerIds: number[]): AccountSchema {
  let nextFieldId: number = ID_BASE.field + 1;
  let nextOptionId: number = ID_BASE.dropdownOption + 1;
  const rng = createRng(seed, SALT.schema);
  const makeField = (spec: FieldSpec, listId: number | null): Field => ({
    id: nextFieldId++,
    name: spec.name,
    list_id: listId,
    allows_multiple: spec.multiple,
    value_type: spec.valueType,
    dropdown_options: (spec.options ?? []).map((text, rank): DropdownOption => ({ id: nextOptionId++, text, rank, color: rng.int(10) })),
  });
  const owner = (i: number) => ownerIds.length === 0 ? 0 : (ownerIds[i % ownerIds.length] as number);

  const fields: Field[] = [];
  const globalSlots = {
    person: PERSON_FIELDS.map((spec, slot) => ({ field: makeField(spec, null), entity: 'person' as const, slot })),
    organization: ORGANIZATION_FIELDS.map((spec, slot) => ({ field: makeField(spec, null), entity: 'organization' as const, slot })),
  };
  fields.push(...globalSlots.person.map((s) => s.field), ...globalSlots.organization.map((s) => s.field));

  const lists: List[] = [];
  const listsByKind: Record<EntityKind, List[]> = { person: [], organization: [], opportunity: [] };
  const listSlots = new Map<number, FieldSlot[]>();
  let nextListId: number = ID_BASE.list + 1;
  for (const kind of ['person', 'organization', 'opportunity'] as const) {
    LIST_NAMES[kind].forEach((name, position) => {
      const id = nextListId++;
      const list: List = { id, type: LIST_TYPE[kind], name, public: position === 0, owner_id: owner(id), creator_id: owner(id + 1), list_size: listSizes(kind, position) };
      lists.push(list);
      listsByKind[kind].push(list);
      const slots = LIST_FIELDS[kind].map((spec, slot) => ({ field: makeField(spec, id), entity: kind, slot }));
      listSlots.set(id, slots);
      fields.push(...slots.map((s) => s.field));
    });
  }
  return { lists, listsByKind, fields, globalSlots, listSlots };
}

/** Number of fields buildSchema creates (known before building, for the counts). */
export const FIELD_COUNT =
  PERSON_FIELDS.length + ORGANIZATION_FIELDS.length
  + LIST_NAMES.person.length * LIST_FIELDS.person.length
  + LIST_NAMES.organization.length * LIST_FIELDS.organization.length
  + LIST_NAMES.opportunity.length * LIST_FIELDS.opportunity.length;

export const LIST_COUNT = LIST_NAMES.person.length + LIST_NAMES.organization.length + LIST_NAMES.opportunity.length;
