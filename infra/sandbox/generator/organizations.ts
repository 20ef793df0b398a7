import { createRng } from '../core/prng.ts';
import { opportunityId, organizationId, orphanId, personId, type GeneratorContext } from './context.ts';
import { ID_BASE, SALT } from './layout.ts';
import { poisonName } from './poison.ts';
import { entryRef } from './list-entries.ts';
import type { Organization } from './types.ts';
import { COMPANY_SUFFIXES, COMPANY_WORDS, TLDS, UNICODE_COMPANY_NAMES } from './words.ts';

const SUBDOMAINS = ['app', 'mail', 'eu', 'us', 'go', 'www2', 'shop', 'blog'] as const;

interface OrganizationCore {
  asciiName: string;
  slug: string;
  tld: string;
}

/** The name parts every other builder derives from (emails use the domain). */
function core(ctx: GeneratorContext, j: number): OrganizationCore {
  const rng = createRng(ctx.seed, SALT.organization, j);
  const first = rng.pick(COMPANY_WORDS);
  const second = rng.pick(COMPANY_WORDS);
  const suffix = rng.pick(COMPANY_SUFFIXES);
  return { asciiName: `${first} ${second} ${suffix}`, slug: `${first}${second}`.toLowerCase(), tld: rng.pick(TLDS) };
}

/** Domains are unique per organization: the index is part of each one. */
export function organizationDomains(ctx: GeneratorContext, j: number): string[] {
  if (ctx.traits.organization.noDomain(j)) return [];
  const { slug, tld } = core(ctx, j);
  const primary = `${slug}-${j.toString(36)}.${tld}`;
  if (!ctx.traits.organization.manyDomains(j)) return [primary];
  const extra = createRng(ctx.seed, SALT.organization, j, 1).between(5, 12);
  const others = [
    ...TLDS.filter((t) => t !== tld).map((t) => `${slug}-${j.toString(36)}.${t}`),
    ...SUBDOMAINS.map((sub) => `${sub}.${primary}`),
  ];
  return [primary, ...others.slice(0, extra)];
}

export function organizationName(ctx: GeneratorContext, j: number): string {
  const traits = ctx.traits.organization;
  let name = core(ctx, j).asciiName;
  if (traits.emptyName(j)) name = '';
  else if (traits.unicodeName(j)) name = UNICODE_COMPANY_NAMES[j % UNICODE_COMPANY_NAMES.length] as string;
  return ctx.poison.isPoison('organization', j) ? poisonName(name) : name;
}

export function buildOrganization(ctx: GeneratorContext, j: number): Organization {
  const { relations, traits } = ctx;
  const domains = organizationDomains(ctx, j);
  const persons = relations.organizationPersons(j).map(personId);
  if (traits.organization.orphanPerson(j)) persons.push(orphanId(ID_BASE.person, j));
  return {
    id: organizationId(j),
    name: organizationName(ctx, j),
    domain: domains[0] ?? null,
    domains,
    global: traits.organization.global(j),
    person_ids: persons,
    opportunity_ids: relations.organizationOpportunities(j).map(opportunityId),
    list_entries: relations.entityEntries('organization', j).map((e) => entryRef(ctx, e)),
  };
}

/** The compact entity summary embedded in list entries. */
export function organizationSummary(ctx: GeneratorContext, j: number): Record<string, unknown> {
  const domains = organizationDomains(ctx, j);
  return { id: organizationId(j), name: organizationName(ctx, j), domain: domains[0] ?? null, domains, global: ctx.traits.organization.global(j) };
}
