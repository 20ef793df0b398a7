import { reply } from '../../../core/respond.ts';
import type { Router } from '../../../core/router.ts';
import type { AffinityAccount, FieldValue } from '../../../generator/index.ts';
import { parseId, resolveIndex, type AffinityRoute } from '../../context.ts';
import { AffinityApiError } from '../../errors.ts';
import { cursorPageOf, listParam, parseCursor } from '../cursor.ts';
import { entityFields, renderFields, selectFields, type FieldSource, type FieldType } from '../field-data.ts';
import { company, opportunity, person } from '../shapes.ts';

type Kind = 'person' | 'organization' | 'opportunity';

interface Resource {
  kind: Kind;
  path: string;
  count: (a: AffinityAccount) => number;
  base: (a: AffinityAccount, index: number) => Record<string, unknown>;
}

const RESOURCES: Resource[] = [
  { kind: 'organization', path: 'companies', count: (a) => a.counts.organizations, base: company },
  { kind: 'person', path: 'persons', count: (a) => a.counts.persons, base: person },
  { kind: 'opportunity', path: 'opportunities', count: (a) => a.counts.opportunities, base: opportunity },
];

/** Entity-level field types (spec: `fieldTypes` of GET /v2/companies and /v2/persons has no `list`). */
const ENTITY_TYPES: readonly FieldType[] = ['enriched', 'global', 'relationship-intelligence'];

/** The entity's own (global) v1 values: those not tied to a list entry. */
export function globalValues(account: AffinityAccount, kind: 'person' | 'organization', id: number): () => FieldValue[] {
  return () => (account.fieldValues(kind, id) ?? []).filter((v) => v.list_entry_id === null);
}

/** A company or person with the selected fields inline (none selected: no `fields`, as the spec says). */
export function entityWithFields(account: AffinityAccount, kind: 'person' | 'organization', index: number, selected: FieldSource[] | undefined): Record<string, unknown> {
  const body = kind === 'person' ? person(account, index) : company(account, index);
  if (!selected) return body;
  const id = body.id as number;
  return { ...body, fields: renderFields(selected, { account, entityIndex: index, values: globalValues(account, kind, id) }) };
}

/** `ids` (spec: repeated int64 query parameter) narrows a listing to those records, in the order given. */
function idFilter(account: AffinityAccount, kind: Kind, query: URLSearchParams): number[] | undefined {
  const raw = listParam(query, 'ids');
  if (raw.length === 0) return undefined;
  return raw.map((r) => parseId(r, 'ids')).map((id) => account.indexOf(kind, id)).filter((i): i is number => i !== undefined);
}

/**
 * GET /v2/companies, /v2/persons, /v2/opportunities (cursor pages of ≤ 100, fields inline for companies
 * and persons), their single GETs and /v2/{companies|persons}/fields.
 */
export function addV2EntityRoutes(router: Router<AffinityRoute>): void {
  for (const r of RESOURCES) {
    const withFields = r.kind !== 'opportunity';
    // Opportunities carry no field data at all (spec: "Returns basic information but **not** field data").
    const renderer = (account: AffinityAccount, query: URLSearchParams) => {
      if (r.kind === 'opportunity') return (index: number) => r.base(account, index);
      const kind = r.kind;
      const selected = selectFields(query, entityFields(account, kind), ENTITY_TYPES);
      return (index: number) => entityWithFields(account, kind, index, selected);
    };
    router.add('GET', `/v2/${r.path}`, ({ account, query, path, baseUrl }) => {
      const page = parseCursor(path, query);
      const only = idFilter(account, r.kind, page.query);
      const render = renderer(account, page.query);
      const total = only ? only.length : r.count(account);
      return reply(200, cursorPageOf(baseUrl, path, page, total, (p) => render(only ? (only[p] as number) : p)));
    });
    if (withFields) {
      const kind = r.kind as 'person' | 'organization';
      router.add('GET', `/v2/${r.path}/fields`, ({ account, query, path, baseUrl }) => {
        const page = parseCursor(path, query);
        const metas = entityFields(account, kind).map((s) => s.meta);
        return reply(200, cursorPageOf(baseUrl, path, page, metas.length, (p) => metas[p]));
      });
    }
    router.add('GET', `/v2/${r.path}/:id`, ({ account, params, query }) => {
      const index = resolveIndex(account, r.kind, parseV2Id(params.id, `${r.kind === 'organization' ? 'company' : r.kind}Id`));
      return reply(200, renderer(account, query)(index));
    });
  }
}

/** Path ids are int64 ≥ 1 in the spec; anything else is a 400 validation error naming the parameter. */
export function parseV2Id(raw: string | undefined, param: string): number {
  const id = Number(raw);
  if (raw === undefined || raw === '' || !Number.isSafeInteger(id) || id < 1) throw new AffinityApiError(400, `${param} must be a positive integer`, param);
  return id;
}
