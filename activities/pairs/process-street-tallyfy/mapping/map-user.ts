import { KEY, type MemberWrite, type PsUser } from '../contract.ts';
import { cleanText, normalizeEmail } from './text.ts';
import { skip, type PsMapContext, type PsMapOutcome } from './types.ts';

/**
 * User → member. PS users carry only id, email and username (no role, no name parts): names come from
 * the username (first word / rest), else from the email's local part. Tallyfy requires both names, so
 * a one-word name gets `missingLastName`. The role is the config's, per email or default. The target
 * looks the member up by this (normalised) email before inviting.
 */
export function mapUser(user: PsUser, ctx: PsMapContext): PsMapOutcome<MemberWrite> {
  const email = normalizeEmail(user.email);
  if (!email) return skip('validation', `invalid email ${JSON.stringify(user.email)}: Tallyfy members are invited by email`);
  const notes: string[] = [];
  const fromUsername = cleanText(user.username);
  const words = (fromUsername || email.split('@')[0]!.replace(/[._+-]+/g, ' ')).split(' ').filter((w) => w !== '');
  if (!fromUsername) notes.push('no username: name taken from the email');
  const [first = email, ...rest] = words;
  const lastName = rest.join(' ') || ctx.config.missingLastName;
  if (rest.length === 0) notes.push(`one-word name: last name set to "${ctx.config.missingLastName}"`);
  const role = roleFor(email, ctx);
  return {
    status: 'ok',
    write: { kind: 'member', source: { kind: KEY.user, id: user.id }, email, firstName: first, lastName, role },
    notes: [...notes, `role ${role}`], warnings: [], degraded: [], unresolved: [],
  };
}

function roleFor(email: string, ctx: PsMapContext): MemberWrite['role'] {
  for (const [key, role] of Object.entries(ctx.config.roles)) if (normalizeEmail(key) === email) return role;
  return ctx.config.defaultRole;
}
