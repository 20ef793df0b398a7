import type { Workspace } from '../workspace/workspace.ts';
import type {
  Actor, Attribute, AttributeContainer, EntryRow, ListStore, NoteRow, RecordStore, SelectOption, StatusOption, StoredItem, ValuedRow,
  WorkspaceMember,
} from '../workspace/types.ts';

/** Attio's JSON shapes, built from the compact in-memory model on every read. */
type Json = Record<string, unknown>;

/**
 * Attributes, their options and statuses are identified by `object_id` in Attio's spec, whether they
 * belong to an object or a list (the spec has no `list_id` in these ids): a list's own id goes there.
 */
function parentIds(ws: Workspace, container: AttributeContainer): Json {
  return { workspace_id: ws.id, object_id: container.id };
}

/** The inverse attribute of a two-way relationship, as the spec identifies it; null when absent. */
function renderRelationship(ws: Workspace, attribute: Attribute): Json | null {
  const relation = attribute.relationship;
  const store = relation ? ws.objects.get(relation.object) : undefined;
  const inverse = relation ? store?.container.attributes.get(relation.attribute) : undefined;
  if (!store || !inverse) return null;
  return {
    id: { workspace_id: ws.id, object_id: store.container.id, attribute_id: inverse.id },
    object_slug: store.container.slug,
    title: inverse.title,
    api_slug: inverse.slug,
    is_multiselect: inverse.isMultiselect,
  };
}

export function renderOption(ws: Workspace, container: AttributeContainer, attribute: Attribute, option: SelectOption): Json {
  return { id: { ...parentIds(ws, container), attribute_id: attribute.id, option_id: option.id }, title: option.title, is_archived: option.isArchived };
}

export function renderStatus(ws: Workspace, container: AttributeContainer, attribute: Attribute, status: StatusOption): Json {
  return {
    id: { ...parentIds(ws, container), attribute_id: attribute.id, status_id: status.id },
    title: status.title, is_archived: status.isArchived, celebration_enabled: status.celebrationEnabled, target_time_in_status: null,
  };
}

export function renderAttribute(ws: Workspace, container: AttributeContainer, attribute: Attribute): Json {
  return {
    id: { ...parentIds(ws, container), attribute_id: attribute.id },
    title: attribute.title,
    description: attribute.description,
    api_slug: attribute.slug,
    type: attribute.type,
    is_system_attribute: attribute.isSystem,
    is_writable: attribute.isWritable,
    is_required: attribute.isRequired,
    is_unique: attribute.isUnique,
    is_multiselect: attribute.isMultiselect,
    is_default_value_enabled: false,
    is_archived: false,
    default_value: null,
    relationship: renderRelationship(ws, attribute),
    created_at: attribute.createdAt,
    config: {
      currency: { default_currency_code: attribute.currencyCode, display_type: attribute.currencyCode ? 'symbol' : null },
      record_reference: {
        allowed_object_ids: attribute.allowedObjects.map((slug) => ws.objects.get(slug)?.container.id ?? slug),
      },
    },
  };
}

function renderItem(ws: Workspace, container: AttributeContainer, attribute: Attribute, item: StoredItem): Json {
  const base = { active_from: item.from, active_until: null, created_by_actor: item.actor };
  const data = item.data;
  if (attribute.type === 'select') return { ...base, option: renderOption(ws, container, attribute, data.option as SelectOption), attribute_type: 'select' };
  if (attribute.type === 'status') return { ...base, status: renderStatus(ws, container, attribute, data.status as StatusOption), attribute_type: 'status' };
  return { ...base, ...data, attribute_type: attribute.type };
}

/** Every attribute appears, empty ones as []; system attributes are computed from the row. */
export function renderValues(ws: Workspace, container: AttributeContainer, row: ValuedRow): Json {
  const values: Json = {};
  for (const attribute of container.attributes.values()) {
    if (attribute.isSystem) {
      const meta = { active_from: row.createdAt, active_until: null, created_by_actor: { type: 'system', id: null } };
      if (attribute.slug === 'record_id') values.record_id = [{ ...meta, value: row.id, attribute_type: 'text' }];
      else if (attribute.slug === 'created_at') values.created_at = [{ ...meta, value: row.createdAt, attribute_type: 'timestamp' }];
      else if (attribute.slug === 'created_by') values.created_by = [{ ...meta, referenced_actor_type: row.createdBy.type, referenced_actor_id: row.createdBy.id, attribute_type: 'actor-reference' }];
      continue;
    }
    const items = row.values.get(attribute.slug);
    values[attribute.slug] = items ? items.map((item) => renderItem(ws, container, attribute, item)) : [];
  }
  return values;
}

