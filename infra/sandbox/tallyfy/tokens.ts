import { randomBytes } from 'node:crypto';

/**
 * Bearer tokens the sandbox accepts. `user` tokens act as a member on the organisation's API; an `app`
 * token (client_credentials, support-issued) only serves /applications/{org}/… (inferred: the reference
 * lists no other use for it). Expired tokens are refused like unknown ones.
 */
export interface Grant {
  kind: 'user' | 'app';
  userId?: number;
  expiresAt?: number;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** May use grant_type=client_credentials (support-issued for paid organisations). Default true. */
  clientCredentials?: boolean;
}

/** Lifetimes in seconds: the docs say 1 h or 6 months for password tokens; the shorter is taken (nothing more generous). */
export const LIFETIME = { password: 3_600, app: 7 * 86_400, applicationUser: 90 * 86_400 } as const;

export interface TokenStore {
  resolve(token: string): Grant | undefined;
  issue(grant: Omit<Grant, 'expiresAt'>, lifetimeSec: number, withRefresh: boolean): { token_type: 'Bearer'; expires_in: number; access_token: string; refresh_token?: string };
  /** Swaps a refresh token (used once) for a new pair; undefined if unknown. */
  refresh(refreshToken: string): ReturnType<TokenStore['issue']> | undefined;
  reset(): void;
}

export function createTokenStore(staticTokens: Map<string, Grant>, now: () => number): TokenStore {
  let issued = new Map<string, Grant>();
  let refreshTokens = new Map<string, Omit<Grant, 'expiresAt'>>();
  const mint = () => randomBytes(24).toString('hex');
  const store: TokenStore = {
    resolve(token) {
      const grant = staticTokens.get(token) ?? issued.get(token);
      if (!grant) return undefined;
      if (grant.expiresAt !== undefined && grant.expiresAt <= now()) return undefined;
      return grant;
    },
    issue(grant, lifetimeSec, withRefresh) {
      const access = mint();
      issued.set(access, { ...grant, expiresAt: now() + lifetimeSec * 1000 });
      const answer: ReturnType<TokenStore['issue']> = { token_type: 'Bearer', expires_in: lifetimeSec, access_token: access };
      if (withRefresh) {
        const refresh = mint();
        refreshTokens.set(refresh, grant);
        answer.refresh_token = refresh;
      }
      return answer;
    },
    refresh(refreshToken) {
      const grant = refreshTokens.get(refreshToken);
      if (!grant) return undefined;
      refreshTokens.delete(refreshToken);
      return store.issue(grant, LIFETIME.password, true);
    },
    reset() {
      issued = new Map();
      refreshTokens = new Map();
    },
  };
  return store;
}
