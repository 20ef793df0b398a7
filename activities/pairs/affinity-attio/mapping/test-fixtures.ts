/** Shared fixtures of the mapping tests (not a test file itself). */
import type { AffinityField, AffinityFieldSchema, AffinityFieldValue } from '../affinity/affinity-types.ts';
import type { SourceKey, TargetRef } from '../connector-types.ts';
import { DEFAULT_MAPPING, type MappingConfig } from './mapping-config.ts';
import { planSchema } from './schema-plan.ts';
import type { MapContext } from './types.ts';

export const NOW = new Date('2025-06-01T12:00:00.000Z');

const field = (id: number, name: string, value_type: number, extra: Partial<AffinityField> = {}): AffinityField => ({
  id, name, list_id: null, allows_multiple: false, dropdown_options: [], value_type, ...extra,
});

export const SCHEMA: AffinityFieldSchema = {
  fields: [
    field(1, 'Job Title', 6, { entity_type: 0 }),
    field(2, 'Interests', 2, { entity_type: 0, allows_multiple: true, dropdown_options: [{ id: 21, text: 'AI', rank: 1 }, { id: 20, text: 'Fintech', rank: 0 }] }),
    field(3, 'Introduced By', 0, { entity_type: 0 }),
    field(4, 'Employees', 3, { entity_type: 1 }),
    field(5, 'Headquarters', 5, { entity_type: 1 }),
    field(6, 'Founded', 4, { entity_type: 1 }),
    field(7, 'Key Contacts', 0, { entity_type: 1, allows_multiple: true }),
    field(8, 'Tier', 7, { entity_type: 1, dropdown_options: [{ id: 81, text: 'Tier 2', rank: 1 }, { id: 80, text: 'Tier 1', rank: 0 }] }),
    field(9, 'Aliases', 6, { entity_type: 1, allows_multiple: true }),
  ],
  lists: [
    { id: 100, type: 0, name: 'Founders', fields: [field(101, 'Priority', 7, { list_id: 100, dropdown_options: [{ id: 1, text: 'High', rank: 0 }, { id: 2, text: 'Low', rank: 1 }] })] },
    { id: 200, type: 8, name: 'Pipeline', fields: [
      field(201, 'Stage', 7, { list_id: 200, dropdown_options: [{ id: 3, text: 'Lead', rank: 0 }, { id: 4, text: 'Closed Won', rank: 1 }] }),
      field(202, 'Amount', 3, { list_id: 200 }),
      field(203, 'Target Company', 1, { list_id: 200 }),
    ] },
    { id: 300, type: 5, name: 'Weird list' },
  ],
};

export function fv(id: number, fieldId: number, value: AffinityFieldValue['value'], listEntryId: number | null = null, entityId = 1): AffinityFieldValue {
  return { id, field_id: fieldId, list_entry_id: listEntryId, entity_id: entityId, value };
}

/** A context whose id map knows `known` (e.g. ["organization:5", "person:7"]). */
export function context(known: string[] = [], config: MappingConfig = DEFAULT_MAPPING, extra: Partial<MapContext> = {}): MapContext {
  const objectOf: Record<string, string> = { organization: 'companies', person: 'people', opportunity: 'deals' };
  const map = new Map<string, TargetRef>(known.map((k) => {
    const [kind = '', id = ''] = k.split(':');
    return [k, { object: objectOf[kind] ?? kind, id: `rec-${kind}-${id}` }];
  }));
  const { fields } = planSchema(SCHEMA, config);
  return { config, fields, now: NOW, resolve: (key: SourceKey) => map.get(`${key.kind}:${key.id}`), defaultActorId: 'member-1', ...extra };
}
