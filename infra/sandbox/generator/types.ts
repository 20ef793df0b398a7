/** Affinity v1 shapes as the API returns them (see shared/reference/affinity-api.md). */

/** 0 person, 1 organization, 8 opportunity. */
export type ListType = 0 | 1 | 8;
/** 0 person, 1 organization, 2 dropdown, 3 number, 4 date, 5 location, 6 text, 7 ranked dropdown. */
export type ValueType = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface ListEntryRef {
  id: number;
  list_id: number;
  creator_id: number;
  entity_id: number;
  entity_type: ListType;
  created_at: string;
}

export interface ListEntry extends ListEntryRef {
  entity: Record<string, unknown>;
}

export interface Person {
  id: number;
  type: 0 | 1;
  first_name: string;
  last_name: string;
  primary_email: string | null;
  emails: string[];
  organization_ids: number[];
  opportunity_ids: number[];
  list_entries: ListEntryRef[];
}

export interface Organization {
  id: number;
  name: string;
  domain: string | null;
  domains: string[];
  global: boolean;
  person_ids: number[];
  opportunity_ids: number[];
  list_entries: ListEntryRef[];
}

export interface Opportunity {
  id: number;
  name: string;
  person_ids: number[];
  organization_ids: number[];
  list_entries: ListEntryRef[];
}

export interface List {
  id: number;
  type: ListType;
  name: string;
  public: boolean;
  owner_id: number;
  creator_id: number;
  list_size: number;
}

export interface DropdownOption {
  id: number;
  text: string;
  rank: number;
  color: number;
}

export interface Field {
  id: number;
  name: string;
  list_id: number | null;
  allows_multiple: boolean;
  value_type: ValueType;
  dropdown_options: DropdownOption[];
}

export interface Location {
  street_address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  continent: string | null;
}

export type FieldValueValue = string | number | Location | DropdownOption | null;

export interface FieldValue {
  id: number;
  field_id: number;
  list_entry_id: number | null;
  entity_id: number;
  value: FieldValueValue;
  created_at: string;
  updated_at: string | null;
}

export interface Note {
  id: number;
  creator_id: number;
  person_ids: number[];
  organization_ids: number[];
  opportunity_ids: number[];
  parent_id: number | null;
  content: string;
  /** 0 plain text, 2 HTML. */
  type: 0 | 2;
  created_at: string;
  updated_at: string | null;
}

export type EntityKind = 'person' | 'organization' | 'opportunity';
