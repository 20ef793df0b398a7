import { z } from 'zod';

/**
 * The workspace's accepted bearer tokens, changeable at run time so tests can do what a workspace admin
 * does in Attio: revoke a token (every later call answers 401 `auth_error`, as for any unknown token)
 * and issue a new one. `revokeAfterWrites` revokes a token once it has sent that many more admitted
 * write requests: a deterministic "revoked mid-job" without racing the job from the test.
 */
export const TokenChangeSchema = z.object({
  add: z.array(z.string().min(1).max(500)).default([]),
  revoke: z.array(z.string().min(1).max(500)).default([]),
  revokeAfterWrites: z.object({ token: z.string().min(1), writes: z.number().int().min(0) }).optional(),
});

export interface TokenView {
  tokens: string[];
  /** Tokens due for revocation, with the writes each may still send. */
  pending: Record<string, number>;
}

export interface TokenRegistry {
  has(token: string): boolean;
  /** Counts an admitted write of `token` towards a pending revocation. */
  noteWrite(token: string): void;
  change(body: unknown): TokenView;
  view(): TokenView;
  /** Back to the tokens the sandbox started with (sandbox reset). */
  reset(): void;
}

export function createTokenRegistry(initial: readonly string[]): TokenRegistry {
  let tokens = new Set(initial);
  const pending = new Map<string, number>();
  const view = (): TokenView => ({ tokens: [...tokens], pending: Object.fromEntries(pending) });
  return {
    has: (token) => tokens.has(token),
    noteWrite(token) {
      const left = pending.get(token);
      if (left === undefined) return;
      if (left <= 1) {
        pending.delete(token);
        tokens.delete(token);
      } else pending.set(token, left - 1);
    },
    change(body) {
      const c = TokenChangeSchema.parse(body ?? {});
      for (const token of c.add) tokens.add(token);
      for (const token of c.revoke) {
        tokens.delete(token);
        pending.delete(token);
      }
      if (c.revokeAfterWrites) {
        const { token, writes } = c.revokeAfterWrites;
        if (writes === 0) tokens.delete(token);
        else if (tokens.has(token)) pending.set(token, writes);
      }
      return view();
    },
    view,
    reset() {
      tokens = new Set(initial);
      pending.clear();
    },
  };
}
