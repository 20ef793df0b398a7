import type { AffinityFieldValue, AffinityOpportunity } from '../affinity/affinity-types.ts';
import type { RecordWrite } from '../connector-types.ts';
import { convertFieldValues } from './field-values.ts';
import { cleanText } from './normalize.ts';
import type { MapContext, MapOutcome } from './types.ts';

/**
 * Opportunity → deal, asserted on the unique `affinity_id`. Attio requires name, stage and owner:
 * an empty name becomes "Untitled opportunity <id>"; the stage comes from the list field named in
 * `stageFields` (through `stageMap`), else `defaultStage`; the owner is `defaultOwner`, else the
 * target's first workspace member. associated_people = every migrated person; associated_company =
 * the first migrated organization (Attio holds one).
 */
export function mapOpportunity(opp: AffinityOpportunity, fieldValues: readonly AffinityFieldValue[], ctx: MapContext): MapOutcome<RecordWrite> {
  const { config } = ctx;
  const oc = config.opportunity;
  const warnings: string[] = [];
  const notes: string[] = [];
  let name = cleanText(opp.name);
  if (name === '') {
    name = `Untitled opportunity ${opp.id}`;
    warnings.push(`opportunity has no name; named "${name}"`);
  }

  const people: Array<{ target_object: string; target_record_id: string }> = [];
  const missingPeople: number[] = [];
  for (const id of new Set(opp.person_ids ?? [])) {
    const ref = ctx.resolve({ kind: 'person', id: String(id) });
    if (ref) people.push({ target_object: ref.object, target_record_id: ref.id });
    else missingPeople.push(id);
  }
  if (missingPeople.length > 0) warnings.push(`person(s) ${missingPeople.join(', ')} not migrated; not associated`);

  const orgIds = [...new Set(opp.organization_ids ?? [])];
  const resolvedOrgs = orgIds.map((id) => ({ id, ref: ctx.resolve({ kind: 'organization', id: String(id) }) }));
  const company = resolvedOrgs.find((o) => o.ref)?.ref;
  const missingOrgs = resolvedOrgs.filter((o) => !o.ref).map((o) => o.id);
  if (missingOrgs.length > 0) warnings.push(`organization(s) ${missingOrgs.join(', ')} not migrated; not associated`);
  if (company && orgIds.length > 1) notes.push(`associated_company = first migrated of organizations ${orgIds.join(', ')}; Attio holds one`);

  let stage = oc.defaultStage;
  const stageValue = fieldValues.filter((v) => ctx.fields.stageFieldIds.has(v.field_id)).sort((a, b) => a.id - b.id)[0];
  if (stageValue) {
    const raw = stageValue.value;
    const text = cleanText(typeof raw === 'object' && raw !== null ? (raw as { text?: string }).text : raw === null ? '' : String(raw));
    if (text !== '') {
      stage = oc.stageMap[text] ?? text;
      notes.push(`stage "${stage}" from Affinity "${text}"`);
    }
  }

  const owner = oc.defaultOwner ?? ctx.defaultActorId ?? null;
  if (!owner) warnings.push('no deal owner configured and no workspace member known; Attio may reject the deal');

  const custom = convertFieldValues(fieldValues, (t) => t.scope.kind === 'object' && t.scope.object === oc.object, ctx);
  warnings.push(...custom.warnings);
  const values: Record<string, unknown> = {
    ...custom.values,
    [config.sourceIdAttribute]: String(opp.id),
    [oc.attributes.name]: name,
    [oc.attributes.stage]: stage,
    ...(owner ? { [oc.attributes.owner]: owner.includes('@') ? owner : { referenced_actor_type: 'workspace-member', referenced_actor_id: owner } } : {}),
    ...(people.length > 0 ? { [oc.attributes.associatedPeople]: people } : {}),
    ...(company ? { [oc.attributes.associatedCompany]: { target_object: company.object, target_record_id: company.id } } : {}),
  };
  return {
    status: 'ok',
    write: { source: { kind: 'opportunity', id: String(opp.id) }, object: oc.object, matchingAttribute: config.sourceIdAttribute, values },
    notes,
    warnings,
    unresolved: [
      ...missingPeople.map((id) => ({ kind: 'person', id: String(id) })),
      ...missingOrgs.map((id) => ({ kind: 'organization', id: String(id) })),
      ...custom.unresolved,
    ],
  };
}
