/** Test support for the Tallyfy sandbox tests (not used by the server). */
import { createTestClient } from '../test-client.ts';
import { startTallyfySandbox, type TallyfySandbox, type TallyfySandboxOptions } from './index.ts';

export const API_HEADERS = { 'x-tallyfy-client': 'APIClient', accept: 'application/json' };

export interface Harness {
  sandbox: TallyfySandbox;
  /** Calls `/organizations/{org}${path}` on the root base as the admin's personal token. */
  api: ReturnType<typeof createTestClient>;
  /** Any path on the server, with Tallyfy's headers and the given bearer token. */
  raw(token?: string): ReturnType<typeof createTestClient>;
}

export async function startHarness(options: TallyfySandboxOptions = {}): Promise<Harness> {
  const sandbox = await startTallyfySandbox({ limits: { perMinute: 0, burstPerSecond: 0, commentsPerHour: 0, invitesPerHour: 0 }, ...options });
  const raw = (token: string = sandbox.token) => {
    const call = createTestClient(sandbox.url, `Bearer ${token}`);
    return ((method, path, body, headers = {}) => call(method, path, body, { ...API_HEADERS, ...headers })) as ReturnType<typeof createTestClient>;
  };
  const root = raw();
  const api = ((method, path, body, headers) => root(method, `/organizations/${sandbox.organizationId}${path}`, body, headers)) as ReturnType<typeof createTestClient>;
  return { sandbox, api, raw };
}

/** A template with one step holding the given fields (captures). */
export async function blueprint(api: Harness['api'], fields: Record<string, unknown>[], options: { prerun?: Record<string, unknown>[] } = {}) {
  const checklist = (await api('POST', '/checklists', { title: 'Onboarding', type: 'procedure', prerun: options.prerun ?? [] })).body.data;
  const step = (await api('POST', `/checklists/${checklist.id}/steps`, { title: 'Collect' })).body.data;
  const captures = [];
  for (const field of fields) {
    const created = await api('POST', `/checklists/${checklist.id}/steps/${step.id}/captures`, field);
    if (created.status !== 201) throw new Error(`capture refused: ${JSON.stringify(created.body)}`);
    captures.push(created.body.data);
  }
  return { checklist, step, captures };
}
