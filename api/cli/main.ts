import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { createSql } from '../../shared/db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { createLogger } from '../../shared/logger.ts';
import { connectTemporal } from '../../shared/temporal.ts';
import { createApiKeyService } from '../../shared/tenancy/api-keys.ts';
import { createTenantService } from '../../shared/tenancy/tenants.ts';
import type { Actor } from '../../shared/auth/principal.ts';
import { parseCommand, USAGE, UsageError } from './args.ts';
import { runCommand } from './commands.ts';

/* eslint-disable no-console -- the CLI talks to a terminal */

function operatorName(): string {
  try {
    return process.env.FREIGHT_CLI_ACTOR ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The environment as given, or completed from the dev stack when it names no database (dev-stack-env.ts). */
async function configEnv(): Promise<NodeJS.ProcessEnv> {
  if (process.env.DATABASE_URL) return process.env;
  const { withDevStack } = await import('./dev-stack-env.ts');
  return (await withDevStack(process.env)).env;
}

function printError(err: unknown): void {
  if (err instanceof AppError) {
    console.error(`error: ${err.message}`);
    if (err.details !== undefined) console.error(JSON.stringify(err.details, null, 2));
  } else if (err instanceof ConfigError || (err instanceof Error && err.name === 'NoStackError')) {
    console.error(err.message);
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`freight: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const { command, json } = parsed;
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  let config;
  try {
    config = loadConfig(await configEnv());
  } catch (err) {
    printError(err);
    return 1;
  }
  // Logs go to stderr so stdout stays clean for --json and for the key itself.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'freight-cli', destination: process.stderr });
  const sql = createSql({ url: config.db.url, max: 2, logger, applicationName: 'freight-cli', timeouts: config.db.timeouts });
  let temporal: Connection | undefined;
  try {
    if (command.kind === 'tenant-create') temporal = await connectTemporal(config.temporal);
    const actor: Actor = {
      principal: { actorType: 'cli', actorId: operatorName(), role: 'admin', tenantId: null },
      requestId: `cli-${randomUUID()}`,
    };
    const tenants = createTenantService({
      sql, temporal, logger, namespacePrefix: config.temporal.namespacePrefix, defaultRetentionDays: config.temporal.retentionDays,
    });
    const output = await runCommand(command, { tenants, apiKeys: createApiKeyService({ sql }), actor });
    console.log(json ? JSON.stringify(output.value, null, 2) : output.text.join('\n'));
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
    await temporal?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    printError(err);
    process.exit(1);
  },
);
