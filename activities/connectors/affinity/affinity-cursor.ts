import { ConnectorError } from '../connector-error.ts';

/**
 * Cursor of the Affinity source. It goes into Temporal workflow history, so it holds only what is
 * needed to ask for the next page: the page size (Affinity rejects a page_token whose other params
 * changed, so the size is fixed for the whole walk), Affinity's page token, and for list entries
 * the list being walked. Serialised as compact JSON, typically under 100 bytes.
 */
export interface AffinityCursor {
  /** page_size used since the first page. */
  ps: number;
  /** next_page_token, or null to start (this list's) first page. */
  t: string | null;
  /** list_entries only: id of the list being walked. */
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
  if (!c || typeof c.ps !== 'number' || !(c.t === null || typeof c.t === 'string') || (c.l !== undefined && typeof c.l !== 'number')) {
    throw new ConnectorError({ kind: 'config', message: `not an Affinity cursor: ${text.slice(0, 100)}` });
  }
  return { ps: c.ps, t: c.t, ...(c.l === undefined ? {} : { l: c.l }) };
}
