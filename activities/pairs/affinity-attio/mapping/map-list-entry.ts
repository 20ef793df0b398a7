import type { AffinityFieldValue, AffinityListEntry } from '../affinity/affinity-types.ts';
import type { ListEntryWrite } from '../connector-types.ts';
import { convertFieldValues } from './field-values.ts';
import type { MapContext, MapOutcome } from './types.ts';

/**
 * List entry → entry of the list's Attio twin, on the migrated record of its entity. The list's
 * own fields become entry values. Affinity lets an entity sit on a list several times: each entry
 * is its own Attio entry (the target keys them by the Affinity entry id, not by parent).
 */
export function mapListEntry(entry: AffinityListEntry, fieldValues: readonly AffinityFieldValue[], ctx: MapContext): MapOutcome<ListEntryWrite> {
  const warnings: string[] = [];
  const notes: string[] = [];
  const list = ctx.fields.lists.get(entry.list_id);
  if (!list) return { status: 'skip', kind: 'not_found', reason: `list ${entry.list_id} is not migrated`, notes, warnings };
  const parent = ctx.resolve({ kind: list.parentKind, id: String(entry.entity_id) });
  if (!parent) {
    return { status: 'skip', kind: 'not_found', reason: `${list.parentKind} ${entry.entity_id} is not migrated; entry left out`, notes, warnings };
  }
  const custom = convertFieldValues(fieldValues, (t, v) => t.scope.kind === 'list' && t.scope.listId === entry.list_id && (v.list_entry_id === null || v.list_entry_id === entry.id), ctx);
  warnings.push(...custom.warnings);
  return {
    status: 'ok',
    write: {
      source: { kind: 'list_entry', id: String(entry.id) },
      list: list.slug,
      parent,
      values: { ...custom.values, [ctx.config.list.entryIdAttribute]: String(entry.id) },
    },
    notes,
    warnings,
  };
}
