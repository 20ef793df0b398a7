export { startAttioSandbox, DEFAULT_ATTIO_TOKEN, type AttioSandbox, type AttioSandboxOptions } from './start.ts';
export { AttioLimitsSchema, type AttioLimits, type AttioLimitsInput } from './rate-limit.ts';
export { PoisonConfigSchema, type PoisonConfig, type PoisonConfigInput } from './poison.ts';
export { DEAL_STAGES } from './workspace/standard-objects.ts';
export { DEFAULT_NOTE_LIMIT_BYTES } from './workspace/workspace.ts';
export type { PersistOptions } from './persist/persistence.ts';
