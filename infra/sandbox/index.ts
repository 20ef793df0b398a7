/** Public surface of the sandbox: the generator and both fake APIs. */
export * from './generator/index.ts';
export * from './affinity/index.ts';
export * from './attio/index.ts';
export { FaultConfigSchema, type FaultConfig, type FaultConfigInput, type FaultInjector } from './core/faults.ts';
export type { StatsSnapshot } from './core/stats.ts';
