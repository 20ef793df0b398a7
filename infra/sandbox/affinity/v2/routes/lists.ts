import { reply } from '../../../core/respond.ts';
import type { Router } from '../../../core/router.ts';
import type { AffinityAccount, List, ListEntry } from '../../../generator/index.ts';
import { resolveIndex, type AffinityRoute } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { cursorPageOf, parseCursor } from '../cursor.ts';
import { listFields, renderFields, selectFields, type FieldSource } from '../field-data.ts';
import { opportunity, listWithType } from '../shapes.ts';
import { entityWithFields, globalValues, parseV2Id } from './entities.ts';

const KIND_OF = { 0: 'person', 1: 'organization', 8: 'opportunity' } as const;
const ENTRY_TYPE = { 0: 'person', 1: 'company', 8: 'opportunity' } as const;

function listOf(account: AffinityAccount, rawId: string | undefined): List {
  const list = account.list(parseV2Id(rawId, 'listId'));
  if (!list) throw notFound('List');
  return list;
}

/** A v2 list entry (CompanyListEntry / PersonListEntry / OpportunityListEntry): the entity with the selected fields inline. */
export function entryWithEntity(account: AffinityAccount, list: List, entry: ListEntry, selected: FieldSource[] | undefined): Record<string, unknown> {
  const kind = KIND_OF[list.type];
  const index = account.indexOf(kind, entry.entity_id) as number;
  const head = { id: entry.id, type: ENTRY_TYPE[list.type], listId: list.id, createdAt: entry.created_at, creatorId: entry.creator_id };
  const sources = listFields(account, list.id, list.type);
  const entityIds = new Set(sources.entity.map((s) => s.meta.id));
  const entryValues = () => account.fieldValues('list_entry', entry.id) ?? [];
  const fields = (): Record<string, unknown>[] => {
    const chosen = selected ?? [];
    const entityPart = chosen.filter((s) => entityIds.has(s.meta.id));
    const entryPart = chosen.filter((s) => !entityIds.has(s.meta.id));
    const entityValues = kind === 'opportunity' ? entryValues : globalValues(account, kind, entry.entity_id);
    return [
      ...renderFields(entityPart, { account, entityIndex: index, values: entityValues }),
      ...renderFields(entryPart, { account, entityIndex: index, values: entryValues }),
    ];
  };
  if (kind === 'opportunity') {
    return { ...head, entity: selected ? { ...opportunity(account, index), fields: fields() } : opportunity(account, index) };
  }
  const entity = entityWithFields(account, kind, index, undefined);
  return { ...head, entity: selected ? { ...entity, fields: fields() } : entity };
}

/** Selection over a list's fields: entity-level and list-specific (the `list` type is allowed here). */
function selectListFields(account: AffinityAccount, list: List, query: URLSearchParams) {
  const sources = listFields(account, list.id, list.type);
  return selectFields(query, [...sources.entity, ...sources.entry]);
}

/** A ListEntry (no entity): the entity's and the list's fields, all of them ("comprehensive field data"). */
function entryOfEntity(account: AffinityAccount, entry: ListEntry): Record<string, unknown> {
  const list = account.list(entry.list_id) as List;
  const sources = listFields(account, list.id, list.type);
  const withEntity = entryWithEntity(account, list, entry, [...sources.entity, ...sources.entry]);
  const entity = withEntity.entity as { fields: unknown[] };
  return { id: entry.id, listId: list.id, createdAt: entry.created_at, creatorId: entry.creator_id, fields: entity.fields };
}

/** The entries of a company or person across all lists (GET /v2/{companies|persons}/{id}/list-entries) and those lists (…/lists). */
function addEntityListRoutes(router: Router<AffinityRoute>): void {
  for (const [segment, kind, param] of [['companies', 'organization', 'companyId'], ['persons', 'person', 'personId']] as const) {
    const entriesOf = (account: AffinityAccount, raw: string | undefined): ListEntry[] => {
      const index = resolveIndex(account, kind, parseV2Id(raw, param));
      const refs = kind === 'person' ? account.person(index).list_entries : account.organization(index).list_entries;
      return refs.map((ref) => account.listEntry(ref.id) as ListEntry);
    };
    router.add('GET', `/v2/${segment}/:id/list-entries`, ({ account, params, query, path, baseUrl }) => {
      const entries = entriesOf(account, params.id);
      const page = parseCursor(path, query);
      return reply(200, cursorPageOf(baseUrl, path, page, entries.length, (p) => entryOfEntity(account, entries[p] as ListEntry)));
    });
    router.add('GET', `/v2/${segment}/:id/lists`, ({ account, params, query, path, baseUrl }) => {
      const listIds = [...new Set(entriesOf(account, params.id).map((e) => e.list_id))];
      const page = parseCursor(path, query);
      return reply(200, cursorPageOf(baseUrl, path, page, listIds.length, (p) => {
        const { type: _type, ...list } = listWithType(account.list(listIds[p] as number) as List);
        return list;
      }));
    });
  }
}

/** GET /v2/lists, /v2/lists/{id}, /v2/lists/{id}/fields, /v2/lists/{id}/list-entries[/{entryId}]; an entity's entries and lists. */
export function addV2ListRoutes(router: Router<AffinityRoute>): void {
  addEntityListRoutes(router);
  router.add('GET', '/v2/lists', ({ account, query, path, baseUrl }) => {
    const page = parseCursor(path, query);
    return reply(200, cursorPageOf(baseUrl, path, page, account.lists.length, (p) => listWithType(account.lists[p] as List)));
  });
  router.add('GET', '/v2/lists/:listId', ({ account, params }) => reply(200, listWithType(listOf(account, params.listId))));
  router.add('GET', '/v2/lists/:listId/fields', ({ account, params, query, path, baseUrl }) => {
    const list = listOf(account, params.listId);
    const page = parseCursor(path, query);
    const sources = listFields(account, list.id, list.type);
    const metas = [...sources.entity, ...sources.entry].map((s) => s.meta);
    return reply(200, cursorPageOf(baseUrl, path, page, metas.length, (p) => metas[p]));
  });
  router.add('GET', '/v2/lists/:listId/list-entries', ({ account, params, query, path, baseUrl }) => {
    const list = listOf(account, params.listId);
    const page = parseCursor(path, query);
    const entries = account.listEntries(list.id);
    if (!entries) throw notFound('List');
    const selected = selectListFields(account, list, page.query);
    return reply(200, cursorPageOf(baseUrl, path, page, entries.size, (p) => entryWithEntity(account, list, entries.at(p), selected)));
  });
  router.add('GET', '/v2/lists/:listId/list-entries/:listEntryId', ({ account, params, query }) => {
    const list = listOf(account, params.listId);
    const entryId = parseV2Id(params.listEntryId, 'listEntryId');
    const entry = account.listEntry(entryId);
    if (!entry || entry.list_id !== list.id) throw notFound('List entry');
    return reply(200, entryWithEntity(account, list, entry, selectListFields(account, list, query)));
  });
}
