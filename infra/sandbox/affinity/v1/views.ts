import type { AffinityAccount, ListEntryRef, Opportunity } from '../../generator/index.ts';

/**
 * What v1 returns of the generated records, as the v1 docs list it. The generator holds every
 * association; a listing carries only the resource's documented base fields, plus the ones a query flag
 * asks for, and a few fields exist only on the single GET (docs: "Does not include the associated
 * `organization_ids` or `list_entries`" for GET /persons; `list_entries` "only returned as part of" the
 * single GET for persons and organizations). A sandbox more generous than that let the connector read a
 * person's company from a listing, which a real account never allows.
 */
export interface ViewFlags {
  withOpportunities: boolean;
  withCurrentOrganizations: boolean;
}

export function viewFlags(query: URLSearchParams): ViewFlags {
  return {
    withOpportunities: query.get('with_opportunities') === 'true',
    withCurrentOrganizations: query.get('with_current_organizations') === 'true',
  };
}

/** The list entry resource of `list_entries` arrays: the docs' persons/organizations examples carry no entity_type. */
function entryRef(ref: ListEntryRef): Record<string, unknown> {
  return { id: ref.id, list_id: ref.list_id, creator_id: ref.creator_id, entity_id: ref.entity_id, created_at: ref.created_at };
}

export function personView(account: AffinityAccount, index: number, flags: ViewFlags, single: boolean): Record<string, unknown> {
  const p = account.person(index);
  const out: Record<string, unknown> = { id: p.id, type: p.type, first_name: p.first_name, last_name: p.last_name, primary_email: p.primary_email, emails: p.emails };
  if (single) out.organization_ids = p.organization_ids;
  if (flags.withOpportunities) out.opportunity_ids = p.opportunity_ids;
  if (flags.withCurrentOrganizations) out.current_organization_ids = account.currentOrganizationIds(index);
  if (single) out.list_entries = p.list_entries.map(entryRef);
  return out;
}

export function organizationView(account: AffinityAccount, index: number, flags: ViewFlags, single: boolean): Record<string, unknown> {
  const o = account.organization(index);
  const out: Record<string, unknown> = { id: o.id, name: o.name, domain: o.domain, domains: o.domains, global: o.global };
  // The listing example shows only the five base fields; person_ids appear on the single GET.
  if (single) out.person_ids = o.person_ids;
  if (flags.withOpportunities) out.opportunity_ids = o.opportunity_ids;
  if (single) out.list_entries = o.list_entries.map(entryRef);
  return out;
}

/** Opportunities carry their associations and their one list entry (with entity_type 8) in listings too, as documented. */
export function opportunityView(account: AffinityAccount, index: number): Opportunity {
  return account.opportunity(index);
}
