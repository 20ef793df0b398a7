import { ConnectorError } from '../../../connectors/connector-error.ts';
import { CONFIG } from '../../../../shared/error-kinds.ts';

/**
 * Cursor of the Process Street source. It goes into Temporal workflow history, so it holds only
 * what is needed to ask for the next page, as compact JSON:
 * - listings (users, workflows, runs): `{u}` = the next page's href (checked again when followed);
 * - SCIM groups: `{s}` = the next 1-based `startIndex`;
 * - per-run kinds (comments, attachments): `{n, p, i, c}` = the href of the runs page after the one
 *   being walked (null = none), the ids of that page's runs (at most 20, ~500 bytes), the index of
 *   the run being read, and the href of its next comment/attachment page (null = its first). Ids,
 *   not offsets: a resume continues at the same run whatever was created meanwhile, and the next
 *   runs page is read without the runs of this one (a run created meanwhile pushes the listing,
 *   newest first, one place down: the last run of this page would come again at the top of the next).
 */
export type PsCursor =
  | { u: string }
  | { s: number }
  | { n: string | null; p: string[]; i: number; c: string | null };

export function encodeCursor(cursor: PsCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(text: string): PsCursor {
  let v: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) v = parsed as Record<string, unknown>;
  } catch {
    v = null;
  }
  if (v && typeof v.u === 'string') return { u: v.u };
  if (v && typeof v.s === 'number' && Number.isInteger(v.s) && v.s >= 1) return { s: v.s };
  if (v && (v.n === null || typeof v.n === 'string') && isIdList(v.p) && typeof v.i === 'number' && Number.isInteger(v.i) && v.i >= 0
    && (v.c === null || typeof v.c === 'string')) {
    return { n: v.n, p: v.p, i: v.i, c: v.c };
  }
  throw new ConnectorError({ kind: CONFIG, message: 'not a Process Street cursor' });
}

export function hrefOf(cursor: string | null, kind: string): string | null {
  if (cursor === null) return null;
  const c = decodeCursor(cursor);
  if (!('u' in c)) throw new ConnectorError({ kind: CONFIG, message: `not a Process Street ${kind} cursor` });
  return c.u;
}

function isIdList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string' && x !== '');
}
