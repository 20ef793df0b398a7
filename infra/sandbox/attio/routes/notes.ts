import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { renderNote } from '../values/render.ts';
import { createNote, deleteNote, getNote, listNotes } from '../workspace/notes.ts';
import type { AttioRoute } from './context.ts';

/** /v2/notes: create (one parent), list by parent, get, delete. No update, as in Attio. */
export function addNoteRoutes(router: Router<AttioRoute>): void {
  router
    .add('POST', '/v2/notes', async ({ ws, json, write, poison }) => {
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderNote(ws, createNote(ws, body, write.actor)) });
    })
    .add('GET', '/v2/notes', ({ ws, query }) => reply(200, { data: listNotes(ws, query).map((n) => renderNote(ws, n)) }))
    .add('GET', '/v2/notes/:note', ({ ws, params }) => reply(200, { data: renderNote(ws, getNote(ws, params.note as string)) }))
    .add('DELETE', '/v2/notes/:note', ({ ws, params }) => {
      deleteNote(ws, params.note as string);
      return reply(200, {});
    });
}
