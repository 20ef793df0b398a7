import type { AffinityFieldValue, AffinityPerson } from '../affinity/affinity-types.ts';
import type { RecordWrite } from '../connector-types.ts';
import { convertFieldValues } from './field-values.ts';
import { cleanText, normalizeEmails } from './normalize.ts';
import type { MapContext, MapOutcome } from './types.ts';

/**
 * Person → people. Asserted on `email_addresses` (primary first); without a valid email the
 * target falls back to the id map. `company` references the first migrated of the person's current
 * organizations (v2 `affinity-data-current-organization`, the documented person → company link; a
 * v1 listing carries none); the others are named in the notes.
 */
export function mapPerson(person: AffinityPerson, fieldValues: readonly AffinityFieldValue[], ctx: MapContext): MapOutcome<RecordWrite> {
  const { config } = ctx;
  const attrs = config.person.attributes;
  const warnings: string[] = [];
  const notes: string[] = [];
  const source = { kind: 'person', id: String(person.id) };
  if (person.type === 1 && !config.person.includeInternal) {
    return { status: 'skip', kind: 'validation', reason: 'internal person (team member) excluded by mapping', notes, warnings };
  }
  const { emails, invalid } = normalizeEmails(person.primary_email, person.emails);
  for (const bad of invalid) warnings.push(`invalid email "${bad}" left out`);
  if (emails.length === 0) notes.push('no email: idempotent through the id map');

  const first = cleanText(person.first_name);
  const last = cleanText(person.last_name);
  const full = [first, last].filter(Boolean).join(' ');
  if (full === '') warnings.push('person has no name');

  const orgIds = [...new Set(person.current_organization_ids ?? [])];
  let company: { target_object: string; target_record_id: string } | undefined;
  const missing: number[] = [];
  for (const orgId of orgIds) {
    const ref = ctx.resolve({ kind: 'organization', id: String(orgId) });
    if (!ref) missing.push(orgId);
    else if (!company) company = { target_object: ref.object, target_record_id: ref.id };
  }
  if (missing.length > 0) warnings.push(`organization(s) ${missing.join(', ')} not migrated; not referenced`);
  if (company && orgIds.length > 1) notes.push(`company = first migrated of organizations ${orgIds.join(', ')}`);

  const custom = convertFieldValues(fieldValues, (t, v) => t.scope.kind === 'object' && t.scope.object === config.person.object && v.list_entry_id === null, ctx);
  warnings.push(...custom.warnings);

  const values: Record<string, unknown> = {
    ...custom.values,
    [config.sourceIdAttribute]: String(person.id),
    ...(full === '' ? {} : { [attrs.name]: { first_name: first, last_name: last, full_name: full } }),
    ...(emails.length === 0 ? {} : { [attrs.emailAddresses]: emails.map((email_address) => ({ email_address })) }),
    ...(company ? { [attrs.company]: company } : {}),
  };
  const unresolved = [...missing.map((id) => ({ kind: 'organization', id: String(id) })), ...custom.unresolved];
  return { status: 'ok', write: { source, object: config.person.object, matchingAttribute: attrs.emailAddresses, values }, notes, warnings, unresolved };
}
