import type { AttioAttribute } from './attio-types.ts';

/**
 * Why Attio would refuse a record's values, judged before writing from the target's attribute
 * definitions (GET …/attributes) and the documented write formats (reference note, "Attribute value
 * write formats"): a value of the wrong shape for its attribute's type, several values for a
 * single-value attribute, a value for a read-only attribute, or (on create) a required attribute
 * without a value. Attributes the target lacks are skipped: the schema step creates them, typed by
 * the plan the mapping follows. Select options and statuses are not checked for the same reason
 * (the schema step creates the plan's options first). null = nothing to object to.
 */
export function refusalOf(values: Readonly<Record<string, unknown[]>>, attributes: ReadonlyMap<string, AttioAttribute>, creating: boolean): string | null {
  for (const [slug, items] of Object.entries(values)) {
    const attribute = attributes.get(slug);
    if (!attribute) continue;
    if ((attribute as { is_writable?: boolean }).is_writable === false) return `attribute "${slug}" is not writable`;
    if (!attribute.is_multiselect && items.length > 1) return `attribute "${slug}" is not multiselect: one value, got ${items.length}`;
    for (const item of items) {
      const problem = itemProblem(attribute.type, item);
      if (problem) return `value for "${slug}" (${attribute.type}) must be ${problem}`;
    }
  }
  if (creating) {
    for (const attribute of attributes.values()) {
      if ((attribute as { is_required?: boolean }).is_required === true && (values[attribute.api_slug]?.length ?? 0) === 0) {
        return `required attribute "${attribute.api_slug}" has no value`;
      }
    }
  }
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (item: unknown, key: string): unknown => (isObject(item) ? item[key] : item);
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The documented shape a value of `type` must have; null when `item` has it. */
function itemProblem(type: string, item: unknown): string | null {
  switch (type) {
    case 'text':
      return typeof field(item, 'value') === 'string' ? null : 'a string';
    case 'number':
    case 'rating': {
      const v = field(item, 'value');
      return typeof v === 'number' && Number.isFinite(v) ? null : 'a number';
    }
    case 'checkbox':
      return typeof field(item, 'value') === 'boolean' ? null : 'true or false';
    case 'currency': {
      const v = field(item, 'currency_value');
      return typeof v === 'number' && Number.isFinite(v) ? null : 'a number or {currency_value}';
    }
    case 'date': {
      const v = field(item, 'value');
      return typeof v === 'string' && CALENDAR_DATE.test(v) && !Number.isNaN(Date.parse(v)) ? null : 'a "YYYY-MM-DD" date';
    }
    case 'timestamp': {
      const v = field(item, 'value');
      return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? null : 'an ISO 8601 timestamp';
    }
    case 'email-address': {
      const v = field(item, 'email_address');
      return typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : 'an email address';
    }
    case 'domain':
      return typeof field(item, 'domain') === 'string' ? null : 'a domain';
    case 'select':
      return typeof field(item, 'option') === 'string' ? null : 'an option title or {option}';
    case 'status':
      return typeof field(item, 'status') === 'string' ? null : 'a status title or {status}';
    case 'personal-name':
      return isObject(item) ? null : '{first_name, last_name, full_name}';
    case 'location':
      return isObject(item) ? null : 'a location object';
    case 'record-reference':
      return isObject(item) && typeof item.target_object === 'string' ? null : '{target_object, target_record_id}';
    default:
      return null;
  }
}
