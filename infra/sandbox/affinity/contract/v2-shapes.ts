/** Affinity v2 response schemas, by hand from the OpenAPI document's `components/schemas` (names kept). */
import { arrayOf, boolean, closed, constant, count, dateTime, id, id32, nullableDateTime, nullableString, oneOf, open, string, type Schema } from './common.ts';

const hostname: Schema = { type: 'string', format: 'hostname' };
const nullableHostname: Schema = { type: ['string', 'null'], format: 'hostname' };
const email: Schema = { type: 'string', format: 'email' };
const nullableEmail: Schema = { type: ['string', 'null'], format: 'email' };
const page = (item: Schema, max = 100): Schema => arrayOf(item, { maxItems: max });

export const pagination: Schema = closed({ nextUrl: { type: ['string', 'null'], format: 'uri' }, prevUrl: { type: ['string', 'null'], format: 'uri' } }, []);
export const paginationWithTotalCount: Schema = closed({
  nextUrl: { type: ['string', 'null'], format: 'uri' }, prevUrl: { type: ['string', 'null'], format: 'uri' }, totalCount: count,
}, []);
export const paged = (item: Schema): Schema => closed({ data: page(item), pagination });

export const personData: Schema = closed({
  id, firstName: nullableString, lastName: nullableString, primaryEmailAddress: nullableEmail, type: { type: 'string', enum: ['internal', 'external', 'collaborator'] },
});
export const companyData: Schema = closed({ id, name: string, domain: nullableHostname });
export const opportunity: Schema = closed({ id, name: string, listId: id });

const location: Schema = closed({ streetAddress: nullableString, city: nullableString, state: nullableString, country: nullableString, continent: nullableString });
const dropdown: Schema = closed({ dropdownOptionId: id, text: string });
const rankedDropdown: Schema = closed({ dropdownOptionId: id, text: string, rank: count, color: nullableString });
const value = (type: string | string[], data: Schema): Schema =>
  closed({ type: Array.isArray(type) ? { type: 'string', enum: type } : constant(type), data });
const nullable = (schema: Schema): Schema => oneOf(schema, { type: 'null' });
const many = (item: Schema, max?: number): Schema => ({ type: ['array', 'null'], items: item, ...(max ? { maxItems: max } : {}) });

/**
 * FieldValue: the 17 value types of the spec's discriminator. The interaction type (relationship
 * intelligence data) is accepted as an object or null: the sandbox never serves it.
 */
export const fieldValue: Schema = oneOf(
  value('company', nullable(companyData)),
  value('company-multi', many(companyData, 100)),
  value('datetime', nullableDateTime),
  value('dropdown', nullable(dropdown)),
  value('dropdown-multi', many(dropdown)),
  value('number', { type: ['number', 'null'] }),
  value('number-multi', many({ type: 'number' })),
  value('formula-number', nullable(closed({ calculatedValue: { type: ['number', 'null'] } }, []))),
  value('interaction', { type: ['object', 'null'] }),
  value('location', nullable(location)),
  value('location-multi', many(location)),
  value('person', nullable(personData)),
  value('person-multi', many(personData, 100)),
  value('ranked-dropdown', nullable(rankedDropdown)),
  value(['filterable-text', 'text'], nullableString),
  value('filterable-text-multi', many(string)),
);

const FIELD_TYPES = ['enriched', 'global', 'list', 'relationship-intelligence'];
const enrichmentSource: Schema = { type: ['string', 'null'], enum: ['affinity-data', 'dealroom', null] };

export const field: Schema = closed({ id: string, name: string, type: { type: 'string', enum: FIELD_TYPES }, enrichmentSource, value: fieldValue });
export const fieldMetadata: Schema = closed({
  id: string, name: string, type: { type: 'string', enum: FIELD_TYPES }, enrichmentSource,
  valueType: {
    type: 'string',
    enum: ['person', 'person-multi', 'company', 'company-multi', 'filterable-text', 'filterable-text-multi', 'number', 'number-multi', 'datetime',
      'location', 'location-multi', 'text', 'ranked-dropdown', 'dropdown', 'dropdown-multi', 'formula-number', 'interaction'],
  },
});

const fields = arrayOf(field);
export const company: Schema = closed({ id, name: string, domain: nullableHostname, domains: arrayOf(hostname), isGlobal: boolean, fields }, ['id', 'name', 'domain', 'domains', 'isGlobal']);
export const person: Schema = closed({
  id, firstName: string, lastName: nullableString, primaryEmailAddress: nullableEmail, emailAddresses: arrayOf(email),
  type: { type: 'string', enum: ['internal', 'external'] }, fields,
}, ['id', 'firstName', 'lastName', 'primaryEmailAddress', 'emailAddresses', 'type']);
const opportunityWithFields: Schema = closed({ id, name: string, listId: id, fields }, ['id', 'name', 'listId']);

