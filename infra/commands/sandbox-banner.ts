import { describeLimits } from './sandbox-options.ts';
import type { RunningSandbox } from './sandbox-process.ts';

/** The banner lines of `npm start` about the sandboxes: what to put in a connection. */
export function sandboxBanner(sandbox: RunningSandbox | undefined): string[] {
  if (!sandbox) return ['  Sandbox        off (FREIGHT_SANDBOX=off)'];
  const { affinity, attio, settings, counts } = sandbox;
  return [
    `  Sandbox        ${counts.total} generated Affinity records (seed "${settings.seed}"), ${describeLimits(settings.limits)}`,
    `    Affinity     ${affinity.url}   API key (Basic password) ${affinity.apiKey}`,
    `    Attio        ${attio.url}   token ${attio.token}`,
    '    connection:  {"type":"affinity","baseUrl":"<Affinity URL>","credentials":{"apiKey":"<key>"}} (same for attio)',
  ];
}
