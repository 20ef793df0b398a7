import type { Dispatcher } from 'undici';
import { abortable } from '../../../../shared/db/abortable.ts';
import { AUTH } from '../../../../shared/error-kinds.ts';
import type { Pacer } from '../../../connectors/budget/rate-budget.ts';
import { ConnectorError } from '../../../connectors/connector-error.ts';
import type { Clock } from '../../../connectors/http/sleep.ts';
import { classifyTallyfyError } from './tallyfy-errors.ts';
import { createFormSender, urlEncoded } from './tallyfy-form.ts';

/** A personal/app bearer token, or OAuth2 client credentials (support-issued; tallyfy-api.md, Auth). */
export type TallyfyCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'client_credentials'; clientId: string; clientSecret: string; scope?: string };

export interface TokenSource {
  get(signal?: AbortSignal): Promise<string>;
  /** The API refused this token (401): the next `get` fetches a new one. */
  invalidate(token: string): void;
  fetches(): number;
}

/** Tokens are renewed this long before they expire, so a call never leaves with a dying one. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * `POST /oauth/token` (form-encoded only) with `grant_type=client_credentials&scope=*`, below the base
 * URL (the docs disagree on the host: go.tallyfy.com/api is the one the docs' API calls use). The token
 * is cached until `expires_in` (minus a margin) and shared by concurrent callers.
 */
export function createTokenSource(options: {
  credentials: TallyfyCredentials; baseUrl: string; dispatcher?: Dispatcher; headers: Record<string, string>; budget: Pacer; clock: Clock;
}): TokenSource {
  const creds = options.credentials;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let count = 0;
  if (creds.kind === 'token') return { get: () => Promise.resolve(creds.token), invalidate: () => undefined, fetches: () => 0 };
  const send = createFormSender({
    baseUrl: options.baseUrl, dispatcher: options.dispatcher, headers: options.headers, secrets: [creds.clientSecret], classify: classifyTallyfyError,
  });
  const fetchToken = async (): Promise<string> => {
    count += 1;
    const body = await send<{ access_token?: unknown; expires_in?: unknown }>({
      method: 'POST', path: '/oauth/token', budget: options.budget,
      body: urlEncoded({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret, scope: creds.scope ?? '*' }),
    });
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new ConnectorError({ kind: AUTH, message: 'Tallyfy POST /oauth/token: no access_token in the answer' });
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 3_600_000;
    cached = { token: body.access_token, expiresAt: options.clock.now() + Math.max(lifetimeMs / 2, lifetimeMs - EXPIRY_MARGIN_MS) };
    return body.access_token;
  };
  return {
    get(signal) {
      if (cached && options.clock.now() < cached.expiresAt) return Promise.resolve(cached.token);
      pending ??= fetchToken().finally(() => { pending = undefined; });
      return abortable(pending, signal);
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
    fetches: () => count,
  };
}
