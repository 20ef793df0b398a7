import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProcessStreetContract, startProcessStreetSandbox, type ProcessStreetSandbox } from './index.ts';
import { psClient, walkPages } from './test-support.ts';

describe('Process Street sandbox: reads', () => {
  let sb: ProcessStreetSandbox;
  let get: ReturnType<typeof psClient>;
  const walk = (path: string, key: string) => walkPages(get, sb.rootUrl, path, key);

  beforeAll(async () => {
    sb = await startProcessStreetSandbox({ seed: 7, limits: { perSecond: 0 }, contract: checkProcessStreetContract });
    get = psClient(sb.url, sb.apiKey);
  });
  afterAll(() => sb.close());

  it('requires X-API-KEY in any case: missing or wrong → 401 ErrorInfo Unauthorized; /testAuth names the key', async () => {
    for (const res of [await psClient(sb.url, undefined)('/users'), await psClient(sb.url, 'wrong')('/users'), await psClient(sb.scimUrl, 'wrong')('/Users')]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), errorCode: 'Unauthorized', requestId: expect.any(String) });
    }
    for (const name of ['x-api-key', 'X-API-Key', 'X-Api-KEY']) expect((await psClient(sb.url, sb.apiKey, name)('/users')).status).toBe(200);
    expect((await get('/testAuth')).body).toEqual({ apiKeyLabel: 'Sandbox key 1' });
    expect(sb.url).toBe(`${sb.rootUrl}/api/v1.1`);
  });

  it('pages users and workflows 20 at a time to the end; a name filter survives the next link', async () => {
    const org = sb.organization;
    const users = await walk('/users', 'users');
    expect(users.pages).toBe(Math.ceil(org.users.length / 20));
    expect(users.items.map((u) => u.id)).toEqual(org.users.map((u) => u.id));
    expect(Object.keys(users.items[0]).sort()).toEqual(['email', 'id', 'username']);
    expect(users.items.filter((u) => u.username === undefined)).toHaveLength(1);
    const workflows = await walk('/workflows', 'workflows');
    expect(workflows.items).toHaveLength(org.counts.workflows);
    expect(workflows.pages).toBeGreaterThan(1);
    const filtered = await walk('/workflows?name=ONBOARDING', 'workflows');
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((w) => /onboarding/i.test(w.name))).toBe(true);
    const one = await get(`/workflows/${org.templates[0]?.workflow.id}`);
    expect(one.body.data).toEqual(org.templates[0]?.workflow);
  });

  it('walks every paged template endpoint: tasks, form fields, options, widgets (with required and config)', async () => {
    const template = sb.organization.templates[0];
    if (!template) throw new Error('no template');
    const id = template.workflow.id;
    expect((await walk(`/workflows/${id}/tasks`, 'tasks')).items).toEqual(template.tasks);
    const fields = (await walk(`/workflows/${id}/form-fields`, 'fields')).items;
    expect(fields.map((f) => f.id)).toEqual(template.fields.map((f) => f.field.id));
    expect(fields[0]).not.toHaveProperty('required');
    const select = template.fields.find((f) => f.field.fieldType === 'Select');
    expect((await walk(`/workflows/${id}/form-fields/${select?.field.id}/options`, 'options')).items).toEqual(select?.options);
    const revisions = (await get(`/workflows/${id}/revisions?status=Finished`)).body.data;
    expect(revisions).toHaveLength(1);
    const widgets = [];
    for (const task of template.tasks) {
      widgets.push(...(await walk(`/workflows/${id}/revisions/${revisions[0].id}/tasks/${task.id}/widgets?type=FormField`, 'data')).items);
    }
    expect(widgets.map((w) => w.id).sort()).toEqual(fields.map((f) => f.id).sort());
    expect(widgets.every((w) => typeof w.required === 'boolean' && w.type === 'FormField')).toBe(true);
    expect(widgets.find((w) => w.fieldType === 'MultiChoice').config.items.length).toBeGreaterThan(1);
    expect(widgets.find((w) => w.fieldType === 'Table').config.columnDefs.length).toBeGreaterThan(1);
    const all = await get(`/workflows/${id}/revisions/${revisions[0].id}/tasks/${template.tasks[0]?.id}/widgets`);
    expect(all.body.data.some((w: { type: string }) => w.type === 'Text')).toBe(true);
  });

  it('/workflow-runs/list pages every non-deleted run newest first; totals per status match the generator; filters stay on next links', async () => {
    const org = sb.organization;
    const all = await walk('/workflow-runs/list', 'data');
    expect(all.items.map((r) => r.id)).toEqual(org.listedRuns.map((r) => r.id));
    const created = all.items.map((r) => r.audit.createdDate);
    expect([...created].sort().reverse()).toEqual(created);
    expect(all.items.some((r) => r.status === 'Deleted')).toBe(false);
    for (const status of ['Active', 'Completed', 'Archived'] as const) {
      const { items } = await walk(`/workflow-runs/list?status=${status}`, 'data');
      expect(items).toHaveLength(org.counts.runsByStatus[status]);
      expect(items.every((r) => r.status === status)).toBe(true);
    }
    const workflowId = org.templates[1]?.workflow.id as string;
    const { items } = await walk(`/workflow-runs/list?workflowId=${workflowId}&status=Completed`, 'data');
    expect(items.length).toBeGreaterThan(20);
    expect(items).toHaveLength(org.listedRuns.filter((r) => r.workflowId === workflowId && r.status === 'Completed').length);
  });

  it('/workflow-runs search: default Active, at most 200 most recently updated, no next link; comma statuses', async () => {
    const res = await get('/workflow-runs');
    expect(Object.keys(res.body)).toEqual(['workflowRuns']);
    expect(res.body.workflowRuns).toHaveLength(200);
    expect(res.body.workflowRuns.every((r: { status: string }) => r.status === 'Active')).toBe(true);
    const updated = res.body.workflowRuns.map((r: { audit: { updatedDate: string } }) => r.audit.updatedDate);
    expect([...updated].sort().reverse()).toEqual(updated);
    const mixed = (await get('/workflow-runs?status=Completed,Archived')).body.workflowRuns;
    expect(new Set(mixed.map((r: { status: string }) => r.status))).toEqual(new Set(['Completed', 'Archived']));
    const run = sb.organization.runs.find((g) => g.run.status === 'Active' && g.values.some((v) => v.fieldType === 'Hidden' && v.data));
    const hidden = run?.values.find((v) => v.fieldType === 'Hidden');
    const byField = (await get(`/workflow-runs?fields[${hidden?.id}]=${String(hidden?.data)}`)).body.workflowRuns;
    expect(byField.map((r: { id: string }) => r.id)).toEqual([run?.run.id]);
  });

  it('a run (not wrapped), its tasks, assignees and values; a deleted run is still readable by id', async () => {
    const g = sb.organization.runs.find((x) => x.run.status === 'Active' && x.tasks.some((t) => t.status === 'Completed') && x.tasks.some((t) => t.status === 'NotCompleted'));
    if (!g) throw new Error('no mixed run');
    expect((await get(`/workflow-runs/${g.run.id}`)).body).toEqual(g.run);
    const tasks = (await walk(`/workflow-runs/${g.run.id}/tasks`, 'tasks')).items;
    expect(tasks).toEqual(g.tasks);
    const done = tasks.find((t) => t.status === 'Completed');
    expect(done).toMatchObject({ completedDate: expect.stringMatching(/\.\d{3}Z$/), completedBy: { id: expect.any(String), email: expect.any(String) } });
    const assignees = await get(`/workflow-runs/${g.run.id}/tasks/${tasks[0].id}/assignees`);
    expect(Object.keys(assignees.body)).toEqual(['assignees']);
    expect(assignees.body.assignees).toEqual(g.assignees.get(tasks[0].id));
    await walk(`/workflow-runs/${g.run.id}/assignees`, 'assignees');
    const values = (await walk(`/workflow-runs/${g.run.id}/form-fields`, 'fields')).items;
    expect(values.map((v) => v.id)).toEqual(g.values.map((v) => v.id));
    const perTask = (await walk(`/workflow-runs/${g.run.id}/tasks/${tasks[0].id}/form-fields`, 'fields')).items;
    expect(perTask.every((v) => v.taskId === tasks[0].id)).toBe(true);
    const deleted = sb.organization.runs.find((x) => x.run.status === 'Deleted');
    expect((await get(`/workflow-runs/${deleted?.run.id}`)).body.status).toBe('Deleted');
  });

  it('comments and attachments: data envelopes, newest first, every one reachable by workflowId exactly once', async () => {
    const org = sb.organization;
    const comments: string[] = [];
    const attachments: string[] = [];
    for (const t of org.templates) {
      const c = (await walk(`/comments?workflowId=${t.workflow.id}`, 'data')).items;
      expect([...c.map((x) => x.createdDate)].sort().reverse()).toEqual(c.map((x) => x.createdDate));
      comments.push(...c.map((x) => x.id));
      attachments.push(...(await walk(`/attachments?workflowId=${t.workflow.id}`, 'data')).items.map((x) => x.id));
    }
    expect(comments.sort()).toEqual(org.comments.map((c) => c.id).sort());
    expect(attachments.sort()).toEqual(org.attachments.map((a) => a.id).sort());
    const first = org.comments[0];
    const byTask = (await walk(`/comments?workflowRunId=${first?.workflowRunId}&taskId=${first?.taskId}`, 'data')).items;
    expect(byTask.map((c) => c.id)).toContain(first?.id);
  });

  it('serves attachment and File value bytes behind their links, with the same key', async () => {
    const a = sb.organization.attachments[0];
    const listed = (await get(`/attachments?workflowRunId=${a?.workflowRunId}`)).body.data.find((x: { id: string }) => x.id === a?.id);
    const href = listed.links.find((l: { name: string }) => l.name === 'download').href as string;
    expect(href.startsWith(sb.url)).toBe(true);
    const bytes = await fetch(href, { headers: { 'x-api-key': sb.apiKey } });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe(a?.mimeType);
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(sb.organization.file(a?.id as string)?.bytes);
    expect((await fetch(href)).status).toBe(401);
    const g = sb.organization.runs.find((x) => x.values.some((v) => v.fieldType === 'MultiFile' && Array.isArray(v.data)));
    const value = (await walk(`/workflow-runs/${g?.run.id}/form-fields`, 'fields')).items.find((v) => v.fieldType === 'MultiFile');
    const file = await fetch(value.data[0].url, { headers: { 'x-api-key': sb.apiKey } });
    expect(file.status).toBe(200);
    expect(Number(file.headers.get('content-length'))).toBe(value.data[0].size);
  });

  it('SCIM Users and Groups page by startIndex/count in Resources until an empty page', async () => {
    const scim = psClient(sb.scimUrl, sb.apiKey);
    const ids: string[] = [];
    for (let start = 1; ; start += 15) {
      const res = await scim(`/Users?startIndex=${start}&count=15`);
      expect(res.status).toBe(200);
      if (res.body.Resources.length === 0) break;
      ids.push(...res.body.Resources.map((u: { id: string; userName: string }) => u.id));
    }
    expect(ids).toEqual(sb.organization.users.map((u) => u.id));
    const groups = (await scim('/Groups')).body.Resources;
    expect(groups).toHaveLength(sb.organization.groups.length);
    expect(groups[0].members.length).toBeGreaterThan(0);
    expect((await scim('/Users?startIndex=0')).status).toBe(400);
  });

  it('errors: ErrorInfo 404 for unknown ids and routes; plain-text 400 for bad query values', async () => {
    for (const path of ['/workflow-runs/AAAAAAAAAAAAAAAAAAAAAA', '/workflows/AAAAAAAAAAAAAAAAAAAAAA/tasks', '/no-such-thing']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: expect.any(String), errorCode: 'NotFound', requestId: expect.any(String) });
    }
    for (const path of ['/workflow-runs/list?status=Deleted', '/users?_=not-a-cursor', '/workflow-runs?status=Nope', '/comments', `/workflows/${sb.organization.templates[0]?.workflow.id}/revisions?status=Published`]) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(res.text).toBe('Invalid value for: query parameters');
    }
  });

  // Last: every exchange above, errors included, had the shape the reference documents (no extra keys).
  it('answered every call of this file within the reference shapes', () => {
    const snapshot = sb.contract?.snapshot();
    expect(snapshot?.checked).toBeGreaterThan(250);
    expect(snapshot?.recent).toEqual([]);
    expect(snapshot?.violations).toBe(0);
  });
});
