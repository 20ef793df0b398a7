import { validationType, valueNotFound, type AttioApiError } from '../errors.ts';
import type { Attribute } from '../workspace/types.ts';
import { isCalendarDate, parseDomain, parseEmail, parsePhone, parseTimestamp } from './normalise.ts';

/**
 * Write-format parsing per attribute type (the table in shared/reference/attio-api.md). Every accepted
 * item becomes {data, key}; anything else is 400 validation_type, unknown options/statuses/records are
 * 400 value_not_found. Cross-record lookups go through `Resolver` so parsing stays pure.
 */
export interface ParsedItem {
  data: Record<string, unknown>;
  key: string;
}

export interface Resolver {
  /** Record id of the single record matching a reference value; throws when none or several match. */
  resolveReference(attribute: Attribute, value: Record<string, unknown>): { object: string; recordId: string };
  /** Workspace member id for an actor-reference value (id or email). */
  resolveMember(idOrEmail: string): string | undefined;
}

const LOCATION_KEYS = ['line_1', 'line_2', 'line_3', 'line_4', 'locality', 'region', 'postcode', 'country_code', 'latitude', 'longitude'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function wrong(attribute: Attribute, expected: string, got: unknown): AttioApiError {
  const shown = JSON.stringify(got);
  return validationType(`Invalid value for attribute "${attribute.slug}" of type "${attribute.type}": expected ${expected}, got ${shown === undefined ? 'undefined' : shown.slice(0, 120)}`);
}

/** Unwraps `{[prop]: x}` to x; leaves anything else alone. */
function unwrap(raw: unknown, prop: string): unknown {
  return isObject(raw) && prop in raw ? raw[prop] : raw;
}

function optionalString(attribute: Attribute, obj: Record<string, unknown>, key: string): string | null {
  const v = obj[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw wrong(attribute, `${key} as a string or null`, v);
  return v;
}

export function parseItem(attribute: Attribute, raw: unknown, resolver: Resolver): ParsedItem {
  switch (attribute.type) {
    case 'text': {
      const v = unwrap(raw, 'value');
      if (typeof v !== 'string') throw wrong(attribute, 'a string', raw);
      return { data: { value: v }, key: v };
    }
    case 'number':
    case 'rating': {
      const v = unwrap(raw, 'value');
      if (typeof v !== 'number' || !Number.isFinite(v)) throw wrong(attribute, 'a number', raw);
      if (attribute.type === 'rating' && !(Number.isInteger(v) && v >= 0 && v <= 5)) throw wrong(attribute, 'an integer 0–5', raw);
      return { data: { value: v }, key: String(v) };
    }
    case 'checkbox': {
      const v = unwrap(raw, 'value');
      if (typeof v !== 'boolean') throw wrong(attribute, 'a boolean', raw);
      return { data: { value: v }, key: String(v) };
    }
    case 'currency': {
      const v = unwrap(raw, 'currency_value');
      if (typeof v !== 'number' || !Number.isFinite(v)) throw wrong(attribute, 'a number or {currency_value}', raw);
      return { data: { currency_value: v, currency_code: attribute.currencyCode }, key: String(v) };
    }
    case 'date': {
      const v = unwrap(raw, 'value');
      if (typeof v !== 'string' || !isCalendarDate(v)) throw wrong(attribute, 'a "YYYY-MM-DD" date', raw);
      return { data: { value: v }, key: v };
    }
    case 'timestamp': {
      const v = unwrap(raw, 'value');
      const iso = typeof v === 'string' ? parseTimestamp(v) : undefined;
      if (iso === undefined) throw wrong(attribute, 'an ISO 8601 timestamp', raw);
      return { data: { value: iso }, key: iso };
    }
    case 'select': {
      const v = unwrap(raw, 'option');
      if (typeof v !== 'string') throw wrong(attribute, 'an option title or {option}', raw);
      const option = attribute.options.get(v);
      if (!option || option.isArchived) throw valueNotFound(`Unknown select option "${v}" for attribute "${attribute.slug}"`);
      return { data: { option }, key: option.id };
    }
    case 'status': {
      const v = unwrap(raw, 'status');
      if (typeof v !== 'string') throw wrong(attribute, 'a status title or {status}', raw);
      const status = attribute.statuses.get(v);
      if (!status || status.isArchived) throw valueNotFound(`Unknown status "${v}" for attribute "${attribute.slug}"`);
      return { data: { status }, key: status.id };
    }
    case 'personal-name':
      return parseName(attribute, raw);
    case 'email-address': {
      const v = unwrap(raw, 'email_address');
      const parts = typeof v === 'string' ? parseEmail(v) : undefined;
      if (!parts) throw wrong(attribute, 'an email address', raw);
      return { data: { ...parts }, key: parts.email_address };
    }
    case 'domain': {
      const v = unwrap(raw, 'domain');
      const parts = typeof v === 'string' ? parseDomain(v) : undefined;
      if (!parts) throw wrong(attribute, 'a domain', raw);
      return { data: { ...parts }, key: parts.domain };
    }
    case 'phone-number': {
      const v = unwrap(raw, 'original_phone_number');
      const cc = isObject(raw) && typeof raw.country_code === 'string' ? raw.country_code : null;
      const parts = typeof v === 'string' ? parsePhone(v, cc) : undefined;
      if (!parts) throw wrong(attribute, 'an international phone number (+…) or {original_phone_number, country_code}', raw);
      return { data: { ...parts }, key: parts.phone_number };
    }
    case 'location':
      return parseLocation(attribute, raw);
    case 'record-reference': {
      if (!isObject(raw) || typeof raw.target_object !== 'string') throw wrong(attribute, '{target_object, target_record_id}', raw);
      const { object, recordId } = resolver.resolveReference(attribute, raw);
      return { data: { target_object: object, target_record_id: recordId }, key: recordId };
    }
    case 'actor-reference': {
      const v = isObject(raw) ? (raw.referenced_actor_id ?? raw.workspace_member_email_address) : raw;
      if (isObject(raw) && raw.referenced_actor_type !== undefined && raw.referenced_actor_type !== 'workspace-member') {
        throw wrong(attribute, 'referenced_actor_type "workspace-member"', raw);
      }
      if (typeof v !== 'string') throw wrong(attribute, 'a workspace member id or email', raw);
      const id = resolver.resolveMember(v);
      if (!id) throw valueNotFound(`No workspace member matches "${v}" for attribute "${attribute.slug}"`);
      return { data: { referenced_actor_type: 'workspace-member', referenced_actor_id: id }, key: id };
    }
    default:
      throw validationType(`Attribute "${attribute.slug}" of type "${attribute.type}" cannot be written`);
  }
}

function parseName(attribute: Attribute, raw: unknown): ParsedItem {
  if (typeof raw === 'string') {
    const parts = raw.trim().split(/\s+/);
    const first = parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? '');
    const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : '';
    return { data: { first_name: first, last_name: last, full_name: raw.trim() }, key: raw.trim() };
  }
  if (!isObject(raw)) throw wrong(attribute, '{first_name, last_name, full_name}', raw);
  const first = optionalString(attribute, raw, 'first_name');
  const last = optionalString(attribute, raw, 'last_name');
  const full = optionalString(attribute, raw, 'full_name') ?? [first, last].filter((s) => s).join(' ');
  return { data: { first_name: first, last_name: last, full_name: full }, key: `${first}\u0000${last}\u0000${full}` };
}

function parseLocation(attribute: Attribute, raw: unknown): ParsedItem {
  if (!isObject(raw)) throw wrong(attribute, 'a location object', raw);
  const missing = LOCATION_KEYS.filter((k) => !(k in raw));
  if (missing.length > 0) throw validationType(`Location value for "${attribute.slug}" must include every key (null when unknown); missing: ${missing.join(', ')}`);
  const unknown = Object.keys(raw).filter((k) => !(LOCATION_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw validationType(`Unknown location keys for "${attribute.slug}": ${unknown.join(', ')}`);
  const data: Record<string, unknown> = {};
  for (const key of LOCATION_KEYS) {
    const v = raw[key];
    const numeric = key === 'latitude' || key === 'longitude';
    if (v !== null && typeof v !== 'string' && !(numeric && typeof v === 'number')) throw wrong(attribute, `${key} as a string or null`, v);
    if (key === 'country_code' && typeof v === 'string' && !/^[A-Z]{2}$/.test(v)) throw wrong(attribute, 'country_code as ISO 3166-1 alpha-2', v);
    data[key] = numeric && typeof v === 'number' ? String(v) : v;
  }
  return { data, key: JSON.stringify(data) };
}

/** A payload's value for one attribute → items. null/[] clear; arrays only for multiselect. */
export function parseAttributeValue(attribute: Attribute, raw: unknown, resolver: Resolver): ParsedItem[] {
  if (raw === null || raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (!attribute.isMultiselect && list.length > 1) {
    throw validationType(`Attribute "${attribute.slug}" is not multiselect: send one value, got ${list.length}`);
  }
  const seen = new Set<string>();
  const out: ParsedItem[] = [];
  for (const item of list) {
    const parsed = parseItem(attribute, item, resolver);
    if (seen.has(parsed.key)) continue;
    seen.add(parsed.key);
    out.push(parsed);
  }
  return out;
}
