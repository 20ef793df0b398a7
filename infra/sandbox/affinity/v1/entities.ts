import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import type { AffinityAccount } from '../../generator/index.ts';
import { parseId, resolveIndex, type AffinityRoute } from '../context.ts';
import { AffinityApiError } from '../errors.ts';
import { pageOf, parsePage } from './pagination.ts';
import { opportunityView, organizationView, personView, viewFlags } from './views.ts';

/** Max (= default) page size of persons, organizations, opportunities and notes. */
export const PAGE_MAX = 500;

type EntityKind = 'person' | 'organization' | 'opportunity';

interface Resource {
  kind: EntityKind;
  path: string;
  key: string;
  count: (a: AffinityAccount) => number;
  fields?: (a: AffinityAccount) => unknown;
}

const RESOURCES: Resource[] = [
  { kind: 'person', path: 'persons', key: 'persons', count: (a) => a.counts.persons, fields: (a) => a.personFields },
  { kind: 'organization', path: 'organizations', key: 'organizations', count: (a) => a.counts.organizations, fields: (a) => a.organizationFields },
  { kind: 'opportunity', path: 'opportunities', key: 'opportunities', count: (a) => a.counts.opportunities },
];

function view(account: AffinityAccount, kind: EntityKind, index: number, query: URLSearchParams, single: boolean): unknown {
  if (kind === 'person') return personView(account, index, viewFlags(query), single);
  if (kind === 'organization') return organizationView(account, index, viewFlags(query), single);
  return opportunityView(account, index);
}

/**
 * Search (`term`) and interaction filters change which records a listing returns; the sandbox has no
 * search index and no interactions, so it refuses them rather than answer as if they were not there.
 */
function refuseUnsupported(query: URLSearchParams): void {
  for (const key of query.keys()) {
    if (key === 'term' || key === 'with_interaction_dates' || /^(min|max)_\w+_date$/.test(key)) {
      throw new AffinityApiError(422, `${key} is not supported by the sandbox`, key);
    }
  }
}

/** GET /persons, /persons/{id}, /persons/fields and the same for organizations and opportunities. */
export function addEntityRoutes(router: Router<AffinityRoute>): void {
  for (const resource of RESOURCES) {
    router.add('GET', `/${resource.path}`, ({ account, query, path }) => {
      refuseUnsupported(query);
      const page = parsePage(path, query, PAGE_MAX);
      return reply(200, pageOf(resource.key, path, query, page, resource.count(account), (i) => view(account, resource.kind, i, query, false)));
    });
    const fields = resource.fields;
    if (fields) router.add('GET', `/${resource.path}/fields`, ({ account }) => reply(200, fields(account)));
    router.add('GET', `/${resource.path}/:id`, ({ account, params, query }) => {
      const index = resolveIndex(account, resource.kind, parseId(params.id));
      return reply(200, view(account, resource.kind, index, query, true));
    });
  }
}
