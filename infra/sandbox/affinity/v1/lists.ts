import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { notFound } from '../errors.ts';
import { pageOf, parsePage } from './pagination.ts';
import { parseId, type AffinityRoute } from '../context.ts';
import { PAGE_MAX } from './entities.ts';
import type { ListEntry } from '../../generator/index.ts';

/** The list entry resource lists id, list_id, creator_id, entity_id, entity and created_at; no entity_type. */
function entryView(entry: ListEntry): Record<string, unknown> {
  return { id: entry.id, list_id: entry.list_id, creator_id: entry.creator_id, entity_id: entry.entity_id, entity: entry.entity, created_at: entry.created_at };
}

/** GET /lists, /lists/{id} (with its fields), /lists/{id}/list-entries (bare array unless paged) and one entry. */
export function addListRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/lists', ({ account }) => reply(200, account.lists));

  router.add('GET', '/lists/:id', ({ account, params }) => {
    const list = account.list(parseId(params.id));
    if (!list) throw notFound('List');
    return reply(200, { ...list, fields: account.fields.filter((f) => f.list_id === list.id) });
  });

  router.add('GET', '/lists/:id/list-entries', ({ account, params, query, path }) => {
    const entries = account.listEntries(parseId(params.id));
    if (!entries) throw notFound('List');
    const page = parsePage(path, query, PAGE_MAX);
    if (!page.paged) return reply(200, Array.from({ length: entries.size }, (_, p) => entryView(entries.at(p))));
    return reply(200, pageOf('list_entries', path, query, page, entries.size, (p) => entryView(entries.at(p))));
  });

  router.add('GET', '/lists/:id/list-entries/:entryId', ({ account, params }) => {
    const list = account.list(parseId(params.id));
    if (!list) throw notFound('List');
    const entry = account.listEntry(parseId(params.entryId, 'list_entry_id'));
    if (!entry || entry.list_id !== list.id) throw notFound('List entry');
    return reply(200, entryView(entry));
  });
}
