/** Keyset position of a list page: opaque to clients, stable under concurrent inserts. */
export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The cursor, or undefined for anything that is not one this service issued. */
export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return undefined;
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

/**
 * Keyset position over a tuple of strings, for lists not ordered by (created_at, uuid) — e.g. the
 * record log, ordered by (object, source id). Opaque to clients like `encodeCursor`.
 */
export function encodeKeyset(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The tuple, or undefined for anything that is not a keyset of `arity` strings this service issued. */
export function decodeKeyset(raw: string, arity: number): string[] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== arity) return undefined;
    if (!value.every((v): v is string => typeof v === 'string' && v.length <= 1000)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
