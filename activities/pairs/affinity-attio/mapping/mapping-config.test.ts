import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, MappingConfigSchema, resolveMappingConfig } from './mapping-config.ts';

describe('resolveMappingConfig', () => {
  it('accepts the defaults as they are', () => {
    expect(MappingConfigSchema.parse(DEFAULT_MAPPING)).toEqual(DEFAULT_MAPPING);
    expect(resolveMappingConfig()).toEqual(DEFAULT_MAPPING);
  });

  it('deep-merges overrides, arrays replacing', () => {
    const config = resolveMappingConfig({ opportunity: { defaultStage: 'In Progress', stageMap: { 'Closed Won': 'Won 🎉' } }, note: { parentOrder: ['organization'] } });
    expect(config.opportunity.defaultStage).toBe('In Progress');
    expect(config.opportunity.stageMap).toEqual({ 'Closed Won': 'Won 🎉' });
    expect(config.opportunity.object).toBe('deals');
    expect(config.note.parentOrder).toEqual(['organization']);
  });

  it('rejects bad slugs, unknown parent kinds and non-numeric field ids', () => {
    expect(() => resolveMappingConfig({ sourceIdAttribute: 'Affinity ID' })).toThrow();
    expect(() => resolveMappingConfig({ note: { parentOrder: ['company'] } })).toThrow();
    expect(() => resolveMappingConfig({ fields: { overrides: { abc: { skip: true } } } })).toThrow();
    expect(() => resolveMappingConfig({ note: { maxContentBytes: 5 } })).toThrow();
  });
});
