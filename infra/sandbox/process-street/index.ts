export { startProcessStreetSandbox, DEFAULT_PROCESS_STREET_KEY, type ProcessStreetSandbox, type ProcessStreetSandboxOptions } from './start.ts';
export { ProcessStreetLimitsSchema, type ProcessStreetLimits, type ProcessStreetLimitsInput } from './rate-limit.ts';
export type { RequestCounts } from './request-counts.ts';
export { generateProcessStreetOrganization, type ProcessStreetOrganization, type OrganizationInspection, type OrganizationCounts } from './generator/index.ts';
export { checkProcessStreetContract } from './contract.ts';
