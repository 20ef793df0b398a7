import { describe, expect, it } from 'vitest';
import type { AffinityObjectKind, AffinityPerson, AffinityRecord } from '../affinity/affinity-types.ts';
import { createMemoryIdMap } from '../../../connectors/id-map/memory-id-map.ts';
import { mapRecord } from '../mapping/index.ts';
import { DEFAULT_MAPPING } from '../mapping/mapping-config.ts';
import { context } from '../mapping/test-fixtures.ts';
import type { Difference } from '../../../../shared/reconcile/reconcile-model.ts';
import type { AttioRecordRow, AttioSnapshot } from './attio-snapshot.ts';
import { noteRow, recordRow, value } from './spec-fixtures.ts';
import { verifyMigration, type VerifyOptions } from './verify-migration.ts';

const NOW = new Date('2025-06-01T12:00:00.000Z');

/** A person with its current organizations, as the v2 source fills them. */
function person(id: number, first: string, last: string, orgs: number[]): AffinityPerson {
  return { id, first_name: first, last_name: last, current_organization_ids: orgs } as AffinityPerson;
}

/** An Affinity account as the source connector yields it: 2 organizations, 3 persons (one without any), 1 opportunity. */
const SOURCE: Record<string, AffinityRecord[]> = {
  organizations: [
    { kind: 'organization', id: '1', data: { id: 1, name: 'Acme' }, fieldValues: [] },
    { kind: 'organization', id: '2', data: { id: 2, name: 'Globex' }, fieldValues: [] },
  ],
  persons: [
    { kind: 'person', id: '10', data: person(10, 'Ada', 'L', [1]), fieldValues: [] },
    { kind: 'person', id: '11', data: person(11, 'Bob', 'M', [2, 1]), fieldValues: [] },
    { kind: 'person', id: '12', data: person(12, 'Cy', 'N', []), fieldValues: [] },
  ],
  notes: [
    { kind: 'note', id: '70', data: { id: 70, person_ids: [10], content: 'Met at *the* fair_2024', type: 0, created_at: '2025-01-02T03:04:05.000Z' } },
  ],
  opportunities: [
    { kind: 'opportunity', id: '50', data: { id: 50, name: 'Big deal', person_ids: [10, 11], organization_ids: [2] }, fieldValues: [] },
  ],
};

const source: VerifyOptions['source'] = {
  readFieldSchema: () => Promise.resolve({ fields: [], lists: [] }),
  readPage: (kind: AffinityObjectKind) => Promise.resolve({ records: SOURCE[kind] ?? [], nextCursor: null, skipped: [] }),
};

const sid = (id: string) => ({ affinity_id: [value.text(id)] });

/** The Attio side as a correct migration leaves it, plus one person the customer created (no affinity_id). */
function target(): AttioSnapshot {
  return {
    records: new Map<string, AttioRecordRow[]>([
      ['companies', [recordRow('companies', 'c-1', { ...sid('1'), name: [value.text('Acme')] }), recordRow('companies', 'c-2', { ...sid('2'), name: [value.text('Globex')] })]],
      ['people', [
        recordRow('people', 'p-10', { ...sid('10'), name: [value.name('Ada', 'L')], company: [value.ref('companies', 'c-1')] }),
        recordRow('people', 'p-11', { ...sid('11'), name: [value.name('Bob', 'M')], company: [value.ref('companies', 'c-2')] }),
        recordRow('people', 'p-12', { ...sid('12'), name: [value.name('Cy', 'N')] }),
        recordRow('people', 'p-own', { name: [value.name('Customer', 'Own')], company: [value.ref('companies', 'c-1')] }),
      ]],
      ['deals', [recordRow('deals', 'd-50', {
        ...sid('50'), name: [value.text('Big deal')], stage: [value.status('Lead')], owner: [value.actor('member-1')],
        associated_people: [value.ref('people', 'p-10'), value.ref('people', 'p-11')], associated_company: [value.ref('companies', 'c-2')],
      })]],
    ]),
    entries: new Map(),
    notes: [note70()],
  };
}

/**
 * Note 70 as Attio holds it: written as plaintext, so its markdown rendering escapes the marks (as
 * Attio's does) while `content_plaintext` is the text as written.
 */
function note70() {
  const outcome = mapRecord(SOURCE.notes?.[0] as AffinityRecord, context(['person:10']));
  if (outcome.status !== 'ok' || outcome.write.kind !== 'note') throw new Error('note 70 does not map');
  const w = outcome.write.write;
  expect(w.format).toBe('plaintext');
  return noteRow('n-70', { object: 'people', id: 'p-10' }, w.title, w.content, {
    content_markdown: w.content.replace(/([*_])/g, '\\$1'),
    ...(w.createdAt ? { created_at: w.createdAt } : {}),
  });
}

const verify = (snapshot: AttioSnapshot, extra: Partial<VerifyOptions> = {}) =>
  verifyMigration({ source, target: snapshot, config: DEFAULT_MAPPING, now: NOW, defaultActorId: 'member-1', ...extra });

/** Replaces one value of one row of the snapshot. */
function alter(snapshot: AttioSnapshot, object: string, recordId: string, slug: string, values: unknown[]): AttioSnapshot {
  const row = snapshot.records.get(object)?.find((r) => r.id.record_id === recordId);
  if (!row) throw new Error(`no ${object} ${recordId}`);
  if (values.length === 0) delete row.values[slug];
  else row.values[slug] = values as AttioRecordRow['values'][string];
  return snapshot;
}

