import { describe, expect, it } from 'vitest';
import { EDGE_DATES, generateAffinityAccount, ID_BASE, POISON_MARKER, type AffinityAccount, type FieldValue } from './index.ts';

const all = <T>(count: number, at: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => at(i));

function snapshot(account: AffinityAccount): string {
  const { counts } = account;
  return JSON.stringify({
    persons: all(counts.persons, account.person),
    organizations: all(counts.organizations, account.organization),
    opportunities: all(counts.opportunities, account.opportunity),
    notes: all(counts.notes, account.note),
    lists: account.lists,
    fields: account.fields,
    entries: account.lists.map((l) => all(account.listEntries(l.id)?.size ?? 0, (p) => account.listEntries(l.id)?.at(p))),
    values: all(counts.persons, (i) => account.fieldValues('person', ID_BASE.person + i)),
  });
}

describe('generateAffinityAccount', () => {
  const account = generateAffinityAccount({ seed: 7, size: 4000, poisonRate: 0.01 });
  const persons = all(account.counts.persons, account.person);
  const organizations = all(account.counts.organizations, account.organization);
  const opportunities = all(account.counts.opportunities, account.opportunity);
  const notes = all(account.counts.notes, account.note);

  it('is deterministic: same seed → byte-identical data, another seed → different data', () => {
    const again = generateAffinityAccount({ seed: 7, size: 4000, poisonRate: 0.01 });
    expect(snapshot(again)).toBe(snapshot(account));
    expect(snapshot(generateAffinityAccount({ seed: 8, size: 4000, poisonRate: 0.01 }))).not.toBe(snapshot(account));
    expect(snapshot(generateAffinityAccount({ seed: 'demo', size: 300 }))).toBe(snapshot(generateAffinityAccount({ seed: 'demo', size: 300 })));
  });

  it('splits size roughly 15/40/10/25/10 and exposes the counts', () => {
    const c = account.counts;
    expect([c.organizations, c.persons, c.opportunities, c.notes, c.listEntries]).toEqual([600, 1600, 400, 1000, 400]);
    expect(c.total).toBe(4000);
    expect(c.opportunityListEntries).toBe(c.opportunities);
    expect(account.lists.reduce((sum, l) => sum + l.list_size, 0)).toBe(c.listEntries + c.opportunityListEntries);
  });

  it('produces the messy cases', () => {
    const nonAscii = /[^ -~]/;
    expect(persons.some((p) => nonAscii.test(p.first_name + p.last_name))).toBe(true);
    expect(persons.some((p) => p.first_name === '' && p.last_name === '')).toBe(true);
    expect(organizations.some((o) => nonAscii.test(o.name))).toBe(true);
    expect(organizations.some((o) => o.name === '')).toBe(true);
    expect(persons.some((p) => p.emails.length === 0 && p.primary_email === null)).toBe(true);
    const owners = new Map<string, number>();
    let shared = 0;
    for (const p of persons) for (const e of p.emails) {
      if (owners.has(e) && owners.get(e) !== p.id) shared += 1;
      owners.set(e, p.id);
    }
    expect(shared).toBeGreaterThan(10);
    expect(organizations.some((o) => o.domain === null && o.domains.length === 0)).toBe(true);
    expect(organizations.some((o) => o.domains.length >= 5)).toBe(true);
    expect(organizations.some((o) => o.global)).toBe(true);
    const hugeNotes = notes.filter((n) => Buffer.byteLength(n.content) > 100 * 1024);
    expect(hugeNotes.length).toBeGreaterThan(0);
    expect(notes.some((n) => n.type === 2 && /<p>|<li>/.test(n.content))).toBe(true);
    const noteDates = new Set(notes.map((n) => n.created_at));
    for (const edge of EDGE_DATES) expect(noteDates.has(edge)).toBe(true);
    expect(notes.some((n) => n.person_ids.length + n.organization_ids.length + n.opportunity_ids.length > 1)).toBe(true);
    expect(notes.some((n) => n.parent_id !== null)).toBe(true);
  });

  it('has orphaned references and merged ids that resolve to live records', () => {
    const personIds = new Set(persons.map((p) => p.id));
    const orgIds = new Set(organizations.map((o) => o.id));
    expect(persons.some((p) => p.organization_ids.some((id) => !orgIds.has(id)))).toBe(true);
    expect(organizations.some((o) => o.person_ids.some((id) => !personIds.has(id)))).toBe(true);
    expect(notes.some((n) => n.person_ids.some((id) => !personIds.has(id) && account.mergedInto('person', id) === undefined))).toBe(true);
    for (const kind of ['person', 'organization'] as const) {
      const merged = account.mergedIds(kind);
      expect(merged.length).toBeGreaterThan(0);
      for (const id of merged) {
        expect(account.indexOf(kind, id)).toBeUndefined();
        const into = account.mergedInto(kind, id) as number;
        expect(account.indexOf(kind, into)).toBeDefined();
      }
    }
    expect(notes.some((n) => n.person_ids.some((id) => account.mergedInto('person', id) !== undefined))).toBe(true);
  });

  it('keeps both directions of every relation consistent', () => {
    const byId = <T extends { id: number }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
    const orgs = byId(organizations);
    const people = byId(persons);
    for (const p of persons) for (const id of p.organization_ids) if (orgs.has(id)) expect(orgs.get(id)?.person_ids).toContain(p.id);
    for (const o of organizations) for (const id of o.person_ids) if (people.has(id)) expect(people.get(id)?.organization_ids).toContain(o.id);
    for (const m of opportunities) {
      for (const id of m.person_ids) if (people.has(id)) expect(people.get(id)?.opportunity_ids).toContain(m.id);
      for (const id of m.organization_ids) expect(orgs.get(id)?.opportunity_ids).toContain(m.id);
    }
    for (const p of persons) for (const id of p.opportunity_ids) expect(opportunities[id - ID_BASE.opportunity]?.person_ids).toContain(p.id);
    for (const n of notes) for (const id of n.person_ids) {
      const index = account.indexOf('person', id);
      if (index !== undefined) expect(account.notesOf('person', index)).toContain(n.id - ID_BASE.note);
    }
    const fromNotes = notes.reduce((sum, n) => sum + n.organization_ids.length, 0);
    expect(organizations.reduce((sum, o) => sum + account.notesOf('organization', o.id - ID_BASE.organization).length, 0)).toBe(fromNotes);
  });

  it('lists: every opportunity on exactly one opportunity list, entities may repeat on a list, entries match entity.list_entries', () => {
    for (const m of opportunities) {
      expect(m.list_entries).toHaveLength(1);
      expect(account.list(m.list_entries[0]?.list_id as number)?.type).toBe(8);
    }
    let repeated = false;
    const refs = new Map<number, unknown>();
    for (const e of [...persons, ...organizations].flatMap((x) => x.list_entries)) refs.set(e.id, e);
    for (const list of account.lists.filter((l) => l.type !== 8)) {
      const entries = account.listEntries(list.id);
      const seen = new Set<number>();
      for (let p = 0; p < (entries?.size ?? 0); p += 1) {
        const entry = entries?.at(p);
        if (!entry) throw new Error('missing entry');
        if (seen.has(entry.entity_id)) repeated = true;
        seen.add(entry.entity_id);
        const { entity: _entity, ...ref } = entry;
        expect(refs.get(entry.id)).toEqual(ref);
      }
    }
    expect(repeated).toBe(true);
    expect(refs.size).toBe(account.counts.listEntries);
  });

  it('fields cover value types 0–7, global and list-specific; values have the documented shapes', () => {
    expect(new Set(account.fields.map((f) => f.value_type))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(account.fields.some((f) => f.list_id === null) && account.fields.some((f) => f.list_id !== null)).toBe(true);
    expect(account.fields.filter((f) => f.value_type === 2 || f.value_type === 7).every((f) => f.dropdown_options.length > 0)).toBe(true);
    const fieldsById = new Map(account.fields.map((f) => [f.id, f]));
    const values: FieldValue[] = [
      ...persons.slice(0, 300).flatMap((p) => account.fieldValues('person', p.id) ?? []),
      ...organizations.slice(0, 300).flatMap((o) => account.fieldValues('organization', o.id) ?? []),
      ...opportunities.slice(0, 100).flatMap((m) => account.fieldValues('opportunity', m.id) ?? []),
    ];
    const seenTypes = new Set<number>();
    let multi = false;
    const perField = new Map<string, number>();
    for (const v of values) {
      const field = fieldsById.get(v.field_id);
      if (!field) throw new Error(`unknown field ${v.field_id}`);
      seenTypes.add(field.value_type);
      const key = `${v.field_id}/${v.entity_id}/${v.list_entry_id}`;
      perField.set(key, (perField.get(key) ?? 0) + 1);
      if ((perField.get(key) ?? 0) > 1) multi = true;
      expect(v.list_entry_id === null).toBe(field.list_id === null);
      const value = v.value;
      switch (field.value_type) {
        case 0: case 1: expect(Number.isInteger(value)).toBe(true); break;
        case 2: expect(field.dropdown_options.map((o) => o.text)).toContain(value); break;
        case 3: expect(typeof value).toBe('number'); break;
        case 4: expect(Number.isNaN(Date.parse(value as string))).toBe(false); break;
        case 5: expect(Object.keys(value as object).sort()).toEqual(['city', 'continent', 'country', 'state', 'street_address']); break;
        case 6: expect(typeof value).toBe('string'); break;
        case 7: expect(field.dropdown_options).toContainEqual(value); break;
      }
    }
    expect(seenTypes).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(multi).toBe(true);
    expect(new Set(values.map((v) => v.id)).size).toBe(values.length);
  });

  it('marks poison records deterministically with the marker', () => {
    const ids = account.poisonIds('person');
    expect(ids.length).toBe(16);
    for (const id of ids) expect(account.person(id - ID_BASE.person).last_name).toContain(POISON_MARKER);
    expect(persons.filter((p) => p.last_name.includes(POISON_MARKER)).map((p) => p.id)).toEqual(ids);
    expect(account.poisonIds('note').every((id) => account.note(id - ID_BASE.note).content.includes(POISON_MARKER))).toBe(true);
    expect(generateAffinityAccount({ seed: 7, size: 4000 }).poisonIds('person')).toEqual([]);
    expect(generateAffinityAccount({ seed: 7, size: 50, poisonRate: 0.001 }).poisonIds('person')).toHaveLength(1);
  });

  it('serves any record of a million-record account without materialising it', () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const big = generateAffinityAccount({ seed: 1, size: 1_000_000 });
    expect(big.counts.total).toBe(1_000_000);
    const last = big.person(big.counts.persons - 1);
    expect(last.id).toBe(ID_BASE.person + big.counts.persons - 1);
    for (let i = 0; i < 2000; i += 1) big.person((i * 7919) % big.counts.persons);
    expect(big.note(big.counts.notes - 1).id).toBe(ID_BASE.note + big.counts.notes - 1);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('generator options and documented shapes', () => {
  it('everyPersonHasCompany: every person belongs to a live organization, which lists the person back', () => {
    const account = generateAffinityAccount({ seed: 4, size: 3000, everyPersonHasCompany: true });
    for (let i = 0; i < account.counts.persons; i += 1) {
      const orgs = account.personOrganizationIndexes(i);
      expect(orgs.length).toBeGreaterThan(0);
      expect(account.organization(orgs[0] as number).person_ids).toContain(account.person(i).id);
    }
    const usual = generateAffinityAccount({ seed: 4, size: 3000 });
    expect(all(usual.counts.persons, (i) => usual.personOrganizationIndexes(i)).some((o) => o.length === 0)).toBe(true);
  });

  it('reply notes carry no entity ids (v1 docs) and are listed under no entity', () => {
    const account = generateAffinityAccount({ seed: 4, size: 3000 });
    const replies = all(account.counts.notes, (n) => n).filter((n) => account.isReply(n));
    expect(replies.length).toBeGreaterThan(0);
    for (const n of replies) {
      const note = account.note(n);
      expect([note.person_ids, note.organization_ids, note.opportunity_ids]).toEqual([[], [], []]);
      expect(note.parent_id).toBe(account.note(n - 1).id);
      expect(account.repliesOf(n - 1)).toEqual([n]);
    }
  });
});
