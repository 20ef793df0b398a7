import { createPermutation, type Permutation } from '../core/permutation.ts';
import { createRng } from '../core/prng.ts';
import { SALT, type AccountCounts } from './layout.ts';
import type { AccountTraits } from './traits.ts';

/**
 * Who relates to whom, by index arithmetic only. Each forward rule (person → organizations, entry → entity,
 * note → parents) has an inverse that enumerates a handful of candidates, so both directions agree and
 * neither needs the account in memory.
 */
export type NoteKind = 'person' | 'organization' | 'opportunity' | 'multi';

export interface EntryTarget {
  /** Position among the person+organization lists (persons' lists first). */
  listSlot: number;
  /** Position of the entry within its list. */
  position: number;
  entityKind: 'person' | 'organization';
  entityIndex: number;
}

export interface Relations {
  personOrganizations(i: number): number[];
  organizationPersons(j: number): number[];
  opportunityPersons(m: number): number[];
  opportunityOrganizations(m: number): number[];
  personOpportunities(i: number): number[];
  organizationOpportunities(j: number): number[];
  /** Number of entries on a person/organization list slot. */
  entityListSize(listSlot: number): number;
  /** Global entry index of the entry at `position` on `listSlot`. */
  entryIndex(listSlot: number, position: number): number;
  entryTarget(e: number): EntryTarget;
  entityEntries(kind: 'person' | 'organization', index: number): number[];
  opportunityListSlot(m: number): number;
  opportunityListSize(listSlot: number): number;
  noteKind(n: number): NoteKind;
  /** A reply (v1 `parent_id` set): the docs say replies never carry person, organization or opportunity ids. */
  isReply(n: number): boolean;
  notePersons(n: number): number[];
  noteOrganizations(n: number): number[];
  noteOpportunities(n: number): number[];
  notesOf(kind: 'person' | 'organization' | 'opportunity', index: number): number[];
}

export function createRelations(seed: number, counts: AccountCounts, traits: AccountTraits, lists: { person: number; organization: number; opportunity: number }): Relations {
  const { persons: P, organizations: O, opportunities: M, notes: N, listEntries: R } = counts;
  const E = lists.person + lists.organization;
  const L = lists.opportunity;
  const half = Math.floor(P / 2);
  const perms: Permutation[] = [];
  for (let slot = 0; slot < E; slot += 1) perms.push(createPermutation(slot < lists.person ? P : O, seed, SALT.permutation, slot));
  const noOrg = traits.person.noOrganization;
  const dupEntry = (e: number) => e >= E && traits.listEntry.duplicate(e);
  const mod = (a: number, n: number) => ((a % n) + n) % n;
  const upTo = (start: number, step: number, limit: number, out: number[], keep: (x: number) => boolean = () => true) => {
    if (step <= 0) return;
    for (let x = start; x < limit; x += step) if (keep(x)) out.push(x);
  };
  const unique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

  const noteKind = (n: number): NoteKind => {
    const r = createRng(seed, SALT.noteKind, n).int(100);
    if (r < 20 && O > 0) return 'organization';
    if (r < 30 && M > 0) return 'opportunity';
    if (r < 40) return 'multi';
    return 'person';
  };

  const isReply = (n: number) => n > 0 && traits.note.reply(n);

  const relations: Relations = {
    personOrganizations(i) {
      if (O === 0 || noOrg(i)) return [];
      const out = [i % O];
      if (i % 10 === 3) out.push(Math.floor(i / 10) % O);
      return unique(out);
    },
    organizationPersons(j) {
      const out: number[] = [];
      upTo(j, O, P, out, (i) => !noOrg(i));
      for (let t = j; 10 * t + 3 < P; t += O) {
        const i = 10 * t + 3;
        if (!noOrg(i) && i % O !== j) out.push(i);
      }
      return unique(out);
    },
    opportunityPersons: (m) => (P === 0 ? [] : unique([m % P, (m + half) % P])),
    opportunityOrganizations: (m) => (O === 0 ? [] : [m % O]),
    personOpportunities(i) {
      const out: number[] = [];
      upTo(i, P, M, out);
      upTo(mod(i - half, P), P, M, out);
      return unique(out);
    },
    organizationOpportunities(j) {
      const out: number[] = [];
      upTo(j, O, M, out);
      return out;
    },
    entityListSize: (slot) => Math.floor(R / E) + (slot < R % E ? 1 : 0),
    entryIndex: (slot, position) => slot + E * position,
    entryTarget(e) {
      // A duplicate entry repeats the entity of the entry just before it on the same list. The duplicate
      // period (31) is not a multiple of E, so a duplicate's base is never itself a duplicate.
      const base = dupEntry(e) ? e - E : e;
      const listSlot = e % E;
      const position = Math.floor(e / E);
      const perm = perms[listSlot] as Permutation;
      const entityIndex = perm.apply(Math.floor(base / E) % perm.size);
      return { listSlot, position, entityKind: listSlot < lists.person ? 'person' : 'organization', entityIndex };
    },
    entityEntries(kind, index) {
      const out: number[] = [];
      const first = kind === 'person' ? 0 : lists.person;
      const last = kind === 'person' ? lists.person : E;
      for (let slot = first; slot < last; slot += 1) {
        const perm = perms[slot] as Permutation;
        if (perm.size === 0) continue;
        for (let k = perm.invert(index); ; k += perm.size) {
          const e = slot + E * k;
          if (e >= R) break;
          if (!dupEntry(e)) out.push(e);
          if (e + E < R && dupEntry(e + E)) out.push(e + E);
        }
      }
      return out.sort((a, b) => a - b);
    },
    opportunityListSlot: (m) => m % L,
    opportunityListSize: (slot) => Math.floor(M / L) + (slot < M % L ? 1 : 0),
    noteKind,
    isReply,
    notePersons(n) {
      if (isReply(n)) return [];
      const kind = noteKind(n);
      if (kind === 'person') return [n % P];
      if (kind === 'multi') return unique([n % P, (n + 1) % P]);
      return [];
    },
    noteOrganizations(n) {
      if (isReply(n)) return [];
      const kind = noteKind(n);
      return (kind === 'organization' || (kind === 'multi' && O > 0)) ? [n % O] : [];
    },
    noteOpportunities(n) {
      if (isReply(n)) return [];
      const kind = noteKind(n);
      return (kind === 'opportunity' || (kind === 'multi' && M > 0 && n % 3 === 0)) ? [n % M] : [];
    },
    notesOf(kind, index) {
      const out: number[] = [];
      if (kind === 'person') {
        upTo(index, P, N, out, (n) => relations.notePersons(n).includes(index));
        upTo(mod(index - 1, P), P, N, out, (n) => relations.notePersons(n).includes(index));
      } else if (kind === 'organization') upTo(index, O, N, out, (n) => relations.noteOrganizations(n).includes(index));
      else upTo(index, M, N, out, (n) => relations.noteOpportunities(n).includes(index));
      return unique(out);
    },
  };
  return relations;
}
