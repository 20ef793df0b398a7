import { reply } from '../../core/respond.ts';
import { InvalidQueryError, notFound } from '../errors.ts';
import { refOf, type GeneratedUser } from '../generator/users.ts';
import type { ScimGroup } from '../generator/index.ts';
import { pageOf } from '../paging.ts';
import { API_PREFIX, SCIM_PREFIX, type ProcessStreetRouter, type RouteContext } from './context.ts';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const scimUser = (u: GeneratedUser) => ({
  schemas: [SCIM_USER], id: u.id, userName: u.email, displayName: u.displayName,
  name: { givenName: u.givenName, familyName: u.familyName }, emails: [{ value: u.email, primary: true }], active: true,
});
const scimGroup = (g: ScimGroup) => ({ schemas: [SCIM_GROUP], id: g.id, displayName: g.displayName, members: g.members });

/**
 * SCIM 2.0 paging: 1-based `startIndex` and `count` (default and maximum 100 here, inferred), items in
 * `Resources`; clients stop at an empty page (reference "Pagination"). The ListResponse fields follow the
 * SCIM core schema (RFC 7644), which the reference names as the model (inferred).
 */
function scimPage<T>(ctx: RouteContext, items: readonly T[], render: (item: T) => unknown) {
  const int = (name: string, fallback: number, min: number) => {
    const raw = ctx.query.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (raw === '' || !Number.isInteger(n) || n < min) throw new InvalidQueryError(name);
    return n;
  };
  const startIndex = int('startIndex', 1, 1);
  const count = Math.min(100, int('count', 100, 0));
  const resources = items.slice(startIndex - 1, startIndex - 1 + count).map(render);
  return reply(200, { schemas: [LIST_RESPONSE], totalResults: items.length, startIndex, itemsPerPage: resources.length, Resources: resources });
}

export function addUserRoutes(router: ProcessStreetRouter): void {
  router
    .add('GET', `${API_PREFIX}/testAuth`, (ctx) => reply(200, { apiKeyLabel: ctx.keyLabels.get(ctx.principal) ?? 'API key' }))
    // The listing carries only {id, email, username}: no role, status or groups (reference "Users and groups").
    .add('GET', `${API_PREFIX}/users`, (ctx) => pageOf(ctx, 'users', 'users', ctx.org.users, refOf))
    .add('GET', `${SCIM_PREFIX}/Users`, (ctx) => scimPage(ctx, ctx.org.users, scimUser))
    .add('GET', `${SCIM_PREFIX}/Users/:userId`, (ctx) => {
      const user = ctx.org.users.find((u) => u.id === ctx.params.userId);
      if (!user) throw notFound('User');
      return reply(200, scimUser(user));
    })
    .add('GET', `${SCIM_PREFIX}/Groups`, (ctx) => scimPage(ctx, ctx.org.groups, scimGroup))
    .add('GET', `${SCIM_PREFIX}/Groups/:groupId`, (ctx) => {
      const group = ctx.org.groups.find((g) => g.id === ctx.params.groupId);
      if (!group) throw notFound('Group');
      return reply(200, scimGroup(group));
    });
}
