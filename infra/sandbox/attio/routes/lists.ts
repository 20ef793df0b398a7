import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { renderEntry, renderList } from '../values/render.ts';
import { assertEntry, createEntry, createList, deleteEntry, getEntry, queryEntries, updateEntry } from '../workspace/lists.ts';
import { requireList, type AttioRoute } from './context.ts';

/** /v2/lists and /v2/lists/{list}/entries. */
export function addListRoutes(router: Router<AttioRoute>): void {
  const entries = '/v2/lists/:list/entries';
  router
    .add('GET', '/v2/lists', ({ ws }) => reply(200, { data: [...ws.lists.values()].map((l) => renderList(ws, l)) }))
    .add('POST', '/v2/lists', async ({ ws, json, write }) => reply(200, { data: renderList(ws, createList(ws, await json(), write.at)) }))
    .add('GET', '/v2/lists/:list', ({ ws, params }) => reply(200, { data: renderList(ws, requireList(ws, params.list)) }))
    .add('POST', entries, async ({ ws, params, json, write, poison }) => {
      const list = requireList(ws, params.list);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderEntry(ws, list, createEntry(ws, list, body, write)) });
    })
    .add('PUT', entries, async ({ ws, params, json, write, poison }) => {
      const list = requireList(ws, params.list);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderEntry(ws, list, assertEntry(ws, list, body, write).entry) });
    })
    .add('POST', `${entries}/query`, async ({ ws, params, json, admitQuery }) => {
      const list = requireList(ws, params.list);
      const body = await json();
      const refused = admitQuery(body, list.entries.size);
      if (refused) return refused;
      return reply(200, { data: queryEntries(list, body).map((e) => renderEntry(ws, list, e)) });
    })
    .add('GET', `${entries}/:entry`, ({ ws, params }) => {
      const list = requireList(ws, params.list);
      return reply(200, { data: renderEntry(ws, list, getEntry(list, params.entry as string)) });
    })
    .add('PATCH', `${entries}/:entry`, async ({ ws, params, json, write, poison }) => {
      const list = requireList(ws, params.list);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderEntry(ws, list, updateEntry(list, params.entry as string, body, 'append', write)) });
    })
    .add('PUT', `${entries}/:entry`, async ({ ws, params, json, write, poison }) => {
      const list = requireList(ws, params.list);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderEntry(ws, list, updateEntry(list, params.entry as string, body, 'overwrite', write)) });
    })
    .add('DELETE', `${entries}/:entry`, ({ ws, params }) => {
      deleteEntry(ws, requireList(ws, params.list), params.entry as string);
      return reply(200, {});
    });
}
