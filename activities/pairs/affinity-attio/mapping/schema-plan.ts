import type { AttributeSpec, ListSpec, ObjectSchemaSpec, SchemaPlan } from '../connector-types.ts';
import { AFFINITY_LIST_TYPES, AFFINITY_VALUE_TYPES as VT, type AffinityField, type AffinityFieldSchema, type AffinityList } from '../affinity/affinity-types.ts';
import type { MappingConfig } from './mapping-config.ts';
import { cleanText } from './normalize.ts';

/** Where one Affinity field lands in Attio, and how its values convert. */
export interface FieldTarget {
  fieldId: number;
  valueType: number;
  /** `object` = attribute of companies/people/deals; `list` = attribute of a list's entries. */
  scope: { kind: 'object'; object: string } | { kind: 'list'; listId: number; listSlug: string };
  attribute: AttributeSpec;
  /** record-reference fields: which Affinity kind the integer value points at. */
  referenceKind?: 'person' | 'organization';
}

export interface FieldIndex {
  byId: Map<number, FieldTarget>;
  /** Affinity list id → Attio list slug and parent object. */
  lists: Map<number, { slug: string; parentObject: string; parentKind: SourceEntityKind }>;
  /** Field ids that carry the deal stage (per the `stageFields` rule). */
  stageFieldIds: Set<number>;
}

export type SourceEntityKind = 'person' | 'organization' | 'opportunity';

export interface PlannedSchema {
  plan: SchemaPlan;
  fields: FieldIndex;
  warnings: string[];
}

/**
 * Turns Affinity's fields and lists into the Attio schema the migration needs (plan) and the
 * index the record mappers use to convert field values. Pure and deterministic: slugs derive from
 * Affinity ids, so re-planning after a rename targets the same attributes.
 */
export function planSchema(schema: AffinityFieldSchema, config: MappingConfig): PlannedSchema {
  const warnings: string[] = [];
  const objectFor: Record<SourceEntityKind, string> = { person: config.person.object, organization: config.organization.object, opportunity: config.opportunity.object };
  const idAttr = (unique: boolean): AttributeSpec => ({ slug: config.sourceIdAttribute, title: 'Affinity ID', type: 'text', isMultiselect: false, isUnique: unique });
  const objects = new Map<string, ObjectSchemaSpec>([
    [objectFor.organization, { object: objectFor.organization, attributes: [idAttr(false)] }],
    [objectFor.person, { object: objectFor.person, attributes: [idAttr(false)] }],
    [objectFor.opportunity, { object: objectFor.opportunity, attributes: [idAttr(true)] }],
  ]);
  const index: FieldIndex = { byId: new Map(), lists: new Map(), stageFieldIds: new Set() };
  const lists: ListSpec[] = [];
  const listsById = new Map<number, ListSpec>();
  const usedSlugs = new Set<string>();

  if (config.list.enabled) {
    for (const list of schema.lists) {
      const parentKind = listParentKind(list);
      if (!parentKind) {
        warnings.push(`list ${list.id} has unknown type ${String(list.type)}; skipped`);
        continue;
      }
      const slug = `${config.list.slugPrefix}${list.id}`;
      const spec: ListSpec = {
        source: { kind: 'list', id: String(list.id) },
        slug,
        name: cleanText(list.name) || `Affinity list ${list.id}`,
        parentObject: objectFor[parentKind],
        attributes: [{ slug: config.list.entryIdAttribute, title: 'Affinity entry ID', type: 'text', isMultiselect: false, isUnique: false }],
      };
      lists.push(spec);
      listsById.set(list.id, spec);
      index.lists.set(list.id, { slug, parentObject: spec.parentObject, parentKind });
    }
  }

  const stageNames = new Set(config.opportunity.stageFields.map((n) => n.toLowerCase()));
  const stageTitles = new Set<string>([config.opportunity.defaultStage]);
  const fields = config.fields.enabled ? [...schema.fields, ...schema.lists.flatMap((l) => l.fields ?? [])] : [];
  const seenFields = new Set<number>();
  for (const field of fields) {
    if (seenFields.has(field.id)) continue;
    seenFields.add(field.id);
    const override = config.fields.overrides[String(field.id)];
    if (override?.skip) continue;
    const converted = attributeFor(field, objectFor, config);
    if (!converted) {
      warnings.push(`field ${field.id} "${field.name}" has unsupported value type ${field.value_type}; skipped`);
      continue;
    }
    const { attribute, referenceKind } = converted;
    if (override?.slug) attribute.slug = override.slug;
    if (override?.title) attribute.title = override.title;
    let scope: FieldTarget['scope'];
    if (field.list_id === null) {
      const kind = entityKindOf(field.entity_type);
      if (!kind) {
        warnings.push(`global field ${field.id} "${field.name}" has no known entity type; skipped`);
        continue;
      }
      scope = { kind: 'object', object: objectFor[kind] };
    } else {
      const list = listsById.get(field.list_id);
      if (!list) continue; // list skipped or disabled
      scope = { kind: 'list', listId: field.list_id, listSlug: list.slug };
      if (list.parentObject === objectFor.opportunity && stageNames.has(cleanText(field.name).toLowerCase())) {
        index.stageFieldIds.add(field.id);
        for (const option of attribute.options ?? []) stageTitles.add(config.opportunity.stageMap[option] ?? option);
      }
    }
    const scopeKey = scope.kind === 'object' ? scope.object : scope.listSlug;
    if (usedSlugs.has(`${scopeKey}.${attribute.slug}`)) attribute.slug = `${attribute.slug}_${field.id}`;
    usedSlugs.add(`${scopeKey}.${attribute.slug}`);
    if (scope.kind === 'object') objects.get(scope.object)?.attributes.push(attribute);
    else listsById.get(scope.listId)?.attributes.push(attribute);
    index.byId.set(field.id, { fieldId: field.id, valueType: field.value_type, scope, attribute, ...(referenceKind ? { referenceKind } : {}) });
  }

  const deals = objects.get(objectFor.opportunity);
  if (deals && config.opportunity.enabled) {
    deals.extraOptions = [{ attribute: config.opportunity.attributes.stage, titles: [...stageTitles] }];
  }
  const enabledObjects = [...objects.values()].filter((o) =>
    (o.object !== objectFor.organization || config.organization.enabled) &&
    (o.object !== objectFor.person || config.person.enabled) &&
    (o.object !== objectFor.opportunity || config.opportunity.enabled));
  return { plan: { objects: enabledObjects, lists }, fields: index, warnings };
}

