import type { PsUserRef } from '../contract.ts';

/**
 * Read shapes of Date, Members, File, MultiFile and Table values are undocumented (the reference:
 * "JSON, shape depends on type"; only text kinds, Number and MultiChoice are stated). The source
 * accepts the plausible shapes and hands the mapping one form per type:
 *
 * | fieldType | accepted | handed on |
 * | --- | --- | --- |
 * | Date | ISO string, epoch ms, `{value}`, `{date}` | ISO string (as received when it is a string) |
 * | Members | id string, `{id,email?,username?}`, arrays of either, `{value}`, `{members}` | `PsUserRef[]` |
 * | File, MultiFile | `{id?,name|fileName,url|href|links,mimeType?,size?}`, arrays of them, `{value}`, `{files}` | `PsFileValue[]` |
 * | Table | CSV string (the write form), array of rows, `{value}`, `{rows}` | as received, unwrapped |
 *
 * Anything else (other types, a shape none of these) passes through as received: the mapping
 * degrades what it cannot read, and nothing is dropped here.
 */
export interface PsFileValue { id: string | null; name: string; url: string | null; mimeType: string | null; size: number | null }

export function normaliseValueData(fieldType: string, data: unknown): unknown {
  switch (fieldType) {
    case 'Date':
      return dateOf(data) ?? data;
    case 'Members':
      return membersOf(data) ?? data;
    case 'File':
    case 'MultiFile':
      return filesOf(data) ?? data;
    case 'Table':
      return unwrap(data, ['value', 'rows']);
    default:
      return data;
  }
}

function unwrap(data: unknown, keys: readonly string[]): unknown {
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const k of keys) {
      const inner = (data as Record<string, unknown>)[k];
      if (inner !== undefined) return inner;
    }
  }
  return data;
}

function dateOf(data: unknown): string | null {
  const v = unwrap(data, ['value', 'date']);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v).toISOString();
  return null;
}

function membersOf(data: unknown): PsUserRef[] | null {
  const v = unwrap(data, ['value', 'members']);
  if (v === null || v === '') return [];
  const list = Array.isArray(v) ? v : [v];
  const out: PsUserRef[] = [];
  for (const item of list) {
    if (typeof item === 'string' && item !== '') out.push({ id: item, email: null, username: null });
    else if (item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string') {
      const m = item as { id: string; email?: unknown; username?: unknown };
      out.push({ id: m.id, email: typeof m.email === 'string' ? m.email : null, username: typeof m.username === 'string' ? m.username : null });
    } else return null;
  }
  return out;
}

function filesOf(data: unknown): PsFileValue[] | null {
  const v = unwrap(data, ['value', 'files']);
  if (v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  const out: PsFileValue[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') return null;
    const f = item as Record<string, unknown>;
    const name = str(f.name) ?? str(f.fileName);
    if (name === null) return null;
    out.push({ id: str(f.id), name, url: str(f.url) ?? str(f.href) ?? linkHref(f.links), mimeType: str(f.mimeType), size: typeof f.size === 'number' ? f.size : null });
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The first href of a `links` array (the bytes of a file are behind one, inferred). */
export function linkHref(links: unknown): string | null {
  if (!Array.isArray(links)) return null;
  for (const l of links as Array<{ href?: unknown } | null>) if (typeof l?.href === 'string' && l.href !== '') return l.href;
  return null;
}
