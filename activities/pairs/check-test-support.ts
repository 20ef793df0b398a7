import type { Dispatcher } from 'undici';
import type { ConnectionCheckResult } from '../../shared/connections/connection-check.ts';
import type { ConnectionCredentials } from '../../shared/connections/connection-model.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { createLogger } from '../../shared/logger.ts';
import { parseAllowHosts } from '../../shared/outbound/allow-list.ts';
import { createOutboundPolicy } from '../../shared/outbound/outbound-policy.ts';
import { createBudgetRegistry } from '../connectors/budget/budget-registry.ts';
import { createOutboundDispatcher } from '../connectors/http/outbound-dispatcher.ts';
import { createConnectionChecker } from './connection-checker.ts';

/**
 * A connection checker as the API builds it (real outbound policy allowing the loopback sandboxes,
 * its checked dispatcher, the registry's checks) over connections held in memory: tests add a
 * connection and check it by id. `close()` ends the dispatcher.
 */
export function createTestChecker(options: { allowHosts?: string; timeoutMs?: number } = {}) {
  const connections = new Map<string, ConnectionCredentials>();
  const policy = createOutboundPolicy({ allowHosts: parseAllowHosts(options.allowHosts ?? '127.0.0.1:*') });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', name: 'check-test', destination: { write: (line: string) => void logs.push(line) } });
  const dispatcher: Dispatcher = createOutboundDispatcher({ policy, logger, connections: 4 });
  const check = createConnectionChecker({
    credentials: async (_tenant, id) => {
      const found = connections.get(id);
      if (!found) throw new NotFoundError('Connection');
      return found;
    },
    outbound: { policy, dispatcher }, budgets: createBudgetRegistry(), logger,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  let next = 0;
  return {
    logs,
    check,
    /** Checks a connection of these credentials (objects: as a job moving them would). */
    async run(credentials: ConnectionCredentials, objects?: readonly string[]): Promise<ConnectionCheckResult> {
      next += 1;
      const id = `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
      connections.set(id, credentials);
      return check({ tenantId: 'tenant', connectionId: id, ...(objects ? { objects } : {}) });
    },
    close: () => dispatcher.close(),
  };
}

/** name → status of a result's checks, for compact assertions. */
export function statuses(result: ConnectionCheckResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.name, c.status]));
}
