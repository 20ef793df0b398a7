import { isConnectorError } from '../../../connectors/connector-error.ts';
import { NOT_FOUND } from '../../../../shared/error-kinds.ts';
import { canonicalJson } from '../../../../shared/jobs/job-request.ts';
import type { ListEntryWrite, RecordWrite, TargetRef, WriteOptions } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioEntry, AttioRecordResponse } from './attio-types.ts';
import { asValueArrays } from './attio-values.ts';

/** Per-value metadata Attio stamps on every value (when, by whom): not the value itself. */
const METADATA = new Set(['active_from', 'active_until', 'created_by_actor']);

/** The fields a write sets, by slug, as the target holds them: what an after-image is made of. */
export type AttioImage = Record<string, unknown[]>;

/**
 * The target's view of the attributes `slugs`, as Attio answers a record or entry (the write's
 * response, or a GET later): each attribute's active values without their metadata, in a stable
 * order. Equal while nobody changed those attributes in Attio; an edit in Attio changes it.
 */
export function imageOf(values: Readonly<Record<string, unknown[]>> | undefined, slugs: readonly string[]): AttioImage {
  const image: AttioImage = {};
  for (const slug of [...new Set(slugs)].sort()) {
    const items = (values?.[slug] ?? []).map((item) => (typeof item === 'object' && item !== null
      ? Object.fromEntries(Object.entries(item).filter(([k]) => !METADATA.has(k)))
      : item));
    image[slug] = items.map((item) => [canonicalJson(item), item] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
  }
  return image;
}

/** The slugs a record or entry write sets (what its after-image covers). */
export const writtenSlugs = (values: Readonly<Record<string, unknown>>): string[] => Object.keys(asValueArrays(values));

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

/** The current view of a record (GET /v2/objects/{object}/records/{id}). */
export async function readRecordImage(client: AttioClient, write: RecordWrite, target: TargetRef, opts: WriteOptions = {}): Promise<AttioImage | null> {
  const res = await orNull(client.request<AttioRecordResponse>('GET', `/objects/${target.object}/records/${target.id}`, { signal: opts.signal }));
  return res ? imageOf(res.data.values, allSlugs(res.data.values, write.values)) : null;
}

/** The current view of a list entry (GET /v2/lists/{list}/entries/{id}). */
export async function readEntryImage(client: AttioClient, write: ListEntryWrite, target: TargetRef, opts: WriteOptions = {}): Promise<AttioImage | null> {
  const res = await orNull(client.request<{ data: AttioEntry }>('GET', `/lists/${write.list}/entries/${target.id}`, { signal: opts.signal }));
  return res ? imageOf(res.data.entry_values, allSlugs(res.data.entry_values, write.values)) : null;
}
