import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { pino } from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../shared/config.ts';
import { createSql, type Sql } from '../../shared/db/client.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { createS3, type S3Context } from '../../shared/s3.ts';
import { connectTemporal } from '../../shared/temporal.ts';
import { REPO_ROOT } from '../../infra/dev-stack/paths.ts';

export interface TestContext {
  config: Config;
  /** Connected as the service's app role: no table ownership, row-level security applies. */
  sql: Sql;
  /** Connected as the schema owner (migrations already applied). */
  ownerSql: Sql;
  temporal: Connection;
  s3: S3Context;
  /** Writes to test-artifacts/, which `npm test` scans for leaked secrets. */
  logger: Logger;
  logFile: string;
}

let context: Promise<TestContext> | undefined;

/** The real services of the test stack, one set of clients per test file (closed by the setup file). */
export function getTestContext(): Promise<TestContext> {
  context ??= create();
  return context;
}

async function create(): Promise<TestContext> {
  const env = inject('stackEnv');
  const config = loadConfig(env);
  const dir = path.join(REPO_ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, `suite-${process.pid}.log`);
  const logger = createLogger({ level: 'debug', name: 'freight-test', destination: pino.destination({ dest: logFile, sync: true, append: true }) });
  return {
    config,
    sql: createSql({ url: config.db.url, max: 5, logger }),
    ownerSql: createSql({ url: config.db.migrationUrl, max: 2, logger }),
    temporal: await connectTemporal(config.temporal),
    s3: createS3(config.s3),
    logger,
    logFile,
  };
}

export async function closeTestContext(): Promise<void> {
  if (!context) return;
  const ctx = await context;
  context = undefined;
  await Promise.all([ctx.sql.end({ timeout: 5 }), ctx.ownerSql.end({ timeout: 5 }), ctx.temporal.close()]);
  ctx.s3.client.destroy();
}
