import { AttioApiError, validationType } from '../errors.ts';
import { addAttribute, addOption, addStatus, distinct } from './attributes.ts';
import type { Attribute, AttributeContainer, AttributeType, SelectOption, StatusOption } from './types.ts';
import { findObject, type Workspace } from './workspace.ts';
import { dataObject } from './write.ts';

/** Custom attributes, select options and statuses (POST …/attributes, …/options, …/statuses). */
const CREATABLE: ReadonlySet<AttributeType> = new Set([
  'text', 'number', 'checkbox', 'currency', 'date', 'timestamp', 'rating', 'status', 'select', 'record-reference',
  'actor-reference', 'location', 'domain', 'email-address', 'phone-number',
]);
const UNIQUE_CAPABLE: ReadonlySet<AttributeType> = new Set(['text', 'number', 'email-address', 'domain', 'phone-number']);
const SLUG = /^[a-z][a-z0-9_]*$/;

export function createAttribute(ws: Workspace, container: AttributeContainer, body: unknown, unique: Map<string, Map<string, string>> | undefined): Attribute {
  const data = dataObject(body);
  const { title, api_slug: slug, type } = data;
  if (typeof title !== 'string' || title.trim() === '') throw validationType('data.title must be a non-empty string');
  if (typeof slug !== 'string' || !SLUG.test(slug)) throw validationType('data.api_slug must be snake_case (a-z, 0-9, _)');
  if (typeof type !== 'string' || !CREATABLE.has(type as AttributeType)) throw validationType(`data.type must be one of ${[...CREATABLE].join(', ')}`);
  for (const flag of ['is_required', 'is_unique', 'is_multiselect'] as const) {
    if (data[flag] !== undefined && typeof data[flag] !== 'boolean') throw validationType(`data.${flag} must be a boolean`);
  }
  const isUnique = data.is_unique === true;
  if (container.attributes.has(slug)) throw new AttioApiError(409, 'slug_conflict', `An attribute with api_slug "${slug}" already exists on "${container.slug}"`);
  if (isUnique && container.kind === 'objects' && container.slug === 'companies') {
    throw validationType('Custom unique attributes cannot be created on the companies object');
  }
  if (isUnique && !UNIQUE_CAPABLE.has(type as AttributeType)) throw validationType(`Attributes of type "${type}" cannot be unique`);

  const config = (typeof data.config === 'object' && data.config !== null ? data.config : {}) as Record<string, Record<string, unknown> | undefined>;
  let allowedObjects: string[] = [];
  if (type === 'record-reference') {
    const ref = config.record_reference ?? {};
    const wanted = [...(Array.isArray(ref.allowed_objects) ? ref.allowed_objects : []), ...(Array.isArray(ref.allowed_object_ids) ? ref.allowed_object_ids : [])];
    if (wanted.length === 0) throw validationType('record-reference attributes need config.record_reference.allowed_objects');
    allowedObjects = wanted.map((w) => {
      const object = typeof w === 'string' ? findObject(ws, w) : undefined;
      if (!object) throw validationType(`Unknown object "${String(w)}" in allowed_objects`);
      return object.container.slug;
    });
  }
  const currency = config.currency?.default_currency_code;
  const attribute = addAttribute(container, {
    slug, title, type: type as AttributeType,
    description: typeof data.description === 'string' ? data.description : null,
    isRequired: data.is_required === true,
    isUnique,
    isMultiselect: data.is_multiselect === true,
    currencyCode: typeof currency === 'string' ? currency : 'USD',
    allowedObjects,
    custom: true,
  }, new Date(ws.now()).toISOString());
  if (isUnique && unique) unique.set(slug, new Map());
  ws.changes?.schema();
  return attribute;
}

export function createOption(ws: Workspace, attribute: Attribute, body: unknown): SelectOption {
  if (attribute.type !== 'select') throw validationType(`Attribute "${attribute.slug}" is not a select attribute`);
  const { title } = dataObject(body);
  if (typeof title !== 'string' || title.trim() === '') throw validationType('data.title must be a non-empty string');
  if (attribute.options.has(title)) throw new AttioApiError(409, 'slug_conflict', `Option "${title}" already exists on "${attribute.slug}"`);
  ws.changes?.schema();
  return addOption(attribute, title);
}

export function createStatus(ws: Workspace, attribute: Attribute, body: unknown): StatusOption {
  if (attribute.type !== 'status') throw validationType(`Attribute "${attribute.slug}" is not a status attribute`);
  const data = dataObject(body);
  if (typeof data.title !== 'string' || data.title.trim() === '') throw validationType('data.title must be a non-empty string');
  if (attribute.statuses.has(data.title)) throw new AttioApiError(409, 'slug_conflict', `Status "${data.title}" already exists on "${attribute.slug}"`);
  ws.changes?.schema();
  return addStatus(attribute, data.title, data.celebration_enabled === true);
}

export const optionsOf = (attribute: Attribute) => distinct(attribute.options);
export const statusesOf = (attribute: Attribute) => distinct(attribute.statuses);
