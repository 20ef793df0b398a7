import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { IdMapEntry, IdMapStore } from '../../../connectors/id-map/id-map.ts';
import { NOT_FOUND } from '../../../../shared/error-kinds.ts';
import type { RecordWrite, TargetRef, WriteOptions, WriteResult } from '../connector-types.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioListResponse, AttioRecordResponse } from './attio-types.ts';
import { claimEntries, claimUniqueValues, uniqueValueOf } from './unique-claims.ts';
import { asValueArrays } from './attio-values.ts';
import { imageOf, writtenSlugs } from './attio-images.ts';

export interface RecordWriterOptions {
  client: AttioClient;
  idMap: IdMapStore;
  /** Attribute holding the source id on every record; searched to close the create→id-map crash window. */
  sourceIdAttribute: string;
  /** What to do with a record already in the id map: write it again (upsert) or leave it. */
  onExisting: 'update' | 'skip';
}

/**
 * The claims `write` makes before it is asserted (see unique-claims.ts): one per distinct unique
 * value of a multiselect matching attribute, in item order. Empty when there is nothing to claim.
 */
export function uniqueClaimsOf(write: RecordWrite): IdMapEntry[] {
  const attr = write.matchingAttribute;
  const items = attr === null ? undefined : write.values[attr];
  if (attr === null || !Array.isArray(items) || items.length === 0) return [];
  const values = [...new Set(items.map(uniqueValueOf))].filter((v): v is string => v !== null);
  return claimEntries({ object: write.object, attribute: attr, source: write.source, values });
}

/**
 * Idempotent record writes.
 * - With a value for the unique matching attribute: assert (`PUT …/records?matching_attribute=`);
 *   multiselect unique values are claimed first (see unique-claims.ts).
 * - A delta pass's update of a record Freight created and found unedited (`overwrite`): PUT by the
 *   known record id, which replaces multiselect values instead of adding to them; a first job merges.
 * - Without one (company without domain, person without email): through the id map. Known → PATCH
 *   by record id. Unknown → look for a record carrying our source id (a previous attempt may have
 *   created it and crashed before writing the id map), else create; then write the id map. If a
 *   concurrent writer's id-map row wins, ours is deleted so both converge on one record.
 */
export function createRecordWriter(options: RecordWriterOptions) {
  const { client, idMap, sourceIdAttribute } = options;

  const recordId = (r: AttioRecordResponse) => r.data.id.record_id;
  /** Attio answers every record write with the record: its view of what was written is the after-image. */
  const imageFrom = (r: AttioRecordResponse | undefined, values: Record<string, unknown>) => (r?.data?.values ? { image: imageOf(r.data.values, writtenSlugs(values)) } : {});

  const remember = async (write: RecordWrite, ref: TargetRef, jobId: string | undefined): Promise<TargetRef> => {
    const held = await idMap.put([{ source: write.source, target: ref }], jobId ? { jobId } : {});
    return held.get(`${write.source.kind}:${write.source.id}`) ?? ref;
  };

  const findBySourceId = async (object: string, sourceId: string, signal?: AbortSignal): Promise<string | null> => {
    const res = await client.request<AttioListResponse<AttioRecordResponse['data']>>('POST', `/objects/${object}/records/query`, {
      body: { filter: { [sourceIdAttribute]: sourceId }, limit: 1 },
      signal,
    });
    return res.data[0]?.id.record_id ?? null;
  };

  return async function upsertRecord(write: RecordWrite, opts: WriteOptions = {}): Promise<WriteResult> {
    const warnings: string[] = [];
    const key = `${write.source.kind}:${write.source.id}`;
    const known = (await idMap.get([write.source])).get(key);
    if (known && options.onExisting === 'skip') return { target: known, action: 'unchanged', warnings };

    const values = { ...write.values };
    const attr = write.matchingAttribute;
    let matchable = attr !== null && values[attr] !== undefined && !(Array.isArray(values[attr]) && values[attr].length === 0);
    if (attr && matchable && Array.isArray(values[attr])) {
      const items = values[attr] as unknown[];
      const byValue = new Map(items.map((item) => [uniqueValueOf(item), item] as const));
      const claim = await claimUniqueValues(idMap, {
        object: write.object, attribute: attr, source: write.source,
        values: [...byValue.keys()].filter((v): v is string => v !== null),
        ...(opts.jobId ? { jobId: opts.jobId } : {}),
      });
      for (const lost of claim.lost) warnings.push(`${attr} "${lost.value}" already belongs to ${lost.owner}; left out`);
      values[attr] = claim.kept.map((v) => byValue.get(v));
      matchable = claim.kept.length > 0;
      if (!matchable) delete values[attr];
    }

    if (known && opts.overwrite) {
      // PUT by record id replaces the multiselect values it sends (the assert adds to the matching
      // attribute's, a PATCH to every one's): a value the source removed goes from the target too.
      try {
        const res = await client.request<AttioRecordResponse>('PUT', `/objects/${write.object}/records/${known.id}`, { body: { data: { values: asValueArrays(values) } }, signal: opts.signal });
        return { target: known, action: 'updated', warnings, ...imageFrom(res, values) };
      } catch (err) {
        // Deleted in the target: as without overwrite, the assert below writes it where it can (a PATCH would answer the same 404).
        if (!(isConnectorError(err) && err.kind === NOT_FOUND && attr && matchable)) throw err;
      }
    }

    if (attr && matchable) {
      const res = await client.request<AttioRecordResponse>('PUT', `/objects/${write.object}/records`, {
        query: { matching_attribute: attr }, body: { data: { values: asValueArrays(values) } }, signal: opts.signal,
      });
      const ref = { object: write.object, id: recordId(res) };
      const held = await remember(write, ref, opts.jobId);
      if (held.id !== ref.id) warnings.push(`id map already pointed at ${held.id}; asserted ${ref.id}`);
      return { target: ref, action: known ? 'updated' : 'created', warnings, ...imageFrom(res, values) };
    }

    if (known) {
      const res = await client.request<AttioRecordResponse>('PATCH', `/objects/${write.object}/records/${known.id}`, { body: { data: { values: asValueArrays(values) } }, signal: opts.signal });
      return { target: known, action: 'updated', warnings, ...imageFrom(res, values) };
    }

    const sourceId = values[sourceIdAttribute];
    const orphan = typeof sourceId === 'string' ? await findBySourceId(write.object, sourceId, opts.signal) : null;
    if (orphan) {
      warnings.push('found a record from an earlier attempt (created, id map not written); reused it');
      const patched = await client.request<AttioRecordResponse>('PATCH', `/objects/${write.object}/records/${orphan}`, { body: { data: { values: asValueArrays(values) } }, signal: opts.signal });
      return { target: await remember(write, { object: write.object, id: orphan }, opts.jobId), action: 'updated', warnings, ...imageFrom(patched, values) };
    }
    const res = await client.request<AttioRecordResponse>('POST', `/objects/${write.object}/records`, { body: { data: { values: asValueArrays(values) } }, signal: opts.signal });
    const ref = { object: write.object, id: recordId(res) };
    const held = await remember(write, ref, opts.jobId);
    if (held.id !== ref.id) {
      // A concurrent attempt won the id map: drop our copy so exactly one record remains.
      await client.request('DELETE', `/objects/${write.object}/records/${ref.id}`, { signal: opts.signal });
      warnings.push(`concurrent write won; deleted duplicate ${ref.id}`);
      return { target: held, action: 'unchanged', warnings };
    }
    return { target: ref, action: 'created', warnings, ...imageFrom(res, values) };
  };
}
