import { z } from 'zod';
import type { AffinityAccount, RecordKind } from './account.ts';
import { ID_BASE } from './layout.ts';
import type { Note, Opportunity, Organization, Person } from './types.ts';

/**
 * Source changes for delta-pass tests (control API only): persons (names, email addresses) and organizations
 * changed, added and deleted, opportunities and notes changed, the way a user edits them in Affinity. An edited note
 * gets `updatedAt` = now (what the v2 `updatedAt` filter reads); nothing else touches a note's
 * `updatedAt` (whether a new reply or a changed attachment does in Affinity is not documented). A changed record keeps
 * every other field and its id; an added one is a new id with no list entries, notes or
 * relations yet; a deleted one is gone from listings and single GETs answer 404, as for an unknown id,
 * and from other records' people and companies. Not modelled: a deleted record's list entries, notes
 * and field values on other records stay (delete records that have none).
 */
export const MutationsSchema = z.strictObject({
  change: z.array(z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('person'), id: z.number().int(), firstName: z.string().min(1).optional(), lastName: z.string().min(1).optional(),
      // The person's email addresses from now on (one removed, one added); the first is its primary email.
      emails: z.array(z.email()).max(100).optional(),
    }),
    z.strictObject({ kind: z.literal('organization'), id: z.number().int(), name: z.string().min(1) }),
    z.strictObject({ kind: z.literal('opportunity'), id: z.number().int(), name: z.string().min(1) }),
    // A note's (or reply's) body edited: its `updatedAt` becomes the time of the change.
    z.strictObject({ kind: z.literal('note'), id: z.number().int(), content: z.string().min(1) }),
  ])).max(10_000).default([]),
  add: z.array(z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('person'), firstName: z.string().min(1), lastName: z.string().min(1), email: z.email() }),
    z.strictObject({ kind: z.literal('organization'), name: z.string().min(1), domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/) }),
  ])).max(10_000).default([]),
  delete: z.array(z.strictObject({ kind: z.enum(['person', 'organization']), id: z.number().int() })).max(10_000).default([]),
});
export type Mutations = z.input<typeof MutationsSchema>;

type Mutable = 'person' | 'organization';

/** One kind's index space: the account's records minus the deleted, plus the added (ids after the generated ones). */
function indexSpace(base: AffinityAccount, kind: Mutable) {
  const baseCount = kind === 'person' ? base.counts.persons : base.counts.organizations;
  let live: number[] | null = null; // null: untouched (virtual index = generated index)
  let position = new Map<number, number>();
  let next = baseCount;
  const all = () => live ?? Array.from({ length: baseCount }, (_, i) => i);
  const reindex = (indexes: number[]) => {
    live = indexes;
    position = new Map(indexes.map((p, v) => [p, v]));
  };
  return {
    baseCount,
    count: () => (live ? live.length : baseCount),
    physical: (v: number): number => (live ? (live[v] as number) : v),
    virtual: (p: number): number | undefined => (!Number.isInteger(p) || p < 0 ? undefined : live ? position.get(p) : p < baseCount ? p : undefined),
    add(): number {
      const p = next;
      next += 1;
      reindex([...all(), p]);
      return p;
    },
    remove(p: number): boolean {
      const before = all();
      if (!before.includes(p)) return false;
      reindex(before.filter((x) => x !== p));
      return true;
    },
  };
}

