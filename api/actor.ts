import type { Context } from 'hono';
import { UnauthorizedError } from '../shared/errors.ts';
import type { Actor } from '../shared/auth/principal.ts';
import type { AppEnv } from './types.ts';

/** The authenticated caller and request id, as services and audit rows want them. */
export function actorOf(c: Context<AppEnv>): Actor {
  const principal = c.get('principal');
  if (!principal) throw new UnauthorizedError();
  return { principal, requestId: c.get('requestId') ?? null };
}
