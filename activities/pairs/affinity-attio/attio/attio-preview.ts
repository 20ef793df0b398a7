import type { FieldChange } from '../../../../shared/jobs/dry-run-diff.ts';
import type { IdMapStore } from '../../../connectors/id-map/id-map.ts';
import type { PairPreview } from '../../pair.ts';
import type { ListEntryWrite, NoteWrite, RecordWrite } from '../connector-types.ts';
import type { AttioValues } from '../verification/attio-snapshot.ts';
import { canonicalRendered, canonicalWritten } from '../verification/compare-values.ts';
import type { AttioClient } from './attio-client.ts';
import type { AttioAttribute, AttioListResponse, AttioRecordResponse, AttioWorkspaceMember } from './attio-types.ts';
import { asValueArrays } from './attio-values.ts';
import { refusalOf } from './attio-value-check.ts';
import { claimEntries, uniqueValueOf } from './unique-claims.ts';

type AttioRecord = AttioRecordResponse['data'];

export interface AttioPreviewOptions {
  client: AttioClient;
  idMap: IdMapStore;
  sourceIdAttribute: string;
}

/**
 * The dry-run diff of Attio writes: the same matching as the writers (attio-records.ts, -notes,
 * -entries) — unique matching attribute, else the id map, else our source id attribute — done with
 * reads only (records query, record get, attributes list; id map and claims read, never put).
 */
