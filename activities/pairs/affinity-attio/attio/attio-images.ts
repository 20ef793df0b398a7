import type { ImageValues } from '../../pair.ts';
import { canonicalRendered } from '../verification/compare-values.ts';
import type { AttioValues } from '../verification/attio-snapshot.ts';

/**
 * Before/after images of Attio writes (undo, issue 17): the values of the attributes a write sets,
 * as Attio renders them (`values` / `entry_values` of a record or entry), without the per-value
 * metadata that changes on every write (`active_from`, `active_until`, `created_by_actor`).
 * An attribute with no value is kept as [] so a restore empties what the job filled.
 */
const METADATA = ['active_from', 'active_until', 'created_by_actor'];

export function imageOf(values: Record<string, unknown> | undefined, slugs: readonly string[]): ImageValues {
  const out: ImageValues = {};
  for (const slug of slugs) {
    const items = Array.isArray(values?.[slug]) ? (values[slug] as unknown[]) : [];
    out[slug] = items.map((item) => {
      if (item === null || typeof item !== 'object') return item;
      const copy = { ...(item as Record<string, unknown>) };
      for (const key of METADATA) delete copy[key];
      return copy;
    });
  }
  return out;
}

/** Equal for every attribute either image has, compared as verification compares written and read values. */
export function sameImage(a: ImageValues, b: ImageValues): boolean {
  const slugs = new Set([...Object.keys(a), ...Object.keys(b)]);
  const av = a as AttioValues;
  const bv = b as AttioValues;
  for (const slug of slugs) {
    const x = canonicalRendered(av, slug);
    const y = canonicalRendered(bv, slug);
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

const LOCATION_KEYS = ['line_1', 'line_2', 'line_3', 'line_4', 'locality', 'region', 'postcode', 'country_code', 'latitude', 'longitude'];

/** A rendered value item back in Attio's write format (shared/reference attio-api.md's value table). */
function writableItem(item: unknown): unknown {
  if (item === null || typeof item !== 'object') return item;
  const o = item as Record<string, unknown>;
  switch (o.attribute_type) {
    case 'select': return (o.option as { title?: string } | undefined)?.title;
    case 'status': return (o.status as { title?: string } | undefined)?.title;
    case 'email-address': return o.email_address;
    case 'domain': return o.domain;
    case 'record-reference': return { target_object: o.target_object, target_record_id: o.target_record_id };
    case 'actor-reference': return { referenced_actor_type: o.referenced_actor_type, referenced_actor_id: o.referenced_actor_id };
    case 'personal-name': return { first_name: o.first_name, last_name: o.last_name, full_name: o.full_name };
    case 'currency': return o.currency_value;
    case 'phone-number': return { original_phone_number: o.original_phone_number, country_code: o.country_code };
    case 'location': return Object.fromEntries(LOCATION_KEYS.map((k) => [k, o[k] ?? null]));
    default: return o.value;
  }
}

/** An image as the `values` of a PUT (which replaces multiselect values instead of appending to them). */
export function writableImage(image: ImageValues): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [slug, items] of Object.entries(image)) out[slug] = (Array.isArray(items) ? items : []).map(writableItem);
  return out;
}
