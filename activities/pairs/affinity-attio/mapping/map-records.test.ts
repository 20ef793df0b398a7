import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapListEntry } from './map-list-entry.ts';
import { mapOpportunity } from './map-opportunity.ts';
import { mapOrganization } from './map-organization.ts';
import { mapPerson } from './map-person.ts';
import { mapRecord } from './map-record.ts';
import { resolveMappingConfig } from './mapping-config.ts';
import { referencedKeys } from './references.ts';
import { context, fv } from './test-fixtures.ts';

const okWrite = <W>(outcome: { status: string; write?: W }): W => {
  expect(outcome.status).toBe('ok');
  return (outcome as { write: W }).write;
};

describe('mapOrganization', () => {
  it('asserts on every normalised domain and converts global fields', () => {
    const out = mapOrganization(
      { id: 5, name: '  Acme\u200B Inc ', domain: 'WWW.acme.com', domains: ['acme.com', 'acme.io', 'bad domain'] },
      [fv(1, 4, 120), fv(2, 5, { street_address: '1 Main St', city: 'Berlin', state: null, country: 'Germany', continent: 'Europe' }), fv(3, 6, '2020-02-29T00:00:00Z'), fv(4, 8, { id: 81, text: 'Tier 2', rank: 1 }), fv(5, 9, 'ACME'), fv(6, 9, 'Acme Corp'), fv(7, 101, { id: 1, text: 'High' }, 77)],
      context(),
    );
    const write = okWrite(out);
    expect(write).toMatchObject({ object: 'companies', matchingAttribute: 'domains', source: { kind: 'organization', id: '5' } });
    expect(write.values).toEqual({
      affinity_id: '5',
      name: 'Acme Inc',
      domains: [{ domain: 'acme.com' }, { domain: 'acme.io' }],
      affinity_field_4: 120,
      affinity_field_5: { line_1: '1 Main St', line_2: null, line_3: null, line_4: null, locality: 'Berlin', region: null, postcode: null, country_code: 'DE', latitude: null, longitude: null },
      affinity_field_6: '2020-02-29',
      affinity_field_8: 'Tier 2',
      affinity_field_9: 'ACME; Acme Corp',
    });
    expect(out.warnings).toEqual(['invalid domain "bad domain" left out']);
  });

  it('falls back to the id map without a domain, and warns on an empty name', () => {
    const out = mapOrganization({ id: 6, name: ' ', domain: null, domains: [] }, [], context());
    const write = okWrite(out);
    expect(write.values).toEqual({ affinity_id: '6' });
    expect(out.notes).toContain('no domain: idempotent through the id map');
    expect(out.warnings).toContain('organization has no name');
  });

  it('resolves person references when migrated, warns on orphans', () => {
    const out = mapOrganization({ id: 7, name: 'X', domains: [] }, [fv(1, 7, 70), fv(2, 7, 71), fv(3, 7, 70)], context(['person:70']));
    expect(okWrite(out).values.affinity_field_7).toEqual([{ target_object: 'people', target_record_id: 'rec-person-70' }]);
    expect(out.warnings).toEqual(['field 7 (affinity_field_7): person 71 is not migrated (yet); reference left out']);
  });
});

describe('mapPerson', () => {
  it('builds name, emails and company from the first migrated organization', () => {
    const out = mapPerson(
      { id: 9, type: 0, first_name: 'Zoë', last_name: 'Ægir-Ñúñez', primary_email: 'Zoe@Example.com', emails: ['zoe@example.com', 'z@other.org'], current_organization_ids: [404, 5, 6] },
      [fv(1, 1, 'CTO'), fv(2, 2, 'AI'), fv(3, 2, 'Fintech'), fv(4, 2, 'Unknown option'), fv(5, 3, 9)],
      context(['organization:5', 'organization:6', 'person:9']),
    );
    const write = okWrite(out);
    expect(write.values).toEqual({
      affinity_id: '9',
      name: { first_name: 'Zoë', last_name: 'Ægir-Ñúñez', full_name: 'Zoë Ægir-Ñúñez' },
      email_addresses: [{ email_address: 'zoe@example.com' }, { email_address: 'z@other.org' }],
      company: { target_object: 'companies', target_record_id: 'rec-organization-5' },
      affinity_field_1: 'CTO',
      affinity_field_2: ['AI', 'Fintech'],
      affinity_field_3: { target_object: 'people', target_record_id: 'rec-person-9' },
    });
    expect(out.warnings).toEqual([
      'organization(s) 404 not migrated; not referenced',
      'field 2 (affinity_field_2): option "Unknown option" is not among the field\'s dropdown options; left out',
    ]);
  });

  it('survives a person with nothing but an id', () => {
    const out = mapPerson({ id: 10 }, [], context());
    expect(okWrite(out).values).toEqual({ affinity_id: '10' });
    expect(out.warnings).toContain('person has no name');
  });

  it('can exclude internal persons', () => {
    const out = mapPerson({ id: 11, type: 1 }, [], context([], resolveMappingConfig({ person: { includeInternal: false } })));
    expect(out).toMatchObject({ status: 'skip', kind: 'validation' });
  });

  it('maps any person to a write whose emails are unique (property)', () => {
    const person = fc.record({
      id: fc.integer({ min: 1 }),
      first_name: fc.option(fc.string({ unit: 'grapheme' })),
      last_name: fc.option(fc.string({ unit: 'grapheme' })),
      primary_email: fc.option(fc.oneof(fc.emailAddress(), fc.string())),
      emails: fc.array(fc.oneof(fc.emailAddress(), fc.string())),
      current_organization_ids: fc.array(fc.integer({ min: 1, max: 20 })),
    });
    fc.assert(fc.property(person, (p) => {
      const write = okWrite(mapPerson(p, [], context(['organization:3'])));
      const emails = (write.values.email_addresses as Array<{ email_address: string }> | undefined) ?? [];
      expect(new Set(emails.map((e) => e.email_address)).size).toBe(emails.length);
      expect(write.values.affinity_id).toBe(String(p.id));
    }));
  });
});

