import type { AffinitySource } from '../connectors/affinity/affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from '../connectors/affinity/affinity-types.ts';
import type { TargetRef } from '../connectors/types.ts';
import { mapRecord, parseNoteMarker, planSchema, type MapContext, type MappingConfig } from '../mapping/index.ts';
import type { AttioRecordRow, AttioSnapshot, AttioValues } from './attio-snapshot.ts';
import { canonicalRendered, canonicalWritten } from './compare-values.ts';

export interface KindReport {
  /** Source records the mapping says should be in the target. */
  expected: number;
  /** …found exactly once. */
  present: number;
  missing: number;
  /** Logged as failed/skipped by the migration: absent on purpose. */
  absentAsLogged: number;
  duplicates: number;
  /** Target rows that no source record accounts for. */
  unexpected: number;
  mismatches: number;
  examples: string[];
}

export interface VerificationReport {
  ok: boolean;
  kinds: Record<string, KindReport>;
  references: { checked: number; dangling: number };
}

export interface VerifyOptions {
  source: AffinitySource;
  snapshot: AttioSnapshot;
  config: MappingConfig;
  now: Date;
  defaultActorId: string | null;
  /** `kind:id` of records the migration logged as failed or skipped. */
  expectedAbsent?: ReadonlySet<string>;
  pageSize?: number;
  maxExamples?: number;
}

const emptyKind = (): KindReport => ({ expected: 0, present: 0, missing: 0, absentAsLogged: 0, duplicates: 0, unexpected: 0, mismatches: 0, examples: [] });

/**
 * Compares the Affinity side (re-read through the source connector and re-mapped with the same
 * mapping) with the Attio side (sandbox inspection): every record present exactly once, every
 * mapped value equal, every reference pointing at an existing record. Records are identified on
 * the Attio side by the source-id attribute / note marker / entry-id attribute, never by the id
 * map, so a wrong id map cannot hide a duplicate.
 */
