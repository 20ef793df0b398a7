import { createRng } from '../core/prng.ts';
import { opportunityId, organizationId, orphanId, personId, type GeneratorContext } from './context.ts';
import { opportunityEntryRef } from './list-entries.ts';
import { ID_BASE, SALT } from './layout.ts';
import { organizationName } from './organizations.ts';
import { poisonName } from './poison.ts';
import type { Opportunity } from './types.ts';
import { DEAL_WORDS, UNICODE_COMPANY_NAMES } from './words.ts';

export function opportunityName(ctx: GeneratorContext, m: number): string {
  const traits = ctx.traits.opportunity;
  const rng = createRng(ctx.seed, SALT.opportunity, m);
  const deal = rng.pick(DEAL_WORDS);
  const org = ctx.relations.opportunityOrganizations(m)[0];
  let name = `${org === undefined ? 'Untitled' : organizationName(ctx, org) || 'Unnamed'} – ${deal}`;
  if (traits.emptyName(m)) name = '';
  else if (traits.unicodeName(m)) name = `${UNICODE_COMPANY_NAMES[m % UNICODE_COMPANY_NAMES.length]} · ${deal} ✨`;
  return ctx.poison.isPoison('opportunity', m) ? poisonName(name) : name;
}

/** Every opportunity sits on exactly one opportunity list, so `list_entries` has exactly one entry. */
export function buildOpportunity(ctx: GeneratorContext, m: number): Opportunity {
  const persons = ctx.relations.opportunityPersons(m).map(personId);
  if (ctx.traits.opportunity.orphanPerson(m)) persons.push(orphanId(ID_BASE.person, m + 7));
  return {
    id: opportunityId(m),
    name: opportunityName(ctx, m),
    person_ids: persons,
    organization_ids: ctx.relations.opportunityOrganizations(m).map(organizationId),
    list_entries: [opportunityEntryRef(ctx, m)],
  };
}

export function opportunitySummary(ctx: GeneratorContext, m: number): Record<string, unknown> {
  return { id: opportunityId(m), name: opportunityName(ctx, m) };
}
