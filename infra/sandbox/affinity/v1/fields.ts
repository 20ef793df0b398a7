import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { AffinityApiError, notFound } from '../errors.ts';
import { parseId, resolveIndex, type AffinityRoute } from '../context.ts';

const FIELD_VALUE_PARAMS = ['person_id', 'organization_id', 'opportunity_id', 'list_entry_id'] as const;

/** GET /fields (optionally by list_id / value_type) and GET /field-values (exactly one entity parameter). */
export function addFieldRoutes(router: Router<AffinityRoute>): void {
  router.add('GET', '/fields', ({ account, query }) => {
    const listId = query.get('list_id');
    const valueType = query.get('value_type');
    let fields = account.fields;
    if (listId !== null) fields = fields.filter((f) => f.list_id === parseId(listId, 'list_id'));
    if (valueType !== null) fields = fields.filter((f) => f.value_type === parseId(valueType, 'value_type'));
    return reply(200, fields);
  });

  router.add('GET', '/field-values', ({ account, query }) => {
    const given = FIELD_VALUE_PARAMS.filter((p) => query.has(p));
    if (given.length !== 1) {
      throw new AffinityApiError(422, `exactly one of ${FIELD_VALUE_PARAMS.join(', ')} is required`, given[1] ?? 'person_id');
    }
    const param = given[0] as (typeof FIELD_VALUE_PARAMS)[number];
    const id = parseId(query.get(param), param);
    if (param === 'list_entry_id') {
      const values = account.fieldValues('list_entry', id);
      if (!values) throw notFound('List entry');
      return reply(200, values);
    }
    const kind = param === 'person_id' ? 'person' : param === 'organization_id' ? 'organization' : 'opportunity';
    resolveIndex(account, kind, id);
    return reply(200, account.fieldValues(kind, id) ?? []);
  });
}
