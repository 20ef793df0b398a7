/**
 * Attio rows shaped as Attio's OpenAPI spec gives them (records/entries query items, note, output
 * values with `active_from`, `active_until`, `created_by_actor`), for the verification unit tests.
 * Not a test file itself.
 */
import type { AttioEntryRow, AttioNoteRow, AttioRecordRow, AttioValues } from './attio-snapshot.ts';

export const WORKSPACE_ID = '14beef7a-99f7-4534-a87e-70b564330a4c';
const ACTOR = { type: 'api-token', id: 'b4a4d4ad-2d3c-4c84-a7be-b1d8f0f5f2a1' };
const AT = '2025-06-01T12:00:00.000000000Z';

const meta = { active_from: AT, active_until: null, created_by_actor: ACTOR };

export const value = {
  text: (v: string) => ({ ...meta, attribute_type: 'text', value: v }),
  ref: (object: string, recordId: string) => ({ ...meta, attribute_type: 'record-reference', target_object: object, target_record_id: recordId }),
  status: (title: string) => ({
    ...meta, attribute_type: 'status',
    status: { id: { workspace_id: WORKSPACE_ID, object_id: 'obj-deals', attribute_id: 'attr-stage', status_id: `status-${title}` }, title, is_archived: false, celebration_enabled: false, target_time_in_status: null },
  }),
  actor: (memberId: string) => ({ ...meta, attribute_type: 'actor-reference', referenced_actor_type: 'workspace-member', referenced_actor_id: memberId }),
  name: (first: string, last: string) => ({ ...meta, attribute_type: 'personal-name', first_name: first, last_name: last, full_name: [first, last].filter(Boolean).join(' ') }),
};

export function recordRow(object: string, recordId: string, values: AttioValues): AttioRecordRow & Record<string, unknown> {
  return {
    id: { workspace_id: WORKSPACE_ID, object_id: `obj-${object}`, record_id: recordId },
    created_at: AT,
    web_url: `https://app.attio.com/acme/${object}/${recordId}`,
    values,
  };
}

export function entryRow(list: string, entryId: string, parent: { object: string; id: string }, values: AttioValues): AttioEntryRow & Record<string, unknown> {
  return {
    id: { workspace_id: WORKSPACE_ID, list_id: `list-${list}`, entry_id: entryId },
    parent_record_id: parent.id,
    parent_object: parent.object,
    created_at: AT,
    entry_values: values,
  };
}

export function noteRow(
  noteId: string, parent: { object: string; id: string }, title: string, content: string, extra: Partial<AttioNoteRow> = {},
): AttioNoteRow & Record<string, unknown> {
  return {
    id: { workspace_id: WORKSPACE_ID, note_id: noteId },
    parent_object: parent.object,
    parent_record_id: parent.id,
    title,
    meeting_id: null,
    content_plaintext: content,
    content_markdown: content,
    tags: [],
    created_by_actor: ACTOR,
    created_at: AT,
    ...extra,
  };
}