describe('verifyMigration', () => {
  it('passes a faithful target, counts the company links and leaves the customer\'s own records out', async () => {
    const report = await verify(target());
    expect(report.ok, JSON.stringify(report, null, 1)).toBe(true);
    expect(report.kinds.person).toMatchObject({ expected: 3, present: 3, missing: 0, mismatches: 0, unexpected: 0, foreign: 1 });
    expect(report.links['person.company']).toMatchObject({ records: 3, checked: 2, right: 2, wrong: 0, missing: 0, sourceHasNone: 1, notMigrated: 0 });
    expect(report.links['opportunity.associatedCompany']).toMatchObject({ records: 1, checked: 1, right: 1 });
    expect(report.links['opportunity.associatedPeople']).toMatchObject({ records: 1, checked: 2, right: 2, wrong: 0, missing: 0 });
    expect(report.kinds.note).toMatchObject({ expected: 1, present: 1, mismatches: 0 });
    expect(report.target).toEqual({ records: { companies: 2, people: 4, deals: 1 }, entries: 0, notes: 1 });
  });

  it('reports a person whose company points elsewhere as wrong, and one without it as missing', async () => {
    const snapshot = alter(alter(target(), 'people', 'p-10', 'company', [value.ref('companies', 'c-2')]), 'people', 'p-11', 'company', []);
    const report = await verify(snapshot);
    expect(report.ok).toBe(false);
    expect(report.links['person.company']).toMatchObject({ checked: 2, right: 0, wrong: 1, missing: 1 });
    expect(report.links['person.company']?.examples).toEqual([
      'person:10 company: references c-2, source says c-1',
      'person:11 company: no reference, source says c-2 or c-1',
    ]);
    expect(report.kinds.person?.mismatches).toBe(2);
  });

  it('counts a deal person the source does not name as wrong and an absent one as missing', async () => {
    const report = await verify(alter(target(), 'deals', 'd-50', 'associated_people', [value.ref('people', 'p-10'), value.ref('people', 'p-12')]));
    expect(report.links['opportunity.associatedPeople']).toMatchObject({ checked: 2, right: 1, wrong: 1, missing: 1 });
    expect(report.ok).toBe(false);
  });

  it('compares a plaintext note\'s content as plain text, and reports a changed one', async () => {
    const snapshot = target();
    const note = snapshot.notes[0];
    if (!note) throw new Error('no note');
    note.content_plaintext = `${note.content_plaintext} (edited)`;
    const report = await verify(snapshot);
    expect(report.kinds.note?.examples).toEqual(['note:70 (n-70): content differs']);
  });

  it('counts links to organizations that were never migrated apart', async () => {
    const snapshot = target();
    snapshot.records.set('companies', (snapshot.records.get('companies') ?? []).filter((r) => r.id.record_id !== 'c-1'));
    alter(snapshot, 'people', 'p-10', 'company', []);
    const report = await verify(snapshot, { expectedAbsent: new Set(['organization:1']) });
    expect(report.links['person.company']).toMatchObject({ records: 3, checked: 1, right: 1, notMigrated: 1, sourceHasNone: 1 });
  });

  it('with the id map: expects references where the id map says Freight wrote them, and each row to be the one it names', async () => {
    const idMap = createMemoryIdMap({
      initial: [
        { source: { kind: 'organization', id: '1' }, target: { object: 'companies', id: 'c-1' } },
        { source: { kind: 'organization', id: '2' }, target: { object: 'companies', id: 'c-2' } },
        { source: { kind: 'person', id: '10' }, target: { object: 'people', id: 'p-10' } },
        // Freight wrote person 11 elsewhere: the row carrying its source id is not the one Freight wrote.
        { source: { kind: 'person', id: '11' }, target: { object: 'people', id: 'p-somewhere' } },
        { source: { kind: 'person', id: '12' }, target: { object: 'people', id: 'p-12' } },
        { source: { kind: 'opportunity', id: '50' }, target: { object: 'deals', id: 'd-50' } },
      ],
    });
    const report = await verify(target(), { written: idMap });
    expect(report.kinds.person?.mismatches).toBe(1);
    expect(report.kinds.person?.examples).toEqual(['person:11 (p-11): id map names p-somewhere, found p-11']);
    // The deal's people are expected as the id map resolves them (p-somewhere), as the job would have written them.
    expect(report.kinds.opportunity).toMatchObject({ mismatches: 1 });
    expect(report.links['person.company']).toMatchObject({ right: 2, wrong: 0 });
  });

  it('hands every difference to onDifference: a mismatch per field, a missing record, a wrong link', async () => {
    const snapshot = alter(target(), 'people', 'p-10', 'company', [value.ref('companies', 'c-2')]);
    snapshot.records.set('people', (snapshot.records.get('people') ?? []).filter((r) => r.id.record_id !== 'p-12'));
    const found: Difference[] = [];
    await verify(snapshot, { onDifference: (d) => found.push(d) });
    expect(found).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'mismatch', object: 'person', sourceId: '10', targetIds: ['p-10'], field: 'company', expected: 'ref:c-1', actual: 'ref:c-2' }),
      expect.objectContaining({ kind: 'wrong_link', object: 'person', sourceId: '10', field: 'company' }),
      expect.objectContaining({ kind: 'missing', object: 'person', sourceId: '12', targetIds: [] }),
    ]));
    expect(found).toHaveLength(3);
  });

  it('reads the target for the plan\'s objects and lists when given a reader', async () => {
    const asked: unknown[] = [];
    const report = await verify(target(), {
      target: (want) => {
        asked.push(want);
        return Promise.resolve(target());
      },
    });
    expect(asked).toEqual([{ objects: ['companies', 'people', 'deals'], lists: [] }]);
    expect(report.ok).toBe(true);
  });
});
