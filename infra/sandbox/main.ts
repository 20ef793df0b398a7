/**
 * Starts the sandboxes of infra/sandbox/registry.ts (Affinity, Attio, Process Street, Tallyfy):
 * `npx tsx infra/sandbox/main.ts --affinity-port 4010 --attio-port 4020 --process-street-port 4030 --tallyfy-port 4040`.
 * Options and their SANDBOX_* variables are listed in infra/sandbox/README.md. Stops on SIGINT/SIGTERM
 * (with --state-dir, after a final save of the Attio workspace).
 */
import { createLogger } from '../../shared/logger.ts';
import { parseCliOptions } from './cli-options.ts';
import { SANDBOXES, type StartedSandbox } from './registry.ts';

const options = parseCliOptions(process.argv.slice(2), process.env);
const logger = createLogger({ name: 'sandbox', level: options.logLevel });
const faults = { rate429: options.rate429, rate5xx: options.rate5xx, resetRate: options.resetRate, latencyMs: options.latencyMs, jitterMs: options.jitterMs };

const started: StartedSandbox[] = [];
for (const sandbox of SANDBOXES) {
  try {
    started.push(await sandbox.start({ options, faults, logger: logger.child({ sandbox: sandbox.name }) }));
  } catch (error) {
    // e.g. an Attio state folder that cannot be read, a port taken: say why, once, instead of an unhandled rejection.
    logger.fatal({ err: error }, `could not start the ${sandbox.name} sandbox`);
    process.exit(1);
  }
}

// Sandbox credentials are not secrets; they are printed so a developer can copy them.
logger.info({
  ...Object.assign({}, ...started.map((s) => s.ready)),
  contract: options.contract ? { attio: true, affinity: true, processStreet: true } : false,
}, 'sandboxes ready');

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping sandboxes');
  Promise.all(started.map((s) => s.close()))
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      logger.error({ err: error }, 'failed to stop cleanly');
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
