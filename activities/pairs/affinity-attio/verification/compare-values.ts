import type { AttioValues } from './attio-snapshot.ts';

/**
 * Turns a value as written (mapping output) and a value as Attio renders it into the same
 * canonical strings, so the two can be compared as sets. One entry per item of a multiselect.
 */
export function canonicalWritten(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => canonicalItem(item)).sort();
}

export function canonicalRendered(values: AttioValues, slug: string): string[] {
  return (values[slug] ?? []).map((item) => canonicalRenderedItem(item)).sort();
}

function canonicalItem(item: unknown): string {
  if (item === null || typeof item !== 'object') return JSON.stringify(item);
  const o = item as Record<string, unknown>;
  if ('email_address' in o) return JSON.stringify(String(o.email_address).toLowerCase());
  if ('domain' in o) return JSON.stringify(String(o.domain).toLowerCase());
  if ('target_record_id' in o) return `ref:${String(o.target_record_id)}`;
  if ('referenced_actor_id' in o) return `actor:${String(o.referenced_actor_id)}`;
  if ('full_name' in o) return JSON.stringify([o.first_name ?? '', o.last_name ?? '', o.full_name ?? '']);
  if ('line_1' in o || 'locality' in o) return JSON.stringify(['line_1', 'line_2', 'locality', 'region', 'country_code'].map((k) => o[k] ?? null));
  if ('value' in o) return JSON.stringify(o.value);
  return JSON.stringify(o);
}

function canonicalRenderedItem(item: Record<string, unknown>): string {
  switch (item.attribute_type) {
    case 'select':
      return JSON.stringify((item.option as { title?: string } | undefined)?.title);
    case 'status':
      return JSON.stringify((item.status as { title?: string } | undefined)?.title);
    case 'email-address':
    case 'domain':
    case 'record-reference':
    case 'actor-reference':
    case 'personal-name':
    case 'location':
      return canonicalItem(item);
    default:
      return JSON.stringify(item.value);
  }
}
