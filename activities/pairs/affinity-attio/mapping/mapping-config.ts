import { z } from 'zod';
import { deepMerge, type DeepPartial } from '../../../../shared/deep-merge.ts';

/**
 * The Affinity → Attio mapping as data. `DEFAULT_MAPPING` is what a job gets without overrides;
 * a job's `mapping` overrides are deep-merged over it and validated here, so a bad override fails
 * when the job is created, not halfway through the run.
 */
const slug = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'slugs are lower-case letters, digits and _');

const FieldOverride = z.object({
  skip: z.boolean().optional(),
  slug: slug.optional(),
  title: z.string().min(1).max(120).optional(),
});

export const MappingConfigSchema = z.object({
  version: z.literal(1),
  /** Text attribute holding the source id on every migrated record (unique on deals: the assert key). */
  sourceIdAttribute: slug,
  organization: z.object({
    enabled: z.boolean(),
    object: slug,
    attributes: z.object({ name: slug, domains: slug }),
  }),
  person: z.object({
    enabled: z.boolean(),
    object: slug,
    /** Internal persons (type 1) are the customer's own team; migrate them as people too unless false. */
    includeInternal: z.boolean(),
    attributes: z.object({ name: slug, emailAddresses: slug, company: slug }),
  }),
  opportunity: z.object({
    enabled: z.boolean(),
    object: slug,
    attributes: z.object({ name: slug, stage: slug, owner: slug, associatedPeople: slug, associatedCompany: slug }),
    /** Attio status title used when the opportunity has no (mapped) stage value. */
    defaultStage: z.string().min(1),
    /** Names of opportunity-list fields (case-insensitive) that carry the deal stage; [] = none. */
    stageFields: z.array(z.string().min(1)),
    /** Affinity option text → Attio status title; unmapped texts become statuses of their own. */
    stageMap: z.record(z.string(), z.string().min(1)),
    /** Workspace member (email or id) owning every deal; null = the target's first member. */
    defaultOwner: z.string().min(1).nullable(),
  }),
  note: z.object({
    enabled: z.boolean(),
    /** Attio notes have one parent: the first linked entity of the first kind in this order wins. */
    parentOrder: z.array(z.enum(['person', 'organization', 'opportunity'])).min(1),
    /** HTML notes become markdown (formatting kept) or plaintext (tags dropped). */
    htmlTo: z.enum(['markdown', 'plaintext']),
    /** UTF-8 bytes of the body, footer included (Attio answers 413 past its limit). */
    maxContentBytes: z.number().int().min(1000).max(10_000_000),
    titleMaxChars: z.number().int().min(10).max(500),
  }),
  list: z.object({ enabled: z.boolean(), slugPrefix: slug, entryIdAttribute: slug }),
  fields: z.object({
    enabled: z.boolean(),
    slugPrefix: slug,
    /** Per Affinity field id. */
    overrides: z.record(z.string().regex(/^\d+$/), FieldOverride),
  }),
});

export type MappingConfig = z.infer<typeof MappingConfigSchema>;

export const DEFAULT_MAPPING: MappingConfig = {
  version: 1,
  sourceIdAttribute: 'affinity_id',
  organization: { enabled: true, object: 'companies', attributes: { name: 'name', domains: 'domains' } },
  person: {
    enabled: true,
    object: 'people',
    includeInternal: true,
    attributes: { name: 'name', emailAddresses: 'email_addresses', company: 'company' },
  },
  opportunity: {
    enabled: true,
    object: 'deals',
    attributes: { name: 'name', stage: 'stage', owner: 'owner', associatedPeople: 'associated_people', associatedCompany: 'associated_company' },
    defaultStage: 'Lead',
    stageFields: ['Status', 'Stage'],
    stageMap: {},
    defaultOwner: null,
  },
  note: { enabled: true, parentOrder: ['person', 'organization', 'opportunity'], htmlTo: 'markdown', maxContentBytes: 100_000, titleMaxChars: 80 },
  list: { enabled: true, slugPrefix: 'affinity_list_', entryIdAttribute: 'affinity_entry_id' },
  fields: { enabled: true, slugPrefix: 'affinity_field_', overrides: {} },
};

export type MappingOverrides = DeepPartial<MappingConfig>;

/** Defaults deep-merged with a job's overrides (arrays replace), validated. Throws a ZodError. */
export function resolveMappingConfig(overrides: unknown = {}): MappingConfig {
  return MappingConfigSchema.parse(deepMerge(DEFAULT_MAPPING, overrides));
}
