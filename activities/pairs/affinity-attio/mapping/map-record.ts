import type { AffinityObjectKind, AffinityRecord } from '../affinity/affinity-types.ts';
import type { WriteIntent } from '../connector-types.ts';
import { mapListEntry } from './map-list-entry.ts';
import { mapNote } from './map-note.ts';
import { mapOpportunity } from './map-opportunity.ts';
import { mapOrganization } from './map-organization.ts';
import { mapPerson } from './map-person.ts';
import type { MapContext, MapOutcome } from './types.ts';

/**
 * Migration order: each kind only references kinds before it. Lists themselves are created by
 * the ensure-schema step, so `lists` pages carry no writes.
 */
export const MIGRATION_ORDER: readonly AffinityObjectKind[] = ['organizations', 'persons', 'opportunities', 'lists', 'list_entries', 'notes'];

export type MappedWrite = WriteIntent;

/** Maps any source record; disabled kinds and list definitions come back as skips. */
export function mapRecord(record: AffinityRecord, ctx: MapContext): MapOutcome<MappedWrite> {
  const { config } = ctx;
  const disabled = (what: string): MapOutcome<MappedWrite> => ({ status: 'skip', kind: 'validation', reason: `${what} disabled by mapping`, notes: [], warnings: [] });
  switch (record.kind) {
    case 'organization':
      return config.organization.enabled ? wrap('record', mapOrganization(record.data, record.fieldValues, ctx)) : disabled('organizations');
    case 'person':
      return config.person.enabled ? wrap('record', mapPerson(record.data, record.fieldValues, ctx)) : disabled('persons');
    case 'opportunity':
      return config.opportunity.enabled ? wrap('record', mapOpportunity(record.data, record.fieldValues, ctx)) : disabled('opportunities');
    case 'list_entry':
      return config.list.enabled ? wrap('list_entry', mapListEntry(record.data, record.fieldValues, ctx)) : disabled('lists');
    case 'note':
      return config.note.enabled ? wrap('note', mapNote(record.data, ctx)) : disabled('notes');
    case 'list':
      return { status: 'skip', kind: 'validation', reason: 'list definitions are created by the schema step', notes: [], warnings: [] };
  }
}

function wrap<K extends MappedWrite['kind']>(kind: K, outcome: MapOutcome<Extract<MappedWrite, { kind: K }>['write']>): MapOutcome<MappedWrite> {
  if (outcome.status === 'skip') return outcome;
  return { ...outcome, write: { kind, write: outcome.write } as MappedWrite };
}
