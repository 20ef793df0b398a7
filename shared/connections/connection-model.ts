import { AppError } from '../errors.ts';
import { CONNECTION_TYPES, type ConnectionType } from '../pairs/index.ts';

// The connector types come from the pair data (shared/pairs): a new pair declares its own.
export { CONNECTION_TYPES, type ConnectionType };

/** A tenant's connection to a CRM, as clients see it: never the credentials. */
export interface CrmConnection {
  id: string;
  name: string;
  type: ConnectionType;
  baseUrl: string;
  /** Non-secret settings of types that declare them (Tallyfy's organisation id). */
  settings?: Record<string, unknown>;
  createdAt: string;
}

/**
 * Decrypted credentials of a connection, for the worker's connectors only: the type's secrets as
 * its credential schema declares them (Affinity and Attio: `apiKey`), flat beside type and base URL,
 * and its non-secret settings when it has any.
 */
export interface ConnectionCredentials {
  type: ConnectionType;
  baseUrl: string;
  settings?: Record<string, unknown>;
  [secret: string]: unknown;
}

export interface CreateConnectionInput {
  name: string;
  type: ConnectionType;
  baseUrl: string;
  /** The secrets, shaped as the type's credential schema says (shared/pairs). */
  credentials: Record<string, unknown>;
  /** Non-secret settings, for types that declare a settings schema (checked against it). */
  settings?: unknown;
}

export interface ConnectionRow {
  id: string;
  name: string;
  type: ConnectionType;
  base_url: string;
  settings: Record<string, unknown> | null;
  created_at: Date;
}

/** Never `select *`: the sealed secret stays in the database unless it is meant to be opened. */
export const CONNECTION_COLUMNS = ['id', 'name', 'type', 'base_url', 'settings', 'created_at'];

export function toConnection(row: ConnectionRow): CrmConnection {
  return { id: row.id, name: row.name, type: row.type, baseUrl: row.base_url, ...(row.settings ? { settings: row.settings } : {}), createdAt: row.created_at.toISOString() };
}

export const MAX_API_KEY_LENGTH = 4096;

/**
 * The base URL as stored, or the reason it is refused. Only http(s); no user:password (it would be
 * stored and shown in clear), no query or fragment (connectors append paths); trailing slashes dropped.
 */
export function normalizeBaseUrl(raw: string): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must be an http or https URL' };
  if (url.username || url.password) return { problem: 'must not contain credentials; send them in `credentials`' };
  if (url.search || url.hash) return { problem: 'must not contain a query or fragment' };
  if (raw.length > 2000) return { problem: 'at most 2000 characters' };
  return { url: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}

/** Connections cannot be created while the server has no FREIGHT_ENCRYPTION_KEYS. */
export class EncryptionNotConfiguredError extends AppError {
  constructor() {
    super('encryption_not_configured', 503, 'Connection secrets cannot be stored: the server has no encryption key (FREIGHT_ENCRYPTION_KEYS)');
    this.name = 'EncryptionNotConfiguredError';
  }
}