function attributeFor(
  field: AffinityField,
  objectFor: Record<SourceEntityKind, string>,
  config: MappingConfig,
): { attribute: AttributeSpec; referenceKind?: 'person' | 'organization' } | null {
  const base = { slug: `${config.fields.slugPrefix}${field.id}`, title: cleanText(field.name) || `Affinity field ${field.id}`, isUnique: false };
  const multi = field.allows_multiple === true;
  switch (field.value_type) {
    case VT.person:
      return { attribute: { ...base, type: 'record-reference', isMultiselect: multi, targetObject: objectFor.person }, referenceKind: 'person' };
    case VT.organization:
      return { attribute: { ...base, type: 'record-reference', isMultiselect: multi, targetObject: objectFor.organization }, referenceKind: 'organization' };
    case VT.dropdown:
    case VT.rankedDropdown:
      return { attribute: { ...base, type: 'select', isMultiselect: multi, options: optionTitles(field) } };
    case VT.number:
      return { attribute: { ...base, type: 'number', isMultiselect: false } };
    case VT.date:
      return { attribute: { ...base, type: 'date', isMultiselect: false } };
    case VT.location:
      return { attribute: { ...base, type: 'location', isMultiselect: false } };
    case VT.text:
      return { attribute: { ...base, type: 'text', isMultiselect: false } };
    default:
      return null;
  }
}

/** Option titles in Affinity's rank order, cleaned and deduplicated (Attio titles are unique). */
export function optionTitles(field: Pick<AffinityField, 'dropdown_options'>): string[] {
  const options = [...(field.dropdown_options ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || a.id - b.id);
  return [...new Set(options.map((o) => cleanText(o.text)).filter((t) => t !== ''))];
}

function entityKindOf(entityType: number | null | undefined): SourceEntityKind | null {
  if (entityType === 0) return 'person';
  if (entityType === 1) return 'organization';
  if (entityType === 8) return 'opportunity';
  return null;
}

export function listParentKind(list: Pick<AffinityList, 'type'>): SourceEntityKind | null {
  if (list.type === AFFINITY_LIST_TYPES.person) return 'person';
  if (list.type === AFFINITY_LIST_TYPES.organization) return 'organization';
  if (list.type === AFFINITY_LIST_TYPES.opportunity) return 'opportunity';
  return null;
}
