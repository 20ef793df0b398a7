import { hashInts } from '../core/prng.ts';
import { SALT } from './layout.ts';

/**
 * Poison records: a deterministic share of persons, organizations, opportunities and notes carry
 * POISON_MARKER in a name (or note content). The Attio sandbox rejects any write containing the marker
 * with 400 validation_type while its poison switch is on, so a retry after switching it off succeeds.
 */
export const POISON_MARKER = '__poison__';

export type PoisonKind = 'person' | 'organization' | 'opportunity' | 'note';

const KIND_CODE: Record<PoisonKind, number> = { person: 1, organization: 2, opportunity: 3, note: 4 };

export interface PoisonRule {
  readonly rate: number;
  isPoison(kind: PoisonKind, index: number): boolean;
  /** Indexes of poison records of a kind among the first `count`, ascending. */
  indexes(kind: PoisonKind, count: number): number[];
}

/**
 * Every round(1/rate)-th record (from a seeded offset) is poison; rate 0 disables. The offset stays below
 * the kind's count, so even a small account holds at least one poison record of each kind when rate > 0.
 */
export function createPoisonRule(seed: number, rate: number, counts: Record<PoisonKind, number>): PoisonRule {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`poisonRate must be within [0, 1], got ${rate}`);
  const period = rate === 0 ? 0 : Math.max(1, Math.round(1 / rate));
  const offset = (kind: PoisonKind) =>
    (period === 0 ? 0 : hashInts(seed, SALT.poison, KIND_CODE[kind]) % Math.min(period, Math.max(1, counts[kind])));
  const offsets = { person: offset('person'), organization: offset('organization'), opportunity: offset('opportunity'), note: offset('note') };
  return {
    rate,
    isPoison: (kind, index) => period > 0 && index % period === offsets[kind],
    indexes(kind, count) {
      const out: number[] = [];
      if (period === 0) return out;
      for (let i = offsets[kind]; i < count; i += period) out.push(i);
      return out;
    },
  };
}

/** Appends the marker to a name, keeping it non-empty. */
export function poisonName(name: string): string {
  return name === '' ? POISON_MARKER : `${name} ${POISON_MARKER}`;
}
