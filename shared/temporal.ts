import { readFile } from 'node:fs/promises';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

// @temporalio/proto is CommonJS: Node's ESM loader only sees its default export.
const { temporal } = proto;

/** Custom search attributes every tenant namespace carries (filterable in Temporal Web UI). */
export const SEARCH_ATTRIBUTES = {
  TenantId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  JobId: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  JobStatus: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** gRPC status codes we branch on. */
const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNIMPLEMENTED = 12;

/** The server does not let clients manage namespaces or search attributes (Temporal Cloud, a locked-down cluster). */
function refusedByServer(err: unknown): boolean {
  const code = grpcCode(err);
  return code === GRPC_PERMISSION_DENIED || code === GRPC_UNIMPLEMENTED;
}

/**
 * The namespace a tenant needs does not exist and this Temporal will not let Freight create it: an
 * operator creates it (with the search attributes) and the tenant is provisioned again.
 */
export class NamespaceNotProvisionedError extends Error {
  constructor(namespace: string, cause: unknown) {
    super(`Temporal refuses to create namespace "${namespace}" (Temporal Cloud and locked-down servers do): create it `
      + `(tcld namespace create, or the Cloud UI) with the Keyword search attributes ${Object.keys(SEARCH_ATTRIBUTES).join(', ')}, then provision the tenant again`, { cause });
    this.name = 'NamespaceNotProvisionedError';
  }
}

/** Options both the client Connection and the worker NativeConnection accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
  apiKey?: string;
}

/** Connection options from config: plain, mTLS (self-hosted) or API key (Temporal Cloud). */
export async function temporalConnectionOptions(config: Config['temporal']): Promise<TemporalConnectionOptions> {
  const options: TemporalConnectionOptions = { address: config.address };
  if (config.tls) {
    options.tls = {
      ...(config.tlsCertPath && config.tlsKeyPath
        ? { clientCertPair: { crt: await readFile(config.tlsCertPath), key: await readFile(config.tlsKeyPath) } }
        : {}),
      ...(config.tlsCaPath ? { serverRootCACertificate: await readFile(config.tlsCaPath) } : {}),
    };
  }
  if (config.apiKey) options.apiKey = config.apiKey;
  return options;
}

export async function connectTemporal(config: Config['temporal']): Promise<Connection> {
  const options: ConnectionOptions = { ...(await temporalConnectionOptions(config)), connectTimeout: '10s' };
  return Connection.connect(options);
}

/** The Temporal namespace of a tenant: one per tenant, so histories and workers never mix. */
export function namespaceFor(prefix: string, tenantSlug: string): string {
  return `${prefix}${tenantSlug}`;
}

function grpcCode(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : undefined;
}

export interface EnsureNamespaceOptions {
  connection: Connection;
  namespace: string;
  retentionDays: number;
  description?: string;
  logger: Logger;
  /** How long to wait for a just-registered namespace to serve requests. */
  readyTimeoutMs?: number;
}

/**
 * Registers the namespace and Freight's search attributes if they are missing, then waits until
 * the namespace answers visibility queries that use them. Safe to call any number of times: each
 * step checks before it acts, so a retry after a crash halfway converges. Where the server manages
 * namespaces itself (Temporal Cloud: no registerNamespace or operator service for API clients), an
 * operator-created namespace is accepted as it is, and the visibility query proves its attributes.
 */
export async function ensureNamespace(options: EnsureNamespaceOptions): Promise<void> {
  const { connection, namespace, logger } = options;
  const svc = connection.workflowService;
  try {
    await svc.describeNamespace({ namespace });
  } catch (err) {
    if (grpcCode(err) !== GRPC_NOT_FOUND) throw err;
    try {
      await svc.registerNamespace({
        namespace,
        description: options.description ?? '',
        workflowExecutionRetentionPeriod: msToTs(`${options.retentionDays} days`),
      });
      logger.info({ namespace }, 'temporal namespace registered');
    } catch (registerErr) {
      if (refusedByServer(registerErr)) throw new NamespaceNotProvisionedError(namespace, registerErr);
      if (grpcCode(registerErr) !== GRPC_ALREADY_EXISTS) throw registerErr;
    }
  }
  await ensureSearchAttributes(connection, namespace, options.readyTimeoutMs ?? 60_000);
  await waitUntilQueryable(connection, namespace, options.readyTimeoutMs ?? 60_000);
}

async function ensureSearchAttributes(connection: Connection, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A namespace registered a moment ago may not be in the server's cache yet: retry until it is.
  for (;;) {
    try {
      const existing = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.fromEntries(
        Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in (existing.customAttributes ?? {}))),
      );
      if (Object.keys(missing).length === 0) return;
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
      return;
    } catch (err) {
      // Refused: the attributes are the operator's to add; the visibility query that follows proves them.
      if (grpcCode(err) === GRPC_ALREADY_EXISTS || refusedByServer(err)) return;
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

async function waitUntilQueryable(connection: Connection, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const query = Object.keys(SEARCH_ATTRIBUTES).map((name) => `${name} = 'probe'`).join(' AND ');
  for (;;) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
