import { reply } from '../../../core/respond.ts';
import type { Router } from '../../../core/router.ts';
import type { AffinityAccount, Note } from '../../../generator/index.ts';
import { resolveIndex, type AffinityRoute } from '../../context.ts';
import { AffinityApiError } from '../../errors.ts';
import type { FilterProperties } from '../filter.ts';
import { filteredPositions, NOTE_FILTER, notePredicate, ROOT_NOTE_FILTER } from '../note-filter.ts';
import { cursorPageOf, parseCursor, type LimitRule } from '../cursor.ts';
import { companyData, opportunity, personData } from '../shapes.ts';
import { parseV2Id } from './entities.ts';

/** Notes endpoints default to 20 per page and accept 0 (spec: `limit` default 20, minimum 0). */
const NOTE_LIMIT: LimitRule = { defaultLimit: 20, min: 0 };

/** Root notes (not replies) by position; /v2/notes "Returns all notes, with the exception of replies". */
const rootNotes = new WeakMap<AffinityAccount, Int32Array>();
function rootsOf(account: AffinityAccount): Int32Array {
  let roots = rootNotes.get(account);
  if (!roots) {
    const out: number[] = [];
    for (let n = 0; n < account.counts.notes; n += 1) if (!account.isReply(n)) out.push(n);
    roots = Int32Array.from(out);
    rootNotes.set(account, roots);
  }
  return roots;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** v2 has only `content.html`: a plain-text v1 note (type 0) is its text escaped, one paragraph per blank-line block. */
export function noteHtml(note: Note): string {
  if (note.type === 2) return note.content;
  return note.content.split(/\n{2,}/).map((block) => `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`).join('');
}

/**
 * Persons attached to a note now: a merged duplicate's notes belong to its primary after the merge;
 * an id that never existed is attached to nobody.
 */
function attachedPersonIndexes(account: AffinityAccount, note: Note): number[] {
  const out = new Set<number>();
  for (const id of note.person_ids) {
    const live = account.indexOf('person', id) ?? account.indexOf('person', account.mergedInto('person', id) ?? -1);
    if (live !== undefined) out.add(live);
  }
  return [...out];
}

const liveIndexes = (account: AffinityAccount, kind: 'organization' | 'opportunity', ids: number[]) =>
  ids.map((id) => account.indexOf(kind, id)).filter((i): i is number => i !== undefined);

function preview<T>(items: T[]): { data: T[]; totalCount: number } {
  return { data: items.slice(0, 100), totalCount: items.length };
}

/**
 * `includes` (spec parameter `notes.includes` of GET /v2/notes and /v2/notes/{id}) asks for the previews
 * and the replies count; without it a root note has none of them.
 */
export type NoteInclude = 'companiesPreview' | 'personsPreview' | 'opportunitiesPreview' | 'repliesCount';
const INCLUDES: readonly NoteInclude[] = ['companiesPreview', 'personsPreview', 'opportunitiesPreview', 'repliesCount'];

function includesOf(query: URLSearchParams): Set<NoteInclude> {
  const asked = query.getAll('includes').filter((v) => v !== '');
  for (const value of asked) if (!INCLUDES.includes(value as NoteInclude)) throw new AffinityApiError(400, `includes must be among ${INCLUDES.join(', ')}`, 'includes');
  return new Set(asked as NoteInclude[]);
}

const NONE = new Set<NoteInclude>();

export function noteV2(account: AffinityAccount, n: number, includes: ReadonlySet<NoteInclude> = NONE): Record<string, unknown> {
  const note = account.note(n);
  const creatorIndex = account.indexOf('person', note.creator_id);
  const creator = creatorIndex === undefined ? personData(account, 0) : personData(account, creatorIndex);
  const base = { id: note.id, content: { html: noteHtml(note) }, creator, mentions: [], createdAt: note.created_at, updatedAt: note.updated_at };
  if (note.parent_id !== null) return { ...base, type: 'user-reply', parent: { id: note.parent_id } };
  const root: Record<string, unknown> = { ...base, type: 'entities', permissions: { owner: creator, sharingType: 'public' } };
  if (includes.has('personsPreview')) root.personsPreview = preview(attachedPersonIndexes(account, note).map((i) => personData(account, i)));
  if (includes.has('companiesPreview')) root.companiesPreview = preview(liveIndexes(account, 'organization', note.organization_ids).map((j) => companyData(account, j)));
  if (includes.has('opportunitiesPreview')) root.opportunitiesPreview = preview(liveIndexes(account, 'opportunity', note.opportunity_ids).map((m) => opportunity(account, m)));
  if (includes.has('repliesCount')) root.repliesCount = account.repliesOf(n).length;
  return root;
}

function noteIndex(account: AffinityAccount, raw: string | undefined): number {
  return resolveIndex(account, 'note', parseV2Id(raw, 'noteId'));
}

/** Items (note positions) that pass the request's `filter` (note-filter.ts); all of them without one. */
function filtered(account: AffinityAccount, query: URLSearchParams, properties: FilterProperties<Note>, key: string, all: Int32Array | readonly number[]): Int32Array | readonly number[] {
  const keep = notePredicate(account, query, properties);
  if (!keep) return all;
  return Array.isArray(all) ? all.filter(keep) : filteredPositions(account, `${key}\n${query.get('filter')}`, all as Int32Array, keep);
}

const withTotal = (query: URLSearchParams, total: number) => (query.get('totalCount') === 'true' ? { totalCount: total } : {});

/** Notes of an entity: direct ones, and for companies and opportunities those of their persons too (as the spec describes). */
function entityNotes(account: AffinityAccount, kind: 'person' | 'organization' | 'opportunity', index: number): number[] {
  const notes = new Set(account.notesOf(kind, index));
  const persons = kind === 'organization' ? account.organizationPersonIndexes(index) : kind === 'opportunity' ? account.opportunityPersonIndexes(index) : [];
  for (const i of persons) for (const n of account.notesOf('person', i)) notes.add(n);
  return [...notes].sort((a, b) => a - b);
}

/** GET /v2/notes, /v2/notes/{id}, its attached persons/companies/opportunities and replies, and each entity's notes. */
export function addV2NoteRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/v2/notes', ({ account, query, path, baseUrl }) => {
    const page = parseCursor(path, query, NOTE_LIMIT);
    // The filter comes with the first request and stays in the cursor (a later page keeps it).
    const roots = filtered(account, page.query, ROOT_NOTE_FILTER, 'roots', rootsOf(account));
    const includes = includesOf(page.query);
    return reply(200, cursorPageOf(baseUrl, path, page, roots.length, (p) => noteV2(account, roots[p] as number, includes), withTotal(page.query, roots.length)));
  });
  router.add('GET', '/v2/notes/:noteId', ({ account, params, query }) => reply(200, noteV2(account, noteIndex(account, params.noteId), includesOf(query))));

  const attached: [string, (a: AffinityAccount, note: Note) => unknown[]][] = [
    ['attached-persons', (a, note) => attachedPersonIndexes(a, note).map((i) => personData(a, i))],
    ['attached-companies', (a, note) => liveIndexes(a, 'organization', note.organization_ids).map((j) => companyData(a, j))],
    ['attached-opportunities', (a, note) => liveIndexes(a, 'opportunity', note.opportunity_ids).map((m) => opportunity(a, m))],
  ];
  for (const [segment, items] of attached) {
    router.add('GET', `/v2/notes/:noteId/${segment}`, ({ account, params, query, path, baseUrl }) => {
      const note = account.note(noteIndex(account, params.noteId));
      const page = parseCursor(path, query, NOTE_LIMIT);
      const all = items(account, note);
      // These take `totalCount` but answer a plain `Pagination` (PersonDataPaged etc. in the spec): no count to add.
      return reply(200, cursorPageOf(baseUrl, path, page, all.length, (p) => all[p]));
    });
  }
  router.add('GET', '/v2/notes/:noteId/replies', ({ account, params, query, path, baseUrl }) => {
    const n = noteIndex(account, params.noteId);
    const page = parseCursor(path, query, NOTE_LIMIT);
    const replies = filtered(account, page.query, NOTE_FILTER, '', account.repliesOf(n));
    return reply(200, cursorPageOf(baseUrl, path, page, replies.length, (p) => noteV2(account, replies[p] as number), withTotal(page.query, replies.length)));
  });

  for (const [segment, kind, param] of [['persons', 'person', 'personId'], ['companies', 'organization', 'companyId'], ['opportunities', 'opportunity', 'opportunityId']] as const) {
    router.add('GET', `/v2/${segment}/:id/notes`, ({ account, params, query, path, baseUrl }) => {
      const index = resolveIndex(account, kind, parseV2Id(params.id, param));
      const page = parseCursor(path, query, NOTE_LIMIT);
      const notes = filtered(account, page.query, NOTE_FILTER, '', entityNotes(account, kind, index));
      return reply(200, cursorPageOf(baseUrl, path, page, notes.length, (p) => noteV2(account, notes[p] as number), withTotal(page.query, notes.length)));
    });
  }
}