/** The account with mutations applied, and the control endpoint's apply. Every route reads through it. */
export function createMutableAccount(base: AffinityAccount, now: () => number = Date.now) {
  const spaces = { person: indexSpace(base, 'person'), organization: indexSpace(base, 'organization') };
  const personPatch = new Map<number, Partial<Person>>();
  const orgPatch = new Map<number, Partial<Organization>>();
  const oppPatch = new Map<number, Partial<Opportunity>>();
  const notePatch = new Map<number, Partial<Note>>();
  let revision = 0;
  const idBase = { person: ID_BASE.person, organization: ID_BASE.organization };
  const liveId = (kind: Mutable) => (id: number) => spaces[kind].virtual(id - idBase[kind]) !== undefined;
  const virtuals = (kind: Mutable, physical: number[]) => physical.map((p) => spaces[kind].virtual(p)).filter((v): v is number => v !== undefined);
  const isAdded = (kind: Mutable, p: number) => p >= spaces[kind].baseCount;

  const person = (v: number): Person => {
    const p = spaces.person.physical(v);
    const made: Person = isAdded('person', p)
      ? { id: idBase.person + p, type: 0, first_name: '', last_name: '', primary_email: null, emails: [], organization_ids: [], opportunity_ids: [], list_entries: [] }
      : base.person(p);
    return { ...made, organization_ids: made.organization_ids.filter(liveId('organization')), ...personPatch.get(p) };
  };
  const organization = (v: number): Organization => {
    const p = spaces.organization.physical(v);
    const made: Organization = isAdded('organization', p)
      ? { id: idBase.organization + p, name: '', domain: null, domains: [], global: false, person_ids: [], opportunity_ids: [], list_entries: [] }
      : base.organization(p);
    return { ...made, person_ids: made.person_ids.filter(liveId('person')), ...orgPatch.get(p) };
  };
  const personPhysical = (v: number) => spaces.person.physical(v);
  const orgPhysical = (v: number) => spaces.organization.physical(v);

  const account: AffinityAccount = {
    ...base,
    get counts() {
      return { ...base.counts, persons: spaces.person.count(), organizations: spaces.organization.count() };
    },
    person,
    organization,
    note: (n) => {
      const patch = notePatch.get(n);
      return patch ? { ...base.note(n), ...patch } : base.note(n);
    },
    revision: () => revision,
    opportunity: (m) => {
      const made = base.opportunity(m);
      return { ...made, person_ids: made.person_ids.filter(liveId('person')), organization_ids: made.organization_ids.filter(liveId('organization')), ...oppPatch.get(m) };
    },
    indexOf(kind: RecordKind, id: number) {
      if (kind !== 'person' && kind !== 'organization') return base.indexOf(kind, id);
      return spaces[kind].virtual(id - idBase[kind]);
    },
    personOrganizationIndexes: (v) => (isAdded('person', personPhysical(v)) ? [] : virtuals('organization', base.personOrganizationIndexes(personPhysical(v)))),
    currentOrganizationIds: (v) => (isAdded('person', personPhysical(v)) ? [] : base.currentOrganizationIds(personPhysical(v)).filter(liveId('organization'))),
    opportunityPersonIndexes: (m) => virtuals('person', base.opportunityPersonIndexes(m)),
    organizationPersonIndexes: (v) => (isAdded('organization', orgPhysical(v)) ? [] : virtuals('person', base.organizationPersonIndexes(orgPhysical(v)))),
    opportunityOrganizationIndexes: (m) => virtuals('organization', base.opportunityOrganizationIndexes(m)),
    notesOf(kind, v) {
      if (kind === 'opportunity') return base.notesOf(kind, v);
      const p = spaces[kind].physical(v);
      return isAdded(kind, p) ? [] : base.notesOf(kind, p);
    },
    fieldValues(kind, id) {
      if ((kind === 'person' || kind === 'organization') && !liveId(kind)(id)) return undefined;
      return base.fieldValues(kind, id) ?? (kind === 'person' || kind === 'organization' ? [] : undefined);
    },
    isPoison(kind, v) {
      if (kind !== 'person' && kind !== 'organization') return base.isPoison(kind, v);
      const p = spaces[kind].physical(v);
      return !isAdded(kind, p) && base.isPoison(kind, p);
    },
  };

  /** Applies a batch of mutations; unknown ids are refused (nothing applied). Returns the ids added. */
  function apply(input: Mutations): { added: { kind: Mutable; id: number }[]; changed: number; deleted: number } {
    const m = MutationsSchema.parse(input);
    for (const c of [...m.change, ...m.delete]) {
      const known = c.kind === 'opportunity' || c.kind === 'note' ? base.indexOf(c.kind, c.id) !== undefined : account.indexOf(c.kind, c.id) !== undefined;
      if (!known) throw new MutationError(`${c.kind} ${c.id} does not exist`);
    }
    for (const c of m.change) {
      if (c.kind === 'person') {
        const p = c.id - idBase.person;
        personPatch.set(p, {
          ...personPatch.get(p), ...(c.firstName ? { first_name: c.firstName } : {}), ...(c.lastName ? { last_name: c.lastName } : {}),
          ...(c.emails ? { emails: c.emails, primary_email: c.emails[0] ?? null } : {}),
        });
      } else if (c.kind === 'organization') {
        const p = c.id - idBase.organization;
        orgPatch.set(p, { ...orgPatch.get(p), name: c.name });
      } else if (c.kind === 'note') {
        const index = base.indexOf('note', c.id) as number;
        notePatch.set(index, { content: c.content, updated_at: new Date(now()).toISOString() });
      } else {
        const index = base.indexOf('opportunity', c.id) as number;
        oppPatch.set(index, { ...oppPatch.get(index), name: c.name });
      }
    }
    for (const d of m.delete) spaces[d.kind].remove(d.id - idBase[d.kind]);
    const added = m.add.map((a) => {
      const p = spaces[a.kind].add();
      if (a.kind === 'person') personPatch.set(p, { first_name: a.firstName, last_name: a.lastName, primary_email: a.email, emails: [a.email] });
      else orgPatch.set(p, { name: a.name, domain: a.domain, domains: [a.domain] });
      return { kind: a.kind, id: idBase[a.kind] + p };
    });
    revision += 1;
    return { added, changed: m.change.length, deleted: m.delete.length };
  }

  return { account, apply };
}

export class MutationError extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'MutationError';
  }
}
