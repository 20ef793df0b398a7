import type { AffinityAccount, List } from '../../generator/index.ts';

/**
 * The generated records in v2 shapes (spec `components/schemas`: Person, Company, Opportunity,
 * PersonData, CompanyData, ListWithType). v2 has no association arrays on these resources: links live
 * in `fields` (see field-data.ts).
 */
export function personData(account: AffinityAccount, index: number): Record<string, unknown> {
  const p = account.person(index);
  return { id: p.id, firstName: p.first_name, lastName: p.last_name, primaryEmailAddress: p.primary_email, type: p.type === 1 ? 'internal' : 'external' };
}

export function companyData(account: AffinityAccount, index: number): Record<string, unknown> {
  const o = account.organization(index);
  return { id: o.id, name: o.name, domain: o.domain };
}

export function person(account: AffinityAccount, index: number): Record<string, unknown> {
  const p = account.person(index);
  return {
    id: p.id, firstName: p.first_name, lastName: p.last_name, primaryEmailAddress: p.primary_email, emailAddresses: p.emails,
    type: p.type === 1 ? 'internal' : 'external',
  };
}

export function company(account: AffinityAccount, index: number): Record<string, unknown> {
  const o = account.organization(index);
  return { id: o.id, name: o.name, domain: o.domain, domains: o.domains, isGlobal: o.global };
}

export function opportunity(account: AffinityAccount, index: number): Record<string, unknown> {
  const m = account.opportunity(index);
  return { id: m.id, name: m.name, listId: m.list_entries[0]?.list_id };
}

const LIST_TYPE = { 0: 'person', 1: 'company', 8: 'opportunity' } as const;

export function listWithType(list: List): Record<string, unknown> {
  return { id: list.id, name: list.name, type: LIST_TYPE[list.type], isPublic: list.public, ownerId: list.owner_id, creatorId: list.creator_id };
}
