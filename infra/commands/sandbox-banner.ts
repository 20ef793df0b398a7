import { describeLimits } from './sandbox-options.ts';
import type { RunningSandbox } from './sandbox-process.ts';

const describeHeld = (held: RunningSandbox['attio']['held']) =>
  held.records + held.entries + held.notes === 0 ? 'empty' : `${held.records} records, ${held.entries} list entries, ${held.notes} notes`;

/** The banner lines of `npm start` about the sandboxes: what to put in a connection. */
export function sandboxBanner(sandbox: RunningSandbox | undefined): string[] {
  if (!sandbox) return ['  Sandbox        off (FREIGHT_SANDBOX=off)'];
  const { affinity, attio, processStreet, tallyfy, settings, counts } = sandbox;
  return [
    `  Sandbox        ${counts.total} generated Affinity records and ${processStreet.objects} Process Street objects (seed "${settings.seed}"), ${describeLimits(settings.limits)}`,
    `    Affinity     ${affinity.url}   API key (Basic password) ${affinity.apiKey}`,
    `    Attio        ${attio.url}   token ${attio.token}`,
    `    Process St.  ${processStreet.url}   API key (X-API-KEY) ${processStreet.apiKey}`,
    `    Tallyfy      ${tallyfy.url}   token ${tallyfy.token}   organizationId ${tallyfy.organizationId}`,
    ...(settings.stateDir ? [`    Attio data   kept in ${settings.stateDir} (now ${describeHeld(attio.held)}; FREIGHT_SANDBOX_PERSIST=off starts empty)`] : []),
    '    connection:  {"type":"affinity","baseUrl":"<Affinity URL>","credentials":{"apiKey":"<key>"}} (same for attio, process-street)',
    '                 {"type":"tallyfy","baseUrl":"<Tallyfy URL>","credentials":{"token":"<token>"},"settings":{"organizationId":"<id>"}}',
  ];
}
