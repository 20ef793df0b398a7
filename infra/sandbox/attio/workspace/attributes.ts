import { randomUUID } from 'node:crypto';
import type { Attribute, AttributeContainer, AttributeType, SelectOption, StatusOption } from './types.ts';

export interface AttributeSpec {
  slug: string;
  title: string;
  type: AttributeType;
  description?: string | null;
  isRequired?: boolean;
  isUnique?: boolean;
  isMultiselect?: boolean;
  isWritable?: boolean;
  isSystem?: boolean;
  custom?: boolean;
  currencyCode?: string | null;
  allowedObjects?: string[];
  relationship?: { object: string; attribute: string } | null;
  options?: string[];
  statuses?: string[];
}

export function createContainer(kind: 'objects' | 'lists', slug: string): AttributeContainer {
  return { kind, id: randomUUID(), slug, attributes: new Map(), attributesById: new Map() };
}

export function addAttribute(container: AttributeContainer, spec: AttributeSpec, createdAt: string): Attribute {
  const attribute: Attribute = {
    id: randomUUID(),
    slug: spec.slug,
    title: spec.title,
    description: spec.description ?? null,
    type: spec.type,
    isRequired: spec.isRequired ?? false,
    isUnique: spec.isUnique ?? false,
    isMultiselect: spec.isMultiselect ?? false,
    isWritable: spec.isWritable ?? true,
    isSystem: spec.isSystem ?? false,
    custom: spec.custom ?? false,
    currencyCode: spec.type === 'currency' ? (spec.currencyCode ?? 'USD') : null,
    allowedObjects: spec.allowedObjects ?? [],
    relationship: spec.relationship ?? null,
    options: new Map(),
    statuses: new Map(),
    createdAt,
  };
  for (const title of spec.options ?? []) addOption(attribute, title);
  for (const title of spec.statuses ?? []) addStatus(attribute, title, title.includes('Won'));
  container.attributes.set(attribute.slug, attribute);
  container.attributesById.set(attribute.id, attribute);
  return attribute;
}

/** Options and statuses are found by title (exact) or by id; both share one map keyed by both. */
export function addOption(attribute: Attribute, title: string): SelectOption {
  const option: SelectOption = { id: randomUUID(), title, isArchived: false };
  attribute.options.set(title, option);
  attribute.options.set(option.id, option);
  return option;
}

export function addStatus(attribute: Attribute, title: string, celebrationEnabled = false): StatusOption {
  const status: StatusOption = { id: randomUUID(), title, isArchived: false, celebrationEnabled };
  attribute.statuses.set(title, status);
  attribute.statuses.set(status.id, status);
  return status;
}

/** Distinct options/statuses (the maps hold each twice: by title and by id). */
export function distinct<T extends SelectOption>(map: Map<string, T>): T[] {
  return [...new Set(map.values())];
}

export function findAttribute(container: AttributeContainer, idOrSlug: string): Attribute | undefined {
  return container.attributes.get(idOrSlug) ?? container.attributesById.get(idOrSlug);
}
