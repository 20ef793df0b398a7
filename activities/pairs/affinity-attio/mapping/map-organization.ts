import type { AffinityFieldValue, AffinityOrganization } from '../affinity/affinity-types.ts';
import type { RecordWrite } from '../connector-types.ts';
import { convertFieldValues } from './field-values.ts';
import { cleanText, normalizeDomains } from './normalize.ts';
import type { MapContext, MapOutcome } from './types.ts';

/**
 * Organization → company. Asserted on `domains` (all of them, primary first); an organization
 * without a usable domain is written through the id map instead (matchingAttribute stays set:
 * the target falls back when the value list is empty).
 */
export function mapOrganization(org: AffinityOrganization, fieldValues: readonly AffinityFieldValue[], ctx: MapContext): MapOutcome<RecordWrite> {
  const { config } = ctx;
  const attrs = config.organization.attributes;
  const warnings: string[] = [];
  const notes: string[] = [];
  const { domains, invalid } = normalizeDomains(org.domain, org.domains);
  for (const bad of invalid) warnings.push(`invalid domain "${bad}" left out`);
  const name = cleanText(org.name);
  if (name === '') warnings.push('organization has no name');
  if (domains.length === 0) notes.push('no domain: idempotent through the id map');

  const custom = convertFieldValues(fieldValues, (t, v) => t.scope.kind === 'object' && t.scope.object === config.organization.object && v.list_entry_id === null, ctx);
  warnings.push(...custom.warnings);

  const values: Record<string, unknown> = {
    ...custom.values,
    [config.sourceIdAttribute]: String(org.id),
    ...(name === '' ? {} : { [attrs.name]: name }),
    ...(domains.length === 0 ? {} : { [attrs.domains]: domains.map((domain) => ({ domain })) }),
  };
  return {
    status: 'ok',
    write: { source: { kind: 'organization', id: String(org.id) }, object: config.organization.object, matchingAttribute: attrs.domains, values },
    notes,
    warnings,
    unresolved: custom.unresolved,
  };
}
