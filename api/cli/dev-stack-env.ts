import { stackDataDir } from '../../infra/dev-stack/paths.ts';
import { canConnect } from '../../infra/dev-stack/run.ts';
import { envFor } from '../../infra/dev-stack/stack-env.ts';
import { readState, type StackState } from '../../infra/dev-stack/state.ts';

/**
 * Lets `npx freight …` work in a new terminal on a developer's machine: without DATABASE_URL, the CLI
 * runs against the dev stack that `npm start` runs (its addresses, passwords and generated keys are in
 * the stack's state file), instead of failing on a missing variable. main.ts imports this only when
 * DATABASE_URL is unset, so a configured (production) CLI never touches the dev-stack code.
 */
export class NoStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoStackError';
  }
}

export interface DevStackDeps {
  readState(stackDir: string): Promise<StackState>;
  /** Whether something listens on this local port. */
  listening(port: number): Promise<boolean>;
}

const defaults: DevStackDeps = { readState, listening: (port) => canConnect(port) };

const ELSEWHERE = 'or set DATABASE_URL (and TEMPORAL_ADDRESS) to use another installation';

/**
 * `env` completed with the dev stack's settings (`FREIGHT_STACK` names another stack, e.g. `test`).
 * Every variable set in `env` wins; the stack only fills what is missing.
 */
export async function withDevStack(env: NodeJS.ProcessEnv, deps: DevStackDeps = defaults): Promise<{ env: NodeJS.ProcessEnv; stackDir: string }> {
  const name = env.FREIGHT_STACK?.trim() || 'dev';
  const stackDir = stackDataDir(name, env);
  const state = await deps.readState(stackDir);
  if (!state.postgres) throw new NoStackError(`freight: no running stack found (no ${name} stack in ${stackDir}): start one with \`npm start\` (or \`npm run stack -- up\`), ${ELSEWHERE}.`);
  if (!(await deps.listening(state.postgres.port))) {
    throw new NoStackError(`freight: the ${name} stack in ${stackDir} is not running (nothing answers on its PostgreSQL port ${state.postgres.port}): start it with \`npm start\` (or \`npm run stack -- up --name ${name}\`), ${ELSEWHERE}.`);
  }
  const fromStack: Record<string, string | undefined> = {
    ...envFor(state, env),
    // Not needed by today's commands, but the CLI then sees the configuration the stack's API runs with.
    FREIGHT_ENCRYPTION_KEYS: state.encryptionKeys,
    FREIGHT_ADMIN_API_KEY: state.adminApiKey,
  };
  const out: NodeJS.ProcessEnv = { ...env };
  // Empty counts as unset, as in loadConfig.
  for (const [key, value] of Object.entries(fromStack)) if (value !== undefined && !env[key]) out[key] = value;
  return { env: out, stackDir };
}
