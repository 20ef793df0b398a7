import type { AffinityFieldValue, AffinityLocation } from '../affinity/affinity-types.ts';
import type { SourceKey } from '../connector-types.ts';
import { toCalendarDate } from './dates.ts';
import { toAttioLocation } from './location.ts';
import { cleanText } from './normalize.ts';
import type { FieldTarget } from './schema-plan.ts';
import type { MapContext } from './types.ts';

export interface ConvertedValues {
  values: Record<string, unknown>;
  warnings: string[];
  /** Referenced records that are not migrated (yet). */
  unresolved: SourceKey[];
}

/**
 * Converts the Affinity field values that `accept` keeps into Attio attribute values, keyed by
 * attribute slug. Multi-valued Affinity fields: select and record-reference become multiselect
 * values; text values are joined with "; "; other types keep the first value and warn.
 */
export function convertFieldValues(values: readonly AffinityFieldValue[], accept: (target: FieldTarget, value: AffinityFieldValue) => boolean, ctx: MapContext): ConvertedValues {
  const grouped = new Map<number, { target: FieldTarget; raws: AffinityFieldValue[] }>();
  for (const value of values) {
    const target = ctx.fields.byId.get(value.field_id);
    if (!target || !accept(target, value)) continue;
    const group = grouped.get(value.field_id) ?? { target, raws: [] };
    group.raws.push(value);
    grouped.set(value.field_id, group);
  }
  const out: Record<string, unknown> = {};
  const warnings: string[] = [];
  const unresolved: SourceKey[] = [];
  // Stable order: by value id, so re-runs write identical values.
  for (const { target, raws } of grouped.values()) {
    raws.sort((a, b) => a.id - b.id);
    const converted = convertOne(target, raws, ctx, warnings, unresolved);
    if (converted !== undefined) out[target.attribute.slug] = converted;
  }
  return { values: out, warnings, unresolved };
}

function convertOne(target: FieldTarget, raws: AffinityFieldValue[], ctx: MapContext, warnings: string[], unresolved: SourceKey[]): unknown {
  const { attribute } = target;
  const label = `field ${target.fieldId} (${attribute.slug})`;
  const items: unknown[] = [];
  for (const raw of raws) {
    const item = convertItem(target, raw.value, ctx, (w) => warnings.push(`${label}: ${w}`), unresolved);
    if (item !== undefined && item !== null) items.push(item);
  }
  if (items.length === 0) return undefined;
  if (attribute.isMultiselect) return dedupe(items);
  if (attribute.type === 'text' && items.length > 1) return [...new Set(items as string[])].join('; ');
  if (items.length > 1) warnings.push(`${label}: ${items.length} values, Attio attribute holds one; kept the first`);
  return items[0];
}

function convertItem(target: FieldTarget, value: unknown, ctx: MapContext, warn: (w: string) => void, unresolved: SourceKey[]): unknown {
  if (value === null || value === undefined) return undefined;
  switch (target.attribute.type) {
    case 'record-reference': {
      const id = typeof value === 'number' || typeof value === 'string' ? String(value) : null;
      if (!id || !target.referenceKind) return undefined;
      const key: SourceKey = { kind: target.referenceKind, id };
      const ref = ctx.resolve(key);
      if (!ref) {
        unresolved.push(key);
        warn(`${key.kind} ${id} is not migrated (yet); reference left out`);
        return undefined;
      }
      return { target_object: ref.object, target_record_id: ref.id };
    }
    case 'select': {
      const text = cleanText(typeof value === 'object' ? (value as { text?: string }).text : String(value));
      if (text === '') return undefined;
      if (target.attribute.options && !target.attribute.options.includes(text)) {
        warn(`option "${text}" is not among the field's dropdown options; left out`);
        return undefined;
      }
      return text;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(n)) {
        warn(`not a number: ${JSON.stringify(value)}; left out`);
        return undefined;
      }
      return n;
    }
    case 'date': {
      const date = toCalendarDate(value);
      if (!date) warn(`not a date: ${JSON.stringify(value)}; left out`);
      return date ?? undefined;
    }
    case 'location': {
      if (typeof value !== 'object') return undefined;
      const { value: loc, warning } = toAttioLocation(value as AffinityLocation);
      if (warning) warn(warning);
      return loc ?? undefined;
    }
    case 'text': {
      const text = typeof value === 'string' ? value.normalize('NFC').trim() : typeof value === 'number' ? String(value) : JSON.stringify(value);
      return text === '' ? undefined : text;
    }
    default:
      return undefined;
  }
}

function dedupe(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
