import { invalid } from './errors.ts';
import { isRecord, optionalString, stringList } from './format.ts';
import type { Organization } from './organization.ts';
import { FIELD_TYPES, type Capture, type Column, type FieldType, type Option } from './types.ts';

/**
 * A form field definition as api-v2 validates it: `label`, `field_type` from the accepted enum only
 * (number/url/time/datetime/checkbox are refused — the reference infers they are not in api-v2's enum),
 * `required` present (a boolean), option and column ids integers (a string id is a 422).
 * `prefix` names the field in the 422 (`prerun.0.label` for a kick-off field).
 */
export function parseCapture(org: Organization, body: unknown, at: { checklistId: string; stepId: string | null; position: number; prefix?: string }): Capture {
  const p = at.prefix ?? '';
  if (!isRecord(body)) throw invalid(p || 'body', 'A form field must be an object.');
  const label = body.label;
  if (typeof label !== 'string' || label.trim() === '') throw invalid(`${p}label`, 'The label field is required.');
  const fieldType = body.field_type;
  if (typeof fieldType !== 'string' || !(FIELD_TYPES as readonly string[]).includes(fieldType)) {
    throw invalid(`${p}field_type`, `The selected field_type is invalid (one of ${FIELD_TYPES.join(', ')}).`);
  }
  if (!('required' in body)) throw invalid(`${p}required`, 'The required field must be present.');
  if (typeof body.required !== 'boolean') throw invalid(`${p}required`, 'The required field must be true or false.');
  const position = body.position === undefined ? at.position : body.position;
  if (!Number.isInteger(position)) throw invalid(`${p}position`, 'The position must be an integer.');
  return {
    id: org.ids.hex(),
    checklist_id: at.checklistId,
    step_id: at.stepId,
    alias: optionalString(body, 'alias') ?? `${fieldType}_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}`,
    label,
    field_type: fieldType as FieldType,
    required: body.required,
    options: idList<Option>(body.options, `${p}options`, 'text'),
    columns: idList<Column>(body.columns, `${p}columns`, 'label'),
    position: position as number,
    field_validation: stringList(body.field_validation, `${p}field_validation`),
  };
}

function idList<T extends { id: number }>(value: unknown, field: string, textKey: 'text' | 'label'): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(field, `The ${field} must be a list.`);
  return value.map((item, i) => {
    if (!isRecord(item)) throw invalid(`${field}.${i}`, 'Each entry must be an object.');
    // The migrator's capture shapes: ids must be integers; a string id ("opt-1", even "1") is refused.
    if (!Number.isInteger(item.id)) throw invalid(`${field}.${i}.id`, `The ${field}.${i}.id must be an integer.`);
    if (typeof item[textKey] !== 'string') throw invalid(`${field}.${i}.${textKey}`, `The ${field}.${i}.${textKey} field is required.`);
    return { id: item.id, [textKey]: item[textKey] } as unknown as T;
  });
}