describe('mapOpportunity', () => {
  it('fills the required deal attributes, stage from the list field', () => {
    const out = mapOpportunity(
      { id: 12, name: '', person_ids: [9, 9, 404], organization_ids: [5, 6] },
      [fv(1, 201, { id: 4, text: 'Closed Won', rank: 1 }, 99), fv(2, 202, 1000, 99)],
      context(['person:9', 'organization:5', 'organization:6'], resolveMappingConfig({ opportunity: { stageMap: { 'Closed Won': 'Won 🎉' } } })),
    );
    const write = okWrite(out);
    expect(write).toMatchObject({ object: 'deals', matchingAttribute: 'affinity_id' });
    expect(write.values).toEqual({
      affinity_id: '12',
      name: 'Untitled opportunity 12',
      stage: 'Won 🎉',
      owner: { referenced_actor_type: 'workspace-member', referenced_actor_id: 'member-1' },
      associated_people: [{ target_object: 'people', target_record_id: 'rec-person-9' }],
      associated_company: { target_object: 'companies', target_record_id: 'rec-organization-5' },
    });
    expect(out.warnings).toContain('person(s) 404 not migrated; not associated');
  });

  it('uses the default stage and a configured owner email', () => {
    const out = mapOpportunity({ id: 13, name: 'Series A' }, [], context([], resolveMappingConfig({ opportunity: { defaultOwner: 'owner@fund.com' } })));
    expect(okWrite(out).values).toMatchObject({ stage: 'Lead', owner: 'owner@fund.com' });
  });

  it('warns when no owner can be set', () => {
    const out = mapOpportunity({ id: 14, name: 'X' }, [], context([], undefined, { defaultActorId: null }));
    expect(okWrite(out).values).not.toHaveProperty('owner');
    expect(out.warnings[0]).toMatch(/no deal owner/);
  });
});

describe('mapListEntry', () => {
  it('attaches the entry to the migrated entity with its own field values only', () => {
    const out = mapListEntry(
      { id: 99, list_id: 200, entity_id: 12 },
      [fv(1, 202, 1000, 99), fv(2, 202, 5, 98), fv(3, 203, 5, 99), fv(4, 1, 'global', null)],
      context(['opportunity:12', 'organization:5']),
    );
    expect(okWrite(out)).toEqual({
      source: { kind: 'list_entry', id: '99' },
      list: 'affinity_list_200',
      parent: { object: 'deals', id: 'rec-opportunity-12' },
      values: { affinity_entry_id: '99', affinity_field_202: 1000, affinity_field_203: { target_object: 'companies', target_record_id: 'rec-organization-5' } },
    });
  });

  it('skips entries of unmigrated entities or unknown lists', () => {
    expect(mapListEntry({ id: 1, list_id: 100, entity_id: 404 }, [], context())).toMatchObject({ status: 'skip', kind: 'not_found' });
    expect(mapListEntry({ id: 1, list_id: 300, entity_id: 1 }, [], context())).toMatchObject({ status: 'skip', reason: 'list 300 is not migrated' });
  });
});

describe('mapRecord / referencedKeys', () => {
  it('dispatches by kind and honours disabled kinds', () => {
    const ctx = context([], resolveMappingConfig({ note: { enabled: false } }));
    expect(mapRecord({ kind: 'note', id: '1', data: { id: 1 } }, ctx)).toMatchObject({ status: 'skip', reason: 'notes disabled by mapping' });
    expect(mapRecord({ kind: 'list', id: '100', data: { id: 100, type: 0, name: 'x' } }, ctx)).toMatchObject({ status: 'skip' });
    expect(mapRecord({ kind: 'organization', id: '1', data: { id: 1, name: 'A' }, fieldValues: [] }, ctx)).toMatchObject({ status: 'ok', write: { kind: 'record' } });
  });

  it('collects every key the mappers may resolve, once', () => {
    const ctx = context();
    const keys = referencedKeys([
      { kind: 'person', id: '1', data: { id: 1, current_organization_ids: [5, 5] }, fieldValues: [fv(1, 3, 70)] },
      { kind: 'opportunity', id: '2', data: { id: 2, person_ids: [1], organization_ids: [5] }, fieldValues: [] },
      { kind: 'list_entry', id: '3', data: { id: 3, list_id: 200, entity_id: 2 }, fieldValues: [fv(2, 203, 6, 3)] },
      { kind: 'note', id: '4', data: { id: 4, person_ids: [1], opportunity_ids: [2] } },
    ], ctx.fields);
    expect(keys.map((k) => `${k.kind}:${k.id}`).sort()).toEqual(['opportunity:2', 'organization:5', 'organization:6', 'person:1', 'person:70']);
  });
});
