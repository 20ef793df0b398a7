import type { AttributeSpec } from './attributes.ts';

/**
 * The standard objects a migration touches, with the attributes the reference lists. Relationship pairs
 * (people.company ↔ companies.team, deals ↔ people/companies) keep their inverse in step automatically.
 */
const SYSTEM: AttributeSpec[] = [
  { slug: 'record_id', title: 'Record ID', type: 'text', isWritable: false, isSystem: true, isUnique: true },
  { slug: 'created_at', title: 'Created at', type: 'timestamp', isWritable: false, isSystem: true },
  { slug: 'created_by', title: 'Created by', type: 'actor-reference', isWritable: false, isSystem: true },
];

export interface StandardObject {
  slug: string;
  singular: string;
  plural: string;
  attributes: AttributeSpec[];
}

export const DEAL_STAGES = ['Lead', 'In Progress', 'Won 🎉', 'Lost'];

export function standardObjects(withDeals: boolean): StandardObject[] {
  const dealsRel = (attribute: string) => (withDeals ? { object: 'deals', attribute } : null);
  const people: StandardObject = {
    slug: 'people', singular: 'Person', plural: 'People',
    attributes: [
      ...SYSTEM,
      { slug: 'name', title: 'Name', type: 'personal-name' },
      { slug: 'email_addresses', title: 'Email addresses', type: 'email-address', isUnique: true, isMultiselect: true },
      { slug: 'description', title: 'Description', type: 'text' },
      { slug: 'company', title: 'Company', type: 'record-reference', allowedObjects: ['companies'], relationship: { object: 'companies', attribute: 'team' } },
      { slug: 'job_title', title: 'Job title', type: 'text' },
      { slug: 'phone_numbers', title: 'Phone numbers', type: 'phone-number', isMultiselect: true },
      { slug: 'primary_location', title: 'Primary location', type: 'location' },
      { slug: 'linkedin', title: 'LinkedIn', type: 'text' },
      ...(withDeals ? [{ slug: 'associated_deals', title: 'Associated deals', type: 'record-reference' as const, isMultiselect: true, allowedObjects: ['deals'], relationship: dealsRel('associated_people') }] : []),
    ],
  };
  const companies: StandardObject = {
    slug: 'companies', singular: 'Company', plural: 'Companies',
    attributes: [
      ...SYSTEM,
      { slug: 'domains', title: 'Domains', type: 'domain', isUnique: true, isMultiselect: true },
      { slug: 'name', title: 'Name', type: 'text' },
      { slug: 'description', title: 'Description', type: 'text' },
      { slug: 'team', title: 'Team', type: 'record-reference', isMultiselect: true, allowedObjects: ['people'], relationship: { object: 'people', attribute: 'company' } },
      { slug: 'categories', title: 'Categories', type: 'select', isMultiselect: true, options: ['B2B', 'B2C', 'SaaS', 'Enterprise', 'Fintech', 'Healthcare', 'Hardware'] },
      { slug: 'primary_location', title: 'Primary location', type: 'location' },
      ...(withDeals ? [{ slug: 'associated_deals', title: 'Associated deals', type: 'record-reference' as const, isMultiselect: true, allowedObjects: ['deals'], relationship: dealsRel('associated_company') }] : []),
    ],
  };
  const deals: StandardObject = {
    slug: 'deals', singular: 'Deal', plural: 'Deals',
    attributes: [
      ...SYSTEM,
      { slug: 'name', title: 'Deal name', type: 'text', isRequired: true },
      { slug: 'stage', title: 'Deal stage', type: 'status', isRequired: true, statuses: DEAL_STAGES },
      { slug: 'owner', title: 'Deal owner', type: 'actor-reference', isRequired: true },
      { slug: 'value', title: 'Deal value', type: 'currency', currencyCode: 'USD' },
      { slug: 'associated_people', title: 'Associated people', type: 'record-reference', isMultiselect: true, allowedObjects: ['people'], relationship: { object: 'people', attribute: 'associated_deals' } },
      { slug: 'associated_company', title: 'Associated company', type: 'record-reference', allowedObjects: ['companies'], relationship: { object: 'companies', attribute: 'associated_deals' } },
    ],
  };
  return withDeals ? [people, companies, deals] : [people, companies];
}
