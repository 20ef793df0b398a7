import { z } from '@hono/zod-openapi';
import { MappingConfigSchema } from '../../activities/pairs/affinity-attio/mapping/mapping-config.ts';

/**
 * Every object level optional: an override names only what it changes (arrays and values replace).
 * A record's key rule (`fields.overrides` is keyed by Affinity field id) is declared as `propertyNames`.
 */
function deepPartial(schema: z.ZodType): z.ZodType {
  // Rebuilt with this module's `z` (schemas made before zod-openapi extended zod have no `.openapi`).
  if (schema instanceof z.ZodRecord) {
    const keyType = schema.keyType as z.ZodString;
    const { $schema: _dialect, ...propertyNames } = z.toJSONSchema(keyType);
    // zod-openapi passes unknown keywords through; its metadata type does not list propertyNames.
    return z.record(keyType, deepPartial(schema.valueType as z.ZodType)).openapi({ propertyNames } as object);
  }
  if (!(schema instanceof z.ZodObject)) return schema;
  const shape = Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, value]) => [key, deepPartial(value).optional()]);
  return z.object(Object.fromEntries(shape));
}

/**
 * A job's mapping overrides as the document declares them: the mapping's own schema with every
 * field optional, so the rules the server checks after deep-merging them over the defaults (slugs,
 * enums, ranges) are the ones the document states.
 */
export const MappingOverridesSchema = (deepPartial(MappingConfigSchema) as z.ZodType<Record<string, unknown>>).openapi('MappingOverrides', {
  description: 'Per-job overrides of the Affinity → Attio mapping, deep-merged over the defaults (arrays replace). Unknown keys are ignored.',
});
