import type { AffinityRecord } from '../affinity/affinity-types.ts';
import type { SourceKey } from '../connector-types.ts';
import type { FieldIndex } from './schema-plan.ts';

/**
 * Every source key the mappers may resolve for these records, deduplicated: the caller looks
 * them up in one id-map round trip before mapping a page.
 */
export function referencedKeys(records: readonly AffinityRecord[], fields: FieldIndex): SourceKey[] {
  const keys = new Map<string, SourceKey>();
  const add = (kind: string, id: number | string | null | undefined): void => {
    if (id === null || id === undefined) return;
    const key = { kind, id: String(id) };
    keys.set(`${kind}:${key.id}`, key);
  };
  for (const record of records) {
    switch (record.kind) {
      case 'person':
        for (const id of record.data.current_organization_ids ?? []) add('organization', id);
        break;
      case 'opportunity':
        for (const id of record.data.person_ids ?? []) add('person', id);
        for (const id of record.data.organization_ids ?? []) add('organization', id);
        break;
      case 'list_entry': {
        const list = fields.lists.get(record.data.list_id);
        if (list) add(list.parentKind, record.data.entity_id);
        break;
      }
      case 'note':
        for (const id of record.data.person_ids ?? []) add('person', id);
        for (const id of record.data.organization_ids ?? []) add('organization', id);
        for (const id of record.data.opportunity_ids ?? []) add('opportunity', id);
        break;
      default:
        break;
    }
    if ('fieldValues' in record) {
      for (const value of record.fieldValues) {
        const target = fields.byId.get(value.field_id);
        if (target?.referenceKind && (typeof value.value === 'number' || typeof value.value === 'string')) add(target.referenceKind, value.value);
      }
    }
  }
  return [...keys.values()];
}
