import { afterEach, describe, expect, it } from 'vitest';
import type { PsComment, PsGroup, PsObject, PsRecord, PsRun, PsWorkflow } from '../contract.ts';
import { createBudgetRegistry } from '../../../connectors/budget/budget-registry.ts';
import { createPsClient } from './ps-client.ts';
import { createProcessStreetSource, type PsSourcePage } from './ps-source.ts';
import { emptyOrg, fakeRun, fakeWorkflow } from './ps-test-org.ts';
import { startFakePs, type FakeOrg, type FakePs } from './ps-test-server.ts';

let ps: FakePs | undefined;
afterEach(async () => {
  await ps?.close();
  ps = undefined;
});

async function sourceFor(org: FakeOrg, apiKey?: string) {
  ps = await startFakePs(org);
  const client = createPsClient({ baseUrl: ps.baseUrl, apiKey: apiKey ?? ps.apiKey, budgets: createBudgetRegistry(), requestsPerSec: Infinity, transientBackoffMs: 5 });
  return { ps, source: createProcessStreetSource({ client }) };
}

/** Reads an object to the end, every cursor round-tripped through JSON as Temporal history would. */
async function readAll(source: ReturnType<typeof createProcessStreetSource>, object: PsObject, pageSize?: number) {
  const pages: PsSourcePage[] = [];
  let cursor: string | null = null;
  do {
    const page: PsSourcePage = await source.readPage(object, cursor, pageSize === undefined ? {} : { pageSize });
    pages.push(page);
    cursor = page.nextCursor === null ? null : (JSON.parse(JSON.stringify(page.nextCursor)) as string);
    if (cursor !== null) expect(cursor.length).toBeLessThan(1200);
  } while (cursor !== null && pages.length < 1000);
  return { pages, records: pages.flatMap((p) => p.records), skipped: pages.flatMap((p) => p.skipped), warnings: pages.flatMap((p) => p.warnings) };
}

describe('Process Street source: users and groups', () => {
  it('reads users page by page from the `users` envelope and skips one without email', async () => {
    const org = emptyOrg();
    org.users = Array.from({ length: 43 }, (_, i) => ({ id: `u${i}`, email: i === 5 ? undefined : `u${i}@example.com`, username: `User ${i}` })) as FakeOrg['users'];
    const { source } = await sourceFor(org);
    const { pages, records, skipped } = await readAll(source, 'users', 20);
    expect(pages).toHaveLength(3);
    expect(records.map((r) => r.id)).toEqual(org.users.map((u) => u.id).filter((id) => id !== 'u5'));
    expect(records[0]).toEqual({ kind: 'users', id: 'u0', email: 'u0@example.com', username: 'User 0' });
    expect(skipped).toEqual([{ source: { kind: 'ps_user', id: 'u5' }, kind: 'validation', reason: expect.stringContaining('without email') as string }]);
    expect(await source.countObjects('users')).toBe(43);
  });

  it('reads SCIM groups with their members', async () => {
    const org = emptyOrg();
    org.groups = Array.from({ length: 25 }, (_, i) => ({ id: `g${i}`, displayName: `Group ${i}`, members: [{ value: 'u1', display: 'a@example.com' }, { value: 'u2', display: 'Bob' }] }));
    const { source } = await sourceFor(org);
    const { records, warnings } = await readAll(source, 'groups', 20);
    expect(records.map((r) => r.id)).toEqual(org.groups.map((g) => g.id));
    expect((records[0] as PsGroup).members).toEqual([{ id: 'u1', email: 'a@example.com', username: 'a@example.com' }, { id: 'u2', email: null, username: 'Bob' }]);
    expect(warnings).toEqual([]);
    expect(await source.countObjects('groups')).toBe(25);
  });

  it('treats a key without SCIM as zero groups with a warning, not a failure', async () => {
    const org = emptyOrg();
    org.groups = null;
    const { source } = await sourceFor(org);
    const page = await source.readPage('groups', null);
    expect(page).toMatchObject({ records: [], skipped: [], nextCursor: null });
    expect(page.warnings[0]).toMatch(/SCIM is not available/);
    expect(await source.countObjects('groups')).toBe(0);
  });

  it('checks the connection with /testAuth', async () => {
    const { source, ps: server } = await sourceFor(emptyOrg());
    expect(await source.checkConnection()).toEqual({ ok: true, label: 'migration key' });
    const bad = createProcessStreetSource({ client: createPsClient({ baseUrl: server.baseUrl, apiKey: 'nope-nope', budgets: createBudgetRegistry() }) });
    expect(await bad.checkConnection()).toMatchObject({ ok: false, error: { kind: 'auth', status: 401 } });
  });
});

