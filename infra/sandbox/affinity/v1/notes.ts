import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { AffinityApiError } from '../errors.ts';
import { pageOf, parsePage } from './pagination.ts';
import { parseId, resolveIndex, type AffinityRoute } from '../context.ts';
import { PAGE_MAX } from './entities.ts';

const FILTERS = ['person_id', 'organization_id', 'opportunity_id'] as const;
const KIND = { person_id: 'person', organization_id: 'organization', opportunity_id: 'opportunity' } as const;

/** GET /notes (all, or of one person / organization / opportunity), paged; GET /notes/{id}. */
export function addNoteRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/notes', ({ account, query, path }) => {
    const given = FILTERS.filter((p) => query.has(p));
    if (given.length > 1) throw new AffinityApiError(422, `at most one of ${FILTERS.join(', ')} may be given`, given[1]);
    const page = parsePage(path, query, PAGE_MAX);
    const filter = given[0];
    if (filter === undefined) return reply(200, pageOf('notes', path, query, page, account.counts.notes, account.note));
    const kind = KIND[filter];
    const index = resolveIndex(account, kind, parseId(query.get(filter), filter));
    const noteIndexes = account.notesOf(kind, index);
    return reply(200, pageOf('notes', path, query, page, noteIndexes.length, (p) => account.note(noteIndexes[p] as number)));
  });

  router.add('GET', '/notes/:id', ({ account, params }) => reply(200, account.note(resolveIndex(account, 'note', parseId(params.id)))));
}