export const list: Schema = closed({ id, name: string, isPublic: boolean, ownerId: id, creatorId: id });
export const listWithType: Schema = closed({ id, name: string, type: { type: 'string', enum: ['company', 'opportunity', 'person'] }, isPublic: boolean, ownerId: id, creatorId: id });

const entryHead = { id, listId: id, createdAt: dateTime, creatorId: { type: ['integer', 'null'], minimum: 1 } };
/** ListEntry (GET /v2/{companies|persons}/{id}/list-entries): no entity, `fields` required. */
export const listEntry: Schema = closed({ ...entryHead, fields });
export const listEntryWithEntity: Schema = oneOf(
  closed({ ...entryHead, type: constant('company'), entity: company }),
  closed({ ...entryHead, type: constant('opportunity'), entity: opportunityWithFields }),
  closed({ ...entryHead, type: constant('person'), entity: person }),
);
export const listEntryWithEntityPaged: Schema = closed({ data: { type: ['array', 'null'], items: listEntryWithEntity, maxItems: 100 }, pagination });

/** Notes (beta in the spec): open schemas composed of BaseNote + root or reply parts. */
const mention: Schema = open({ id: id32, type: constant('person'), person: personData });
const baseNote = {
  id: id32, content: open({ html: nullableString }), creator: personData, mentions: arrayOf(mention, { maxItems: 100 }), createdAt: dateTime, updatedAt: nullableDateTime,
};
const preview = (item: Schema): Schema => open({ data: arrayOf(item, { maxItems: 100 }), totalCount: count }, []);
const rootParts = {
  personsPreview: preview(personData), companiesPreview: preview(companyData), opportunitiesPreview: preview(opportunity),
  permissions: open({ owner: personData, sharingType: { type: 'string', enum: ['private', 'public', 'custom'] } }), repliesCount: count,
};
const BASE_REQUIRED = ['id', 'content', 'creator', 'mentions', 'createdAt', 'updatedAt'];
const entitiesNote = open({ ...baseNote, ...rootParts, type: constant('entities') }, [...BASE_REQUIRED, 'type']);
const interactionNote = open({ ...baseNote, ...rootParts, type: constant('interaction'), interaction: { type: 'object' } }, [...BASE_REQUIRED, 'type', 'interaction']);
const aiNotetakerNote = open({ ...baseNote, ...rootParts, type: constant('ai-notetaker'), interaction: { type: 'object' } }, [...BASE_REQUIRED, 'type']);
const replyParent = { parent: open({ id: id32 }) };
const userReply = open({ ...baseNote, ...replyParent, type: constant('user-reply') }, [...BASE_REQUIRED, 'parent', 'type']);
const aiReply = open({ ...baseNote, ...replyParent, type: constant('ai-notetaker-reply'), interaction: { type: 'object' } }, [...BASE_REQUIRED, 'parent', 'type']);

export const note: Schema = oneOf(entitiesNote, interactionNote, aiNotetakerNote, userReply, aiReply);
export const notesPaged: Schema = open({ data: arrayOf(note, { maxItems: 100 }), pagination: paginationWithTotalCount });
export const repliesPaged: Schema = open({ data: arrayOf(oneOf(userReply, aiReply), { maxItems: 100 }), pagination: paginationWithTotalCount });

const mergeState = (kind: 'Person' | 'Company'): Schema => closed({
  id, status: { type: 'string', enum: ['in-progress', 'success', 'failed'] }, taskId: { type: 'string', format: 'uuid' }, startedAt: dateTime,
  [`primary${kind}Id`]: id, [`duplicate${kind}Id`]: id, completedAt: nullableDateTime, errorMessage: nullableString,
});
export const personMergeState = mergeState('Person');
export const companyMergeState = mergeState('Company');

export const whoAmI: Schema = closed({
  tenant: closed({ id, name: string, subdomain: hostname }),
  user: closed({ id, firstName: string, lastName: nullableString, emailAddress: email }),
  grant: closed({ type: { type: 'string', enum: ['api-key', 'access-token'] }, scopes: arrayOf(string), createdAt: dateTime }),
});

const CODES = ['authentication', 'authorization', 'bad-request', 'conflict', 'method-not-allowed', 'not-acceptable', 'not-found', 'not-implemented',
  'rate-limit', 'server', 'unprocessable-entity', 'unsupported-media-type'];
const plainError = (codes: string[]): Schema => closed({ code: { type: 'string', enum: codes }, message: string });
const validationError: Schema = closed({ code: constant('validation'), message: string, param: string });

/** Error bodies: `responses/400`, `/403`, `/404` where an operation shows them, `Errors` (default) otherwise. */
export const errors = {
  400: closed({ errors: arrayOf(oneOf(plainError(['bad-request']), validationError)) }),
  403: closed({ errors: arrayOf(plainError(['authorization'])) }),
  404: closed({ errors: arrayOf(plainError(['not-found'])) }),
  default: closed({ errors: arrayOf(oneOf(plainError(CODES), validationError)) }),
} as const;