describe('Process Street source: workflows', () => {
  it('enriches a workflow with tasks, fields, the published revision widgets, options and hasAttachments', async () => {
    const org = emptyOrg();
    const w1 = fakeWorkflow('w1', 3, 0, 1);
    w1.fields = [
      { id: 'f1', taskId: 'w1-t0', key: 'name', label: 'Name', fieldType: 'Text' },
      { id: 'f2', taskId: 'w1-t0', key: 'colour', label: 'Colour', fieldType: 'Select' },
      { id: 'f3', taskId: 'w1-t1', key: 'steps', label: 'Steps', fieldType: 'MultiSelect' },
      { id: 'f4', taskId: 'w1-t1', key: 'grid', label: 'Grid', fieldType: 'Table' },
      { id: 'f5', taskId: 'w1-t1', key: 'boxes', label: 'Boxes', fieldType: 'MultiChoice' },
    ];
    w1.revisions = [
      { id: 'rev1', version: 1, status: 'Finished' }, { id: 'rev2', version: 2, status: 'Finished' }, { id: 'rev3', version: 3, status: 'Draft' },
    ];
    w1.widgets = {
      rev1: { 'w1-t0': [{ id: 'f1', key: 'name', required: false }] },
      rev2: {
        'w1-t0': [{ id: 'f1', key: 'name', required: true, config: { defaultValue: 'x' } }, { id: 'other-id', key: 'colour', required: true, hiddenByDefault: true }],
        'w1-t1': [
          { id: 'f3', key: 'steps', config: { items: [{ id: 'i1', name: 'First' }, { id: 'i2', name: 'Second' }] } },
          { id: 'f4', key: 'grid', config: { columnDefs: [{ id: 'c1', name: 'Col' }], unit: 'kg' } },
          { id: 'f5', key: 'boxes', config: { items: [{ id: 'b1', name: 'Box' }] } },
        ],
      },
    };
    w1.options = { f2: [{ value: 'red', label: 'Red' }, { value: 'blue', label: 'Blue' }] };
    const w2 = fakeWorkflow('w2', 1, 1, 1);
    w2.revisions = [];
    org.workflows = [w1, w2];
    org.runs = [fakeRun('r1', 'w1', { attachments: 1 })];
    const { source, ps: server } = await sourceFor(org);
    const { records, skipped } = await readAll(source, 'workflows');
    expect(skipped).toEqual([]);
    const [one, two] = records as PsWorkflow[];
    expect(one?.tasks.map((t) => [t.id, t.position])).toEqual([['w1-t0', 0], ['w1-t1', 1], ['w1-t2', 2]]);
    expect(one?.fields).toEqual([
      { id: 'f1', taskId: 'w1-t0', key: 'name', label: 'Name', fieldType: 'Text', required: true, hiddenByDefault: false, options: [], columns: [], config: { defaultValue: 'x' } },
      { id: 'f2', taskId: 'w1-t0', key: 'colour', label: 'Colour', fieldType: 'Select', required: true, hiddenByDefault: true, options: [{ value: 'red', label: 'Red' }, { value: 'blue', label: 'Blue' }], columns: [], config: {} },
      { id: 'f3', taskId: 'w1-t1', key: 'steps', label: 'Steps', fieldType: 'MultiSelect', required: false, hiddenByDefault: false, options: [{ value: 'i1', label: 'First' }, { value: 'i2', label: 'Second' }], columns: [], config: {} },
      { id: 'f4', taskId: 'w1-t1', key: 'grid', label: 'Grid', fieldType: 'Table', required: false, hiddenByDefault: false, options: [], columns: [{ id: 'c1', name: 'Col' }], config: { unit: 'kg' } },
      { id: 'f5', taskId: 'w1-t1', key: 'boxes', label: 'Boxes', fieldType: 'MultiChoice', required: false, hiddenByDefault: false, options: [{ value: 'b1', label: 'Box' }], columns: [], config: {} },
    ]);
    expect(one?.hasAttachments).toBe(true);
    expect(two).toMatchObject({ id: 'w2', hasAttachments: false, fields: [{ id: 'w2-f0', required: false, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }] });
    // No published revision for w2: no widget calls for it; rev2's two tasks with fields for w1.
    expect(server.log.filter((l) => l.url.includes('/widgets')).map((l) => l.url.split('?')[0])).toEqual([
      '/api/v1.1/workflows/w1/revisions/rev2/tasks/w1-t0/widgets', '/api/v1.1/workflows/w1/revisions/rev2/tasks/w1-t1/widgets',
    ]);
  });
});

