import { generateApiKey } from '../../shared/auth/api-key.ts';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../shared/db/client.ts';
import { migrate, roleOfUrl } from '../../shared/db/migrate.ts';
import { createLogger } from '../../shared/logger.ts';
import { downStack, upStack } from '../../infra/dev-stack/stack.ts';
import { readState, writeState } from '../../infra/dev-stack/state.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEnv: Record<string, string>;
    /** Name of the dev-stack the run uses (its state file locates the servers, e.g. for the chaos suite's restarts). */
    stackName: string;
  }
}

/**
 * Starts (or finds) the test stack's real servers once per run, applies migrations as the owner
 * role, and hands the environment to every test file. FREIGHT_KEEP_TEST_STACK=1 leaves the servers
 * running afterwards so the next run starts in seconds.
 */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  // FREIGHT_TEST_STACK lets parallel runs on one machine (several developers or agents) keep apart.
  return setupTestStack(project, process.env.FREIGHT_TEST_STACK ?? 'test');
}

/** The global setup's work for a named stack (the chaos suite restarts servers, so it runs on a stack of its own). */
export async function setupTestStack(project: TestProject, name: string): Promise<() => Promise<void>> {
  const log = (m: string): void => console.error(`[${name}-stack] ${m}`);
  const keep = process.env.FREIGHT_KEEP_TEST_STACK === '1';
  // Unless kept for the next run, the stack goes with this run: a killed vitest leaves no server behind.
  const stack = await upStack({ name, log, guard: !keep });
  const state = await readState(stack.dir);
  state.adminApiKey ??= generateApiKey('test').plaintext;
  await writeState(stack.dir, state);

  const env: Record<string, string> = {
    ...stack.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    FREIGHT_ADMIN_API_KEY: process.env.FREIGHT_ADMIN_API_KEY ?? state.adminApiKey,
    FREIGHT_JWT_SECRET: randomBytes(32).toString('hex'),
    FREIGHT_JWT_AUDIENCE: 'freight-test',
    FREIGHT_ENCRYPTION_KEYS: `test1:${randomBytes(32).toString('base64')}`,
    // Tests start sandboxes on ephemeral loopback ports: the operator allow-list admits any port of
    // 127.0.0.1 here. The SSRF tests build their apps and workers with narrow lists of their own.
    FREIGHT_OUTBOUND_ALLOW_HOSTS: '127.0.0.1:*',
  };
  const ownerUrl = env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL;
  if (!ownerUrl || !env.DATABASE_URL) throw new Error('test stack has no database');
  const sql = createSql({ url: ownerUrl, max: 1 });
  try {
    await migrate({ sql, appRole: roleOfUrl(env.DATABASE_URL), logger: createLogger({ level: 'warn', name: 'migrate' }) });
  } catch (err) {
    // Vitest runs no teardown for a setup that failed: stop what this one started before failing.
    if (!keep) await downStack(name, stack.started);
    await stack.guard?.dismiss();
    throw err;
  } finally {
    await sql.end({ timeout: 5 });
  }
  project.provide('stackEnv', env);
  project.provide('stackName', name);

  return async () => {
    if (keep) return;
    // The chaos suite restarts servers (new pids in the stack's state): stop whatever of them runs now.
    const stopped = await downStack(name, stack.started);
    await stack.guard?.dismiss();
    if (stopped.length > 0) log(`stopped ${stopped.join(', ')}`);
  };
}