export function renderRecord(ws: Workspace, store: RecordStore, row: ValuedRow): Json {
  return {
    id: { workspace_id: ws.id, object_id: store.container.id, record_id: row.id },
    created_at: row.createdAt,
    web_url: `https://app.attio.com/${ws.slug}/${store.container.slug}/${row.id}`,
    values: renderValues(ws, store.container, row),
  };
}

export function renderObject(ws: Workspace, store: RecordStore): Json {
  return {
    id: { workspace_id: ws.id, object_id: store.container.id },
    api_slug: store.container.slug, singular_noun: store.singularNoun, plural_noun: store.pluralNoun, created_at: store.createdAt,
  };
}

export function renderList(ws: Workspace, list: ListStore): Json {
  return {
    id: { workspace_id: ws.id, list_id: list.container.id },
    api_slug: list.container.slug,
    name: list.name,
    parent_object: [list.parentObject],
    workspace_access: list.workspaceAccess,
    workspace_member_access: list.workspaceMemberAccess,
    created_by_actor: { type: 'api-token', id: null },
    created_at: list.createdAt,
  };
}

export function renderEntry(ws: Workspace, list: ListStore, entry: EntryRow): Json {
  return {
    id: { workspace_id: ws.id, list_id: list.container.id, entry_id: entry.id },
    parent_record_id: entry.parentRecordId,
    parent_object: entry.parentObject,
    created_at: entry.createdAt,
    entry_values: renderValues(ws, list.container, entry),
  };
}

/** Markdown → plain text for content_plaintext (the common marks only). */
function stripMarkdown(markdown: string): string {
  return markdown
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(\*|_)(.*?)\1/g, '$2')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*[-*+]\s+/gm, '- ');
}

export function renderNote(ws: Workspace, note: NoteRow): Json {
  return {
    id: { workspace_id: ws.id, note_id: note.id },
    parent_object: note.parentObject,
    parent_record_id: note.parentRecordId,
    title: note.title,
    meeting_id: null,
    content_plaintext: note.format === 'markdown' ? stripMarkdown(note.content) : note.content,
    content_markdown: note.content,
    tags: [],
    created_by_actor: note.actor,
    created_at: note.createdAt,
  };
}

export function renderMember(ws: Workspace, member: WorkspaceMember): Json {
  return {
    id: { workspace_id: ws.id, workspace_member_id: member.id },
    first_name: member.firstName, last_name: member.lastName, avatar_url: null, email_address: member.email,
    access_level: member.accessLevel, created_at: member.createdAt,
  };
}

/**
 * GET /v2/self for an active token: every field the spec requires. A workspace API key has no OAuth app,
 * so the token's own actor id stands in for `client_id` (and `aud`, which equals it for Bearer tokens);
 * it never expires (`exp` null) and counts as issued when the workspace was set up.
 */
/** The scopes a sandbox token has unless the sandbox is told otherwise: everything a migration uses. */
export const DEFAULT_TOKEN_SCOPE = 'record_permission:read-write object_configuration:read-write list_configuration:read-write list_entry:read-write note:read-write user_management:read';

export function renderSelf(ws: Workspace, actor: Actor, scope: string = DEFAULT_TOKEN_SCOPE): Json {
  const owner = ws.members[0] as WorkspaceMember;
  const clientId = actor.id ?? ws.id;
  return {
    active: true,
    scope,
    client_id: clientId,
    token_type: 'Bearer',
    exp: null,
    iat: Math.floor(Date.parse(owner.createdAt) / 1000),
    sub: ws.id,
    aud: clientId,
    iss: 'attio.com',
    authorized_by_workspace_member_id: owner.id,
    workspace_id: ws.id,
    workspace_name: ws.name,
    workspace_slug: ws.slug,
    workspace_logo_url: null,
  };
}
