/**
 * The sandboxes `infra/sandbox/main.ts` serves, one line each: how to start it from the process's
 * options, and what to print about it (URL, credentials). A new vendor's sandbox adds a line here;
 * main.ts, the dev stack's ports and its outbound allow-list follow from the names.
 */
import type { Logger } from 'pino';
import { checkAffinityContract } from './affinity/contract/index.ts';
import { startAffinitySandbox } from './affinity/index.ts';
import { checkAttioContract } from './attio/contract/index.ts';
import { startAttioSandbox } from './attio/index.ts';
import type { CliOptions } from './cli-options.ts';
import type { FaultConfigInput } from './core/faults.ts';
import { checkProcessStreetContract, startProcessStreetSandbox } from './process-street/index.ts';
import { startTallyfySandbox } from './tallyfy/index.ts';

export const SANDBOX_NAMES = ['affinity', 'attio', 'process-street', 'tallyfy'] as const;
export type SandboxName = (typeof SANDBOX_NAMES)[number];

export interface StartedSandbox {
  /** Printed in the "sandboxes ready" log line (credentials of a sandbox guard nothing). */
  ready: Record<string, unknown>;
  close(): Promise<void>;
}

interface StartContext { options: CliOptions; faults: FaultConfigInput; logger: Logger }

const startAffinity = async ({ options, faults, logger }: StartContext): Promise<StartedSandbox> => {
  const s = await startAffinitySandbox({
    host: options.host, port: options.affinityPort, seed: options.seed, size: options.size, poisonRate: options.poisonRate,
    everyPersonHasCompany: options.everyPersonHasCompany, apiKeys: [options.affinityKey],
    limits: options.noLimits ? { perMinute: 0, monthly: 0 } : { perMinute: options.affinityPerMinute, monthly: options.affinityMonthly },
    faults, adminToken: options.adminToken, ...(options.contract ? { contract: checkAffinityContract } : {}), logger,
  });
  return { ready: { affinityUrl: s.url, affinityBasicPassword: s.apiKey, counts: s.account.counts }, close: s.close };
};

const startAttio = async ({ options, faults, logger }: StartContext): Promise<StartedSandbox> => {
  const s = await startAttioSandbox({
    host: options.host, port: options.attioPort, tokens: options.attioToken.split(',').map((t) => t.trim()).filter(Boolean),
    limits: options.noLimits ? { readsPerSecond: 0, writesPerSecond: 0 } : { readsPerSecond: options.attioReadsPerSecond, writesPerSecond: options.attioWritesPerSecond },
    faults, poison: { enabled: options.poison }, ...(options.contract ? { contract: checkAttioContract } : {}),
    workspace: { noteContentLimitBytes: options.noteLimitBytes },
    // The target data belongs to the generated source account: a state saved for another one is set aside.
    state: options.stateDir ? { dir: options.stateDir, fingerprint: {
      seed: options.seed, size: options.size, poisonRate: options.poisonRate,
      // Only when set, so a state saved before the option existed still matches the default account.
      ...(options.everyPersonHasCompany ? { everyPersonHasCompany: true } : {}),
    } } : undefined,
    adminToken: options.adminToken, logger,
  });
  return {
    ready: { attioUrl: s.url, attioBearer: s.token, attioBearers: s.tokens, attioWorkspaceId: s.workspace.id, attioStateDir: options.stateDir ?? null },
    close: s.close,
  };
};

const startProcessStreet = async ({ options, faults, logger }: StartContext): Promise<StartedSandbox> => {
  const s = await startProcessStreetSandbox({
    host: options.host, port: options.processStreetPort, seed: options.seed, size: options.psSize, apiKeys: [options.processStreetKey],
    limits: { perSecond: options.noLimits ? 0 : options.processStreetPerSecond },
    faults, adminToken: options.adminToken, ...(options.contract ? { contract: checkProcessStreetContract } : {}), logger,
  });
  return { ready: { processStreetUrl: s.url, processStreetApiKey: s.apiKey, processStreetCounts: s.organization.counts }, close: s.close };
};

const startTallyfy = async ({ options, faults, logger }: StartContext): Promise<StartedSandbox> => {
  const s = await startTallyfySandbox({
    host: options.host, port: options.tallyfyPort, tokens: [options.tallyfyToken],
    limits: options.noLimits
      ? { perMinute: 0, commentsPerHour: 0, invitesPerHour: 0 }
      : { windowScale: options.tallyfyWindowScale },
    faults, adminToken: options.adminToken, logger,
  });
  return {
    ready: { tallyfyUrl: s.url, tallyfyToken: s.token, tallyfyOrganizationId: s.organizationId, tallyfyLimits: s.limiter.limits() },
    close: s.close,
  };
};

/** The registry: one line per sandbox, started in this order. */
export const SANDBOXES: ReadonlyArray<{ name: SandboxName; start: (ctx: StartContext) => Promise<StartedSandbox> }> = [
  { name: 'affinity', start: startAffinity },
  { name: 'attio', start: startAttio },
  { name: 'process-street', start: startProcessStreet },
  { name: 'tallyfy', start: startTallyfy },
];
