import { describe, expect, it } from 'vitest';
import type { Connection } from '@temporalio/client';
import { ensureNamespace, NamespaceNotProvisionedError } from './temporal.ts';
import { createLogger } from './logger.ts';

const grpc = (code: number, message: string): Error => Object.assign(new Error(message), { code });
const logger = createLogger({ name: 'test', level: 'silent' });

/** A Temporal frontend that behaves like Temporal Cloud: no namespace registration, no operator service. */
function cloudLike(namespaces: Set<string>): { connection: Connection; queries: string[] } {
  const queries: string[] = [];
  const connection = {
    workflowService: {
      describeNamespace: async ({ namespace }: { namespace: string }) => {
        if (!namespaces.has(namespace)) throw grpc(5, `namespace ${namespace} not found`);
        return {};
      },
      registerNamespace: async () => { throw grpc(7, 'Request unauthorized.'); },
      countWorkflowExecutions: async ({ query }: { query: string }) => {
        queries.push(query);
        return { count: 0 };
      },
    },
    operatorService: {
      listSearchAttributes: async () => { throw grpc(12, 'unknown service temporal.api.operatorservice.v1.OperatorService'); },
      addSearchAttributes: async () => { throw grpc(12, 'unknown service'); },
    },
  } as unknown as Connection;
  return { connection, queries };
}

describe('ensureNamespace on a server that manages namespaces itself', () => {
  it('accepts an operator-created namespace and proves its search attributes with a visibility query', async () => {
    const { connection, queries } = cloudLike(new Set(['freight-acme']));
    await ensureNamespace({ connection, namespace: 'freight-acme', retentionDays: 7, logger, readyTimeoutMs: 1_000 });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('JobStatus');
  });

  it('says what the operator must create when the namespace is missing', async () => {
    const { connection } = cloudLike(new Set());
    const err = await ensureNamespace({ connection, namespace: 'freight-new', retentionDays: 7, logger, readyTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NamespaceNotProvisionedError);
    expect((err as Error).message).toMatch(/create it .*TenantId, JobId, JobStatus/);
  });
});
