import type { AccountCounts } from '../sandbox/generator/layout.ts';
import { pickPort, sleep } from '../dev-stack/run.ts';
import { appTail, startAppProcess, stopAppProcess, type AppProcess } from './processes.ts';
import { SANDBOX_KEYS, sandboxArgs, type SandboxPorts, type SandboxSettings } from './sandbox-options.ts';

/** The generated account's counts, as the sandbox's `/__sandbox/summary` reports them. */
export type SandboxCounts = Pick<AccountCounts, 'organizations' | 'persons' | 'opportunities' | 'notes' | 'listEntries' | 'opportunityListEntries' | 'lists' | 'total'>;

export interface RunningSandbox {
  process: AppProcess;
  settings: SandboxSettings;
  affinity: { url: string; apiKey: string };
  /** `held`: what the Attio workspace holds at start (loaded from `settings.stateDir` when set). */
  attio: { url: string; token: string; held: { records: number; entries: number; notes: number } };
  /** The generated account, as the Affinity sandbox reports it. */
  counts: SandboxCounts;
  /**
   * `url`: the v1.1 API base a connection takes; `rootUrl`: where /__sandbox lives. `objects`: the generated
   * organisation's count (template tasks and fields included); `records`: what a job moves (users, groups,
   * workflows, listed runs, comments, attachments: tasks and fields ride inside their workflow).
   */
  processStreet: { url: string; rootUrl: string; apiKey: string; objects: number; records: number };
  /** `url`: the api.tallyfy.com-style root a connection takes (the organisation goes in the path). */
  tallyfy: { url: string; token: string; organizationId: string };
}

/**
 * Starts both sandbox servers as one child process (`infra/sandbox/main.ts`, log in `sandbox.log`)
 * and waits until both answer their inspection endpoint. The ports are the preferred ones when
 * free, so a developer's bookmarks keep working; a second stack gets others.
 */
export async function startSandbox(options: { settings: SandboxSettings; env: NodeJS.ProcessEnv; logDir: string; taken?: Set<number> }): Promise<RunningSandbox> {
  const taken = options.taken ?? new Set<number>();
  const ports: SandboxPorts = {
    affinity: await pickPort(options.settings.ports.affinity, taken),
    attio: await pickPort(options.settings.ports.attio, taken),
    processStreet: await pickPort(options.settings.ports.processStreet, taken),
    tallyfy: await pickPort(options.settings.ports.tallyfy, taken),
  };
  const proc = startAppProcess('sandbox', 'infra/sandbox/main.ts', options.env, options.logDir, sandboxArgs(options.settings, ports));
  const affinityUrl = `http://127.0.0.1:${ports.affinity}`;
  const attioUrl = `http://127.0.0.1:${ports.attio}`;
  try {
    const summary = await waitForSummary(affinityUrl, proc, 60_000);
    // A saved workspace is loaded before the Attio server listens: a large one takes a while.
    const attio = (await waitForSummary(attioUrl, proc, options.settings.stateDir ? 60_000 : 10_000)) as AttioSummary;
    const psRoot = `http://127.0.0.1:${ports.processStreet}`;
    const tallyfyUrl = `http://127.0.0.1:${ports.tallyfy}`;
    const ps = (await waitFor(`${psRoot}/__sandbox/organization`, proc, 30_000)) as { counts: Record<'objects' | 'users' | 'groups' | 'workflows' | 'runs' | 'comments' | 'attachments', number> };
    const { users, groups, workflows, runs, comments, attachments } = ps.counts;
    const tallyfy = (await waitFor(`${tallyfyUrl}/__sandbox/organization`, proc, 30_000)) as { organization: { id: string } };
    return {
      process: proc,
      settings: options.settings,
      affinity: { url: affinityUrl, apiKey: SANDBOX_KEYS.affinity },
      attio: { url: attioUrl, token: SANDBOX_KEYS.attio, held: heldBy(attio) },
      counts: (summary as { counts: SandboxCounts }).counts,
      processStreet: { url: `${psRoot}/api/v1.1`, rootUrl: psRoot, apiKey: SANDBOX_KEYS.processStreet, objects: ps.counts.objects,
        records: users + groups + workflows + runs + comments + attachments },
      tallyfy: { url: tallyfyUrl, token: SANDBOX_KEYS.tallyfy, organizationId: tallyfy.organization.id },
    };
  } catch (err) {
    await stopAppProcess(proc);
    throw new Error(`${err instanceof Error ? err.message : String(err)}; last lines of ${proc.logFile}:\n${appTail(proc)}`);
  }
}

/** What the Attio sandbox's `/__sandbox/summary` reports (counts per object and list). */
interface AttioSummary {
  objects?: Record<string, number>;
  lists?: Record<string, number>;
  notes?: number;
}

const sum = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
const heldBy = (s: AttioSummary) => ({ records: sum(s.objects), entries: sum(s.lists), notes: s.notes ?? 0 });

const waitForSummary = (url: string, proc: AppProcess, timeoutMs: number) => waitFor(`${url}/__sandbox/summary`, proc, timeoutMs);

/** Polls a sandbox's inspection endpoint until it answers 200 (its JSON), the process dies or time runs out. */
async function waitFor(url: string, proc: AppProcess, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error('the sandbox process exited during start-up');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.json();
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the sandbox (${url}) did not answer within ${timeoutMs / 1000} s`);
}