describe('Process Street source: runs', () => {
  it('enriches runs with tasks, assignees and values, and skips an unreadable one without failing the page', async () => {
    const org = emptyOrg();
    const r1 = fakeRun('r1', 'w1', { tasks: 25 });
    r1.values = [
      { id: 'v1', taskId: 'r1-t0', key: 'who', label: 'Who', fieldType: 'Members', data: ['u1', { id: 'u2', email: 'b@example.com' }] },
      { id: 'v2', taskId: 'r1-t0', key: 'when', label: 'When', fieldType: 'Date', data: { value: '2026-02-03T00:00:00.000Z' } },
      { id: 'v3', taskId: 'r1-t1', key: 'doc', label: 'Doc', fieldType: 'File', data: { name: 'a.pdf', url: '/files/a.pdf', size: 3 } },
      { id: 'v4', taskId: 'r1-t1', key: 'pick', label: 'Pick', fieldType: 'MultiChoice', data: ['a', 'b'] },
      { id: 'v5', taskId: 'r1-t1', key: 'odd', label: 'Odd', fieldType: 'Members', data: 42 },
    ];
    const gone = fakeRun('r2', 'w1', { tasks: 1 });
    gone.gone = true;
    const broken = fakeRun('r3', 'w1', { tasks: 1 });
    broken.tasks = [{ id: 'r3-t0', name: 'x' }];
    org.runs = [r1, gone, broken, fakeRun('r4', 'w1', { tasks: 2, values: 1 })];
    const { source } = await sourceFor(org);
    const page = await source.readPage('runs', null);
    expect(page.nextCursor).toBeNull();
    expect(page.records.map((r) => r.id)).toEqual(['r1', 'r4']);
    expect(page.skipped).toEqual([
      { source: { kind: 'ps_run', id: 'r2' }, kind: 'not_found', reason: expect.stringContaining('404') as string },
      { source: { kind: 'ps_run', id: 'r3' }, kind: 'validation', reason: expect.stringContaining('unknown status') as string },
    ]);
    const run = page.records[0] as PsRun;
    expect(run).toMatchObject({ kind: 'runs', name: 'Run r1', status: 'Active', workflowId: 'w1', createdBy: { id: 'u1', email: 'a@example.com', username: null } });
    expect(run.tasks).toHaveLength(25);
    expect(run.tasks.map((t) => t.position)).toEqual([...Array(25).keys()]);
    expect(run.tasks[0]).toEqual({
      id: 'r1-t0', name: 'Task 0', position: 0, status: 'Completed', dueDate: null, completedDate: '2026-01-01T00:00:00.000Z',
      completedBy: { id: 'u1', email: 'a@example.com', username: 'Ann' }, hidden: false, stopped: false,
      assignees: [{ id: 'u2', email: 'b@example.com', username: 'Bob' }],
    });
    expect(run.values.map((v) => v.data)).toEqual([
      [{ id: 'u1', email: null, username: null }, { id: 'u2', email: 'b@example.com', username: null }],
      '2026-02-03T00:00:00.000Z',
      [{ id: null, name: 'a.pdf', url: '/files/a.pdf', mimeType: null, size: 3 }],
      ['a', 'b'],
      42,
    ]);
  });
});

