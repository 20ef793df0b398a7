/**
 * Freight's model of Affinity records, in v1's vocabulary (ids, numeric types) because the field
 * schema comes from v1 (`/fields` is the only place with dropdown options and list sizes). The
 * source reads the records themselves from v2 and fills these in (affinity-v2-records.ts); each
 * association names the documented field it comes from.
 */

export const AFFINITY_VALUE_TYPES = {
  person: 0,
  organization: 1,
  dropdown: 2,
  number: 3,
  date: 4,
  location: 5,
  text: 6,
  rankedDropdown: 7,
} as const;

export const AFFINITY_LIST_TYPES = { person: 0, organization: 1, opportunity: 8 } as const;

export const AFFINITY_NOTE_TYPES = { plain: 0, legacyEmail: 1, html: 2, aiSummary: 3 } as const;

export interface AffinityPerson {
  id: number;
  type?: number;
  first_name?: string | null;
  last_name?: string | null;
  emails?: string[] | null;
  primary_email?: string | null;
  /**
   * The person's current organizations: v2's enriched field `affinity-data-current-organization`
   * (v1 calls it `current_organization_ids`). v1 listings do not carry `organization_ids`.
   */
  current_organization_ids?: number[] | null;
}

export interface AffinityOrganization {
  id: number;
  name?: string | null;
  domain?: string | null;
  domains?: string[] | null;
  global?: boolean;
}

export interface AffinityOpportunity {
  id: number;
  name?: string | null;
  /** The opportunity list it lives on (each opportunity is on exactly one). */
  list_id?: number | null;
  /** v2 list field `persons` ("People") of its list entry. */
  person_ids?: number[] | null;
  /** v2 list field `companies` ("Organizations") of its list entry. */
  organization_ids?: number[] | null;
}

export interface AffinityDropdownOption {
  id: number;
  text: string;
  rank?: number | null;
  color?: number | null;
}

export interface AffinityField {
  id: number;
  name: string;
  list_id: number | null;
  allows_multiple?: boolean;
  dropdown_options?: AffinityDropdownOption[] | null;
  value_type: number;
  /** Which entity a global field belongs to; set by the connector from the endpoint it came from. */
  entity_type?: number | null;
}

export interface AffinityList {
  id: number;
  type: number;
  name: string;
  public?: boolean;
  owner_id?: number | null;
  list_size?: number;
  fields?: AffinityField[];
}

export interface AffinityListEntry {
  id: number;
  list_id: number;
  creator_id?: number | null;
  entity_id: number;
  entity_type?: number;
  created_at?: string | null;
}

export interface AffinityLocation {
  street_address?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  continent?: string | null;
}

export type AffinityFieldRawValue = string | number | AffinityDropdownOption | AffinityLocation | null;

export interface AffinityFieldValue {
  id: number;
  field_id: number;
  list_entry_id: number | null;
  entity_id: number;
  value: AffinityFieldRawValue;
  created_at?: string | null;
  updated_at?: string | null;
}

/** A note; the ids are v2's attached persons/companies/opportunities (previews, else the attached-* endpoints). */
export interface AffinityNote {
  id: number;
  creator_id?: number | null;
  person_ids?: number[] | null;
  organization_ids?: number[] | null;
  opportunity_ids?: number[] | null;
  parent_id?: number | null;
  content?: string | null;
  type?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
}

/** Source kinds as the connector enumerates them (plural = page kinds). */
export type AffinityObjectKind = 'organizations' | 'persons' | 'opportunities' | 'lists' | 'list_entries' | 'notes';

/**
 * One source record as read: the entity plus, for entities and list entries, its field values
 * (from v2's inline `fields`; `id` is the value's position, which keeps mapping output stable).
 */
export type AffinityRecord =
  | { kind: 'organization'; id: string; data: AffinityOrganization; fieldValues: AffinityFieldValue[] }
  | { kind: 'person'; id: string; data: AffinityPerson; fieldValues: AffinityFieldValue[] }
  | { kind: 'opportunity'; id: string; data: AffinityOpportunity; fieldValues: AffinityFieldValue[] }
  | { kind: 'list'; id: string; data: AffinityList }
  | { kind: 'list_entry'; id: string; data: AffinityListEntry; fieldValues: AffinityFieldValue[] }
  | { kind: 'note'; id: string; data: AffinityNote };

export interface AffinityFieldSchema {
  /** Global fields (list_id null) with entity_type set, then list fields. */
  fields: AffinityField[];
  lists: AffinityList[];
}
