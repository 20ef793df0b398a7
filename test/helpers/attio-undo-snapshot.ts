import { canonicalRendered } from '../../activities/pairs/affinity-attio/verification/compare-values.ts';
import { readAttioSnapshot } from '../../activities/pairs/affinity-attio/verification/attio-snapshot.ts';
import type { Sandboxes } from './engine.ts';

/** Attio's public API with the workspace token (what a customer, or someone editing, would call). */
export async function attioCall(s: Sandboxes, method: string, path: string, body?: unknown): Promise<{ status: number; body: { data?: unknown } }> {
  const res = await fetch(`${s.attio.url}/v2${path}`, {
    method, headers: { authorization: `Bearer ${s.attio.token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown } };
}

/**
 * The whole Attio sandbox workspace, record for record (the control API's records, entries and
 * notes), in canonical form: every value as verification compares it, without the per-value
 * metadata a write renews (active_from, actor); attributes with no value are left out, so an
 * attribute the job's schema step added and the undo emptied reads as it did before the job.
 */
export async function attioSnapshot(s: Sandboxes): Promise<Record<string, Record<string, unknown>>> {
  const slugs = async (kind: 'objects' | 'lists') =>
    ((await attioCall(s, 'GET', `/${kind}`)).body.data as Array<{ api_slug: string }>).map((o) => o.api_slug).sort();
  const snap = await readAttioSnapshot({ sandboxUrl: s.attio.url, objects: await slugs('objects'), lists: await slugs('lists') });
  const values = (v: Record<string, Array<Record<string, unknown>>>) => Object.fromEntries(
    Object.keys(v).sort().map((slug) => [slug, canonicalRendered(v, slug)]).filter(([, items]) => (items as string[]).length > 0),
  );
  const out: Record<string, Record<string, unknown>> = {};
  for (const [object, rows] of snap.records) out[`object:${object}`] = Object.fromEntries(rows.map((r) => [r.id.record_id, values(r.values)]));
  for (const [list, rows] of snap.entries) {
    if (rows.length > 0) out[`list:${list}`] = Object.fromEntries(rows.map((r) => [r.id.entry_id, { parent: r.parent_record_id, ...values(r.entry_values) }]));
  }
  out.notes = Object.fromEntries(snap.notes.map((n) => [n.id.note_id, { parent: `${n.parent_object}:${n.parent_record_id}`, title: n.title, content: n.content_plaintext }]));
  return out;
}