describe('Process Street source: comments and attachments, run by run', () => {
  const counts = [0, 25, 7, 30, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 41];
  const orgWithComments = (): FakeOrg => {
    const org = emptyOrg();
    org.runs = counts.map((n, i) => fakeRun(`r${i}`, 'w1', { comments: n, attachments: i % 5 === 1 ? 2 : 0 }));
    return org;
  };
  const allIds = (org: FakeOrg) => org.runs.flatMap((r) => (r.gone ? [] : r.comments.map((c) => c.id as string)));

  it.each([1, 20, 45, 1000])('emits every comment exactly once, in order, at pageSize %i', async (pageSize) => {
    const org = orgWithComments();
    const { source } = await sourceFor(org);
    const { records, skipped } = await readAll(source, 'comments', pageSize);
    expect(records.map((r) => r.id)).toEqual(allIds(org));
    expect(skipped).toEqual([]);
    expect(records[0]).toEqual({ kind: 'comments', id: 'r1-c0', workflowRunId: 'r1', taskId: 'r1-t0', text: 'comment 0', createdDate: '2026-01-01T00:00:00.000Z', createdBy: null });
  });

  it('resumes from a cursor mid-run and across a run boundary, even when a run was created meanwhile', async () => {
    const org = orgWithComments();
    const { source } = await sourceFor(org);
    const first = await source.readPage('comments', null, { pageSize: 20 });
    expect(first.records.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `r1-c${i}`));
    const cursor = first.nextCursor as string;
    // A retried batch reads the same page again from the same cursor.
    const again = await source.readPage('comments', cursor, { pageSize: 40 });
    expect((await source.readPage('comments', cursor, { pageSize: 40 })).records).toEqual(again.records);
    // The rest of r1, r2, then r3's first page: the page crosses run boundaries.
    expect(again.records.map((r) => r.id)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `r1-c${20 + i}`), ...Array.from({ length: 7 }, (_, i) => `r2-c${i}`), ...Array.from({ length: 20 }, (_, i) => `r3-c${i}`),
    ]);
    // Meanwhile a run is created: the listing (newest first) moves down one place, the cursor still
    // resumes at r3's next page and r19 does not come twice from the top of the next runs page.
    org.runs.unshift(fakeRun('new', 'w1', { comments: 2 }));
    const rest: PsComment[] = [];
    let c = again.nextCursor;
    while (c !== null) {
      const p = await source.readPage('comments', c, { pageSize: 20 });
      rest.push(...(p.records as PsComment[]));
      c = p.nextCursor;
    }
    const read = [...first.records, ...again.records, ...rest].map((r) => r.id);
    expect(org.runs[20]?.run.id).toBe('r19');
    expect(read).toEqual(allIds(orgWithComments()));
  });

  it('skips a run whose comments answer 404 and goes on', async () => {
    const org = orgWithComments();
    const { source, ps: server } = await sourceFor(org);
    const first = await source.readPage('comments', null, { pageSize: 20 });
    (org.runs[1] as FakeOrg['runs'][number]).gone = true;
    const { records, skipped } = await readAllFrom(source, 'comments', first.nextCursor);
    expect(skipped).toEqual([{ source: { kind: 'ps_run', id: 'r1' }, kind: 'not_found', reason: expect.stringContaining('404') as string }]);
    expect(records.map((r) => r.id)).toEqual(allIds(org));
    expect(records.some((r) => r.id.startsWith('r1-'))).toBe(false);
    expect(server.calls.get('GET /comments?workflowRunId')).toBeGreaterThan(0);
  });

  it('reads attachments with their download href, and downloads them from the API host', async () => {
    const org = orgWithComments();
    const { source, ps: server } = await sourceFor(org);
    server.files.set('r1-a0', Buffer.from('hello'));
    const { records } = await readAll(source, 'attachments', 20);
    expect(records.map((r) => r.id)).toEqual(org.runs.flatMap((r) => r.attachments.map((a) => a.id)));
    expect(records[0]).toMatchObject({ kind: 'attachments', id: 'r1-a0', workflowRunId: 'r1', workflowId: 'w1', fileName: 'f0.pdf', size: 10, downloadUrl: '/files/r1-a0' });
    const url = (records[0] as { downloadUrl: string }).downloadUrl;
    expect(Buffer.from(await source.download(url)).toString()).toBe('hello');
    await expect(source.download('https://elsewhere.example/files/r1-a0')).rejects.toMatchObject({ kind: 'outbound_refused' });
  });
});

async function readAllFrom(source: ReturnType<typeof createProcessStreetSource>, object: PsObject, cursor: string | null) {
  const records: PsRecord[] = [];
  const skipped: PsSourcePage['skipped'] = [];
  let c = cursor;
  while (c !== null) {
    const p = await source.readPage(object, c, { pageSize: 20 });
    records.push(...p.records);
    skipped.push(...p.skipped);
    c = p.nextCursor;
  }
  return { records, skipped };
}

describe('Process Street source: call plan', () => {
  it('plans the calls a whole job makes, endpoint by endpoint', async () => {
    const org = emptyOrg();
    org.users = Array.from({ length: 41 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com`, username: `U${i}` }));
    org.groups = Array.from({ length: 25 }, (_, i) => ({ id: `g${i}`, displayName: `G${i}` }));
    org.workflows = Array.from({ length: 23 }, (_, i) => fakeWorkflow(`w${i}`, 22, 6, 3));
    org.runs = Array.from({ length: 45 }, (_, i) => fakeRun(`r${i}`, `w${i % 23}`, { tasks: 3, values: 21, comments: 25, attachments: 1 }));
    const { source, ps: server } = await sourceFor(org);
    const plan = source.planCalls({
      users: 41, groups: 25, workflows: 23, workflowTasks: 23 * 22, workflowFields: 23 * 6, choiceFields: 23 * 2, tasksWithFields: 23 * 3,
      runs: 45, runTasks: 45 * 3, runValues: 45 * 21, comments: 45 * 25, attachments: 45,
    });
    for (const object of ['users', 'groups', 'workflows', 'runs', 'comments', 'attachments'] as const) await readAll(source, object, 100);
    const planned = new Map<string, number>();
    for (const line of plan.lines) planned.set(line.endpoint, (planned.get(line.endpoint) ?? 0) + line.calls);
    expect(Object.fromEntries(server.calls)).toEqual(Object.fromEntries(planned));
    expect(plan.total).toBe([...server.calls.values()].reduce((a, b) => a + b, 0));
    expect(plan.records).toEqual({ users: 41, groups: 25, workflows: 23, runs: 45, comments: 1125, attachments: 45 });
    expect(plan.seconds).toBe(Math.ceil(plan.total / 10));
  });
});
