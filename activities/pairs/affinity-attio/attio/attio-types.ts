/** Attio v2 response shapes, as far as the target reads them. */

export interface AttioRecordResponse {
  data: { id: { record_id: string; object_id?: string }; values?: Record<string, unknown[]> };
}

export interface AttioListResponse<T> {
  data: T[];
}

export interface AttioAttribute {
  /** `object_id` holds the list's id for a list's attributes (the spec has no `list_id` there). */
  id?: { workspace_id?: string; object_id?: string; attribute_id?: string };
  api_slug: string;
  title?: string;
  type: string;
  is_unique?: boolean;
  is_multiselect?: boolean;
  /** The inverse side of a two-way relationship (e.g. people.company ↔ companies.team); null when none. */
  relationship?: { id: { object_id: string; attribute_id: string }; object_slug: string; api_slug: string; is_multiselect: boolean } | null;
}

export interface AttioOption {
  id?: unknown;
  title: string;
  is_archived?: boolean;
}

export interface AttioList {
  id: { list_id: string };
  api_slug: string;
  name?: string;
  parent_object?: string[] | string;
}

export interface AttioNote {
  id: { note_id: string };
  parent_object: string;
  parent_record_id: string;
  title: string;
  /** The note object's two renderings of its content (spec: note schema). */
  content_plaintext?: string;
  content_markdown?: string;
}

export interface AttioEntry {
  id: { entry_id: string };
  parent_record_id: string;
  parent_object?: string;
  entry_values?: Record<string, unknown[]>;
}

export interface AttioWorkspaceMember {
  id: { workspace_member_id: string };
  email_address?: string;
}
