import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { GroupWrite, MemberWrite, TallyfyWriteResult } from '../contract.ts';
import { item, known, pathId, remember, result, type TfGroup, type TfUser, type WriteContext } from './tallyfy-shapes.ts';

/** The invitation text Tallyfy requires (`message*`); the invitee reads it. */
const INVITE_MESSAGE = 'Your organisation is moving its processes from Process Street to Tallyfy.';

async function findUser(ctx: WriteContext, email: string): Promise<TfUser | undefined> {
  const want = email.trim().toLowerCase();
  const match = (u: TfUser): boolean => typeof u.email === 'string' && u.email.trim().toLowerCase() === want;
  const users = await ctx.client.listAll<TfUser>('/users', { q: email }, { signal: ctx.signal, until: match });
  return users.find(match);
}

/**
 * Member: id map → `GET /users?q=email` (exact, case-insensitive: `q` also matches names and
 * substrings) → `POST /users/invite` (paced by the invite cap). An invite answered 422 "exists" is
 * looked up again: the user was invited by an attempt that crashed before the id map, or by a person.
 */
export async function writeMember(ctx: WriteContext, w: MemberWrite): Promise<TallyfyWriteResult> {
  const hit = await known(ctx, w.source);
  if (hit) return result(hit, 'unchanged');
  const adopt = async (user: TfUser, why: string): Promise<TallyfyWriteResult> =>
    result(await remember(ctx, w.source, { object: 'member', id: String(user.id) }), 'unchanged', [why]);
  const existing = await findUser(ctx, w.email);
  if (existing) return adopt(existing, 'a Tallyfy user with this email exists; mapped to it');
  let created: TfUser;
  try {
    created = item(await ctx.client.request<{ data: TfUser }>('POST', '/users/invite', {
      body: { email: w.email, first_name: w.firstName, last_name: w.lastName, role: w.role, message: INVITE_MESSAGE }, pace: 'invite', signal: ctx.signal,
    }));
  } catch (error) {
    // Any 422 is worth one look-up (the wording of "exists" is not documented); not found → the 422 stands.
    if (!isConnectorError(error) || error.status !== 422) throw error;
    const again = await findUser(ctx, w.email);
    if (!again) throw error;
    return adopt(again, 'the invite said the user exists; mapped to it');
  }
  const target = await remember(ctx, w.source, { object: 'member', id: String(created.id) });
  return result(target, 'created', ['Tallyfy emailed the user an invitation']);
}

async function findGroup(ctx: WriteContext, name: string): Promise<TfGroup | undefined> {
  const match = (g: TfGroup): boolean => g.name === name;
  return (await ctx.client.listAll<TfGroup>('/groups', { q: name }, { signal: ctx.signal, until: match })).find(match);
}

/** Group: id map → `GET /groups?q=name` exact → `POST /groups` (names are unique: 422 on a duplicate → look up, inferred). */
export async function writeGroup(ctx: WriteContext, w: GroupWrite): Promise<TallyfyWriteResult> {
  const hit = await known(ctx, w.source);
  if (hit) return result(hit, 'unchanged');
  const existing = await findGroup(ctx, w.name);
  if (existing) return result(await remember(ctx, w.source, { object: 'group', id: String(existing.id) }), 'unchanged', ['a group with this name exists; mapped to it']);
  let created: TfGroup;
  try {
    created = item(await ctx.client.request<{ data: TfGroup }>('POST', '/groups', {
      body: { name: w.name, description: w.description, members: w.memberIds, guests: [] }, signal: ctx.signal,
    }));
  } catch (error) {
    if (!isConnectorError(error) || error.status !== 422) throw error;
    const again = await findGroup(ctx, w.name);
    if (!again) throw error;
    return result(await remember(ctx, w.source, { object: 'group', id: String(again.id) }), 'unchanged', ['the group existed; mapped to it']);
  }
  const target = await remember(ctx, w.source, { object: 'group', id: String(created.id) });
  if (target.id !== String(created.id)) {
    // A concurrent attempt won the id map: ours is a duplicate, and groups can be deleted.
    await ctx.client.request('DELETE', `/groups/${pathId(created.id)}`, { signal: ctx.signal });
    return result(target, 'unchanged', [`concurrent write won; deleted duplicate group ${created.id}`]);
  }
  return result(target, 'created');
}
