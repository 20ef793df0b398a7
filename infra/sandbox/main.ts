/**
 * Starts both sandboxes: `npx tsx infra/sandbox/main.ts --affinity-port 4010 --attio-port 4020 --seed 1 --size 10000`.
 * Options and their SANDBOX_* variables are listed in infra/sandbox/README.md. Stops on SIGINT/SIGTERM
 * (with --state-dir, after a final save of the Attio workspace).
 */
import { createLogger } from '../../shared/logger.ts';
import { checkAffinityContract } from './affinity/contract/index.ts';
import { startAffinitySandbox } from './affinity/index.ts';
import { checkAttioContract } from './attio/contract/index.ts';
import { startAttioSandbox } from './attio/index.ts';
import { parseCliOptions } from './cli-options.ts';

const options = parseCliOptions(process.argv.slice(2), process.env);
const logger = createLogger({ name: 'sandbox', level: options.logLevel });
const faults = { rate429: options.rate429, rate5xx: options.rate5xx, resetRate: options.resetRate, latencyMs: options.latencyMs, jitterMs: options.jitterMs };

const affinity = await startAffinitySandbox({
  host: options.host,
  port: options.affinityPort,
  seed: options.seed,
  size: options.size,
  poisonRate: options.poisonRate,
  everyPersonHasCompany: options.everyPersonHasCompany,
  apiKeys: [options.affinityKey],
  limits: options.noLimits ? { perMinute: 0, monthly: 0 } : { perMinute: options.affinityPerMinute, monthly: options.affinityMonthly },
  faults,
  adminToken: options.adminToken,
  ...(options.contract ? { contract: checkAffinityContract } : {}),
  logger: logger.child({ sandbox: 'affinity' }),
});
const attio = await startAttioSandbox({
  host: options.host,
  port: options.attioPort,
  tokens: options.attioToken.split(',').map((t) => t.trim()).filter(Boolean),
  limits: options.noLimits ? { readsPerSecond: 0, writesPerSecond: 0 } : { readsPerSecond: options.attioReadsPerSecond, writesPerSecond: options.attioWritesPerSecond },
  faults,
  poison: { enabled: options.poison },
  ...(options.contract ? { contract: checkAttioContract } : {}),
  workspace: { noteContentLimitBytes: options.noteLimitBytes },
  // The target data belongs to the generated source account: a state saved for another one is set aside.
  state: options.stateDir ? { dir: options.stateDir, fingerprint: {
    seed: options.seed, size: options.size, poisonRate: options.poisonRate,
    // Only when set, so a state saved before the option existed still matches the default account.
    ...(options.everyPersonHasCompany ? { everyPersonHasCompany: true } : {}),
  } } : undefined,
  adminToken: options.adminToken,
  logger: logger.child({ sandbox: 'attio' }),
}).catch((error: unknown) => {
  // e.g. a state folder that cannot be read: say why, once, instead of an unhandled rejection.
  logger.fatal({ err: error }, 'could not start the Attio sandbox');
  process.exit(1);
});

// Sandbox credentials are not secrets; they are printed so a developer can copy them.
logger.info({
  affinityUrl: affinity.url,
  affinityBasicPassword: affinity.apiKey,
  attioUrl: attio.url,
  attioBearer: attio.token,
  attioBearers: attio.tokens,
  attioWorkspaceId: attio.workspace.id,
  counts: affinity.account.counts,
  attioStateDir: options.stateDir ?? null,
  contract: options.contract ? { attio: true, affinity: true } : false,
}, 'sandboxes ready');

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping sandboxes');
  Promise.all([affinity.close(), attio.close()])
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      logger.error({ err: error }, 'failed to stop cleanly');
      process.exit(1);
    });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
