/**
 * Test-only: a tiny stateful Tallyfy on node:http for this folder's unit tests (the full sandbox is
 * infra/sandbox/tallyfy). It keeps users, groups, blueprints, runs, threads and assets, checks the
 * headers, serves `/oauth/token`, paginates, answers Tallyfy's error bodies and its comment cap.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown> & { id: string | number };
export interface DoubleOptions { org?: string; clientId?: string; clientSecret?: string; tokenTtlSec?: number; comments?: { count: number; windowMs: number } }
export interface Fault { method: string; path: RegExp; status: number; headers?: Record<string, string>; body?: unknown; times: number }

export async function startTallyfyDouble(options: DoubleOptions = {}) {
  const org = options.org ?? 'org1';
  let seq = 0;
  const hex = (): string => (++seq).toString(16).padStart(32, '0');
  const s = {
    users: [] as Row[], groups: [] as Row[], checklists: [] as Row[], steps: [] as Row[], captures: [] as Row[],
    runs: [] as Row[], tasks: [] as Row[], threads: [] as Row[], assets: [] as Row[],
  };
  const tokens = new Set<string>(['static-token']);
  const stats = { requests: 0, tooMany: 0, tokenFetches: 0, creates: {} as Record<string, number> };
  const faults: Fault[] = [];
  const commentTimes: number[] = [];
  const cap = options.comments ?? { count: 120, windowMs: 3_600_000 };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const made = (kind: string, list: Row[], row: Row): Row => {
    list.push(row);
    stats.creates[kind] = (stats.creates[kind] ?? 0) + 1;
    return row;
  };
  const page = (res: ServerResponse, rows: Row[], q: URLSearchParams): void => {
    const per = Math.min(100, Number(q.get('per_page') ?? 10));
    const cur = Number(q.get('page') ?? 1);
    const total = Math.max(1, Math.ceil(rows.length / per));
    send(res, 200, { data: rows.slice((cur - 1) * per, cur * per), meta: { pagination: { total: rows.length, count: rows.length, per_page: per, current_page: cur, total_pages: total, links: [] } } });
  };
  const has = (v: unknown, q: string | null): boolean => !q || String(v).toLowerCase().includes(q.toLowerCase());
  const invalid = (res: ServerResponse, errors: Record<string, string[]>): void => send(res, 422, { error: true, message: 'The given data was invalid.', errors });
  const missing = (res: ServerResponse): void => send(res, 404, { error: true, message: 'Not found', code: 'RESOURCE_NOT_FOUND' });
  const taskView = (t: Row, withs: string): Row => ({
    ...t,
    ...(withs.includes('threads') ? { threads: { data: s.threads.filter((x) => x.task_id === t.id) } } : {}),
    ...(withs.includes('form_fields') ? { form_fields: { data: s.captures.filter((c) => c.step_id === t.step_id).map((c) => ({ ...c, value: (t.taskdata as Row)[c.id as string] ?? null })) } } : {}),
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests += 1;
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const fault = faults.find((f) => f.times > 0 && f.method === method && f.path.test(url.pathname));
    if (fault) {
      fault.times -= 1;
      if (fault.status === 429) stats.tooMany += 1;
      return send(res, fault.status, fault.body ?? { error: true, message: 'injected' }, fault.headers);
    }
    if (url.pathname === '/oauth/token' && method === 'POST') {
      const form = new URLSearchParams(raw.toString());
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) {
        return send(res, 401, { error: 'invalid_client' });
      }
      stats.tokenFetches += 1;
      const token = `app-${hex()}`;
      tokens.add(token);
      return send(res, 200, { token_type: 'Bearer', expires_in: options.tokenTtlSec ?? 604800, access_token: token });
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.headers['x-tallyfy-client'] !== 'APIClient' || !auth || !tokens.has(auth)) return send(res, 401, { error: true, message: 'Unauthenticated.' });
    const prefix = `/organizations/${org}`;
    if (!url.pathname.startsWith(prefix)) return send(res, 404, { error: true, message: 'endpoint not found', code: 'ENDPOINT_NOT_FOUND' });
    const p = url.pathname.slice(prefix.length).split('/').filter(Boolean);
    const body = (req.headers['content-type'] ?? '').includes('json') && raw.length ? (JSON.parse(raw.toString()) as Row) : ({} as Row);
    const route = `${method} /${p.map((x, i) => (i % 2 === 1 && !['invite', 'dl'].includes(x) ? ':id' : x)).join('/')}`;
    const byId = (list: Row[], id: string | undefined): Row | undefined => list.find((r) => String(r.id) === id);

    switch (route) {
      case 'GET /users': return page(res, s.users.filter((u) => has(u.email, q.get('q')) || has(u.first_name, q.get('q'))), q);
      case 'POST /users/invite':
        if (s.users.some((u) => String(u.email).toLowerCase() === String(body.email).toLowerCase())) return invalid(res, { email: ['The email has already been taken.'] });
        return send(res, 200, { data: made('user', s.users, { id: seq++ + 1000, email: body.email, first_name: body.first_name, last_name: body.last_name, role: body.role, status: 'invited' }) });
      case 'GET /groups': return page(res, s.groups.filter((g) => has(g.name, q.get('q'))), q);
      case 'POST /groups':
        if (s.groups.some((g) => g.name === body.name)) return invalid(res, { name: ['The name has already been taken.'] });
        return send(res, 201, { data: made('group', s.groups, { id: hex(), name: body.name, description: body.description, members: body.members ?? [] }) });
      case 'GET /checklists': return page(res, s.checklists.filter((c) => has(c.title, q.get('q'))), q);
      case 'POST /checklists': return send(res, 201, { data: made('checklist', s.checklists, { id: hex(), title: body.title, type: body.type, summary: body.summary, status: 'active' }) });
      case 'GET /checklists/:id/steps':
        return page(res, s.steps.filter((x) => x.checklist_id === p[1]).map((x) => ({ ...x, captures: { data: s.captures.filter((c) => c.step_id === x.id) } })), q);
      case 'POST /checklists/:id/steps':
        if (!byId(s.checklists, p[1])) return missing(res);
        if (!body.title) return invalid(res, { title: ['The title field is required.'] });
        return send(res, 201, { data: made('step', s.steps, { id: hex(), checklist_id: p[1], title: body.title, summary: body.summary, position: body.position, step_type: body.step_type }) });
      case 'POST /checklists/:id/steps/:id/captures':
        if (!('required' in body)) return invalid(res, { required: ['The required field must be present.'] });
        if (Array.isArray(body.options) && body.options.some((o: { id: unknown }) => !Number.isInteger(o.id))) return invalid(res, { 'options.0.id': ['The id must be an integer.'] });
        return send(res, 201, { data: made('capture', s.captures, { id: hex(), step_id: p[3], label: body.label, field_type: body.field_type, required: body.required, position: body.position, options: body.options ?? [] }) });
      case 'GET /runs':
        return page(res, s.runs.filter((r) => has(r.name, q.get('q')) && (!q.get('checklist_id') || r.checklist_id === q.get('checklist_id'))), q);
      case 'POST /runs': {
        if (!byId(s.checklists, String(body.checklist_id))) return invalid(res, { checklist_id: ['The selected checklist id is invalid.'] });
        const run = made('run', s.runs, { id: hex(), checklist_id: body.checklist_id, name: body.name, status: 'active' });
        const per = (body.tasks ?? {}) as Record<string, Row>;
        for (const st of s.steps.filter((x) => x.checklist_id === body.checklist_id)) {
          s.tasks.push({ id: hex(), run_id: run.id, step_id: st.id, title: st.title, position: st.position, status: 'active', deadline: per[st.id]?.deadline ?? null, owners: per[st.id]?.owners ?? null, taskdata: {} });
        }
        return send(res, 201, { data: run });
      }
      case 'GET /runs/:id': return byId(s.runs, p[1]) ? send(res, 200, { data: byId(s.runs, p[1]) }) : missing(res);
      case 'DELETE /runs/:id': {
        const run = byId(s.runs, p[1]);
        if (!run) return missing(res);
        run.status = 'archived';
        return send(res, 200, { data: run });
      }
      case 'GET /runs/:id/tasks': {
        const list = s.tasks.filter((t) => t.run_id === p[1]);
        return q.get('without_pagination') === 'true' ? send(res, 200, { data: list }) : page(res, list, q);
      }
      case 'GET /runs/:id/tasks/:id': {
        const t = s.tasks.find((x) => x.run_id === p[1] && x.id === p[3]);
        return t ? send(res, 200, { data: taskView(t, q.get('with') ?? '') }) : missing(res);
      }
      case 'PUT /runs/:id/tasks/:id': {
        const t = s.tasks.find((x) => x.run_id === p[1] && x.id === p[3]);
        if (!t) return missing(res);
        if (t.status === 'completed') return invalid(res, { task: ['A completed task cannot be edited.'] });
        Object.assign(t, { taskdata: { ...(t.taskdata as Row), ...(body.taskdata as Row) } }, body.deadline ? { deadline: body.deadline } : {}, body.owners ? { owners: body.owners } : {});
        stats.creates.taskWrite = (stats.creates.taskWrite ?? 0) + 1;
        return send(res, 200, { data: t });
      }
      case 'POST /runs/:id/completed-tasks': {
        const t = s.tasks.find((x) => x.run_id === p[1] && x.id === body.task_id);
        if (!t) return missing(res);
        if (t.status === 'completed') return invalid(res, { task_id: ['The task is already completed.'] });
        Object.assign(t, { status: 'completed', completed_by: body.override_user ?? 'api' });
        stats.creates.completion = (stats.creates.completion ?? 0) + 1;
        return send(res, 201, { data: t });
      }
      case 'DELETE /runs/:id/completed-tasks/:id': {
        const t = s.tasks.find((x) => x.run_id === p[1] && x.id === p[3]);
        if (!t) return missing(res);
        t.status = 'active';
        return send(res, 200, { data: t });
      }
      case 'POST /tasks/:id/comment': {
        const now = Date.now();
        while (commentTimes.length > 0 && (commentTimes[0] ?? 0) <= now - cap.windowMs) commentTimes.shift();
        if (commentTimes.length >= cap.count) {
          stats.tooMany += 1;
          const wait = Math.ceil(((commentTimes[0] ?? now) + cap.windowMs - now) / 1000);
          return send(res, 429, { message: "You've reached the hourly limit for comments", code: 'RATE_LIMIT_EXCEEDED' }, { 'retry-after': String(wait) });
        }
        commentTimes.push(now);
        if (!s.tasks.some((t) => t.id === p[1])) return missing(res);
        return send(res, 201, { data: made('thread', s.threads, { id: seq++ + 5000, task_id: p[1], content: body.content }) });
      }
      case 'POST /file': {
        const text = raw.toString('latin1');
        const filename = /name="name"; filename="([^"]*)"/.exec(text)?.[1];
        const field = (n: string): string | undefined => new RegExp(`name="${n}"\\r\\n\\r\\n([^\\r]*)`).exec(text)?.[1];
        if (!filename || field('subject_type') !== 'Run') return invalid(res, { name: ['The name must be a file.'] });
        return send(res, 200, { data: made('asset', s.assets, { id: hex(), filename, version: 1, subject: { id: field('subject_id'), type: 'Run' }, uploaded_from: field('uploaded_from'), bytes: raw.length }) });
      }
      default: return send(res, 404, { error: true, message: 'endpoint not found', code: 'ENDPOINT_NOT_FOUND' });
    }
  }

  const server = createServer((req, res) => { handle(req, res).catch((e: unknown) => send(res, 500, { error: true, message: String(e) })); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    org, state: s, stats, tokens, commentTimes,
    fault: (f: Omit<Fault, 'times'> & { times?: number }) => faults.push({ times: 1, ...f }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
export type TallyfyDouble = Awaited<ReturnType<typeof startTallyfyDouble>>;
