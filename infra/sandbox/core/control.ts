import { ZodError } from 'zod';
import type { ContractRecorder } from './contract.ts';
import type { FaultInjector } from './faults.ts';
import type { ControlHandler } from './pipeline.ts';
import { reply, type JsonReply } from './respond.ts';
import type { Router } from './router.ts';
import type { Stats } from './stats.ts';

/** A sandbox-only endpoint under /__sandbox (segments exclude the prefix). */
export type ControlRoute = (ctx: { params: Record<string, string>; query: URLSearchParams; json: () => Promise<unknown> }) => JsonReply | Promise<JsonReply>;

export interface ControlDeps {
  faults: FaultInjector;
  stats: Stats;
  limits: { get(): unknown; update(patch: unknown): unknown; replace(next: unknown): unknown };
  /** Server-specific routes (inspection, poison, reset…), consulted after the shared ones. */
  routes: Router<ControlRoute>;
  /** Contract checking, when the server was started with it: /contract, and a summary in /stats. */
  contract?: ContractRecorder;
}

/**
 * The control plane both sandboxes share: faults, limits and stats, then each server's own routes.
 * Bad input answers 400 with the zod issues; these endpoints are not part of either real API.
 */
export function createControlHandler(deps: ControlDeps): ControlHandler {
  const { faults, stats, limits, routes, contract } = deps;
  const resetStats = () => {
    stats.reset();
    contract?.reset();
    return reply(200, statsSnapshot());
  };
  // Without a checker the summary says so, rather than a reassuring "0 violations".
  const contractSummary = () => (contract ? { enabled: true, checked: contract.snapshot().checked, violations: contract.snapshot().violations } : { enabled: false });
  const statsSnapshot = (seconds?: number) => ({ ...stats.snapshot(seconds), contract: contractSummary() });
  routes
    .add('GET', '/faults', () => reply(200, faults.config()))
    .add('PATCH', '/faults', async ({ json }) => reply(200, faults.update(await json())))
    .add('POST', '/faults', async ({ json }) => reply(200, faults.update(await json())))
    .add('PUT', '/faults', async ({ json }) => reply(200, faults.replace(await json())))
    .add('GET', '/limits', () => reply(200, limits.get()))
    .add('PATCH', '/limits', async ({ json }) => reply(200, limits.update(await json())))
    .add('POST', '/limits', async ({ json }) => reply(200, limits.update(await json())))
    .add('PUT', '/limits', async ({ json }) => reply(200, limits.replace(await json())))
    // ?seconds=N: the last N seconds of the per-second series (default 60, at most 300).
    .add('GET', '/stats', ({ query }) => reply(200, statsSnapshot(Number(query.get('seconds') ?? 60) || 60)))
    .add('POST', '/stats/reset', resetStats)
    .add('DELETE', '/stats', resetStats)
    // Checked exchanges, violations per route and the first ones in full; 404 when checking is off.
    .add('GET', '/contract', () => (contract ? reply(200, { enabled: true, ...contract.snapshot() }) : reply(404, { error: 'contract checking is off (start with --contract or SANDBOX_CONTRACT=1)' })))
    .add('POST', '/contract/reset', () => {
      if (!contract) return reply(404, { error: 'contract checking is off' });
      contract.reset();
      return reply(200, { enabled: true, ...contract.snapshot() });
    });

  return async (method, segments, query, json) => {
    const match = routes.match(method, segments);
    if (match.kind === 'not_found') return reply(404, { error: `no sandbox endpoint /__sandbox/${segments.join('/')}` });
    if (match.kind === 'method_not_allowed') return reply(405, { error: `${method} not allowed here` });
    try {
      return await match.handler({ params: match.params, query, json });
    } catch (error) {
      if (error instanceof ZodError) return reply(400, { error: 'invalid sandbox control input', issues: error.issues });
      if (error instanceof Error) return reply(400, { error: error.message });
      throw error;
    }
  };
}
