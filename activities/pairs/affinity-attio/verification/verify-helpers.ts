import type { AffinitySource } from '../affinity/affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from '../affinity/affinity-types.ts';
import type { MappingConfig } from '../mapping/index.ts';
import type { AttioSnapshot, AttioValues } from './attio-snapshot.ts';
import { canonicalRendered } from './compare-values.ts';

/** Every record of a kind, page by page, through the source connector (as the job reads them). */
export async function* readAll(source: Pick<AffinitySource, 'readPage'>, kind: AffinityObjectKind, pageSize: number): AsyncGenerator<AffinityRecord[]> {
  let cursor: string | null = null;
  do {
    const page = await source.readPage(kind, cursor, { pageSize });
    yield page.records;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

export interface DanglingReference {
  /** The object (or `notes`, or the list) holding the reference. */
  object: string;
  targetIds: string[];
  field: string | null;
  actual: string;
}

/** Every record-reference value in the target must point at an existing record. */
export function checkReferences(snapshot: AttioSnapshot, onDangling?: (d: DanglingReference) => void): { checked: number; dangling: number } {
  const ids = new Map([...snapshot.records].map(([object, rows]) => [object, new Set(rows.map((r) => r.id.record_id))]));
  let checked = 0;
  let dangling = 0;
  const visit = (values: AttioValues, object: string, id: string): void => {
    for (const [slug, items] of Object.entries(values)) {
      for (const item of items) {
        if (item.attribute_type !== 'record-reference') continue;
        checked += 1;
        if (ids.get(String(item.target_object))?.has(String(item.target_record_id))) continue;
        dangling += 1;
        onDangling?.({ object, targetIds: [id], field: slug, actual: `${String(item.target_object)}/${String(item.target_record_id)}` });
      }
    }
  };
  for (const [object, rows] of snapshot.records) for (const row of rows) visit(row.values, object, row.id.record_id);
  for (const [list, rows] of snapshot.entries) for (const row of rows) visit(row.entry_values, list, row.id.entry_id);
  for (const note of snapshot.notes) {
    checked += 1;
    if (ids.get(note.parent_object)?.has(note.parent_record_id)) continue;
    dangling += 1;
    onDangling?.({ object: 'notes', targetIds: [note.id.note_id], field: 'parent_record_id', actual: `${note.parent_object}/${note.parent_record_id}` });
  }
  return { checked, dangling };
}

/** slug → canonical values of unique multiselect attributes present anywhere in the target. */
export function indexUniqueValues(snapshot: AttioSnapshot, config: MappingConfig): Map<string, Set<string>> {
  const slugs = [config.person.attributes.emailAddresses, config.organization.attributes.domains];
  const out = new Map<string, Set<string>>(slugs.map((s) => [s, new Set<string>()]));
  for (const rows of snapshot.records.values()) {
    for (const row of rows) for (const slug of slugs) for (const v of canonicalRendered(row.values, slug)) out.get(slug)?.add(v);
  }
  return out;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
