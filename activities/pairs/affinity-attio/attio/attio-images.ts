import { isConnectorError } from '../../../connectors/connector-error.ts';
import { NOT_FOUND } from '../../../../shared/error-kinds.ts';
import { canonicalJson } from '../../../../shared/jobs/job-request.ts';
import type { ImageValues } from '../../pair.ts';
import { canonicalRendered } from '../verification/compare-values.ts';
import type { AttioValues } from '../verification/attio-snapshot.ts';
import type { ListEntryWrite, RecordWrite, TargetRef, WriteOptions } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioEntry, AttioRecordResponse } from './attio-types.ts';
import { asValueArrays } from './attio-values.ts';

/**
 * Images of Attio writes, one concept for two users: a write's after-image (Attio's answer to it,
 * PairWriteResult.image) is hashed with the id map for delta passes and stored whole for undo; a
 * before-image (attio-undo.ts) is the same shape read ahead of the write. Both are the values of the
 * attributes concerned as Attio renders them (`values` / `entry_values`), without the per-value
 * metadata that changes on every write.
 */
const METADATA = new Set(['active_from', 'active_until', 'created_by_actor']);

/** The fields a write sets, by slug, as the target holds them. */
export type AttioImage = Record<string, unknown[]>;

/**
 * The target's view of the attributes `slugs`: each attribute's active values without their
 * metadata, in a stable order (slugs sorted, items by canonical JSON), so equal views hash equal.
 * An attribute with no value is kept as [] so a restore empties what the job filled.
 */
export function imageOf(values: Readonly<Record<string, unknown>> | undefined, slugs: readonly string[]): AttioImage {
  const image: AttioImage = {};
  for (const slug of [...new Set(slugs)].sort()) {
    const raw = values?.[slug];
    const items = (Array.isArray(raw) ? (raw as unknown[]) : []).map((item) => (typeof item === 'object' && item !== null
      ? Object.fromEntries(Object.entries(item).filter(([k]) => !METADATA.has(k)))
      : item));
    image[slug] = items.map((item) => [canonicalJson(item), item] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
  }
  return image;
}

/** The slugs a record or entry write sets (what its after-image covers). */
export const writtenSlugs = (values: Readonly<Record<string, unknown>>): string[] => Object.keys(asValueArrays(values));

/** Undo: equal for every attribute either image has, compared as verification compares written and read values. */
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

/** Undo: an image as the `values` of a PUT (which replaces multiselect values instead of appending to them). */
export function writableImage(image: ImageValues): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [slug, items] of Object.entries(image)) out[slug] = (Array.isArray(items) ? items : []).map(writableItem);
  return out;
}

/** A target that is gone reads as null (the delta lists it, and does not recreate it). */
async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (isConnectorError(err) && err.kind === NOT_FOUND) return null;
    throw err;
  }
}

/** Every attribute of a record or entry (the engine compares the ones an earlier write set) plus those `values` sets. */
const allSlugs = (current: Readonly<Record<string, unknown[]>> | undefined, values: Readonly<Record<string, unknown>>) =>
  [...Object.keys(current ?? {}), ...writtenSlugs(values)];

/** Delta: the current view of a record (GET /v2/objects/{object}/records/{id}). */
export async function readRecordImage(client: AttioClient, write: RecordWrite, target: TargetRef, opts: WriteOptions = {}): Promise<AttioImage | null> {
  const res = await orNull(client.request<AttioRecordResponse>('GET', `/objects/${target.object}/records/${target.id}`, { signal: opts.signal }));
  return res ? imageOf(res.data.values, allSlugs(res.data.values, write.values)) : null;
}

/** Delta: the current view of a list entry (GET /v2/lists/{list}/entries/{id}). */
export async function readEntryImage(client: AttioClient, write: ListEntryWrite, target: TargetRef, opts: WriteOptions = {}): Promise<AttioImage | null> {
  const res = await orNull(client.request<{ data: AttioEntry }>('GET', `/lists/${write.list}/entries/${target.id}`, { signal: opts.signal }));
  return res ? imageOf(res.data.entry_values, allSlugs(res.data.entry_values, write.values)) : null;
}
