import { createRng } from '../../core/prng.ts';
import { FIRST_NAMES, LAST_NAMES, UNICODE_FIRST_NAMES, UNICODE_LAST_NAMES } from '../../generator/words.ts';
import { KIND, muid, slug } from './ids.ts';
import type { ScimGroup, UserRef } from './types.ts';

export interface GeneratedUser extends UserRef {
  displayName: string;
  givenName: string;
  familyName: string;
}

export interface People {
  /** Users listed by /users and SCIM, in listing order. */
  users: GeneratedUser[];
  /** A former user: still named as creator/completer of old objects, absent from /users and SCIM. */
  formerUser: UserRef;
  groups: ScimGroup[];
}

const GROUP_NAMES = ['Operations', 'Finance', 'Customer Success', 'Sales', 'Engineering', 'HR & People', 'Légal / Conformité', 'Onboarding'];

export const refOf = (user: UserRef): UserRef => (user.username === undefined ? { id: user.id, email: user.email } : { id: user.id, email: user.email, username: user.username });

/**
 * Users with emails. Messy on purpose: two users whose emails differ only by case (a target that looks
 * members up by email must not merge or duplicate them blindly), one without a username, unicode names.
 */
export function buildPeople(seed: number, userCount: number, groupCount: number): People {
  const rng = createRng(seed, KIND.user);
  const users: GeneratedUser[] = [];
  for (let i = 0; i < userCount; i += 1) {
    const unicode = i % 7 === 3;
    const givenName = unicode ? rng.pick(UNICODE_FIRST_NAMES) : rng.pick(FIRST_NAMES);
    const familyName = unicode ? rng.pick(UNICODE_LAST_NAMES) : rng.pick(LAST_NAMES);
    const local = `${slug(givenName) || 'user'}.${slug(familyName) || 'x'}${i}`;
    const user: GeneratedUser = { id: muid(seed, KIND.user, i), email: `${local}@example-ops.com`, username: `${givenName} ${familyName}`, displayName: `${givenName} ${familyName}`, givenName, familyName };
    users.push(user);
  }
  // Same address as user 1 but in another case: two accounts, one mailbox.
  if (userCount > 2) {
    const twin = users[1] as GeneratedUser;
    const last = users[userCount - 1] as GeneratedUser;
    last.email = twin.email.replace(/^./, (c) => c.toUpperCase()).replace('@example-ops.com', '@Example-Ops.com');
  }
  // One user never set a username.
  if (userCount > 3) delete (users[2] as GeneratedUser).username;
  const formerUser: UserRef = { id: muid(seed, KIND.user, 1_000_000), email: 'departed.colleague@example-ops.com', username: 'Departed Colleague' };

  const groups: ScimGroup[] = [];
  for (let g = 0; g < groupCount; g += 1) {
    const members = users.filter((_, i) => (i + g) % (g + 2) === 0 || rng.chance(0.1));
    groups.push({
      id: muid(seed, KIND.group, g),
      displayName: GROUP_NAMES[g % GROUP_NAMES.length] + (g >= GROUP_NAMES.length ? ` ${Math.floor(g / GROUP_NAMES.length) + 1}` : ''),
      members: members.map((u) => ({ value: u.id, display: u.email })),
    });
  }
  return { users, formerUser, groups };
}
