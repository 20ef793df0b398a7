import { startProcessStreetSandbox, type ProcessStreetSandbox, type ProcessStreetSandboxOptions } from '../../infra/sandbox/process-street/index.ts';
import { startTallyfySandbox, type OrganizationSnapshot, type TallyfySandbox, type TallyfySandboxOptions } from '../../infra/sandbox/tallyfy/index.ts';
import { createKey, createTenant, createTestApp } from '../integration/support/app.ts';
import type { EngineTenant } from './engine.ts';
import { getTestContext } from './stack.ts';

/** The Process Street → Tallyfy pair's two sandboxes, in this process. */
export interface PsTallyfySandboxes {
  ps: ProcessStreetSandbox;
  tallyfy: TallyfySandbox;
  close(): Promise<void>;
}

/**
 * Both sandboxes with their limits off: the tests are about exactly-once, not pacing (the comment cap
 * alone would hold 20 comments for 10 minutes). The worker's own limiters are opened to match (PS_TALLYFY_WORKER_ENV).
 */
export async function startPsTallyfySandboxes(ps: ProcessStreetSandboxOptions, tallyfy: TallyfySandboxOptions = {}): Promise<PsTallyfySandboxes> {
  const source = await startProcessStreetSandbox({ limits: { perSecond: 0 }, ...ps });
  const target = await startTallyfySandbox({ limits: { perMinute: 0, commentsPerHour: 0, invitesPerHour: 0 }, ...tallyfy });
  return {
    ps: source, tallyfy: target,
    async close() {
      await source.close();
      await target.close();
    },
  };
}

/** Worker env: the connectors' own limiters as open as the sandboxes' (pair data env names). */
export const PS_TALLYFY_WORKER_ENV: Record<string, string> = {
  FREIGHT_PROCESS_STREET_REQUESTS_PER_SEC: '100000',
  FREIGHT_TALLYFY_REQUESTS_PER_MIN: '10000000',
  FREIGHT_TALLYFY_COMMENTS_PER_HOUR: '1000000',
  FREIGHT_TALLYFY_INVITES_PER_HOUR: '1000000',
};

/** A tenant with an engineer key and `process-street` / `tallyfy` connections to the sandboxes, all through the REST API. */
export async function createPsTallyfyTenant(s: PsTallyfySandboxes, taskQueue: string): Promise<EngineTenant> {
  const ctx = await getTestContext();
  const t = await createTestApp({ config: { temporal: { ...ctx.config.temporal, taskQueue } } });
  const tenant = await createTenant(t);
  const { key } = await createKey(t, tenant.id, 'engineer');
  const connect = async (body: unknown): Promise<string> => {
    const res = await t.call('POST', '/v1/connections', { token: key, body });
    if (res.status !== 201) throw new Error(`connection: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const sourceConnectionId = await connect({ name: 'process street', type: 'process-street', baseUrl: s.ps.url, credentials: { apiKey: s.ps.apiKey } });
  const targetConnectionId = await connect({
    name: 'tallyfy', type: 'tallyfy', baseUrl: s.tallyfy.url, credentials: { token: s.tallyfy.token }, settings: { organizationId: s.tallyfy.organizationId },
  });
  return { t, tenantId: tenant.id, namespace: tenant.namespace, key, sourceConnectionId, targetConnectionId };
}

/** The Tallyfy organisation through the sandbox's inspection endpoint (GET /__sandbox/organization). */
export async function inspectTallyfy(s: PsTallyfySandboxes): Promise<OrganizationSnapshot> {
  const res = await fetch(`${s.tallyfy.url}/__sandbox/organization`);
  if (!res.ok) throw new Error(`tallyfy inspection: ${res.status}`);
  return (await res.json()) as OrganizationSnapshot;
}

/** Tallyfy sandbox writes that created something (GET /__sandbox/writes): members, groups, templates, steps, fields, processes, comments, files. */
export async function tallyfyCreates(s: PsTallyfySandboxes): Promise<number> {
  const res = await fetch(`${s.tallyfy.url}/__sandbox/writes`);
  if (!res.ok) throw new Error(`tallyfy writes: ${res.status}`);
  const writes = (await res.json()) as Record<string, number>;
  return CREATES.reduce((n, k) => n + (writes[k] ?? 0), 0);
}

const CREATES = ['usersInvited', 'usersCreated', 'groupsCreated', 'checklistsCreated', 'stepsCreated', 'capturesCreated', 'runsLaunched', 'comments', 'filesUploaded'];
