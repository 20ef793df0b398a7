import { ConnectorError } from '../../../connectors/connector-error.ts';

/**
 * Cursor of the Affinity source. It goes into Temporal workflow history, so it holds only what is
 * needed to ask for the next page: v2's `pagination.nextUrl` (checked against the configured
 * origin again when followed) and, for kinds read list by list, the list being walked. Serialised
 * as compact JSON, typically under 200 bytes.
 */
export interface AffinityCursor {
  /** nextUrl of the page before, or null to start (this list's) first page. */
  u: string | null;
  /** Kinds read per list: id of the list being walked. */
  l?: number;
}

export function encodeCursor(cursor: AffinityCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(text: string): AffinityCursor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const c = value as Partial<AffinityCursor> | null;
  if (!c || !(c.u === null || typeof c.u === 'string') || (c.l !== undefined && typeof c.l !== 'number')) {
    throw new ConnectorError({ kind: 'config', message: `not an Affinity cursor: ${text.slice(0, 100)}` });
  }
  return { u: c.u, ...(c.l === undefined ? {} : { l: c.l }) };
}
