import { createIdSource, type IdSource } from './ids.ts';
import type { Asset, Capture, Checklist, Group, Run, Task, User } from './types.ts';

/** Writes the organisation accepted, by kind: what a migration cost and created. */
export const WRITE_KINDS = [
  'usersInvited', 'usersCreated', 'groupsCreated', 'groupsUpdated', 'groupsDeleted', 'checklistsCreated', 'checklistsUpdated',
  'stepsCreated', 'stepsUpdated', 'capturesCreated', 'runsLaunched', 'runsUpdated', 'runsArchived', 'tasksUpdated',
  'tasksCompleted', 'tasksReopened', 'comments', 'filesUploaded',
] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

export interface Organization {
  id: string;
  ids: IdSource;
  now(): number;
  users: Map<number, User>;
  groups: Map<string, Group>;
  checklists: Map<string, Checklist>;
  runs: Map<string, Run>;
  /** Indexes: a task or capture by id, wherever it lives. */
  tasks: Map<string, Task>;
  captures: Map<string, Capture>;
  assets: Map<string, Asset>;
  writes: Record<WriteKind, number>;
  count(kind: WriteKind): void;
  /** The member the configured tokens act as (an admin, created at start and on reset). */
  admin: User;
  userByEmail(email: string): User | undefined;
  addUser(input: Omit<User, 'id' | 'created_at'>): User;
  reset(): void;
}

export interface OrganizationOptions {
  id: string;
  seed: number;
  now: () => number;
  admin?: { email: string; first_name: string; last_name: string };
}

export function createOrganization(options: OrganizationOptions): Organization {
  const ids = createIdSource(options.seed);
  const zeroWrites = () => Object.fromEntries(WRITE_KINDS.map((k) => [k, 0])) as Record<WriteKind, number>;
  const adminInput = options.admin ?? { email: 'admin@sandbox.tallyfy.test', first_name: 'Sandbox', last_name: 'Admin' };
  const org: Organization = {
    id: options.id,
    ids,
    now: options.now,
    users: new Map(),
    groups: new Map(),
    checklists: new Map(),
    runs: new Map(),
    tasks: new Map(),
    captures: new Map(),
    assets: new Map(),
    writes: zeroWrites(),
    count(kind) {
      org.writes[kind] += 1;
    },
    admin: undefined as unknown as User,
    // Tallyfy compares emails without case (inferred: the invite's "existing" check would be useless otherwise).
    userByEmail: (email) => [...org.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase()),
    addUser(input) {
      const user: User = { ...input, id: ids.userId(), created_at: options.now() };
      org.users.set(user.id, user);
      return user;
    },
    reset() {
      ids.reset();
      for (const map of [org.users, org.groups, org.checklists, org.runs, org.tasks, org.captures, org.assets]) map.clear();
      org.writes = zeroWrites();
      org.admin = org.addUser({ ...adminInput, role: 'admin', status: 'active' });
    },
  };
  org.reset();
  return org;
}
