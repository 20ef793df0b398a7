/**
 * A tiny Process Street v1.1 stand-in for unit tests (node:http on 127.0.0.1): the documented paths,
 * `X-API-KEY`, 20-item pages behind absolute `links[name=next].href` that keep the query's filters,
 * per-endpoint envelope keys, ErrorInfo bodies, SCIM under `/api/scim`, and injectable faults. It
 * counts calls by endpoint template, the names the call plan uses. Not the sandbox: just enough of
 * the reference for the connector's tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  RawAttachment, RawComment, RawOption, RawRevision, RawRun, RawRunTask, RawRunValue, RawScimGroup, RawTemplateField, RawTemplateTask, RawUser,
  RawUserRef, RawWidget, RawWorkflow,
} from './ps-types.ts';

export interface FakeWorkflow {
  workflow: RawWorkflow & { id: string };
  tasks: RawTemplateTask[];
  fields: RawTemplateField[];
  revisions: RawRevision[];
  /** By revision id, then task id. */
  widgets: Record<string, Record<string, RawWidget[]>>;
  options: Record<string, RawOption[]>;
}

export interface FakeRun {
  run: RawRun & { id: string };
  tasks: RawRunTask[];
  assignees: Record<string, RawUserRef[]>;
  values: RawRunValue[];
  comments: RawComment[];
  attachments: RawAttachment[];
  /** Listed, but its tasks, values, comments and attachments answer 404 (deleted meanwhile). */
  gone?: boolean;
}

export interface FakeOrg {
  users: RawUser[];
  /** null: the key has no SCIM (404 there). */
  groups: RawScimGroup[] | null;
  workflows: FakeWorkflow[];
  runs: FakeRun[];
}

/** An answer given `times` times to requests whose path matches, before anything else; `hang` answers nothing. */
export interface Fault { path: RegExp; status: number; headers?: Record<string, string>; body?: string; times: number; hang?: boolean }

