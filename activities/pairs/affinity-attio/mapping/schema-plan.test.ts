import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, resolveMappingConfig } from './mapping-config.ts';
import { planSchema } from './schema-plan.ts';
import { SCHEMA } from './test-fixtures.ts';

describe('planSchema', () => {
  const { plan, fields, warnings } = planSchema(SCHEMA, DEFAULT_MAPPING);
  const attrs = (object: string) => plan.objects.find((o) => o.object === object)?.attributes ?? [];

  it('puts the source id on every object, unique only on deals', () => {
    for (const object of ['companies', 'people', 'deals']) {
      expect(attrs(object).find((a) => a.slug === 'affinity_id')).toMatchObject({ type: 'text', isUnique: object === 'deals' });
    }
  });

  it('maps every value type to an attribute type', () => {
    const people = attrs('people');
    expect(people.find((a) => a.slug === 'affinity_field_1')).toMatchObject({ type: 'text', title: 'Job Title' });
    expect(people.find((a) => a.slug === 'affinity_field_2')).toMatchObject({ type: 'select', isMultiselect: true, options: ['Fintech', 'AI'] });
    expect(people.find((a) => a.slug === 'affinity_field_3')).toMatchObject({ type: 'record-reference', targetObject: 'people' });
    const companies = attrs('companies');
    expect(companies.map((a) => a.type)).toEqual(['text', 'number', 'location', 'date', 'record-reference', 'select', 'text']);
    expect(companies.find((a) => a.slug === 'affinity_field_8')?.options).toEqual(['Tier 1', 'Tier 2']);
  });

  it('creates one list per known list type, with an entry-id attribute and the list fields', () => {
    expect(plan.lists.map((l) => [l.slug, l.parentObject])).toEqual([['affinity_list_100', 'people'], ['affinity_list_200', 'deals']]);
    expect(plan.lists[1]?.attributes.map((a) => a.slug)).toEqual(['affinity_entry_id', 'affinity_field_201', 'affinity_field_202', 'affinity_field_203']);
    expect(warnings).toEqual(['list 300 has unknown type 5; skipped']);
  });

  it('recognises the stage field and plans its statuses on deals', () => {
    expect([...fields.stageFieldIds]).toEqual([201]);
    expect(plan.objects.find((o) => o.object === 'deals')?.extraOptions).toEqual([{ attribute: 'stage', titles: ['Lead', 'Closed Won'] }]);
  });

  it('applies field overrides and stage maps', () => {
    const config = resolveMappingConfig({ fields: { overrides: { '1': { skip: true }, '4': { slug: 'headcount', title: 'Headcount' } } }, opportunity: { stageMap: { 'Closed Won': 'Won 🎉' } } });
    const out = planSchema(SCHEMA, config);
    expect(out.fields.byId.has(1)).toBe(false);
    expect(out.fields.byId.get(4)?.attribute).toMatchObject({ slug: 'headcount', title: 'Headcount' });
    expect(out.plan.objects.find((o) => o.object === 'deals')?.extraOptions?.[0]?.titles).toEqual(['Lead', 'Won 🎉']);
  });

  it('leaves disabled kinds out', () => {
    const out = planSchema(SCHEMA, resolveMappingConfig({ opportunity: { enabled: false }, list: { enabled: false } }));
    expect(out.plan.objects.map((o) => o.object)).toEqual(['companies', 'people']);
    expect(out.plan.lists).toEqual([]);
  });
});
