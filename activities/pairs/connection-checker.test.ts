import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../shared/errors.ts';
import { createTestChecker, statuses } from './check-test-support.ts';
import { connectorChecks } from './connection-checker.ts';
import { PAIR_MODULES } from './registry.ts';

/** The runner around the connector types' checks: registry, outbound policy, outages and timeouts. */
let silent: Server;
let silentUrl: string;
let closedUrl: string;

beforeAll(async () => {
  // Accepts connections and never answers: only the check's own time limit ends the call.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const gone = createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
});
afterAll(async () => {
  silent?.closeAllConnections();
  await new Promise<void>((resolve) => silent?.close(() => resolve()));
});

describe('connection checker', () => {
  it('has a check for every connector type of every pair', () => {
    const types = new Set(PAIR_MODULES.flatMap((p) => [p.data.source, p.data.target]));
    expect([...connectorChecks().keys()].sort()).toEqual([...types].sort());
  });

  it('fails a base URL the outbound policy no longer admits, without calling it', async () => {
    const checker = createTestChecker({ allowHosts: '' });
    try {
      const result = await checker.run({ type: 'attio', baseUrl: closedUrl, apiKey: 'k' });
      expect(result).toMatchObject({ ok: false, failed: ['reachable'] });
      expect(result.checks[0]?.message).toMatch(/outbound policy/);
    } finally {
      await checker.close();
    }
  });

  it('reports an API that does not answer as an error of the check, not a failure of the connection', async () => {
    const checker = createTestChecker();
    try {
      for (const type of ['affinity', 'attio', 'process-street'] as const) {
        const result = await checker.run({ type, baseUrl: type === 'process-street' ? `${closedUrl}/api/v1.1` : closedUrl, apiKey: 'k' });
        expect(statuses(result), type).toEqual({ reachable: 'error' });
        expect(result).toMatchObject({ ok: false, failed: [] });
      }
    } finally {
      await checker.close();
    }
  });

  it('ends a check that takes too long with an error item', async () => {
    const checker = createTestChecker({ timeoutMs: 300 });
    try {
      const started = Date.now();
      const result = await checker.run({ type: 'tallyfy', baseUrl: silentUrl, token: 't', settings: { organizationId: '0123456789abcdef0123456789abcdef' } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(statuses(result)).toEqual({ reachable: 'error' });
      expect(result.failed).toEqual([]);
    } finally {
      await checker.close();
    }
  });

  it('lets the connection look-up\'s 404 through (another tenant\'s connection)', async () => {
    const checker = createTestChecker();
    try {
      const { check } = checker;
      await expect(check({ tenantId: 't', connectionId: '00000000-0000-4000-8000-00000000ffff' })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await checker.close();
    }
  });
});