export interface FakePs {
  baseUrl: string;
  apiKey: string;
  org: FakeOrg;
  faults: Fault[];
  /** Calls by endpoint template (`GET /workflow-runs/{id}/tasks`). */
  calls: Map<string, number>;
  /** Every request as received (path and query), with its arrival time. */
  log: Array<{ url: string; at: number }>;
  /** Bytes served at `/files/<name>`. */
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

const PAGE = 20;
type Route = [RegExp, string, (m: RegExpMatchArray, q: URLSearchParams, org: FakeOrg) => unknown];

const wf = (org: FakeOrg, id: string | undefined) => org.workflows.find((w) => w.workflow.id === id);
const run = (org: FakeOrg, id: string | undefined) => org.runs.find((r) => r.run.id === id);
const live = (org: FakeOrg, id: string | null | undefined) => { const r = run(org, id ?? undefined); return r?.gone ? undefined : r; };
const NOT_FOUND = Symbol('not found');

/** Routes: pattern, endpoint template (the call plan's name), handler returning [items, envelope] or a body. */
const ROUTES: Route[] = [
  [/^\/api\/v1\.1\/testAuth$/, 'GET /testAuth', () => ({ apiKeyLabel: 'migration key' })],
  [/^\/api\/v1\.1\/users$/, 'GET /users', (_m, _q, org) => ['users', org.users]],
  [/^\/api\/v1\.1\/workflows$/, 'GET /workflows', (_m, _q, org) => ['workflows', org.workflows.map((w) => w.workflow)]],
  [/^\/api\/v1\.1\/workflows\/([^/]+)\/tasks$/, 'GET /workflows/{id}/tasks', (m, _q, org) => ['tasks', wf(org, m[1])?.tasks ?? NOT_FOUND]],
  [/^\/api\/v1\.1\/workflows\/([^/]+)\/form-fields$/, 'GET /workflows/{id}/form-fields', (m, _q, org) => ['fields', wf(org, m[1])?.fields ?? NOT_FOUND]],
  [/^\/api\/v1\.1\/workflows\/([^/]+)\/form-fields\/([^/]+)\/options$/, 'GET /workflows/{id}/form-fields/{fid}/options',
    (m, _q, org) => ['options', wf(org, m[1])?.options[m[2] ?? ''] ?? []]],
  [/^\/api\/v1\.1\/workflows\/([^/]+)\/revisions$/, 'GET /workflows/{id}/revisions',
    (m, q, org) => ({ data: (wf(org, m[1])?.revisions ?? []).filter((r) => !q.get('status') || r.status === q.get('status')) })],
  [/^\/api\/v1\.1\/workflows\/([^/]+)\/revisions\/([^/]+)\/tasks\/([^/]+)\/widgets$/, 'GET /workflows/{id}/revisions/{rev}/tasks/{tid}/widgets',
    (m, _q, org) => ['data', wf(org, m[1])?.widgets[m[2] ?? '']?.[m[3] ?? ''] ?? []]],
  [/^\/api\/v1\.1\/workflow-runs\/list$/, 'GET /workflow-runs/list', (_m, _q, org) => ['data', org.runs.map((r) => r.run)]],
  [/^\/api\/v1\.1\/workflow-runs\/([^/]+)\/tasks$/, 'GET /workflow-runs/{id}/tasks',
    (m, _q, org) => ['tasks', live(org, m[1])?.tasks ?? NOT_FOUND]],
  [/^\/api\/v1\.1\/workflow-runs\/([^/]+)\/tasks\/([^/]+)\/assignees$/, 'GET /workflow-runs/{id}/tasks/{tid}/assignees',
    (m, _q, org) => ({ assignees: run(org, m[1])?.assignees[m[2] ?? ''] ?? [] })],
  [/^\/api\/v1\.1\/workflow-runs\/([^/]+)\/form-fields$/, 'GET /workflow-runs/{id}/form-fields', (m, _q, org) => ['fields', live(org, m[1])?.values ?? NOT_FOUND]],
  [/^\/api\/v1\.1\/comments$/, 'GET /comments?workflowRunId', (_m, q, org) => ['data', live(org, q.get('workflowRunId'))?.comments ?? NOT_FOUND]],
  [/^\/api\/v1\.1\/attachments$/, 'GET /attachments?workflowRunId', (_m, q, org) => {
    const workflowId = q.get('workflowId');
    if (workflowId !== null) return ['data', org.runs.filter((r) => r.run.workflowId === workflowId).flatMap((r) => r.attachments)];
    return ['data', live(org, q.get('workflowRunId'))?.attachments ?? NOT_FOUND];
  }],
];

export async function startFakePs(org: FakeOrg, apiKey = 'ps-test-key-123'): Promise<FakePs> {
  const state = { faults: [] as Fault[], calls: new Map<string, number>(), log: [] as FakePs['log'], files: new Map<string, Buffer>() };
  let origin = '';
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const errorInfo = (res: ServerResponse, status: number, errorCode: string, error: string): void =>
    json(res, status, { error, errorCode, requestId: 'req-1' });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', origin);
    state.log.push({ url: `${url.pathname}${url.search}`, at: Date.now() });
    const fault = state.faults.find((f) => f.times > 0 && f.path.test(url.pathname));
    if (fault) {
      fault.times -= 1;
      if (fault.hang) return;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? '');
      return;
    }
    if (req.headers['x-api-key'] !== apiKey) return errorInfo(res, 401, 'Unauthorized', 'Invalid API key');
    if (url.pathname.startsWith('/files/')) {
      const bytes = state.files.get(url.pathname.slice('/files/'.length));
      if (!bytes) return errorInfo(res, 404, 'NotFound', 'No such file');
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      return;
    }
    if (url.pathname === '/api/scim/Groups') {
      count(state.calls, 'GET /api/scim/Groups');
      if (org.groups === null) return errorInfo(res, 404, 'NotFound', 'SCIM is not enabled');
      const start = Number(url.searchParams.get('startIndex') ?? '1');
      const n = Number(url.searchParams.get('count') ?? String(PAGE));
      return json(res, 200, { totalResults: org.groups.length, Resources: org.groups.slice(start - 1, start - 1 + n) });
    }
    for (const [pattern, endpoint, handler] of ROUTES) {
      const m = url.pathname.match(pattern);
      if (!m) continue;
      count(state.calls, endpoint === 'GET /attachments?workflowRunId' && url.searchParams.has('workflowId') ? 'GET /attachments?workflowId' : endpoint);
      const out = handler(m, url.searchParams, org);
      if (!Array.isArray(out)) return json(res, 200, out);
      const [key, items] = out as [string, unknown[] | typeof NOT_FOUND];
      if (items === NOT_FOUND) return errorInfo(res, 404, 'NotFound', 'Not found');
      // The cursor is opaque to clients; here an offset with a prefix.
      const offset = Number((url.searchParams.get('_') ?? 'o0').slice(1));
      const links: Array<{ name: string; href: string; type: string }> = [];
      if (offset + PAGE < items.length) {
        const next = new URL(url.href);
        next.searchParams.set('_', `o${offset + PAGE}`);
        links.push({ name: 'next', href: next.href, type: 'Api' });
      }
      return json(res, 200, { [key]: items.slice(offset, offset + PAGE), links });
    }
    errorInfo(res, 404, 'NotFound', 'No route');
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/api/v1.1`, apiKey, org, ...state,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function count(calls: Map<string, number>, endpoint: string): void {
  calls.set(endpoint, (calls.get(endpoint) ?? 0) + 1);
}
