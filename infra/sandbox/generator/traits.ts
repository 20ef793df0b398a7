import { hashInts } from '../core/prng.ts';

/**
 * Messy cases appear at a fixed period (index % period === offset) rather than by coin flip: the rate is
 * exact, and an account with fewer records than the period still holds one instance (offset < count).
 */
export type IndexRule = (index: number) => boolean;

export function createPeriodicRule(seed: number, salt: number, period: number, count: number): IndexRule {
  if (count <= 0 || period <= 0) return () => false;
  const offset = hashInts(seed, salt, period) % Math.min(period, count);
  return (index) => index % period === offset;
}

/** Every messy-case rule of an account, by kind. Periods are the inverse rates. */
export interface AccountTraits {
  person: {
    unicodeName: IndexRule;
    emptyName: IndexRule;
    noEmail: IndexRule;
    duplicateEmail: IndexRule;
    mixedCaseEmail: IndexRule;
    noOrganization: IndexRule;
    orphanOrganization: IndexRule;
  };
  organization: {
    unicodeName: IndexRule;
    emptyName: IndexRule;
    noDomain: IndexRule;
    manyDomains: IndexRule;
    global: IndexRule;
    orphanPerson: IndexRule;
  };
  opportunity: { unicodeName: IndexRule; emptyName: IndexRule; orphanPerson: IndexRule };
  note: { huge: IndexRule; html: IndexRule; edgeDate: IndexRule; orphanPerson: IndexRule; mergedPerson: IndexRule; reply: IndexRule };
  listEntry: { duplicate: IndexRule };
  fieldValue: { edgeDate: IndexRule; orphanReference: IndexRule };
}

export function createTraits(
  seed: number,
  counts: { persons: number; organizations: number; opportunities: number; notes: number; listEntries: number },
  options: { everyPersonHasCompany?: boolean } = {},
): AccountTraits {
  const rule = (salt: number, period: number, count: number) => createPeriodicRule(seed, salt, period, count);
  const { persons: p, organizations: o, opportunities: m, notes: n, listEntries: e } = counts;
  return {
    person: {
      unicodeName: rule(101, 20, p),
      emptyName: rule(102, 97, p),
      noEmail: rule(103, 19, p),
      duplicateEmail: rule(104, 53, p),
      mixedCaseEmail: rule(105, 41, p),
      noOrganization: options.everyPersonHasCompany ? () => false : rule(106, 23, p),
      orphanOrganization: rule(107, 211, p),
    },
    organization: {
      unicodeName: rule(201, 17, o),
      emptyName: rule(202, 101, o),
      noDomain: rule(203, 13, o),
      manyDomains: rule(204, 47, o),
      global: rule(205, 37, o),
      orphanPerson: rule(206, 89, o),
    },
    opportunity: { unicodeName: rule(301, 19, m), emptyName: rule(302, 83, m), orphanPerson: rule(303, 71, m) },
    note: {
      huge: rule(401, 397, n),
      html: rule(402, 5, n),
      edgeDate: rule(403, 61, n),
      orphanPerson: rule(404, 149, n),
      mergedPerson: rule(405, 307, n),
      reply: rule(406, 43, n),
    },
    listEntry: { duplicate: rule(501, 31, e) },
    fieldValue: { edgeDate: rule(601, 29, Number.MAX_SAFE_INTEGER), orphanReference: rule(602, 67, Number.MAX_SAFE_INTEGER) },
  };
}
