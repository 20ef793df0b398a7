import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText, normalizeEmails } from '../../../activities/pairs/affinity-attio/mapping/normalize.ts';
import {
  attioWrites, createEngineTenant, createJob, startSandboxes, startWorkerProcess, testTaskQueue, waitForJob, TERMINAL,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

/**
 * Acceptance of the dry-run diff (issue 16 item 3): a target pre-seeded through Attio's public API
 * with 30% of the source persons — a third of them with changed values, two matched twice — and a
 * target attribute that refuses some records' values; the dry run's counts per class are exactly
 * those seeded, and the target receives no write.
 */
const QUEUE = testTaskQueue('dry-run-diff');
/** Affinity's global person field "Interests" (multi-valued dropdown) in the generated account. */
const INTERESTS = 2003;
const INTERESTS_SLUG = `affinity_field_${INTERESTS}`;

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;

interface Person { id: number; first: string; last: string; emails: string[]; interests: string[] }

interface DiffPage {
  counts: Record<string, number>;
  byObject: Record<string, Record<string, number>>;
  data: { object: string; sourceId: string; class: string; targetId: string | null; changes: unknown[]; reason: string | null }[];
}

async function api<T>(path: string): Promise<T> {
  const res = await e.t.call('GET', path, { token: e.key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function attio(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandboxes.attio.url}/v2${path}`, {
    method, headers: { authorization: `Bearer ${sandboxes.attio.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The persons of the account as the source serves them (merged ones are left out: the source skips them). */
function sourcePersons(): Person[] {
  const a = sandboxes.affinity.account;
  const merged = new Set(a.mergedIds('person'));
  const out: Person[] = [];
  for (let i = 0; i < a.counts.persons; i++) {
    const p = a.person(i);
    if (merged.has(p.id)) continue;
    const interests = (a.fieldValues('person', p.id) ?? []).filter((v) => v.field_id === INTERESTS && typeof v.value === 'string').map((v) => v.value as string);
    // The mapping sends each option once.
    out.push({ id: p.id, first: cleanText(p.first_name), last: cleanText(p.last_name), emails: normalizeEmails(p.primary_email, p.emails).emails, interests: [...new Set(interests)] });
  }
  return out;
}

/** A person's values as a migration would have written them (fields other than Interests skipped by the job's mapping). */
function written(p: Person, change = false): Record<string, unknown> {
  const last = change ? `${p.last} (old)` : p.last;
  const full = [p.first, last].filter(Boolean).join(' ');
  return {
    affinity_id: String(p.id),
    ...(full === '' ? {} : { name: { first_name: p.first, last_name: last, full_name: full } }),
    ...(p.emails.length > 0 ? { email_addresses: p.emails.map((email_address) => ({ email_address })) } : {}),
    ...(p.interests.length > 0 ? { [INTERESTS_SLUG]: p.interests } : {}),
  };
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'dry-run-diff', size: 150 });
  e = await createEngineTenant(sandboxes, QUEUE);
  worker = startWorkerProcess(QUEUE);
  await worker.ready();
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('dry-run diff (Affinity → Attio)', () => {
  it('classifies every record exactly as the target was seeded, and writes nothing', async () => {
    const persons = sourcePersons();
    // An earlier migration's source id attribute, and "Interests" as a single-value select: a person
    // with several interests is refused by Attio ("not multiselect"), as a real run would be.
    await attio('POST', '/objects/people/attributes', { data: { title: 'Affinity ID', description: null, api_slug: 'affinity_id', type: 'text', is_required: false, is_unique: false, is_multiselect: false, config: {} } });
    await attio('POST', '/objects/people/attributes', { data: { title: 'Interests', description: null, api_slug: INTERESTS_SLUG, type: 'select', is_required: false, is_unique: false, is_multiselect: false, config: {} } });
    for (const title of new Set(persons.flatMap((p) => p.interests))) await attio('POST', `/objects/people/attributes/${INTERESTS_SLUG}/options`, { data: { title } });

    const refused = persons.filter((p) => p.interests.length > 1);
    const eligible = persons.filter((p) => p.interests.length <= 1 && p.emails.length > 0);
    // Two matched twice: one target record per email (a person with several emails); with them, 30% of the persons are seeded.
    const duplicated = eligible.filter((p) => p.emails.length >= 2).slice(0, 2);
    const seeded = eligible.filter((p) => !duplicated.includes(p)).slice(0, Math.round(persons.length * 0.3) - duplicated.length);
    // A third of them with a changed name (persons with a name: the mapping sends none for the others).
    const changed = seeded.filter((p) => p.first !== '' || p.last !== '').slice(0, Math.round(seeded.length / 3));
    const unchanged = seeded.filter((p) => !changed.includes(p));
    expect(duplicated).toHaveLength(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const p of seeded) await attio('POST', '/objects/people/records', { data: { values: written(p, changed.includes(p)) } });
    for (const p of duplicated) {
      await attio('POST', '/objects/people/records', { data: { values: { ...written(p), email_addresses: [p.emails[0]] } } });
      await attio('POST', '/objects/people/records', { data: { values: { email_addresses: [p.emails[1]] } } });
    }
    const summaryBefore = await (await fetch(`${sandboxes.attio.url}/__sandbox/summary`)).json();
    const writesBefore = await attioWrites(sandboxes);

    const overrides = Object.fromEntries(sandboxes.affinity.account.fields.filter((f) => f.id !== INTERESTS).map((f) => [String(f.id), { skip: true }]));
    const job = await createJob(e, { objects: ['persons'], dryRun: true, batchSize: 50, mapping: { list: { enabled: false }, fields: { overrides } } });
    const done = await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status), 150_000);
    expect(done.status).toBe('completed');

    // The diff as the API serves it: counts per class (every class, 0 when none), filters, CSV.
    const diff = await api<DiffPage>(`/v1/jobs/${job.id}/diff?limit=1000`);
    const expected = {
      create: persons.length - seeded.length - duplicated.length - refused.length,
      update: changed.length, unchanged: unchanged.length, conflict: duplicated.length, refused: refused.length, skipped: 0,
    };
    expect(diff.counts).toEqual(expected);
    expect(diff.byObject).toEqual({ persons: expected });
    expect(diff.data).toHaveLength(persons.length);
    const ids = (list: readonly Person[]) => list.map((p) => String(p.id)).sort();
    const of = (cls: string) => diff.data.filter((r) => r.class === cls).map((r) => r.sourceId).sort();
    expect(of('update')).toEqual(ids(changed));
    expect(of('unchanged')).toEqual(ids(unchanged));
    expect(of('conflict')).toEqual(ids(duplicated));
    expect(of('refused')).toEqual(ids(refused));

    const updates = await api<DiffPage>(`/v1/jobs/${job.id}/diff?class=update&object=persons`);
    expect(updates.data).toHaveLength(changed.length);
    for (const row of updates.data) {
      const p = changed.find((c) => String(c.id) === row.sourceId) as Person;
      const name = (last: string) => [p.first, last, [p.first, last].filter(Boolean).join(' ')];
      expect(row.changes).toEqual([{ attribute: 'name', old: [name(`${p.last} (old)`)], new: [name(p.last)] }]);
      expect(row.targetId).toMatch(/^[0-9a-f-]{36}$/);
    }
    for (const row of diff.data.filter((r) => r.class === 'refused')) expect(row.reason).toMatch(/not multiselect/);
    for (const row of diff.data.filter((r) => r.class === 'conflict')) expect(row.reason).toMatch(/several target records match/);

    const csv = await e.t.call('GET', `/v1/jobs/${job.id}/diff.csv?class=update`, { token: e.key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('object,source_id,class,target_object,target_id,attribute,old,new,reason,note');
    expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual(ids(changed));

    // Nothing written: the sandbox counts no write, and holds exactly what was seeded.
    expect(await attioWrites(sandboxes)).toBe(writesBefore);
    expect(await (await fetch(`${sandboxes.attio.url}/__sandbox/summary`)).json()).toEqual(summaryBefore);
  }, 240_000);
});
