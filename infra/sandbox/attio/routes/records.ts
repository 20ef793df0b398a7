import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { renderRecord } from '../values/render.ts';
import { dropEntriesOf } from '../workspace/lists.ts';
import { dropNotesOf } from '../workspace/notes.ts';
import { assertRecord, createRecord, deleteRecord, getRecord, queryRecords, updateRecord } from '../workspace/records.ts';
import { requireObject, type AttioRoute } from './context.ts';

/** /v2/objects/{object}/records: create, assert, query, get, patch, put, delete. */
export function addRecordRoutes(router: Router<AttioRoute>): void {
  const base = '/v2/objects/:object/records';
  router
    .add('POST', base, async ({ ws, params, json, write, poison }) => {
      const store = requireObject(ws, params.object);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderRecord(ws, store, createRecord(store, body, write)) });
    })
    .add('PUT', base, async ({ ws, params, query, json, write, poison }) => {
      const store = requireObject(ws, params.object);
      const body = await json();
      poison.check(body);
      const { row } = assertRecord(store, query.get('matching_attribute'), body, write);
      return reply(200, { data: renderRecord(ws, store, row) });
    })
    .add('POST', `${base}/query`, async ({ ws, params, json, admitQuery }) => {
      const store = requireObject(ws, params.object);
      const body = await json();
      const refused = admitQuery(body, store.records.size);
      if (refused) return refused;
      return reply(200, { data: queryRecords(store, body).map((row) => renderRecord(ws, store, row)) });
    })
    .add('GET', `${base}/:record`, ({ ws, params }) => {
      const store = requireObject(ws, params.object);
      return reply(200, { data: renderRecord(ws, store, getRecord(store, params.record as string)) });
    })
    .add('PATCH', `${base}/:record`, async ({ ws, params, json, write, poison }) => {
      const store = requireObject(ws, params.object);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderRecord(ws, store, updateRecord(store, params.record as string, body, 'append', write)) });
    })
    .add('PUT', `${base}/:record`, async ({ ws, params, json, write, poison }) => {
      const store = requireObject(ws, params.object);
      const body = await json();
      poison.check(body);
      return reply(200, { data: renderRecord(ws, store, updateRecord(store, params.record as string, body, 'overwrite', write)) });
    })
    .add('DELETE', `${base}/:record`, ({ ws, params, write }) => {
      const store = requireObject(ws, params.object);
      const id = params.record as string;
      deleteRecord(write, store, id);
      dropEntriesOf(ws, id);
      dropNotesOf(ws, store.container.slug, id);
      return reply(200, {});
    });
}
