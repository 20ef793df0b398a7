import type { AffinityPerson, AffinityRecord } from '../affinity/affinity-types.ts';
import type { SourceKey, TargetRef } from '../connector-types.ts';
import type { MappingConfig } from '../mapping/index.ts';
import type { AttioValues } from './attio-snapshot.ts';

/**
 * How many of one kind of association survived the migration, counted from the two ends: what
 * the source says (the record as the source connector reads it, the same way the job reads it),
 * mapped through Freight's id map, against the record-reference values Attio holds.
 *
 * Counted per target record present exactly once. A record whose source names no linked record
 * counts in `sourceHasNone`, one whose linked records were never migrated in `notMigrated`; so
 * `right / records` is the share a customer reads as "N % of people reference the right company"
 * — a source that lost the links shows up there as 0 %, not as "nothing to compare".
 */
export interface LinkCount {
  /** What right / wrong / missing count: records (single-valued links) or links (multi-valued, e.g. a deal's people). */
  unit: 'record' | 'link';
  /** Target records looked at. */
  records: number;
  /** Links the source says should exist and that could be mapped (per pair for multi-valued links). */
  checked: number;
  right: number;
  /** The target references another record instead (single-valued), or one the source does not name (multi-valued). */
  wrong: number;
  /** The target holds no reference where the source says there is one. */
  missing: number;
  sourceHasNone: number;
  notMigrated: number;
  examples: string[];
}

export const emptyLinkCount = (unit: LinkCount['unit']): LinkCount => ({ unit, records: 0, checked: 0, right: 0, wrong: 0, missing: 0, sourceHasNone: 0, notMigrated: 0, examples: [] });

interface LinkSpec {
  /** Report key, e.g. `person.company`. */
  name: string;
  slug: string;
  kind: 'organization' | 'person';
  multi: boolean;
  ids: (record: AffinityRecord) => ReadonlyArray<number | string> | null | undefined;
}

/**
 * A person's organizations in Freight's model of Affinity, read from the record itself (not from
 * the mapping's output, so a mapper that drops them shows up here). Filled by the source connector
 * from documented fields only: `current_organization_ids`, from v2's `affinity-data-current-organization`
 * (a v1 listing does not carry `organization_ids`, so nothing may rely on it).
 */
function personOrganizations(person: AffinityPerson): ReadonlyArray<number> | null | undefined {
  return person.current_organization_ids;
}

/** The associations Freight migrates onto records: person → company, deal → company and people. */
export function linkSpecs(config: MappingConfig): Partial<Record<AffinityRecord['kind'], LinkSpec[]>> {
  return {
    person: [{
      name: 'person.company', slug: config.person.attributes.company, kind: 'organization', multi: false,
      ids: (r) => (r.kind === 'person' ? personOrganizations(r.data) : null),
    }],
    opportunity: [
      {
        name: 'opportunity.associatedCompany', slug: config.opportunity.attributes.associatedCompany, kind: 'organization', multi: false,
        ids: (r) => (r.kind === 'opportunity' ? r.data.organization_ids : null),
      },
      {
        name: 'opportunity.associatedPeople', slug: config.opportunity.attributes.associatedPeople, kind: 'person', multi: true,
        ids: (r) => (r.kind === 'opportunity' ? r.data.person_ids : null),
      },
    ],
  };
}

/**
 * The share that is right, in percent (one decimal), or null with nothing to count: per record for
 * single-valued links (a record the source left unlinked counts against it, so a source that lost
 * the links cannot look complete), per source link for multi-valued ones.
 */
export function rightPercent(c: LinkCount): number | null {
  const of = c.unit === 'record' ? c.records : c.checked;
  return of > 0 ? Math.round((c.right / of) * 1000) / 10 : null;
}

/** Target record ids a record-reference attribute holds. */
function referenced(values: AttioValues, slug: string): string[] {
  return (values[slug] ?? []).filter((v) => v.attribute_type === 'record-reference' || 'target_record_id' in v).map((v) => String(v.target_record_id));
}

/** Adds one present record's links to `counts` (keyed by link name). */
export function countLinks(options: {
  record: AffinityRecord;
  values: AttioValues;
  specs: readonly LinkSpec[];
  resolve: (key: SourceKey) => TargetRef | undefined;
  counts: Record<string, LinkCount>;
  maxExamples: number;
  /** Every wrong or missing link (a reconciliation lists them all). */
  onDifference?: (d: { kind: 'wrong_link' | 'missing_link'; field: string; expected: string | null; actual: string | null; reason: string }) => void;
}): void {
  const { record, values, counts } = options;
  for (const spec of options.specs) {
    const c = (counts[spec.name] ??= emptyLinkCount(spec.multi ? 'link' : 'record'));
    const example = (text: string): void => {
      if (c.examples.length < options.maxExamples) c.examples.push(`${record.kind}:${record.id} ${spec.slug}: ${text}`);
    };
    const differ = (kind: 'wrong_link' | 'missing_link', expected: string | null, actual: string | null, reason: string): void =>
      options.onDifference?.({ kind, field: spec.slug, expected, actual, reason: `${spec.name}: ${reason}` });
    c.records += 1;
    const sourceIds = [...new Set((spec.ids(record) ?? []).map(String))];
    const expected = new Set(sourceIds.map((id) => options.resolve({ kind: spec.kind, id })?.id).filter((id): id is string => id !== undefined));
    const have = referenced(values, spec.slug);
    if (sourceIds.length === 0) {
      c.sourceHasNone += 1;
      continue;
    }
    if (expected.size === 0) {
      c.notMigrated += 1;
      continue;
    }
    if (!spec.multi) {
      // Attio holds one: right when it is any of the records the source links (the mapping picks the first migrated).
      c.checked += 1;
      if (have.some((id) => expected.has(id))) c.right += 1;
      else if (have.length > 0) {
        c.wrong += 1;
        example(`references ${have.join(', ')}, source says ${[...expected].join(' or ')}`);
        differ('wrong_link', [...expected].join(' | '), have.join(' | '), 'references another record than the source links');
      } else {
        c.missing += 1;
        example(`no reference, source says ${[...expected].join(' or ')}`);
        differ('missing_link', [...expected].join(' | '), null, 'no reference where the source links one');
      }
      continue;
    }
    for (const id of expected) {
      c.checked += 1;
      if (have.includes(id)) c.right += 1;
      else {
        c.missing += 1;
        example(`${id} not referenced`);
        differ('missing_link', id, null, 'a record the source links is not referenced');
      }
    }
    for (const id of have.filter((h) => !expected.has(h))) {
      c.wrong += 1;
      example(`references ${id}, which the source does not link`);
      differ('wrong_link', null, id, 'references a record the source does not link');
    }
  }
}
