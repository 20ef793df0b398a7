export { startTallyfySandbox, DEFAULT_TALLYFY_TOKEN, DEFAULT_TALLYFY_ORG, DEFAULT_OAUTH_CLIENT, type TallyfySandbox, type TallyfySandboxOptions } from './start.ts';
export { TallyfyLimitsSchema, type TallyfyLimits, type TallyfyLimitsInput } from './rate-limit.ts';
export { FIELD_TYPES, type FieldType } from './types.ts';
export type { OAuthClient } from './tokens.ts';
export type { OrganizationSnapshot } from './inspect.ts';
