import { describe, expect, it } from 'vitest';
import { imageOf, sameImage, writableImage } from './attio-images.ts';

// Values as Attio renders them (shared/reference attio-api.md): per-value metadata, attribute_type.
const meta = { active_from: '2026-01-01T00:00:00.000Z', active_until: null, created_by_actor: { type: 'api-token', id: 't' } };
const rendered = {
  name: [{ ...meta, value: 'Acme', attribute_type: 'text' }],
  domains: [{ ...meta, domain: 'acme.com', root_domain: 'acme.com', attribute_type: 'domain' }],
  stage: [{ ...meta, status: { title: 'Lead', id: { status_id: 's1' } }, attribute_type: 'status' }],
  company: [{ ...meta, target_object: 'companies', target_record_id: 'r1', attribute_type: 'record-reference' }],
  empty: [],
};

describe('Attio write images', () => {
  it('keeps the asked attributes without per-value metadata, absent ones as []', () => {
    const image = imageOf(rendered, ['name', 'missing']);
    expect(image).toEqual({ name: [{ value: 'Acme', attribute_type: 'text' }], missing: [] });
  });

  it('compares canonically: metadata and item order do not count, a changed or extra value does', () => {
    const a = imageOf(rendered, ['name', 'domains']);
    const renewed = imageOf({ ...rendered, name: [{ ...rendered.name[0], active_from: '2027-01-01T00:00:00.000Z' }] }, ['name', 'domains']);
    expect(sameImage(a, renewed)).toBe(true);
    expect(sameImage(a, { ...a, name: [{ value: 'Acme 2', attribute_type: 'text' }] })).toBe(false);
    expect(sameImage(a, { ...a, domains: [...(a.domains as unknown[]), { domain: 'b.com', attribute_type: 'domain' }] })).toBe(false);
  });

  it('turns an image back into write values (PUT replaces: [] empties an attribute)', () => {
    expect(writableImage(imageOf(rendered, ['name', 'domains', 'stage', 'company', 'empty']))).toEqual({
      name: ['Acme'], domains: ['acme.com'], stage: ['Lead'], company: [{ target_object: 'companies', target_record_id: 'r1' }], empty: [],
    });
  });
});