export function createAttioPreview(options: AttioPreviewOptions) {
  const { client, idMap, sourceIdAttribute } = options;
  // One attributes read per object per job runtime: the refusal check needs the target's types.
  const attributes = new Map<string, Promise<Map<string, AttioAttribute>>>();
  const attributesOf = (object: string, signal?: AbortSignal) => {
    let entry = attributes.get(object);
    if (!entry) {
      entry = client.request<AttioListResponse<AttioAttribute>>('GET', `/objects/${object}/attributes`, { signal })
        .then((r) => new Map(r.data.map((a) => [a.api_slug, a])));
      entry.catch(() => attributes.delete(object));
      attributes.set(object, entry);
    }
    return entry;
  };
  const query = async (object: string, filter: unknown, signal?: AbortSignal): Promise<AttioRecord[]> =>
    (await client.request<AttioListResponse<AttioRecord>>('POST', `/objects/${object}/records/query`, { body: { filter, limit: 10 }, signal })).data;

  async function previewRecord(write: RecordWrite, signal?: AbortSignal): Promise<PairPreview> {
    const attrs = await attributesOf(write.object, signal);
    const values = { ...write.values };
    const attr = write.matchingAttribute;
    const notes: string[] = [];
    // Unique values another source record already claimed are left out by the write (unique-claims.ts).
    // Claims are read, not made: two records of the same dry run sharing a value are not told apart.
    if (attr && Array.isArray(values[attr]) && values[attr].length > 0) {
      const items = values[attr] as unknown[];
      const byValue = new Map(items.map((item) => [uniqueValueOf(item), item] as const));
      const claims = claimEntries({ object: write.object, attribute: attr, source: write.source, values: [...byValue.keys()].filter((v): v is string => v !== null) });
      const held = await idMap.get(claims.map((c) => c.source));
      const owner = `${write.source.kind}:${write.source.id}`;
      const kept = [...byValue.entries()].filter(([v]) => v !== null && [undefined, owner].includes(held.get(`${claims[0]?.source.kind}:${v}`)?.id));
      for (const [v] of byValue) if (v !== null && !kept.some(([k]) => k === v)) notes.push(`${attr} "${v}" already claimed by another source record; left out`);
      values[attr] = kept.map(([, item]) => item);
      if (kept.length === 0) delete values[attr];
    }
    const wire = asValueArrays(values);
    const matchable = attr !== null && (wire[attr]?.length ?? 0) > 0;
    const known = (await idMap.get([write.source])).get(`${write.source.kind}:${write.source.id}`);

    let matches: AttioRecord[];
    if (attr && matchable) {
      const keys = (wire[attr] ?? []).map((item) => uniqueValueOf(item) ?? item);
      // An attribute the target lacks yet (the schema step would create it) holds no value to match.
      matches = !attrs.has(attr) ? []
        : await query(write.object, keys.length === 1 ? { [attr]: keys[0] } : { $or: keys.map((k) => ({ [attr]: k })) }, signal);
    } else if (known) {
      const res = await client.request<AttioRecordResponse>('GET', `/objects/${write.object}/records/${known.id}`, { signal });
      matches = [res.data];
    } else {
      const sourceId = values[sourceIdAttribute];
      matches = typeof sourceId === 'string' && attrs.has(sourceIdAttribute) ? await query(write.object, { [sourceIdAttribute]: sourceId }, signal) : [];
    }
    const reason = (text: string) => [text, ...notes].join('; ');
    if (matches.length > 1) {
      return { class: 'conflict', reason: reason(`several target records match: ${matches.map((m) => m.id.record_id).join(', ')}`) };
    }
    const match = matches[0];
    const refusal = refusalOf(wire, attrs, match === undefined);
    if (refusal) return { class: 'refused', ...(match ? { target: { object: write.object, id: match.id.record_id } } : {}), reason: reason(refusal) };
    if (!match) return { class: 'create', ...(notes.length > 0 ? { reason: notes.join('; ') } : {}) };
    const target = { object: write.object, id: match.id.record_id };
    const rendered = (match.values ?? {}) as AttioValues;
    const theirs = canonicalRendered(rendered, sourceIdAttribute);
    const ours = typeof values[sourceIdAttribute] === 'string' ? canonicalWritten(values[sourceIdAttribute]) : [];
    if (theirs.length > 0 && ours.length > 0 && theirs.join() !== ours.join()) {
      return { class: 'conflict', target, reason: reason(`unique-value clash: ${attr} matches a record migrated from source ${plain(theirs[0])}`) };
    }
    if (known && known.id !== target.id) {
      return { class: 'conflict', target, reason: reason(`unique-value clash: the id map points at ${known.id}, ${attr} at ${target.id}`) };
    }
    // Assert adds to the matching multiselect attribute and replaces the others; PATCH (id-map path) appends to multiselects.
    const changes = changesOf(wire, rendered, attrs, (slug) => (matchable ? slug === attr : attrs.get(slug)?.is_multiselect === true));
    const noted = notes.length > 0 ? { reason: notes.join('; ') } : {};
    return changes.length > 0 ? { class: 'update', target, changes, ...noted } : { class: 'unchanged', target, ...noted };
  }

  /** Notes cannot be updated: known to the id map = unchanged, else created. */
  async function previewNote(write: NoteWrite): Promise<PairPreview> {
    const known = (await idMap.get([write.source])).get(`${write.source.kind}:${write.source.id}`);
    return known ? { class: 'unchanged', target: known } : { class: 'create' };
  }

  /** Entries go through the id map (attio-entries.ts): known = rewritten (values not compared), else created. */
  async function previewEntry(write: ListEntryWrite): Promise<PairPreview> {
    const known = (await idMap.get([write.source])).get(`${write.source.kind}:${write.source.id}`);
    return known ? { class: 'update', target: known, reason: 'entry values are written again (not compared)' } : { class: 'create' };
  }

  /** The deal owner a real run would default to (ensureAttioSchema's first workspace member), read only. */
  async function defaultActorId(signal?: AbortSignal): Promise<string | null> {
    const members = await client.request<AttioListResponse<AttioWorkspaceMember>>('GET', '/workspace_members', { signal }).then((r) => r.data).catch(() => []);
    return members[0]?.id.workspace_member_id ?? null;
  }

  return { previewRecord, previewNote, previewEntry, defaultActorId };
}

/** Canonical strings back to plain values where they are JSON (references stay `ref:<id>`). */
function plain(canonical: string | undefined): unknown {
  if (canonical === undefined) return null;
  try {
    return JSON.parse(canonical);
  } catch {
    return canonical;
  }
}

function changesOf(
  wire: Readonly<Record<string, unknown[]>>, theirs: AttioValues,
  attrs: ReadonlyMap<string, AttioAttribute>, appends: (slug: string) => boolean,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [slug, items] of Object.entries(wire)) {
    const type = attrs.get(slug)?.type;
    const norm = (list: string[]) => (type === 'timestamp' ? list.map((s) => { const t = Date.parse(String(plain(s))); return Number.isNaN(t) ? s : String(t); }) : list);
    const now = norm(canonicalRendered(theirs, slug));
    const next = norm(items.length === 0 ? [] : canonicalWritten(items));
    const changed = appends(slug) ? next.some((v) => !now.includes(v)) : now.slice().sort().join('\u0000') !== next.slice().sort().join('\u0000');
    if (changed) changes.push({ attribute: slug, old: canonicalRendered(theirs, slug).map(plain), new: items.length === 0 ? [] : canonicalWritten(items).map(plain) });
  }
  return changes;
}
