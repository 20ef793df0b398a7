import { createRng } from '../core/prng.ts';
import { opportunityId, organizationId, orphanId, personId, type GeneratorContext } from './context.ts';
import { entryRef } from './list-entries.ts';
import { ID_BASE, SALT } from './layout.ts';
import { organizationDomains } from './organizations.ts';
import { poisonName } from './poison.ts';
import type { Person } from './types.ts';
import { FIRST_NAMES, LAST_NAMES, PERSONAL_EMAIL_DOMAINS, UNICODE_FIRST_NAMES, UNICODE_LAST_NAMES } from './words.ts';

interface PersonCore {
  asciiFirst: string;
  asciiLast: string;
  personalDomain: string;
  secondEmail: boolean;
}

function core(ctx: GeneratorContext, i: number): PersonCore {
  const rng = createRng(ctx.seed, SALT.person, i);
  return {
    asciiFirst: rng.pick(FIRST_NAMES),
    asciiLast: rng.pick(LAST_NAMES),
    personalDomain: rng.pick(PERSONAL_EMAIL_DOMAINS),
    secondEmail: rng.chance(0.25),
  };
}

/**
 * A person's own addresses, before duplicate sharing: work address at the first organization's domain
 * (personal mailbox when there is none), sometimes a second personal one. The index keeps them unique.
 */
function ownEmails(ctx: GeneratorContext, i: number): string[] {
  if (ctx.traits.person.noEmail(i)) return [];
  const c = core(ctx, i);
  const local = `${c.asciiFirst}.${c.asciiLast}${i}`.toLowerCase();
  const firstOrg = ctx.relations.personOrganizations(i)[0];
  const workDomain = firstOrg === undefined ? undefined : organizationDomains(ctx, firstOrg)[0];
  const personal = `${c.asciiFirst}${c.asciiLast}${i}@${c.personalDomain}`.toLowerCase();
  const emails = workDomain ? [`${local}@${workDomain}`] : [personal];
  if (workDomain && c.secondEmail) emails.push(personal);
  if (ctx.traits.person.mixedCaseEmail(i) && emails[0]) emails[0] = mixCase(emails[0]);
  return emails;
}

function mixCase(email: string): string {
  return email.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

export function personEmails(ctx: GeneratorContext, i: number): string[] {
  const own = ownEmails(ctx, i);
  // Duplicates: this person also holds the previous person's first address (period > 1, so no chains).
  if (i > 0 && ctx.traits.person.duplicateEmail(i)) {
    const shared = ownEmails(ctx, i - 1)[0];
    if (shared !== undefined) return [shared, ...own.filter((e) => e !== shared)];
  }
  return own;
}

export function personNames(ctx: GeneratorContext, i: number): { first_name: string; last_name: string } {
  const traits = ctx.traits.person;
  const c = core(ctx, i);
  let first = c.asciiFirst;
  let last = c.asciiLast;
  if (traits.emptyName(i)) [first, last] = ['', ''];
  else if (traits.unicodeName(i)) {
    first = UNICODE_FIRST_NAMES[i % UNICODE_FIRST_NAMES.length] as string;
    last = UNICODE_LAST_NAMES[(i >> 1) % UNICODE_LAST_NAMES.length] as string;
  }
  if (ctx.poison.isPoison('person', i)) last = poisonName(last);
  return { first_name: first, last_name: last };
}

export function buildPerson(ctx: GeneratorContext, i: number): Person {
  const { relations, traits } = ctx;
  const emails = personEmails(ctx, i);
  const organizations = relations.personOrganizations(i).map(organizationId);
  if (traits.person.orphanOrganization(i)) organizations.push(orphanId(ID_BASE.organization, i));
  return {
    id: personId(i),
    type: i < ctx.internalPersonIds.length ? 1 : 0,
    ...personNames(ctx, i),
    primary_email: emails[0] ?? null,
    emails,
    organization_ids: organizations,
    opportunity_ids: relations.personOpportunities(i).map(opportunityId),
    list_entries: relations.entityEntries('person', i).map((e) => entryRef(ctx, e)),
  };
}

export function personSummary(ctx: GeneratorContext, i: number): Record<string, unknown> {
  const emails = personEmails(ctx, i);
  return { id: personId(i), type: i < ctx.internalPersonIds.length ? 1 : 0, ...personNames(ctx, i), primary_email: emails[0] ?? null, emails };
}
