import type { ContractRecorder } from '../core/contract.ts';
import type { ControlRoute } from '../core/control.ts';
import { reply } from '../core/respond.ts';
import { createRouter, type Router } from '../core/router.ts';
import type { Stats } from '../core/stats.ts';
import { notFound } from './errors.ts';
import type { PoisonGuard } from './poison.ts';
import type { AttioRequestCounter } from './request-counts.ts';
import type { AttioRateLimiter } from './rate-limit.ts';
import type { TokenRegistry } from './tokens.ts';
import { renderEntry, renderList, renderNote, renderRecord } from './values/render.ts';
import { ordered, parsePaging } from './workspace/paging.ts';
import { findList, findObject, type Workspace } from './workspace/workspace.ts';

/**
 * Attio-only sandbox endpoints: inspection of what was written (paged, with totals), the poison switch,
 * bearer tokens (revoke / add, as a workspace admin would) and a full reset. Not part of Attio's API; they bypass auth, rate limits and faults.
 */
export function createAttioControlRoutes(deps: { ws: Workspace; poison: PoisonGuard; limiter: AttioRateLimiter; stats: Stats; contract?: ContractRecorder; tokens: TokenRegistry; requests?: AttioRequestCounter }): Router<ControlRoute> {
  const { ws, poison, limiter, stats, contract, tokens } = deps;
  const paging = (query: URLSearchParams) => parsePaging(query.get('limit'), query.get('offset'), { limit: 500, max: 10_000 });
  const page = <T>(rows: readonly T[], query: URLSearchParams) => {
    const { limit, offset } = paging(query);
    return { rows: rows.slice(offset, offset + limit), total: rows.length, limit, offset };
  };
  const errorOf = (error: unknown) => {
    if (error instanceof Error && 'status' in error) return reply(error.status as number, { error: error.message });
    throw error;
  };

  return createRouter<ControlRoute>()
    .add('GET', '/summary', () =>
      reply(200, {
        workspace: { id: ws.id, name: ws.name },
        objects: Object.fromEntries([...ws.objects].map(([slug, store]) => [slug, store.records.size])),
        lists: Object.fromEntries([...ws.lists].map(([slug, list]) => [slug, list.entries.size])),
        notes: ws.notes.byId.size,
        customAttributes: Object.fromEntries([...ws.objects].map(([slug, store]) => [slug, [...store.container.attributes.values()].filter((a) => a.custom).map((a) => a.slug)])),
      }))
    .add('GET', '/records/:object', ({ params, query }) => {
      try {
        const store = findObject(ws, params.object as string);
        if (!store) throw notFound(`Object "${params.object}" does not exist`);
        const { rows, ...meta } = page(ordered(store, store.records), query);
        return reply(200, { ...meta, data: rows.map((row) => renderRecord(ws, store, row)) });
      } catch (error) {
        return errorOf(error);
      }
    })
    .add('GET', '/lists', () => reply(200, { data: [...ws.lists.values()].map((l) => ({ ...renderList(ws, l), entry_count: l.entries.size })) }))
    .add('GET', '/entries/:list', ({ params, query }) => {
      try {
        const list = findList(ws, params.list as string);
        if (!list) throw notFound(`List "${params.list}" does not exist`);
        const { rows, ...meta } = page(ordered(list, list.entries), query);
        return reply(200, { ...meta, data: rows.map((e) => renderEntry(ws, list, e)) });
      } catch (error) {
        return errorOf(error);
      }
    })
    .add('GET', '/notes', ({ query }) => {
      const { rows, ...meta } = page(ws.notes.order, query);
      return reply(200, { ...meta, data: rows.map((n) => renderNote(ws, n)) });
    })
    // API requests served by endpoint since the last stats reset (what a job's plan is compared with).
    .add('GET', '/requests', () => reply(200, deps.requests?.snapshot() ?? { total: 0, byEndpoint: {} }))
    .add('GET', '/poison', () => reply(200, poison.config()))
    .add('PATCH', '/poison', async ({ json }) => reply(200, poison.update(await json())))
    .add('POST', '/poison', async ({ json }) => reply(200, poison.update(await json())))
    .add('PUT', '/poison', async ({ json }) => reply(200, poison.replace(await json())))
    .add('GET', '/tokens', () => reply(200, tokens.view()))
    .add('POST', '/tokens', async ({ json }) => {
      try {
        return reply(200, tokens.change(await json()));
      } catch (error) {
        return reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
    })
    .add('POST', '/reset', () => {
      ws.reset();
      tokens.reset();
      limiter.reset();
      stats.reset();
      contract?.reset();
      return reply(200, { reset: true });
    });
}
