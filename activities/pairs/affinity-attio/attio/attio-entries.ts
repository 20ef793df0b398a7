import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { ListEntryWrite, WriteOptions, WriteResult } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioEntry } from './attio-types.ts';
import { asValueArrays } from './attio-values.ts';
import { imageOf, writtenSlugs } from './attio-images.ts';

export interface EntryWriterOptions {
  client: AttioClient;
  idMap: IdMapStore;
  /** Entry attribute holding the source entry id; searched to close the create→id-map crash window. */
  entryIdAttribute: string;
  onExisting: 'update' | 'skip';
}

/**
 * List entries through the id map, keyed by the *source entry* (an Affinity entity may sit on a
 * list twice, so Attio's upsert-by-parent would fold two entries into one). Known → PATCH values;
 * unknown → search the parent's entries for our entry id (earlier crashed attempt) → create → id map.
 */
export function createEntryWriter(options: EntryWriterOptions) {
  const { client, idMap, entryIdAttribute } = options;

  const findExisting = async (entry: ListEntryWrite, signal?: AbortSignal): Promise<string | null> => {
    const res = await client.request<{ data: AttioEntry[] }>('POST', `/lists/${entry.list}/entries/query`, {
      body: { filter: { [entryIdAttribute]: entry.source.id }, limit: 1 },
      signal,
    });
    return res.data[0]?.id.entry_id ?? null;
  };

  return async function addListEntry(entry: ListEntryWrite, opts: WriteOptions = {}): Promise<WriteResult> {
    const key = `${entry.source.kind}:${entry.source.id}`;
    const warnings: string[] = [];
    const known = (await idMap.get([entry.source])).get(key);
    if (known && options.onExisting === 'skip') return { target: known, action: 'unchanged', warnings };
    const imageFrom = (res: { data?: AttioEntry } | undefined) => (res?.data?.entry_values ? { image: imageOf(res.data.entry_values, writtenSlugs(entry.values)) } : {});
    const patch = (id: string) => client.request<{ data: AttioEntry }>('PATCH', `/lists/${entry.list}/entries/${id}`, { body: { data: { entry_values: asValueArrays(entry.values) } }, signal: opts.signal });
    if (known) {
      return { target: known, action: 'updated', warnings, ...imageFrom(await patch(known.id)) };
    }
    const put = (id: string) => idMap.put([{ source: entry.source, target: { object: `list:${entry.list}`, id } }], opts.jobId ? { jobId: opts.jobId } : {});
    const orphan = await findExisting(entry, opts.signal);
    if (orphan) {
      const patched = await patch(orphan);
      const held = (await put(orphan)).get(key);
      return { target: held ?? { object: `list:${entry.list}`, id: orphan }, action: 'updated', warnings: ['found the entry from an earlier attempt; adopted it'], ...imageFrom(patched) };
    }
    const res = await client.request<{ data: AttioEntry }>('POST', `/lists/${entry.list}/entries`, {
      body: { data: { parent_record_id: entry.parent.id, parent_object: entry.parent.object, entry_values: asValueArrays(entry.values) } },
      signal: opts.signal,
    });
    const id = res.data.id.entry_id;
    const held = (await put(id)).get(key);
    if (held && held.id !== id) {
      await client.request('DELETE', `/lists/${entry.list}/entries/${id}`, { signal: opts.signal });
      return { target: held, action: 'unchanged', warnings: [`concurrent write won; deleted duplicate entry ${id}`] };
    }
    return { target: { object: `list:${entry.list}`, id }, action: 'created', warnings, ...imageFrom(res) };
  };
}
