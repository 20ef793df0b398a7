import { afterEach, describe, expect, it } from 'vitest';
import type { LooseJson } from '../test-client.ts';
import { startHarness, type Harness } from './test-support.ts';

describe('Tallyfy sandbox members, groups and pagination', () => {
  let h: Harness | undefined;
  afterEach(() => h?.sandbox.close());

  it('invites a member once: the same email again (any case) is 422 with errors.email; q finds by name or email', async () => {
    h = await startHarness();
    const invite = { email: 'grace@navy.mil', first_name: 'Grace', last_name: 'Hopper', role: 'standard', message: 'Welcome' };
    const first = await h.api('POST', '/users/invite', invite);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ email: 'grace@navy.mil', status: 'invited', role: 'standard' });
    expect(Number.isInteger(first.body.data.id)).toBe(true);
    const again = await h.api('POST', '/users/invite', { ...invite, email: 'GRACE@navy.mil' });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: true, errors: { email: [expect.any(String)] } });
    expect((await h.api('POST', '/users/invite', { ...invite, email: 'x@y.z', role: 'owner' })).body.errors.role).toBeDefined();
    expect((await h.api('POST', '/users/invite', { ...invite, email: 'x@y.z', message: undefined })).body.errors.message).toBeDefined();
    const found = await h.api('GET', '/users?q=hopper');
    expect(found.body.data.map((u: LooseJson) => u.email)).toEqual(['grace@navy.mil']);
    expect(found.body.meta.pagination).toMatchObject({ total: 1, per_page: 9999 });
    expect(h.sandbox.inspect().writes.usersInvited).toBe(1);
  });

  it('group names are unique (422 on a duplicate, create or rename); with=groups nests them under the member', async () => {
    h = await startHarness();
    const admin = h.sandbox.org.admin.id;
    const created = await h.api('POST', '/groups', { name: 'Ops', description: 'Operations', members: [admin] });
    expect(created.status).toBe(201);
    expect(created.body.data.id).toMatch(/^[0-9a-f]{32}$/);
    const dup = await h.api('POST', '/groups', { name: 'ops', description: 'again' });
    expect(dup.status).toBe(422);
    expect(dup.body.errors.name).toHaveLength(1);
    const other = (await h.api('POST', '/groups', { name: 'Sales', description: '' })).body.data;
    expect((await h.api('PUT', `/groups/${other.id}`, { name: 'Ops', description: '' })).status).toBe(422);
    expect((await h.api('PUT', `/groups/${other.id}`, { name: 'Sales EU', description: 'x' })).status).toBe(200);
    expect((await h.api('POST', '/groups', { name: 'Ghosts', description: '', members: [999] })).status).toBe(422);
    const users = await h.api('GET', '/users?with=groups');
    expect(users.body.data[0].groups.data.map((g: LooseJson) => g.name)).toEqual(['Ops']);
    expect((await h.api('GET', '/groups?q=sales')).body.data.map((g: LooseJson) => g.name)).toEqual(['Sales EU']);
  });

  it('pages lists: per_page 10 by default, capped at 100, meta.pagination with links; runs take without_pagination', async () => {
    h = await startHarness();
    for (let i = 0; i < 105; i += 1) {
      const c = await h.api('POST', '/checklists', { title: `T${String(i).padStart(3, '0')}`, type: 'form' });
      expect(c.status).toBe(201);
    }
    const first = await h.api('GET', '/checklists');
    expect(first.body.data).toHaveLength(10);
    expect(first.body.meta.pagination).toMatchObject({ total: 105, count: 10, per_page: 10, current_page: 1, total_pages: 11 });
    expect(first.body.meta.pagination.links.next).toContain('page=2');
    expect(first.body.meta.pagination.links.previous).toBeUndefined();
    const capped = await h.api('GET', '/checklists?per_page=500&page=2');
    expect(capped.body.meta.pagination).toMatchObject({ per_page: 100, count: 5, current_page: 2, total_pages: 2 });
    expect(capped.body.meta.pagination.links.next).toBeUndefined();
    const past = await h.api('GET', '/checklists?page=20');
    expect(past.body.data).toEqual([]);
    expect((await h.api('GET', '/groups')).body.meta.pagination.links).toEqual([]);
    expect((await h.api('GET', '/checklists?page=0')).status).toBe(422);

    const checklist = first.body.data[0];
    for (let i = 0; i < 12; i += 1) expect((await h.api('POST', '/runs', { checklist_id: checklist.id, name: `R${i}` })).status).toBe(201);
    expect((await h.api('GET', '/runs')).body.data).toHaveLength(10);
    const all = await h.api('GET', '/runs?without_pagination=true');
    expect(all.body.data).toHaveLength(12);
    expect(all.body.meta).toBeUndefined();
    // Only runs and run tasks skip pagination.
    expect((await h.api('GET', '/checklists?without_pagination=true')).body.data).toHaveLength(10);
  });
});