export async function verifyMigration(options: VerifyOptions): Promise<VerificationReport> {
  const { config, snapshot } = options;
  const maxExamples = options.maxExamples ?? 5;
  const kinds: Record<string, KindReport> = {};
  const report = (kind: string): KindReport => (kinds[kind] ??= emptyKind());
  const example = (r: KindReport, text: string): void => {
    if (r.examples.length < maxExamples) r.examples.push(text);
  };

  const objectOf = { organization: config.organization.object, person: config.person.object, opportunity: config.opportunity.object } as const;
  const bySourceId = new Map<string, Map<string, AttioRecordRow[]>>();
  for (const [object, rows] of snapshot.records) {
    const index = new Map<string, AttioRecordRow[]>();
    for (const row of rows) {
      const id = row.values[config.sourceIdAttribute]?.[0]?.value;
      const key = typeof id === 'string' ? id : '';
      index.set(key, [...(index.get(key) ?? []), row]);
    }
    bySourceId.set(object, index);
  }
  const resolve = (key: { kind: string; id: string }): TargetRef | undefined => {
    const object = objectOf[key.kind as keyof typeof objectOf];
    const row = object ? bySourceId.get(object)?.get(key.id)?.[0] : undefined;
    return row && object ? { object, id: row.id.record_id } : undefined;
  };
  const uniqueOwners = indexUniqueValues(snapshot, config);

  const schema = await options.source.readFieldSchema();
  const planned = planSchema(schema, config);
  const ctx: MapContext = { config, fields: planned.fields, resolve, now: options.now, defaultActorId: options.defaultActorId };
  const notesByMarker = groupBy(snapshot.notes, (n) => parseNoteMarker(n.title) ?? '');
  const entriesById = new Map([...snapshot.entries].map(([list, rows]) => [list, groupBy(rows, (e) => String(e.entry_values[config.list.entryIdAttribute]?.[0]?.value ?? ''))]));
  const seen = new Map<string, Set<string>>();

  const kindsToRead: AffinityObjectKind[] = ['organizations', 'persons', 'opportunities', 'list_entries', 'notes'];
  for (const kind of kindsToRead) {
    for await (const record of readAll(options.source, kind, options.pageSize ?? 500)) {
      const outcome = mapRecord(record, ctx);
      if (outcome.status === 'skip') continue;
      const r = report(record.kind);
      r.expected += 1;
      const key = `${record.kind}:${record.id}`;
      const w = outcome.write;
      let rows: Array<{ values: AttioValues; describe: string; check?: () => string | null }> = [];
      if (w.kind === 'record') {
        rows = (bySourceId.get(w.write.object)?.get(record.id) ?? []).map((row) => ({ values: row.values, describe: row.id.record_id }));
        (seen.get(w.write.object) ?? seen.set(w.write.object, new Set()).get(w.write.object))?.add(record.id);
      } else if (w.kind === 'note') {
        rows = (notesByMarker.get(record.id) ?? []).map((n) => ({
          values: {},
          describe: n.id.note_id,
          check: () => (n.parent_record_id !== w.write.parent.id ? `parent ${n.parent_record_id} ≠ ${w.write.parent.id}`
            : n.content_markdown !== w.write.content ? 'content differs'
            : n.title !== w.write.title ? 'title differs'
            : w.write.createdAt && n.created_at !== w.write.createdAt ? `created_at ${n.created_at} ≠ ${w.write.createdAt}` : null),
        }));
        (seen.get('notes') ?? seen.set('notes', new Set()).get('notes'))?.add(record.id);
      } else {
        rows = (entriesById.get(w.write.list)?.get(record.id) ?? []).map((e) => ({
          values: e.entry_values,
          describe: e.id.entry_id,
          check: () => (e.parent_record_id !== w.write.parent.id ? `parent ${e.parent_record_id} ≠ ${w.write.parent.id}` : null),
        }));
        (seen.get(w.write.list) ?? seen.set(w.write.list, new Set()).get(w.write.list))?.add(record.id);
      }
      if (rows.length === 0) {
        if (options.expectedAbsent?.has(key)) r.absentAsLogged += 1;
        else {
          r.missing += 1;
          example(r, `missing ${key}`);
        }
        continue;
      }
      if (rows.length > 1) {
        r.duplicates += 1;
        example(r, `${key} present ${rows.length} times: ${rows.map((x) => x.describe).join(', ')}`);
        continue;
      }
      r.present += 1;
      const row = rows[0] as (typeof rows)[number];
      const problems: string[] = [];
      const extra = row.check?.();
      if (extra) problems.push(extra);
      const values = w.kind === 'note' ? {} : w.write.values;
      for (const [slug, value] of Object.entries(values)) {
        const want = canonicalWritten(value);
        const have = canonicalRendered(row.values, slug);
        if (sameSet(want, have)) continue;
        // A unique value (email, domain) shared with another source record stays with its first owner.
        const owners = uniqueOwners.get(slug);
        const unexplained = want.filter((v) => !have.includes(v) && !(owners?.has(v)));
        if (owners && unexplained.length === 0 && have.every((v) => want.includes(v))) continue;
        problems.push(`${slug}: expected ${want.join(' | ')} got ${have.join(' | ')}`);
      }
      if (problems.length > 0) {
        r.mismatches += 1;
        example(r, `${key} (${row.describe}): ${problems.join('; ')}`);
      }
    }
  }

  // Target rows no source record accounts for.
  for (const [object, index] of bySourceId) {
    const r = report(object === objectOf.organization ? 'organization' : object === objectOf.person ? 'person' : 'opportunity');
    for (const [sourceId, rows] of index) {
      if (!seen.get(object)?.has(sourceId)) {
        r.unexpected += rows.length;
        example(r, `unexpected ${object} row(s) ${rows.map((x) => x.id.record_id).join(', ')} (source id "${sourceId}")`);
      }
    }
  }
  for (const [marker, notes] of notesByMarker) {
    if (!seen.get('notes')?.has(marker)) {
      report('note').unexpected += notes.length;
      example(report('note'), `unexpected note(s) ${notes.map((n) => n.id.note_id).join(', ')}`);
    }
  }

  const references = checkReferences(snapshot);
  const ok = references.dangling === 0 && Object.values(kinds).every((k) => k.missing === 0 && k.duplicates === 0 && k.unexpected === 0 && k.mismatches === 0);
  return { ok, kinds, references };
}

async function* readAll(source: AffinitySource, kind: AffinityObjectKind, pageSize: number): AsyncGenerator<AffinityRecord> {
  let cursor: string | null = null;
  do {
    const page = await source.readPage(kind, cursor, { pageSize });
    yield* page.records;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** Every record-reference value in the target must point at an existing record. */
function checkReferences(snapshot: AttioSnapshot): { checked: number; dangling: number } {
  const ids = new Map([...snapshot.records].map(([object, rows]) => [object, new Set(rows.map((r) => r.id.record_id))]));
  let checked = 0;
  let dangling = 0;
  const visit = (values: AttioValues): void => {
    for (const items of Object.values(values)) {
      for (const item of items) {
        if (item.attribute_type !== 'record-reference') continue;
        checked += 1;
        if (!ids.get(String(item.target_object))?.has(String(item.target_record_id))) dangling += 1;
      }
    }
  };
  for (const rows of snapshot.records.values()) for (const row of rows) visit(row.values);
  for (const rows of snapshot.entries.values()) for (const row of rows) visit(row.entry_values);
  for (const note of snapshot.notes) {
    checked += 1;
    if (!ids.get(note.parent_object)?.has(note.parent_record_id)) dangling += 1;
  }
  return { checked, dangling };
}

/** slug → canonical values of unique multiselect attributes present anywhere in the target. */
function indexUniqueValues(snapshot: AttioSnapshot, config: MappingConfig): Map<string, Set<string>> {
  const slugs = [config.person.attributes.emailAddresses, config.organization.attributes.domains];
  const out = new Map<string, Set<string>>(slugs.map((s) => [s, new Set<string>()]));
  for (const rows of snapshot.records.values()) {
    for (const row of rows) for (const slug of slugs) for (const v of canonicalRendered(row.values, slug)) out.get(slug)?.add(v);
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
