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

/**
 * A target that held data before the job, through Attio's public API: a company on the domain of a
 * source organization and a person with a source person's email (the job asserts onto both), and a
 * company and a person the job never touches.
 */
export async function seedAttioBefore(s: Sandboxes): Promise<void> {
  const { account } = s.affinity;
  const org = Array.from({ length: account.counts.organizations }, (_, i) => account.organization(i)).find((o) => o.domain && o.domains.length === 1);
  const person = Array.from({ length: account.counts.persons }, (_, i) => account.person(i)).find((p) => p.emails.length === 1 && p.type === 0);
  if (!org?.domain || !person?.emails[0]) throw new Error('generated account has no single-domain organization or single-email person');
  const seeds: Array<[string, unknown]> = [
    ['companies', { name: ['Held before the job'], domains: [org.domain] }],
    ['companies', { name: ['Never touched'], domains: ['untouched-before.example'] }],
    ['people', { name: [{ first_name: 'Seeded', last_name: 'Before', full_name: 'Seeded Before' }], email_addresses: [person.emails[0]], job_title: ['Seeded title'] }],
    ['people', { name: [{ first_name: 'Other', last_name: 'Person', full_name: 'Other Person' }], email_addresses: ['other-before@untouched.example'] }],
  ];
  for (const [object, values] of seeds) {
    const res = await attioCall(s, 'POST', `/objects/${object}/records`, { data: { values } });
    if (res.status !== 200) throw new Error(`seeding ${object}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
