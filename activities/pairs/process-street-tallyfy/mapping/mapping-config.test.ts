import { describe, expect, it } from 'vitest';
import { DEFAULT_PS_MAPPING, fieldRule, PsMappingConfigSchema, resolvePsMappingConfig } from './mapping-config.ts';

describe('resolvePsMappingConfig', () => {
  it('accepts the defaults as they are', () => {
    expect(PsMappingConfigSchema.parse(DEFAULT_PS_MAPPING)).toEqual(DEFAULT_PS_MAPPING);
    expect(resolvePsMappingConfig()).toEqual(DEFAULT_PS_MAPPING);
  });

  it('merges overrides: shorthand field rules, role, comment prefix; the rest stays default', () => {
    const config = resolvePsMappingConfig({ fieldTypes: { Hidden: 'skip', Email: 'email', Number: { validation: [] } }, defaultRole: 'light', commentPrefix: '[PS] ' });
    expect(config.fieldTypes.Hidden).toEqual({ to: 'skip', validation: [] });
    expect(config.fieldTypes.Email).toEqual({ to: 'email', validation: [] });
    expect(config.fieldTypes.Number).toEqual({ to: 'text', validation: [] });
    expect(config.fieldTypes.Select).toEqual({ to: 'dropdown', validation: [] });
    expect(config.defaultRole).toBe('light');
    expect(config.commentPrefix).toBe('[PS] ');
    expect(config.runStatus).toEqual({ Active: 'active', Completed: 'complete', Archived: 'archived' });
  });

  it('rejects unknown target types, roles and a text limit above Tallyfy\'s 200', () => {
    expect(() => resolvePsMappingConfig({ fieldTypes: { Url: 'url' } })).toThrow();
    expect(() => resolvePsMappingConfig({ defaultRole: 'owner' })).toThrow();
    expect(() => resolvePsMappingConfig({ textMaxChars: 255 })).toThrow();
    expect(() => resolvePsMappingConfig({ runStatus: { Archived: 'deleted' } })).toThrow();
  });

  it('falls back to the unknown-type rule for types outside the table', () => {
    expect(fieldRule(DEFAULT_PS_MAPPING, 'SubChecklist')).toEqual({ rule: { to: 'text', validation: [] }, known: false });
    expect(fieldRule(DEFAULT_PS_MAPPING, 'constructor').known).toBe(false);
    expect(fieldRule(DEFAULT_PS_MAPPING, 'Date')).toEqual({ rule: { to: 'date', validation: [] }, known: true });
  });
});
