export { startAffinitySandbox, DEFAULT_AFFINITY_KEY, type AffinitySandbox, type AffinitySandboxOptions } from './start.ts';
export { AffinityLimitsSchema, type AffinityLimits, type AffinityLimitsInput } from './rate-limit.ts';
export type { RequestCounts } from './request-counts.ts';
