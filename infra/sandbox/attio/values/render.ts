import type { Workspace } from '../workspace/workspace.ts';
import type {
  Attribute, AttributeContainer, EntryRow, ListStore, NoteRow, RecordStore, SelectOption, StatusOption, StoredItem, ValuedRow,
  WorkspaceMember,
} from '../workspace/types.ts';

/** Attio's JSON shapes, built from the compact in-memory model on every read. */
type Json = Record<string, unknown>;

function parentIds(ws: Workspace, container: AttributeContainer): Json {
  return container.kind === 'objects' ? { workspace_id: ws.id, object_id: container.id } : { workspace_id: ws.id, list_id: container.id };
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
    relationship: attribute.relationship ? { id: null, object: attribute.relationship.object, attribute: attribute.relationship.attribute } : null,
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
