/**
 * Affinity API v2 shapes as the published OpenAPI document describes them (developer.affinity.co),
 * limited to what the source reads. Unknown extra keys are ignored.
 */

export interface V2Pagination {
  nextUrl?: string | null;
  prevUrl?: string | null;
  totalCount?: number;
}

export interface V2Paged<T> {
  data: T[] | null;
  pagination: V2Pagination;
}

export interface V2Location {
  streetAddress: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  continent: string | null;
}

export interface V2PersonData { id: number; firstName?: string | null; lastName?: string | null; primaryEmailAddress?: string | null; type?: string }
export interface V2CompanyData { id: number; name?: string; domain?: string | null }
export interface V2Dropdown { dropdownOptionId: number; text: string }
export interface V2RankedDropdown extends V2Dropdown { rank: number; color: string | null }

/** `FieldValue`: discriminated by `type`; `data` null = no value. */
export type V2FieldValue =
  | { type: 'person'; data: V2PersonData | null }
  | { type: 'person-multi'; data: V2PersonData[] | null }
  | { type: 'company'; data: V2CompanyData | null }
  | { type: 'company-multi'; data: V2CompanyData[] | null }
  | { type: 'text' | 'filterable-text'; data: string | null }
  | { type: 'filterable-text-multi'; data: string[] | null }
  | { type: 'number'; data: number | null }
  | { type: 'number-multi'; data: number[] | null }
  | { type: 'datetime'; data: string | null }
  | { type: 'location'; data: V2Location | null }
  | { type: 'location-multi'; data: V2Location[] | null }
  | { type: 'dropdown'; data: V2Dropdown | null }
  | { type: 'dropdown-multi'; data: V2Dropdown[] | null }
  | { type: 'ranked-dropdown'; data: V2RankedDropdown | null }
  | { type: 'formula-number' | 'interaction'; data: unknown };

/** `Field`: `type` says where it lives (global, list, enriched, relationship-intelligence). */
export interface V2Field {
  id: string;
  name: string;
  type: 'enriched' | 'global' | 'list' | 'relationship-intelligence';
  enrichmentSource: string | null;
  value: V2FieldValue;
}

export interface V2Company { id: number; name: string; domain: string | null; domains: string[]; isGlobal: boolean; fields?: V2Field[] }

export interface V2Person {
  id: number;
  firstName: string;
  lastName: string | null;
  primaryEmailAddress: string | null;
  emailAddresses: string[];
  type: 'internal' | 'external';
  fields?: V2Field[];
}

export interface V2OpportunityWithFields { id: number; name: string; listId: number; fields?: V2Field[] }

interface V2ListEntryBase { id: number; listId: number; createdAt: string; creatorId: number | null }

/** `ListEntryWithEntity`: the entity (with its fields inline) by `type`. */
export type V2ListEntry =
  | (V2ListEntryBase & { type: 'company'; entity: V2Company })
  | (V2ListEntryBase & { type: 'person'; entity: V2Person })
  | (V2ListEntryBase & { type: 'opportunity'; entity: V2OpportunityWithFields });

interface V2Preview<T> { data?: T[]; totalCount?: number }

/** `notes.Note` (root notes: entities, interaction, ai-notetaker) and `notes.Reply`. */
export interface V2Note {
  id: number;
  type: 'entities' | 'interaction' | 'ai-notetaker' | 'user-reply' | 'ai-notetaker-reply';
  content: { html: string | null };
  creator: V2PersonData;
  createdAt: string;
  updatedAt: string | null;
  personsPreview?: V2Preview<V2PersonData>;
  companiesPreview?: V2Preview<V2CompanyData>;
  opportunitiesPreview?: V2Preview<{ id: number }>;
  repliesCount?: number;
  /** Replies only. */
  parent?: { id: number };
}

/** `PersonMergeState` / `CompanyMergeState` (the fields the source reads). */
export interface V2MergeState {
  id: number;
  status: 'in-progress' | 'success' | 'failed';
  primaryPersonId?: number;
  duplicatePersonId?: number;
  primaryCompanyId?: number;
  duplicateCompanyId?: number;
}

/** `errors[]` of every v2 error body: `code` is one of the spec's error codes. */
export interface V2ErrorBody { errors: Array<{ code: string; message: string; param?: string }> }
