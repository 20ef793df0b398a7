import { reply } from '../../core/respond.ts';
import type { Router } from '../../core/router.ts';
import { invalid, resourceNotFound } from '../errors.ts';
import { intList, optionalString, requireString, stringList } from '../format.ts';
import { paginate, withOf } from '../paging.ts';
import { renderGroup, renderUser } from '../render.ts';
import { LIFETIME } from '../tokens.ts';
import { ROLES } from '../types.ts';
import type { TallyfyRoute } from './context.ts';

const ORG = '/organizations/:org';

function parseRole(body: Record<string, unknown>): string {
  const role = requireString(body, 'role');
  if (!(ROLES as readonly string[]).includes(role)) throw invalid('role', `The selected role is invalid (${ROLES.join(', ')}).`);
  return role;
}

function requireEmail(body: Record<string, unknown>): string {
  const email = requireString(body, 'email');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalid('email', 'The email must be a valid email address.');
  return email;
}

/**
 * Members, invitations, groups, and the support-issued application endpoints. Only the reference's routes:
 * no GET of one user or one group (a connector must not lean on a route Tallyfy is not known to serve).
 */
export function addPeopleRoutes(router: Router<TallyfyRoute>): void {
  router
    .add('GET', `${ORG}/users`, ({ org, query, selfUrl }) => {
      const q = (query.get('q') ?? '').toLowerCase();
      const rows = [...org.users.values()].filter((u) => q === '' || `${u.first_name} ${u.last_name} ${u.email}`.toLowerCase().includes(q));
      const groups = withOf(query).has('groups');
      const page = paginate(rows, query, { defaultPerPage: 9999, cap: 9999, selfUrl });
      return reply(200, { ...page, data: page.data.map((u) => renderUser(org, u, groups)) });
    })
    .add('POST', `${ORG}/users/invite`, async (ctx) => {
      const body = await ctx.body();
      const email = requireEmail(body);
      const first = requireString(body, 'first_name');
      const last = requireString(body, 'last_name');
      const role = parseRole(body);
      requireString(body, 'message');
      if (ctx.org.userByEmail(email)) throw invalid('email', 'The email has already been taken.');
      const user = ctx.org.addUser({ email, first_name: first, last_name: last, role, status: 'invited' });
      ctx.org.count('usersInvited');
      return reply(200, { data: renderUser(ctx.org, user) });
    })
    .add('GET', `${ORG}/groups`, ({ org, query, selfUrl }) => {
      const q = (query.get('q') ?? '').toLowerCase();
      const rows = [...org.groups.values()].filter((g) => q === '' || g.name.toLowerCase().includes(q));
      const page = paginate(rows, query, { defaultPerPage: 10, cap: 100, selfUrl });
      return reply(200, { ...page, data: page.data.map(renderGroup) });
    })
    .add('POST', `${ORG}/groups`, async (ctx) => {
      const fields = await groupFields(ctx, undefined);
      const group = { id: ctx.org.ids.hex(), ...fields, created_at: ctx.org.now() };
      ctx.org.groups.set(group.id, group);
      ctx.org.count('groupsCreated');
      return reply(201, { data: renderGroup(group) });
    })
    .add('PUT', `${ORG}/groups/:id`, async (ctx) => {
      const group = ctx.org.groups.get(ctx.params.id as string);
      if (!group) throw resourceNotFound('Group');
      Object.assign(group, await groupFields(ctx, group.id));
      ctx.org.count('groupsUpdated');
      return reply(200, { data: renderGroup(group) });
    })
    .add('DELETE', `${ORG}/groups/:id`, ({ org, params }) => {
      if (!org.groups.delete(params.id as string)) throw resourceNotFound('Group');
      org.count('groupsDeleted');
      return reply(200, { data: { id: params.id } });
    })
    // Support-issued app tokens (client_credentials): create a member without inviting, and act as one.
    .add('POST', '/applications/:org/users', async (ctx) => {
      const body = await ctx.body();
      const email = requireEmail(body);
      const first = requireString(body, 'first_name');
      const last = requireString(body, 'last_name');
      const role = body.role === undefined ? 'standard' : parseRole(body);
      if (ctx.org.userByEmail(email)) throw invalid('email', 'The email has already been taken.');
      const user = ctx.org.addUser({ email, first_name: first, last_name: last, role, status: 'active' });
      ctx.org.count('usersCreated');
      return reply(201, { data: renderUser(ctx.org, user) });
    })
    .add('POST', '/applications/:org/users/:email/token', ({ org, params, tokens }) => {
      const user = org.userByEmail(params.email as string);
      if (!user) throw resourceNotFound('User');
      // Response shape inferred (the docs name the 90-day token, not its envelope): the /oauth/token fields.
      return reply(200, tokens.issue({ kind: 'user', userId: user.id }, LIFETIME.applicationUser, false));
    });
}

async function groupFields(ctx: Parameters<TallyfyRoute>[0], selfId: string | undefined) {
  const body = await ctx.body();
  const name = requireString(body, 'name');
  const description = optionalString(body, 'description');
  if (description === undefined) throw invalid('description', 'The description field is required.');
  // Names are unique in an organisation; the rejection is a 422 on `name` (inferred status).
  const clash = [...ctx.org.groups.values()].some((g) => g.id !== selfId && g.name.toLowerCase() === name.toLowerCase());
  if (clash) throw invalid('name', 'The name has already been taken.');
  const members = intList(body.members, 'members');
  const unknown = members.find((id) => !ctx.org.users.has(id));
  if (unknown !== undefined) throw invalid('members', `User ${unknown} is not a member of this organization.`);
  return { name, description, members, guests: stringList(body.guests, 'guests') };
}
