export { generateAffinityAccount, type AffinityAccount, type GenerateAccountOptions, type RecordKind } from './account.ts';
export { computeCounts, ID_BASE, SPLIT, type AccountCounts } from './layout.ts';
export { createPoisonRule, POISON_MARKER, type PoisonKind, type PoisonRule } from './poison.ts';
export { EDGE_DATES } from './dates.ts';
export type { ListEntries } from './list-entries.ts';
export type * from './types.ts';
